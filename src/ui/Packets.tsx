/**
 * Packet list, virtualised (only visible rows exist in the DOM; rows are fetched from the worker
 * a page at a time), with a display filter; packet detail tree and hex view of the selected one.
 */
import { useShallow } from 'zustand/react/shallow';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import type { PacketView, Row } from '../../workers/api';
import type { LayerDetail } from '../core/decode/detail';
import { strings } from './i18n';
import { Glyph, Swatch } from './palette';
import { bridge, useApp } from './store';
import { errorText } from '../core/errors';
import { formatTimestamp } from '../core/decode/text';

const PAGE = 200;
const ROW_H = 26;

export function PacketList(): JSX.Element {
  const {
    lang,
    capture,
    rowCount,
    listVersion,
    frame,
    scrollTo,
    filterResult,
    filter,
    applyFilter,
    selectFrame,
    showCapture,
    reports,
  } = useApp(
    useShallow((s) => ({
      lang: s.lang,
      capture: s.capture,
      rowCount: s.rowCount,
      listVersion: s.listVersion,
      frame: s.frame,
      scrollTo: s.scrollTo,
      filterResult: s.filterResult,
      filter: s.filter,
      applyFilter: s.applyFilter,
      selectFrame: s.selectFrame,
      showCapture: s.showCapture,
      reports: s.reports,
    })),
  );
  const S = strings(lang);
  const parent = useRef<HTMLDivElement>(null);
  // Frames of the diagnosis evidence and of the selected finding are marked in the list.
  const finding = useApp((st) => st.finding);
  const marked = useMemo(() => {
    const r = reports?.en;
    const set = new Set<number>();
    if (!r) return set;
    if (r.diagnosis.evidenceCapture === capture) r.diagnosis.evidence.forEach((n) => set.add(n));
    const f = r.findings[finding];
    if (f && f.capture === capture) f.frames.forEach((n) => set.add(n));
    return set;
  }, [reports, capture, finding]);
  const [rows, setRows] = useState<Map<number, Row>>(new Map());
  const pending = useRef(new Set<number>());
  const [draft, setDraft] = useState(filter);
  const total = reports?.en.captures[capture]?.packets ?? rowCount;

  // No React Compiler here: the virtualizer is read afresh on every render, by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({ count: rowCount, getScrollElement: () => parent.current, estimateSize: () => ROW_H, overscan: 8 });
  const items = v.getVirtualItems();

  useEffect(() => {
    setRows(new Map());
    pending.current.clear();
  }, [listVersion, capture]);

  useEffect(() => setDraft(filter), [filter]);

  // Fetch the pages covering the visible range.
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
      if (pending.current.has(p) || rows.has(p * PAGE)) continue;
      pending.current.add(p);
      const version = listVersion;
      void bridge.api.rows(capture, p * PAGE, PAGE).then((got) => {
        if (version !== useApp.getState().listVersion) return;
        setRows((m) => {
          const next = new Map(m);
          got.forEach((r, k) => next.set(p * PAGE + k, r));
          return next;
        });
      });
    }
  }, [first, last, capture, listVersion, rows]);

  useEffect(() => {
    if (scrollTo !== null) v.scrollToIndex(scrollTo, { align: 'center' });
  }, [scrollTo, v]);

  // Arrow keys move the selection one row, PageUp/PageDown one screenful, Home/End to the ends.
  // A target row that is not loaded (End in a million rows) is fetched from the worker on its
  // own; selecting it scrolls the list there, which loads its page as usual.
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || rowCount === 0) return;
    const idx = [...rows.entries()].find(([, r]) => r.n === frame)?.[0] ?? -1;
    const page = Math.max(1, Math.floor((parent.current?.clientHeight ?? ROW_H) / ROW_H) - 1);
    const to: Record<string, number> = {
      ArrowDown: idx + 1,
      ArrowUp: idx - 1,
      PageDown: idx < 0 ? page - 1 : idx + page,
      PageUp: idx - page,
      Home: 0,
      End: rowCount - 1,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    const target = Math.max(0, Math.min(rowCount - 1, to[e.key]!));
    if (target === idx) return;
    const loaded = rows.get(target);
    if (loaded) {
      void selectFrame(capture, loaded.n);
      return;
    }
    const version = listVersion;
    void bridge.api.rows(capture, target, 1).then((got) => {
      const r = got[0];
      const st = useApp.getState();
      if (r && version === st.listVersion && capture === st.capture) void selectFrame(capture, r.n);
    });
  };
  const selectedIndex = items.find((it) => rows.get(it.index)?.n === frame)?.index;

  return (
    <section className="panel packets" aria-label={S.packetList}>
      <div className="panel-head">
        <h2>
          {S.packetList} <span className="count">{filter ? S.matches(rowCount, total) : rowCount}</span>
        </h2>
        {reports && reports.en.captures.length > 1 && (
          <select aria-label={S.captures} value={capture} onChange={(e) => void showCapture(Number(e.target.value))}>
            {reports.en.captures.map((c, i) => (
              <option key={i} value={i}>
                {c.file}
              </option>
            ))}
          </select>
        )}
      </div>
      <form
        className="filter"
        onSubmit={(e) => {
          e.preventDefault();
          void applyFilter(draft);
        }}
      >
        <label htmlFor="filter" className="sr-only">
          {S.filter}
        </label>
        <input
          id="filter"
          data-testid="filter"
          value={draft}
          placeholder={S.filterPlaceholder}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={filterResult?.ok === false}
          spellCheck={false}
        />
        <button type="submit">{S.apply}</button>
      </form>
      {filterResult?.ok === false && (
        <p className="filter-error" role="alert" data-testid="filter-error">
          {filterResult.error ? errorText(filterResult.error, lang) : ''}
        </p>
      )}
      <div className="list-head" aria-hidden="true">
        <span className="c-no">{S.no}</span>
        <span className="c-time">+s</span>
        <span className="c-len">{S.length}</span>
        <span className="c-sum">{S.summary}</span>
        <span className="c-ck">{S.checksums}</span>
      </div>
      <div
        ref={parent}
        className="list"
        tabIndex={0}
        onKeyDown={onKey}
        role="listbox"
        aria-label={S.packetList}
        aria-activedescendant={selectedIndex === undefined ? undefined : `packet-row-${selectedIndex}`}
        data-testid="packet-list"
      >
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = rows.get(it.index);
            return (
              <div
                key={it.key}
                id={`packet-row-${it.index}`}
                role="option"
                aria-selected={r ? r.n === frame : false}
                className={`row${r && r.n === frame ? ' selected' : ''}${r ? ` w-${r.worst}` : ''}${r && marked.has(r.n) ? ' evidence' : ''}`}
                style={{ position: 'absolute', top: 0, transform: `translateY(${it.start}px)`, height: ROW_H, width: '100%' }}
                onClick={() => r && void selectFrame(capture, r.n)}
                data-testid="packet-row"
              >
                {r ? (
                  <>
                    <span className="c-no">{r.n}</span>
                    <span className="c-time">{r.rel.toFixed(6)}</span>
                    <span className="c-len">{r.len}</span>
                    <span className="c-sum">{r.summary}</span>
                    <span className="c-ck">
                      {r.checks.map((c, k) => (
                        <Glyph key={k} state={c.status} title={`${c.layer}@${c.depth}: ${c.status}`} />
                      ))}
                    </span>
                  </>
                ) : (
                  <span className="c-sum muted">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

export function PacketDetail(): JSX.Element {
  const { lang, capture, frame } = useApp(useShallow((s) => ({ lang: s.lang, capture: s.capture, frame: s.frame })));
  const S = strings(lang);
  const [p, setP] = useState<PacketView | null>(null);
  const [hl, setHl] = useState<[number, number] | null>(null);
  useEffect(() => {
    if (frame === null) return;
    let live = true;
    void bridge.api.packet(capture, frame).then((x) => {
      if (live) {
        setP(x);
        setHl(null);
      }
    });
    return () => {
      live = false;
    };
  }, [capture, frame]);
  if (frame === null || !p) {
    return (
      <section className="panel detail" aria-label={S.detail}>
        <h2>{S.detail}</h2>
        <p className="muted">{S.selectPacket}</p>
      </section>
    );
  }
  return (
    <section className="panel detail" aria-label={S.detail} data-testid="packet-detail">
      <h2>
        {S.detail}: {S.frame} {p.n}
      </h2>
      <p className="muted">
        {formatTimestamp(p.ts)} · {p.len} / {p.origLen} bytes · link type {p.linkType}
      </p>
      <div className="detail-grid">
        <ul className="tree">
          {p.layers.map((l, i) => (
            <LayerNode key={i} l={l} onField={setHl} S={S} />
          ))}
        </ul>
        <HexView bytes={p.bytes} hl={hl} />
      </div>
    </section>
  );
}

function LayerNode({
  l,
  onField,
  S,
}: {
  l: LayerDetail;
  onField: (r: [number, number]) => void;
  S: ReturnType<typeof strings>;
}): JSX.Element {
  return (
    <li>
      <details open>
        <summary onClick={() => onField([l.start, l.end])}>
          <b>{l.name}</b>
          {l.depth > 0 && <span className="depth"> depth {l.depth}</span>}
          {l.quoted && <span className="depth"> (quoted)</span>} <span className="muted">{l.summary}</span>
          {l.truncated && <span className="warn"> [truncated]</span>}
          {l.invalid && <span className="warn"> [{l.invalid}]</span>}
        </summary>
        <ul>
          {l.fields.map((f, k) => (
            <li key={k}>
              <button className="field" onClick={() => onField([f.start, f.end])}>
                {f.name}: <span className="val">{f.value}</span>
              </button>
            </li>
          ))}
          {l.checks.map((c, k) => (
            <li key={`c${k}`} className={`check st-${c.status}`} data-testid="check-verdict" data-status={c.status}>
              <button className="field" onClick={() => onField([c.fieldStart, c.fieldStart + 2])}>
                <Swatch state={c.status} /> {c.layer.toUpperCase()} checksum{c.tunnel ? ` (${S.outer})` : ''}:{' '}
                <b>{S.states[c.status]}</b>
                {c.stored !== null && ` · ${S.stored} 0x${c.stored.toString(16).padStart(4, '0')}`}
                {c.computed !== null && c.status !== 'good' && ` · ${S.computed} 0x${c.computed.toString(16).padStart(4, '0')}`}
                {c.reason && <span className="muted"> · {c.reason}</span>}
              </button>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

function HexView({ bytes, hl }: { bytes: Uint8Array; hl: [number, number] | null }): JSX.Element {
  const lines: JSX.Element[] = [];
  for (let o = 0; o < bytes.length && o < 16 * 512; o += 16) {
    const cells: JSX.Element[] = [];
    let ascii = '';
    for (let i = o; i < Math.min(o + 16, bytes.length); i++) {
      const on = hl && i >= hl[0] && i < hl[1];
      cells.push(
        <span key={i} className={on ? 'hl' : undefined}>
          {bytes[i]!.toString(16).padStart(2, '0')}
        </span>,
      );
      const b = bytes[i]!;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(
      <div key={o} className="hexline">
        <span className="off">{o.toString(16).padStart(4, '0')}</span> <span className="bytes">{cells}</span>{' '}
        <span className="ascii">{ascii}</span>
      </div>,
    );
  }
  return (
    // Focusable: it scrolls (long packets, narrow screens) and has nothing else to focus.
    <div className="hex" data-testid="hex" role="region" aria-label="hex" tabIndex={0}>
      {lines}
    </div>
  );
}
