/** Findings list, per-layer checksum table (outer vs inner) and capture facts. */
import { useState, type JSX } from 'react';
import type { CheckLayer, Report, StatusCounts } from '../core/report';
import { useShallow } from 'zustand/react/shallow';
import { fmtInt, strings } from './i18n';
import { errorText } from '../core/errors';
import { Swatch } from './palette';
import { FrameChips } from './FrameChips';
import { useApp } from './store';
import { CHECK_LAYER_NAME } from '../core/decode/layers';

/**
 * Findings listed at first. A flood's report holds a hundred or more (64 SYN retries, 64 DNS
 * queries): each is a row of eight frame buttons, and laying out 130 of them was the longest task
 * of a 1 GiB result (65 ms). The rest are one click away.
 */
export const FIRST_LISTED = 20;
/** Findings listed at most, expanded (the JSON report keeps all of them). */
const MAX_LISTED = 200;

/** Indexes of the findings to list: the first `limit`, and the current one wherever it is. */
export function listedFindings(count: number, limit: number, current: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(count, limit); i++) out.push(i);
  if (current >= limit && current < count) out.push(current);
  return out;
}
const STATUSES: (keyof StatusCounts)[] = ['good', 'bad', 'zero', 'partial', 'unverified'];
const LAYERS: CheckLayer[] = ['ipv4', 'udp', 'tcp', 'icmp', 'icmpv6'];

export function Findings({ report }: { report: Report }): JSX.Element {
  const { lang, selectFinding, selectFrame, finding } = useApp(
    useShallow((s) => ({ lang: s.lang, selectFinding: s.selectFinding, selectFrame: s.selectFrame, finding: s.finding })),
  );
  const S = strings(lang);
  const [expanded, setExpanded] = useState(false);
  const total = report.findings.length;
  const limit = expanded ? MAX_LISTED : FIRST_LISTED;
  const listed = listedFindings(total, limit, finding);
  const hidden = Math.min(total, MAX_LISTED) - Math.min(total, FIRST_LISTED);
  return (
    <section className="panel findings" aria-label={S.findings}>
      <h2>
        {S.findings} <span className="count">{total}</span>
      </h2>
      <ul id="findings-list">
        {listed.map((i) => {
          const f = report.findings[i]!;
          return (
            <li
              key={i}
              className={`sev-${f.severity}${i === finding ? ' current' : ''}`}
              data-testid="finding"
              data-kind={f.kind}
            >
              <span className={`sev-dot sev-${f.severity}`} role="img" aria-label={f.severity} />
              <span className="kind">
                {S.kinds[f.kind] ?? f.kind}
                {report.captures.length > 1 && <span className="file-name"> · {report.captures[f.capture]?.file}</span>}
              </span>
              {f.kind === 'syn-retry' || f.kind === 'dns-unanswered' ? (
                <button className="link" onClick={() => selectFinding(i)}>
                  {f.title}
                </button>
              ) : (
                <span>{f.title}</span>
              )}
              <span className="frames">
                <FrameChips
                  frames={f.frames.slice(0, 8)}
                  small
                  label={`${S.kinds[f.kind] ?? f.kind}: ${S.frames}`}
                  onPick={(n) => void selectFrame(f.capture, n, { kind: f.kind })}
                />
                {f.frames.length > 8 && <span className="muted">+{f.frames.length - 8}</span>}
              </span>
            </li>
          );
        })}
      </ul>
      {hidden > 0 && (
        <button
          className="link"
          aria-expanded={expanded}
          aria-controls="findings-list"
          data-testid="more-findings"
          onClick={() => setExpanded((x) => !x)}
        >
          {expanded ? S.fewerFindings : S.moreFindings(hidden)}
        </button>
      )}
      {total > MAX_LISTED && expanded && <p className="muted">+{total - MAX_LISTED}</p>}
    </section>
  );
}

