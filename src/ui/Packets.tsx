/**
 * Packet list, virtualised (only visible rows exist in the DOM; rows are fetched from the worker
 * a page at a time), with a display filter; packet detail tree and hex view of the selected one.
 */
import { useShallow } from 'zustand/react/shallow';
import { useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent, type PointerEvent } from 'react';
import type { PacketView, Row } from '../../workers/api';
import type { LayerDetail } from '../core/decode/detail';
import { strings } from './i18n';
import { Glyph, Swatch } from './palette';
import { bridge, useApp } from './store';
import { rowTop, rowWindow, scrollTopFor } from './rowWindow';
import { errorText } from '../core/errors';
import { formatTimestamp } from '../core/decode/text';
import { CHECK_LAYER_NAME, type CheckLayer } from '../core/decode/layers';
import { focusTarget, type FocusTarget } from './focus';

const PAGE = 200;
const ROW_H = 26;

/** Wireshark's columns, plus the checksum verdicts; interface and direction for `-i any`. */
type Col = 'no' | 'time' | 'iface' | 'dir' | 'src' | 'dst' | 'proto' | 'len' | 'info' | 'ck';
const WIDTH: Record<Col, number> = {
  no: 64,
  time: 100,
  iface: 44,
  dir: 40,
  src: 132,
  dst: 132,
  proto: 72,
  len: 58,
  info: 360,
  ck: 88,
};
const MIN_W = 32;
/** Linux cooked captures (`tcpdump -i any`): SLL and SLL2. */
const COOKED = new Set([113, 276]);

/** Time column formats: since the capture's first packet, since the previous displayed row, UTC. */
export type TimeFormat = 'rel' | 'delta' | 'abs';

