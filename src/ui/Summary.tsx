/** Findings list, per-layer checksum table (outer vs inner) and capture facts. */
import type { JSX } from 'react';
import type { CheckLayer, Report, StatusCounts } from '../core/report';
import { useShallow } from 'zustand/react/shallow';
import { strings } from './i18n';
import { errorText } from '../core/errors';
import { Swatch } from './palette';
import { useApp } from './store';

/** Findings listed on screen (the JSON report keeps all of them). */
const MAX_LISTED = 200;
const STATUSES: (keyof StatusCounts)[] = ['good', 'bad', 'zero', 'partial', 'unverified'];
const LAYERS: CheckLayer[] = ['ipv4', 'udp', 'tcp', 'icmp', 'icmpv6'];

export function Findings({ report }: { report: Report }): JSX.Element {
  const { lang, selectFinding, selectFrame, finding } = useApp(
    useShallow((s) => ({ lang: s.lang, selectFinding: s.selectFinding, selectFrame: s.selectFrame, finding: s.finding })),
  );
  const S = strings(lang);
  return (
    <section className="panel findings" aria-label={S.findings}>
      <h2>
        {S.findings} <span className="count">{report.findings.length}</span>
      </h2>
      <ul>
        {report.findings.slice(0, MAX_LISTED).map((f, i) => (
          <li key={i} className={`sev-${f.severity}${i === finding ? ' current' : ''}`} data-testid="finding" data-kind={f.kind}>
            <span className={`sev-dot sev-${f.severity}`} aria-label={f.severity} />
            <span className="kind">
              {S.kinds[f.kind] ?? f.kind}
              {report.captures.length > 1 && ` · ${report.captures[f.capture]?.file}`}
            </span>
            {f.kind === 'syn-retry' || f.kind === 'dns-unanswered' ? (
              <button className="link" onClick={() => selectFinding(i)}>
                {f.title}
              </button>
            ) : (
              <span>{f.title}</span>
            )}
            <span className="frames">
              {f.frames.slice(0, 8).map((n) => (
                <button key={n} className="chip small" onClick={() => void selectFrame(f.capture, n)}>
                  {n}
                </button>
              ))}
              {f.frames.length > 8 && <span className="muted">+{f.frames.length - 8}</span>}
            </span>
          </li>
        ))}
      </ul>
      {report.findings.length > MAX_LISTED && <p className="muted">+{report.findings.length - MAX_LISTED}</p>}
    </section>
  );
}

export function ChecksumTable({ report }: { report: Report }): JSX.Element {
  const { lang } = useApp(useShallow((s) => ({ lang: s.lang })));
  const S = strings(lang);
  const rows: { layer: CheckLayer; where: 'outer' | 'inner'; c: StatusCounts }[] = [];
  for (const layer of LAYERS) {
    const all = report.checksums[layer];
    const inner = report.checksumsInner?.[layer] ?? { good: 0, bad: 0, zero: 0, partial: 0, unverified: 0 };
    const outer = Object.fromEntries(STATUSES.map((s) => [s, all[s] - inner[s]])) as unknown as StatusCounts;
    for (const [where, c] of [
      ['outer', outer],
      ['inner', inner],
    ] as const) {
      if (STATUSES.some((s) => c[s] > 0)) rows.push({ layer, where, c });
    }
  }
  return (
    <section className="panel checksums" aria-label={S.checksums}>
      <h2>{S.checksums}</h2>
      <div className="table-scroll">
        <table data-testid="checksum-table">
          <thead>
            <tr>
              <th>{S.layer}</th>
              {STATUSES.map((s) => (
                <th key={s} className="num" title={S.states[s]}>
                  <Swatch state={s} /> {S.statesShort[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.layer}-${r.where}`}>
                <th scope="row">
                  {r.layer.toUpperCase()} <span className="muted">{r.where === 'outer' ? S.outerHdr : S.innerHdr}</span>
                </th>
                {STATUSES.map((s) => (
                  <td key={s} className={`num${r.c[s] && s === 'bad' ? ' hot' : ''}`}>
                    {r.c[s] || ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{S.captures}</h3>
      <ul className="captures">
        {report.captures.map((c, i) => (
          <li key={i}>
            <b>{c.file}</b> · {c.format}
            {c.compressed ? ' (gzip)' : ''} · {c.packets} {S.packets} · link {c.linkTypes.join(', ') || '–'}
            {c.side && c.packets > 0 && (
              <span className="muted" data-testid="capture-point" data-side={c.side} data-tunnel={c.tunnel ?? 'none'}>
                {' '}
                · {S.side[c.side]}, {S.tunnelPos[c.tunnel ?? 'none']}
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
    </section>
  );
}