/** One capture's (or the only capture's) checksum table, outer and inner rows. */
function CountsTable({
  all,
  innerAll,
  caption,
}: {
  all: Record<CheckLayer, StatusCounts>;
  innerAll: Record<CheckLayer, StatusCounts> | undefined;
  caption: string | null;
}): JSX.Element {
  const { lang } = useApp(useShallow((s) => ({ lang: s.lang })));
  const S = strings(lang);
  const rows: { layer: CheckLayer; where: 'outer' | 'inner' | 'plain'; c: StatusCounts }[] = [];
  const zero = { good: 0, bad: 0, zero: 0, partial: 0, unverified: 0 };
  // "outer" and "inner" only mean something when the capture has tunnelled packets.
  const tunnelled = LAYERS.some((l) => STATUSES.some((st) => (innerAll?.[l] ?? zero)[st] > 0));
  for (const layer of LAYERS) {
    const inner = innerAll?.[layer] ?? zero;
    const outer = Object.fromEntries(STATUSES.map((st) => [st, all[layer][st] - inner[st]])) as unknown as StatusCounts;
    for (const [where, c] of [
      [tunnelled ? 'outer' : 'plain', outer],
      ['inner', inner],
    ] as const) {
      if (STATUSES.some((st) => c[st] > 0)) rows.push({ layer, where, c });
    }
  }
  return (
    <div className="table-scroll">
      <table data-testid="checksum-table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th>{S.layer}</th>
            {STATUSES.map((st) => (
              <th key={st} className="num" title={S.states[st]}>
                <Swatch state={st} /> {S.statesShort[st]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.layer}-${r.where}`}>
              <th scope="row">
                {CHECK_LAYER_NAME[r.layer]}{' '}
                {r.where !== 'plain' && <span className="muted">{r.where === 'outer' ? S.outerHdr : S.innerHdr}</span>}
              </th>
              {STATUSES.map((st) => (
                <td key={st} className={`num${r.c[st] && st === 'bad' ? ' hot' : ''}`}>
                  {r.c[st] ? fmtInt(r.c[st]) : ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChecksumTable({ report }: { report: Report }): JSX.Element {
  const { lang, swapSides } = useApp(useShallow((s) => ({ lang: s.lang, swapSides: s.swapSides })));
  const S = strings(lang);
  // Two captures of the same traffic: one table each (summed, every packet would count twice).
  const per = report.captures.length > 1 && report.captures.every((c) => c.checksums);
  return (
    <section className="panel checksums" aria-label={S.checksums}>
      <h2>{S.checksums}</h2>
      {per ? (
        report.captures.map((c, i) => <CountsTable key={i} all={c.checksums!} innerAll={c.checksumsInner} caption={c.file} />)
      ) : (
        <CountsTable all={report.checksums} innerAll={report.checksumsInner} caption={null} />
      )}
      <h3>{S.captures}</h3>
      <ul className="captures">
        {report.captures.map((c, i) => (
          <li key={i}>
            <b>{c.file}</b> · {c.format}
            {c.compressed ? ' (gzip)' : ''} · {fmtInt(c.packets)} {c.packets === 1 ? S.packet : S.packets} · {S.linkType}{' '}
            {c.linkTypes.join(', ') || '–'}
            {c.side && c.packets > 0 && (
              <span className="muted" data-testid="capture-point" data-side={c.side} data-tunnel={c.tunnel ?? 'none'}>
                {' '}
                · {S.side[c.side]}
                {S.listSep}
                {S.tunnelPos[c.tunnel ?? 'none']}
              </span>
            )}
            {c.errors.length > 0 && (
              <ul className="file-errors" data-testid="file-errors">
                {c.errors.map((e, k) => (
                  <li key={k}>{errorText(e, lang)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {report.captures.length === 2 && report.captures.every((c) => c.packets > 0) && (
        <p className="swap">
          <button onClick={() => void swapSides()} data-testid="swap-sides" aria-pressed={!!report.sidesSwapped}>
            ⇄ {S.swapSides}
          </button>{' '}
          <span className="muted">{report.sidesSwapped ? S.swappedNote : S.swapHelp}</span>
        </p>
      )}
    </section>
  );
}