function timeText(r: Row, f: TimeFormat, lang: 'en' | 'zh'): string {
  if (f === 'abs') return formatTimestamp(r.ts, lang);
  return (f === 'delta' ? (r.delta ?? 0) : r.rel).toFixed(6);
}

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

  // The rows in view (rowWindow.ts: constant time, and lists taller than a browser allows).
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  useEffect(() => {
    const el = parent.current;
    if (!el) return;
    // Not el.clientHeight here: right after the mount commit that forces a layout of the whole
    // page (the list, the IO graph and the connections, just added) inside this task. The
    // observer's first report comes after the browser's own layout, where the read is free.
    if (typeof ResizeObserver === 'undefined') return setViewport(el.clientHeight || 400);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 400));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const win = rowWindow(rowCount, ROW_H, scrollTop, viewport, 8);
  const items: number[] = [];
  for (let i = win.first; i <= win.last; i++) items.push(i);

  useEffect(() => {
    setRows(new Map());
    pending.current.clear();
  }, [listVersion, capture]);

  useEffect(() => setDraft(filter), [filter]);

  // Fetch the pages covering the visible range.
  const first = win.first;
  const last = Math.max(win.first, win.last);
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
    const el = parent.current;
    if (scrollTo === null || !el) return;
    el.scrollTop = scrollTopFor(rowCount, ROW_H, el.clientHeight, scrollTo);
    setScrollTop(el.scrollTop);
  }, [scrollTo, rowCount]);

  // A jump from outside the list (evidence, a marker, a finding) brings the list into the page.
  const reveal = useApp((st) => st.reveal.seq);
  const section = useRef<HTMLElement>(null);
  const revealed = useRef(reveal);
  useEffect(() => {
    if (reveal === revealed.current) return;
    revealed.current = reveal;
    section.current?.scrollIntoView({ block: 'start' });
  }, [reveal]);

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
  const selectedIndex = items.find((i) => rows.get(i)?.n === frame);

  const cooked = (reports?.en.captures[capture]?.linkTypes ?? []).some((t) => COOKED.has(t));
  const cols: Col[] = cooked
    ? ['no', 'time', 'iface', 'dir', 'src', 'dst', 'proto', 'len', 'info', 'ck']
    : ['no', 'time', 'src', 'dst', 'proto', 'len', 'info', 'ck'];
  const [timeFmt, setTimeFmt] = useState<TimeFormat>('rel');
  const [widths, setWidths] = useState<Record<Col, number>>(WIDTH);
  const head = useRef<HTMLDivElement>(null);
  // An absolute time needs room: widen the column once when switching to it.
  useEffect(() => {
    if (timeFmt === 'abs') setWidths((w) => (w.time < 230 ? { ...w, time: 230 } : w));
  }, [timeFmt]);
  const resize = (c: Col, w: number) => setWidths((old) => ({ ...old, [c]: Math.max(MIN_W, Math.min(1200, Math.round(w))) }));
  const startResize = (e: PointerEvent<HTMLSpanElement>, c: Col) => {
    e.preventDefault();
    const x0 = e.clientX;
    const w0 = widths[c];
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => resize(c, w0 + ev.clientX - x0);
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };
  // Info takes what is left (at least its own width); the list scrolls sideways in its box when
  // the columns are wider than it, never the page.
  const template = cols.map((c) => (c === 'info' ? `minmax(${widths.info}px, 1fr)` : `${widths[c]}px`)).join(' ');
  const rowWidth = cols.reduce((n, c) => n + widths[c] + 8, 12);

  return (
    <section className="panel packets" aria-label={S.packetList} ref={section}>
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
      <div className="list-tools">
        <label>
          {S.timeFormat}{' '}
          <select value={timeFmt} onChange={(e) => setTimeFmt(e.target.value as TimeFormat)} data-testid="time-format">
            <option value="rel">{S.timeFormats.rel}</option>
            <option value="delta">{S.timeFormats.delta}</option>
            <option value="abs">{S.timeFormats.abs}</option>
          </select>
        </label>
      </div>
      <div className="list-head" ref={head} style={{ gridTemplateColumns: template }}>
        {cols.map((c) => (
          <span key={c} className={`c-${c}`} data-col={c}>
            <span className="col-name">{S.cols[c]}</span>
            <span
              className="col-resize"
              role="separator"
              aria-orientation="vertical"
              aria-label={S.resizeColumn(S.cols[c])}
              aria-valuenow={widths[c]}
              aria-valuemin={MIN_W}
              tabIndex={0}
              onPointerDown={(e) => startResize(e, c)}
              onKeyDown={(e) => {
                const step = e.key === 'ArrowRight' ? 16 : e.key === 'ArrowLeft' ? -16 : 0;
                if (!step) return;
                e.preventDefault();
                resize(c, widths[c] + step);
              }}
              data-testid={`resize-${c}`}
            />
          </span>
        ))}
      </div>
      <div
        ref={parent}
        className="list"
        tabIndex={0}
        onKeyDown={onKey}
        onScroll={(e) => {
          if (head.current) head.current.scrollLeft = e.currentTarget.scrollLeft;
          setScrollTop(e.currentTarget.scrollTop);
        }}
        role="listbox"
        aria-label={S.packetList}
        aria-activedescendant={selectedIndex === undefined ? undefined : `packet-row-${selectedIndex}`}
        data-testid="packet-list"
      >
        <div style={{ height: win.height, position: 'relative', minWidth: rowWidth }}>
          {items.map((index) => {
            const r = rows.get(index);
            return (
              <div
                key={index}
                id={`packet-row-${index}`}
                role="option"
                aria-selected={r ? r.n === frame : false}
                className={`row${r && r.n === frame ? ' selected' : ''}${r ? ` w-${r.worst}` : ''}${r && marked.has(r.n) ? ' evidence' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  transform: `translateY(${rowTop(win, index, ROW_H, scrollTop)}px)`,
                  height: ROW_H,
                  width: '100%',
                  gridTemplateColumns: template,
                }}
                onClick={() => r && void selectFrame(capture, r.n)}
                data-testid="packet-row"
              >
                {r ? (
                  cols.map((c) => <Cell key={c} c={c} r={r} timeFmt={timeFmt} S={S} lang={lang} />)
                ) : (
                  <span className="c-info muted">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** One cell of a packet row. */
function Cell({
  c,
  r,
  timeFmt,
  S,
  lang,
}: {
  c: Col;
  r: Row;
  timeFmt: TimeFormat;
  S: ReturnType<typeof strings>;
  lang: 'en' | 'zh';
}): JSX.Element {
  switch (c) {
    case 'no':
      return <span className="c-no">{r.n}</span>;
    case 'time':
      return <span className="c-time">{timeText(r, timeFmt, lang)}</span>;
    case 'iface':
      return <span className="c-iface">{r.iface ?? ''}</span>;
    case 'dir':
      return <span className={`c-dir dir-${r.dir ?? ''}`}>{r.dir ? S.dirs[r.dir] : ''}</span>;
    case 'src':
      return <span className="c-src">{r.src}</span>;
    case 'dst':
      return <span className="c-dst">{r.dst}</span>;
    case 'proto':
      return <span className="c-proto">{r.proto}</span>;
    case 'len':
      return <span className="c-len">{r.len}</span>;
    case 'info':
      return (
        <span className="c-info" title={r.summary}>
          {r.info}
        </span>
      );
    case 'ck':
      return (
        <span className="c-ck">
          {r.checks.map((k, i) => (
            <Glyph
              key={i}
              state={k.status}
              title={`${k.layer}@${k.depth}: ${S.states[k.status as keyof typeof S.states] ?? k.status}`}
            />
          ))}
        </span>
      );
  }
}

export function PacketDetail(): JSX.Element {
  const { lang, capture, frame, reveal } = useApp(
    useShallow((s) => ({ lang: s.lang, capture: s.capture, frame: s.frame, reveal: s.reveal })),
  );
  const S = strings(lang);
  const [p, setP] = useState<PacketView | null>(null);
  const [hl, setHl] = useState<[number, number] | null>(null);
  const [focus, setFocus] = useState<FocusTarget | null>(null);
  const section = useRef<HTMLElement>(null);
  // The reveal this panel has acted on: a new one (a jump from the diagnosis, the timeline or a
  // finding) highlights the line its finding is about once the packet has loaded.
  const done = useRef(reveal.seq);
  useEffect(() => {
    if (frame === null) return;
    let live = true;
    void bridge.api.packet(capture, frame).then((x) => {
      if (!live) return;
      setP(x);
      const st = useApp.getState();
      const t = x && st.reveal.seq !== done.current ? focusTarget(x.layers, st.reveal.kind) : null;
      done.current = st.reveal.seq;
      setFocus(t);
      setHl(t && x ? rangeOf(x.layers, t) : null);
    });
    return () => {
      live = false;
    };
  }, [capture, frame, reveal.seq]);
  // Bring the highlighted line into view inside the tree (and the tree into the page).
  // Scroll only the tree, not the page: the list above keeps the selected row in view.
  useEffect(() => {
    const tree = section.current?.querySelector<HTMLElement>('.tree');
    const line = tree?.querySelector<HTMLElement>('.focus');
    if (!focus || !tree || !line) return;
    // The detail panel into the page (the least scrolling: the list above stays in view when it fits).
    section.current?.scrollIntoView({ block: 'nearest' });
    const top = line.getBoundingClientRect().top - tree.getBoundingClientRect().top + tree.scrollTop;
    tree.scrollTop = Math.max(0, top - tree.clientHeight / 2);
  }, [focus, p]);
  if (frame === null || !p) {
    return (
      <section className="panel detail" aria-label={S.detail}>
        <h2>{S.detail}</h2>
        <p className="muted">{S.selectPacket}</p>
      </section>
    );
  }
  return (
    <section className="panel detail" aria-label={S.detail} data-testid="packet-detail" ref={section}>
      <h2>
        {S.detail}
        {S.colon}
        {S.frame} {p.n}
      </h2>
      <p className="muted">
        {formatTimestamp(p.ts, lang)} · {S.frameMeta(p.len, p.origLen, p.linkType)}
      </p>
      <div className="detail-grid">
        <ul className="tree">
          {p.layers.map((l, i) => (
            <LayerNode
              key={i}
              l={l}
              focus={focus && focus.layer === i ? focus : null}
              onField={(r) => {
                setHl(r);
                setFocus(null);
              }}
              S={S}
              zh={lang === 'zh'}
            />
          ))}
        </ul>
        <HexView bytes={p.bytes} hl={hl} />
      </div>
    </section>
  );
}

/** Byte range of a focus target (the checksum field of a verdict is its two bytes). */
function rangeOf(layers: LayerDetail[], t: FocusTarget): [number, number] | null {
  const l = layers[t.layer];
  if (!l) return null;
  if (t.check >= 0) {
    const c = l.checks[t.check];
    return c ? [c.fieldStart, c.fieldStart + 2] : null;
  }
  const f = l.fields[t.field];
  return f ? [f.start, f.end] : null;
}

function LayerNode({
  l,
  focus,
  onField,
  S,
  zh,
}: {
  l: LayerDetail;
  focus: FocusTarget | null;
  onField: (r: [number, number]) => void;
  S: ReturnType<typeof strings>;
  zh: boolean;
}): JSX.Element {
  return (
    <li>
      <details open>
        <summary onClick={() => onField([l.start, l.end])}>
          <b>{l.name}</b>
          {l.depth > 0 && <span className="depth"> {S.depthN(l.depth)}</span>}
          {l.quoted && <span className="depth"> {S.quoted}</span>} <span className="muted">{l.summary}</span>
          {l.truncated && <span className="warn"> [{S.truncatedTag}]</span>}
          {l.invalid && <span className="warn"> [{l.invalid}]</span>}
        </summary>
        <ul>
          {l.fields.map((f, k) => (
            <li key={k} className={focus?.field === k ? 'focus' : undefined} data-focus={focus?.field === k || undefined}>
              <button className="field" onClick={() => onField([f.start, f.end])} title={f.key}>
                {zh ? f.nameZh : f.name}: <span className="val">{f.value}</span>
              </button>
            </li>
          ))}
          {l.checks.map((c, k) => (
            <li
              key={`c${k}`}
              className={`check st-${c.status}${focus?.check === k ? ' focus' : ''}`}
              data-testid="check-verdict"
              data-focus={focus?.check === k || undefined}
              data-status={c.status}
            >
              <button className="field" onClick={() => onField([c.fieldStart, c.fieldStart + 2])}>
                <Swatch state={c.status} /> {S.checksumOf(CHECK_LAYER_NAME[c.layer as CheckLayer] ?? c.layer)}
                {c.tunnel ? ` (${S.outerHdr})` : ''}: <b>{S.states[c.status as keyof typeof S.states] ?? c.status}</b>
                {c.stored !== null && ` · ${S.stored} 0x${c.stored.toString(16).padStart(4, '0')}`}
                {c.computed !== null && c.status !== 'good' && ` · ${S.computed} 0x${c.computed.toString(16).padStart(4, '0')}`}
                {(zh ? c.reasonZh : c.reason) && <span className="muted"> · {zh ? c.reasonZh : c.reason}</span>}
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
