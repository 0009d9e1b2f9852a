/**
 * The SYN (or DNS) retry timeline: one marker per attempt at its offset from the first attempt,
 * shaped and coloured by the outer checksum state, the expected backoff ladder as dashed
 * reference lines, the SYN-ACK/RST as a star. With two captures, a second lane shows which
 * attempts reached the other capture point.
 */
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Attempt, FindingOf, Report } from '../core/report';

type SynRetryFinding = FindingOf<'syn-retry'>;
type DnsFinding = FindingOf<'dns-unanswered'>;
import { strings } from './i18n';
import { Marker, Swatch } from './palette';
import { useApp } from './store';

interface Point {
  x: number;
  y: number;
  kind: 'attempt' | 'answer' | 'other';
  attempt?: Attempt;
  index: number;
  findingKind: string;
}

const hex = (v: number | null) => (v === null ? '–' : `0x${v.toString(16).padStart(4, '0')}`);

/** The chart's likely width before it can be measured (the main column is about 60 % wide). */
function estimateWidth(): number {
  return typeof window === 'undefined' ? 800 : Math.max(320, Math.min(1600, window.innerWidth) * 0.58);
}

export function Timeline({ report }: { report: Report }): JSX.Element {
  const { lang, finding, selectFinding, selectFrame } = useApp(
    useShallow((s) => ({ lang: s.lang, finding: s.finding, selectFinding: s.selectFinding, selectFrame: s.selectFrame })),
  );
  const S = strings(lang);
  const retries = report.findings
    .map((f, i) => ({ f, i }))
    .filter(
      (x): x is { f: SynRetryFinding | DnsFinding; i: number } => x.f.kind === 'syn-retry' || x.f.kind === 'dns-unanswered',
    );
  const cur = report.findings[finding];
  const f = cur && (cur.kind === 'syn-retry' || cur.kind === 'dns-unanswered') ? cur : retries[0]?.f;
  if (!f)
    return (
      <section className="panel timeline" aria-label={S.timeline}>
        <h2>{S.timeline}</h2>
        <p className="muted">{S.noTimeline}</p>
      </section>
    );
  // A second lane when the analysis compared the two captures (they share traffic).
  const twoLanes = report.captures.length === 2 && f.delivered !== undefined;
  const first = f.attemptList[0]!.ts;
  const pts: Point[] = f.attemptList.map((a, i) => ({
    x: a.offsetSec,
    y: 1,
    kind: 'attempt',
    attempt: a,
    index: i,
    findingKind: f.kind,
  }));
  const other: Point[] = twoLanes
    ? f.attemptList.map((a, i) => ({ x: a.offsetSec, y: 0, kind: 'other', attempt: a, index: i, findingKind: f.kind }))
    : [];
  const answer: Point[] =
    // Drawn just above the lane so it never hides the attempt it answers.
    f.kind === 'syn-retry' && f.answerTs !== null
      ? [{ x: f.answerTs - first, y: 1.32, kind: 'answer', index: -1, findingKind: f.kind }]
      : [];
  const expected = f.expectedOffsets.filter((x) => x > 0);
  const maxX = Math.max(
    ...pts.map((p) => p.x),
    ...answer.map((p) => p.x),
    ...(expected.length ? [Math.min(expected[expected.length - 1]!, Math.max(...pts.map((p) => p.x)) * 1.15 + 1)] : [1]),
  );
  const names = report.captures.map((c) => c.file);

  const shape = (props: unknown): JSX.Element => {
    const p = props as { cx: number; cy: number; payload: Point };
    const a = p.payload.attempt;
    if (p.payload.kind === 'answer') {
      const r = 9;
      const star = Array.from({ length: 10 }, (_, k) => {
        const ang = (Math.PI / 5) * k - Math.PI / 2;
        const rr = k % 2 ? r / 2.3 : r;
        return `${p.cx + rr * Math.cos(ang)},${p.cy + rr * Math.sin(ang)}`;
      }).join(' ');
      return (
        <g data-testid="answer-marker" data-offset-sec={p.payload.x.toFixed(6)}>
          <polygon points={star} fill="var(--c-answer)" stroke="var(--bg)" strokeWidth={1} />
        </g>
      );
    }
    if (p.payload.kind === 'other') {
      return (
        <g data-testid="other-lane-marker" data-delivered={a?.delivered ? 'true' : 'false'}>
          {a?.delivered ? (
            <Marker state="good" cx={p.cx} cy={p.cy} r={6} />
          ) : (
            <circle cx={p.cx} cy={p.cy} r={6} fill="none" stroke="var(--c-bad)" strokeDasharray="2 2" strokeWidth={2} />
          )}
        </g>
      );
    }
    return (
      <g
        data-testid="syn-attempt"
        data-kind={p.payload.findingKind === 'syn-retry' ? 'syn' : 'dns'}
        data-offset-sec={a!.offsetSec.toFixed(6)}
        data-outer-checksum={a!.outerChecksum}
        data-frame={a!.frame}
        style={{ cursor: 'pointer' }}
        tabIndex={0}
        role="button"
        aria-label={`${S.attempt} ${p.payload.index + 1}: +${a!.offsetSec.toFixed(3)} s, ${S.outer} ${S.states[a!.outerChecksum]}, ${S.frame} ${a!.frame}`}
        onClick={() => void selectFrame(f.capture, a!.frame)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            void selectFrame(f.capture, a!.frame);
          }
        }}
      >
        <Marker state={a!.outerChecksum} cx={p.cx} cy={p.cy} />
      </g>
    );
  };

  const tooltip = ({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) => {
    const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
    if (!p) return null;
    if (p.kind === 'answer' && f.kind === 'syn-retry') {
      return (
        <div className="tip">
          <b>{f.outcome === 'reset' ? S.reset : S.answer}</b> · {S.frame} {f.answerFrame} · +{p.x.toFixed(3)} s
        </div>
      );
    }
    const a = p.attempt!;
    return (
      <div className="tip">
        <b>
          {S.attempt} {p.index + 1}
        </b>{' '}
        · {S.frame} {a.frame} · +{a.offsetSec.toFixed(3)} s
        <br />
        {S.time}: {new Date(a.ts * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC')}
        <br />
        {S.outer}: {S.states[a.outerChecksum]}
        {a.outerChecksum !== 'none' && (
          <>
            {' '}
            ({S.stored} {hex(a.outerStored)}
            {a.outerChecksum === 'bad' ? `, ${S.computed} ${hex(a.outerComputed)}` : ''})
          </>
        )}
        <br />
        {S.inner}: {S.states[a.innerChecksum] ?? a.innerChecksum}
        {p.kind === 'other' || twoLanes ? (
          <>
            <br />
            {a.delivered ? `${S.delivered} (${S.frame} ${a.otherFrame})` : S.lost}
          </>
        ) : null}
      </div>
    );
  };

  return (
    <section className="panel timeline" aria-label={S.timeline}>
      <div className="panel-head">
        <h2>{S.timeline}</h2>
        {retries.length > 1 && (
          <select
            aria-label={S.findings}
            value={report.findings.indexOf(f)}
            onChange={(e) => selectFinding(Number(e.target.value))}
          >
            {retries.map(({ f: x, i }) => (
              <option key={i} value={i}>
                {x.title}
              </option>
            ))}
          </select>
        )}
      </div>
      <p className="finding-title">{f.title}</p>
      <div className="chart" style={{ height: twoLanes ? 220 : 170 }} data-testid="timeline-chart">
        {/* Drawn at an estimated size in the first commit (markers exist at once), then resized. */}
        <ResponsiveContainer
          width="100%"
          height="100%"
          initialDimension={{ width: estimateWidth(), height: twoLanes ? 220 : 170 }}
        >
          <ScatterChart margin={{ top: 18, right: 24, bottom: 28, left: twoLanes ? 90 : 12 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              type="number"
              dataKey="x"
              domain={[0, Math.ceil(maxX * 1.05 + 0.5)]}
              stroke="var(--muted)"
              tick={{ fill: 'var(--muted)', fontSize: 12 }}
              label={{ value: S.offset, position: 'insideBottom', offset: -16, fill: 'var(--muted)', fontSize: 12 }}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={twoLanes ? [-0.6, 1.6] : [0.4, 1.6]}
              ticks={twoLanes ? [0, 1] : [1]}
              tickFormatter={(v: number) => (twoLanes ? (v === 1 ? 'A' : 'B') : '')}
              width={twoLanes ? 20 : 1}
              stroke="var(--muted)"
              tick={{ fill: 'var(--muted)', fontSize: 12 }}
            />
            {expected.map((x) => (
              <ReferenceLine
                key={x}
                x={x}
                stroke="var(--muted)"
                strokeDasharray="4 4"
                label={{ value: `${x}s`, position: 'top', fill: 'var(--muted)', fontSize: 11 }}
              />
            ))}
            <Tooltip content={tooltip} cursor={false} isAnimationActive={false} />
            <Scatter data={pts} shape={shape} isAnimationActive={false} />
            {answer.length > 0 && <Scatter data={answer} shape={shape} isAnimationActive={false} />}
            {other.length > 0 && <Scatter data={other} shape={shape} isAnimationActive={false} />}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      {twoLanes && (
        <p className="lanes muted">
          A = {S.lane(0, names[f.capture] ?? '')} · B = {S.lane(1, names[1 - f.capture] ?? '')}
        </p>
      )}
      <div className="legend" aria-hidden="true">
        {['bad', 'zero', 'good', 'partial', 'none'].map((s) => (
          <span key={s}>
            <Swatch state={s} /> {S.states[s]}
          </span>
        ))}
        {answer.length > 0 && (
          <span>
            <svg width="16" height="16" className="swatch">
              <polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" fill="var(--c-answer)" />
            </svg>{' '}
            {f.kind === 'syn-retry' && f.outcome === 'reset' ? S.reset : S.answer}
          </span>
        )}
      </div>
      <table className="attempts">
        <caption className="sr-only">{S.timeline}</caption>
        <thead>
          <tr>
            <th>#</th>
            <th>{S.frame}</th>
            <th>+s</th>
            <th>{S.outer}</th>
            <th>{S.inner}</th>
            {twoLanes && <th>{S.delivered}</th>}
          </tr>
        </thead>
        <tbody>
          {f.attemptList.map((a, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                <button className="link" onClick={() => void selectFrame(f.capture, a.frame)}>
                  {a.frame}
                </button>
              </td>
              <td className="num">{a.offsetSec.toFixed(3)}</td>
              <td>
                <Swatch state={a.outerChecksum} /> {S.states[a.outerChecksum]}
                {a.outerChecksum === 'bad' && (
                  <span className="muted">
                    {' '}
                    {hex(a.outerStored)} → {hex(a.outerComputed)}
                  </span>
                )}
              </td>
              <td>{S.states[a.innerChecksum] ?? a.innerChecksum}</td>
              {twoLanes && <td>{a.delivered ? `✓ ${S.frame} ${a.otherFrame}` : `✗ ${S.lost}`}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
