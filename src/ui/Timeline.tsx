/**
 * The SYN (or DNS) retry timeline: one marker per attempt at its offset from the first attempt,
 * shaped and coloured by the outer checksum state, the expected backoff ladder as dashed
 * reference lines, the SYN-ACK/RST as a star. With two captures, a second lane shows which
 * attempts reached the other capture point.
 */
import { formatTimestamp } from '../core/decode/text';
import { Fragment, useCallback, useEffect, useRef, type JSX, type ReactNode, type RefObject } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Attempt, FindingOf, Report } from '../core/report';

type SynRetryFinding = FindingOf<'syn-retry'>;
type DnsFinding = FindingOf<'dns-unanswered'>;
import { strings } from './i18n';
import { Marker, STATE_COLOR, Swatch } from './palette';
import { shownFinding, timelineFindings, timelineOf, type FindingTimeline } from '../core/analysis/timeline';
import { useApp } from './store';
import { drawnEntries, fullLength } from '../core/session/view';
import { BottomAxis, useBoxWidth, VLine } from './chart';
import { linearScale, sqrtScale, type Scale } from './scale';

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

/**
 * The time axis is a square-root scale (scale.ts): a backoff ladder (0, 1, 3, 7 ... 63 s) or a
 * run of retransmissions doubling from 0.2 s gets room for its first steps, which a linear axis
 * piles onto each other and onto the axis. Its top and labelled ticks for the latest event `maxX`.
 */
export function timeAxis(maxX: number): { top: number; ticks: number[] } {
  const top = Math.ceil(maxX * 1.05 + 0.5);
  const ticks = [0, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 240, 600, 1200, 3600].filter((t) => t <= top);
  // Keep about six labels: the small steps matter only when the whole chart is short.
  return { top, ticks: ticks.length > 7 ? ticks.filter((t) => t === 0 || t >= top / 60) : ticks };
}

/** Where a timeline chart draws: its two scales and the plot's edges, in SVG pixels. */
interface Plot {
  x: Scale;
  y: Scale;
  /** The time axis' last second: marks past it are not drawn. */
  xMax: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** A marker in the right half of the chart gets its tooltip on its left. */
function onRight(box: HTMLDivElement | null, x: number): boolean {
  return !!box && x > box.clientWidth / 2;
}

/**
 * The tooltip of the marker that has keyboard focus (or, for story points, the mouse). It lives
 * in its own little store, not in the chart's state: Recharts remounts custom shapes when the
 * chart re-renders, which would take focus away from the very marker being described.
 */
const useTip = create<{ tip: { x: number; y: number; left: boolean; content: ReactNode } | null }>(() => ({ tip: null }));

function showTip(box: HTMLDivElement | null, x: number, y: number, content: ReactNode): void {
  useTip.setState({ tip: { x, y, left: onRight(box, x), content } });
}

function hideTip(): void {
  useTip.setState({ tip: null });
}

/** Draws the current tooltip beside its marker, on the side with room. */
function FocusTip(): JSX.Element | null {
  const tip = useTip((s) => s.tip);
  useEffect(() => hideTip, []);
  if (!tip) return null;
  return (
    <div
      className={`focus-tip${tip.left ? ' left' : ''}`}
      style={{ left: tip.x, top: tip.y }}
      data-testid="focus-tip"
      aria-hidden="true"
    >
      {tip.content}
    </div>
  );
}

/** Lane names: two capture points, or (DNS) two queries. */
const LANE_TAGS = ['A', 'B'] as const;
const QUERY_TAGS = ['1', '2'] as const;

/**
 * The frame both timeline charts share: the box (its tooltip layer), a chart drawn at an
 * estimated width in the first commit (so the markers exist at once) and then at the box's
 * width, the lane grid, the square-root time axis and the lane axis. `children` draws the chart's
 * own marks and lines on the plot it is given.
 */
function ChartFrame({
  twoLanes,
  maxX,
  xLabel,
  boxRef,
  tags = LANE_TAGS,
  children,
}: {
  twoLanes: boolean;
  maxX: number;
  xLabel: string;
  boxRef: RefObject<HTMLDivElement | null>;
  /** The two lanes' short names (top, bottom). */
  tags?: readonly [string, string];
  children: (plot: Plot) => ReactNode;
}): JSX.Element {
  const height = twoLanes ? 220 : 170;
  const [width, observe] = useBoxWidth(estimateWidth());
  // The caller's ref (tooltips are placed in the box) and the width observer, on one element.
  const ref = useCallback(
    (el: HTMLDivElement | null) => {
      boxRef.current = el;
      return observe(el);
    },
    [boxRef, observe],
  );
  // Room on the left for the lane names (A, B); under the plot for tick labels and the title.
  const left = twoLanes ? 30 : 12;
  const right = Math.max(left + 60, width - 24);
  const top = 18;
  const bottom = height - 50;
  const axis = timeAxis(maxX);
  // 14 px of padding keeps the 0 s marker clear of the lane axis.
  const x = sqrtScale(axis.top, left + 14, right - 6);
  const y = linearScale(twoLanes ? -0.6 : 0.4, 1.6, bottom, top);
  const lanes = twoLanes ? [1, 0] : [1];
  return (
    <div className="chart" style={{ height }} data-testid="timeline-chart" ref={ref}>
      <FocusTip />
      <svg width={width} height={height} className="chart-svg">
        {lanes.map((v) => (
          <line key={v} x1={left} x2={right} y1={y(v)} y2={y(v)} stroke="var(--grid)" />
        ))}
        <g className="axis y-axis" fill="var(--muted)" fontSize={12}>
          <line x1={left} x2={left} y1={top} y2={bottom} stroke="var(--muted)" />
          {twoLanes &&
            lanes.map((v) => (
              <text key={v} x={left - 8} y={y(v) + 4} textAnchor="end">
                {v === 1 ? tags[0] : tags[1]}
              </text>
            ))}
        </g>
        <BottomAxis x={x} ticks={axis.ticks} y={bottom} left={left} right={right} format={(t) => `${t}`} title={xLabel} />
        {children({ x, y, xMax: axis.top, top, bottom, left, right })}
      </svg>
    </div>
  );
}

/**
 * A finding in the timeline's picker. With two captures the same connection has a finding in
 * each, with the same title: name the kind and the capture instead (the title is shown below).
 */
function optionLabel(report: Report, i: number, S: ReturnType<typeof strings>): string {
  const f = report.findings[i]!;
  return report.captures.length > 1 ? `${S.kinds[f.kind] ?? f.kind} · ${report.captures[f.capture]?.file ?? ''}` : f.title;
}

/** Legend entries for checksum states: the marker's swatch and its name. */
function StateKeys({ states, S }: { states: readonly string[]; S: ReturnType<typeof strings> }): JSX.Element {
  return (
    <>
      {states.map((st) => (
        <span key={st}>
          <Swatch state={st} /> {S.states[st]}
        </span>
      ))}
    </>
  );
}

/** The answer's star, as a legend swatch. */
function StarSwatch(): JSX.Element {
  return (
    <svg width="16" height="16" className="swatch">
      <polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" fill="var(--c-answer)" />
    </svg>
  );
}

/** What a story's marks mean: the shapes its points are drawn with, those present only. */
function StoryLegend({ points, S }: { points: StoryPoint[]; S: ReturnType<typeof strings> }): JSX.Element | null {
  const states = [...new Set(points.filter((p) => p.kind === 'attempt' && STATE_COLOR[p.label]).map((p) => p.label))];
  const plain = points.some((p) => p.kind === 'attempt' && !STATE_COLOR[p.label]);
  const retrans = points.some((p) => p.kind === 'retransmission');
  const answer = points.some((p) => p.kind === 'answer');
  if (!states.length && !plain && !retrans && !answer) return null;
  return (
    <div className="legend" aria-hidden="true" data-testid="story-legend">
      <StateKeys states={states} S={S} />
      {plain && (
        <span>
          <svg width="16" height="16" className="swatch">
            <circle cx={8} cy={8} r={5} fill="var(--fg)" />
          </svg>{' '}
          {S.events.attempt}
        </span>
      )}
      {retrans && (
        <span>
          <svg width="16" height="16" className="swatch">
            <rect x={3} y={3} width={10} height={10} fill="var(--c-bad)" />
          </svg>{' '}
          {S.events.retransmission}
        </span>
      )}
      {answer && (
        <span>
          <StarSwatch /> {S.events.answer}
        </span>
      )}
    </div>
  );
}

/**
 * The timeline panel. `table` false leaves out the table under the chart: the result view mounts
 * it one frame after the chart (a flood's 64 rows were most of that first frame's layout).
 */
export function Timeline({ report, table = true }: { report: Report; table?: boolean }): JSX.Element {
  const { lang, finding, selectFinding, selectFrame, loadFinding } = useApp(
    useShallow((s) => ({
      lang: s.lang,
      finding: s.finding,
      selectFinding: s.selectFinding,
      selectFrame: s.selectFrame,
      loadFinding: s.loadFinding,
    })),
  );
  const S = strings(lang);
  const chartBox = useRef<HTMLDivElement>(null);
  const withTimeline = timelineFindings(report);
  const shown = shownFinding(report, finding);
  const cur = report.findings[shown];
  const picker =
    withTimeline.length > 1 ? (
      <select aria-label={S.findings} value={shown} onChange={(e) => selectFinding(Number(e.target.value))}>
        {withTimeline.map((i) => (
          <option key={i} value={i}>
            {optionLabel(report, i, S)}
          </option>
        ))}
      </select>
    ) : null;
  const deferred = !!cur?.deferred;
  // A flood's other findings come without their attempts: fetch them when one is shown (picked
  // on the timeline or in the findings list).
  useEffect(() => {
    if (deferred) void loadFinding(shown);
  }, [deferred, shown, loadFinding]);
  if (!cur || deferred)
    return (
      <section className="panel timeline" aria-label={S.timeline} aria-busy={deferred || undefined}>
        <h2>{S.timeline}</h2>
        {deferred && picker}
        <p className="muted" data-testid={deferred ? 'timeline-loading' : undefined}>
          {deferred ? S.loadingAttempts : S.noTimeline}
        </p>
      </section>
    );
  if (cur.kind !== 'syn-retry' && cur.kind !== 'dns-unanswered') {
    const t = timelineOf(report, shown);
    return t ? <StoryChart report={report} t={t} picker={picker} table={table} /> : <></>;
  }
  const f: SynRetryFinding | DnsFinding = cur;
  // Every SYN-ACK (the server retrying its answer when they are lost on the way back), at both
  // points, and the give-up of a failed ladder, from the rule's own timeline.
  const story = f.kind === 'syn-retry' ? timelineOf(report, shown) : null;
  const gaveUp = story?.points.find((p) => p.kind === 'end')?.offsetSec ?? null;
  // A second lane when the analysis compared the two captures (they share traffic).
  const twoLanes = report.captures.length === 2 && f.delivered !== undefined;
  const first = f.attemptList[0]!.ts;
  // A flood's thousand attempts would be a thousand markers and table rows (and seconds of
  // main-thread render): draw the first MAX_DRAWN_ATTEMPTS - 1 and the last.
  // The page's report holds only these (session/view.ts); `total` is how many there were.
  const total = fullLength(f, 'attemptList');
  const drawn = drawnEntries(f.attemptList, total);
  const pts: Point[] = drawn.map(({ index, item: a }) => ({
    x: a.offsetSec,
    y: 1,
    kind: 'attempt',
    attempt: a,
    index,
    findingKind: f.kind,
  }));
  const other: Point[] = twoLanes
    ? drawn.map(({ index, item: a }) => ({ x: a.offsetSec, y: 0, kind: 'other', attempt: a, index, findingKind: f.kind }))
    : [];
  const answer: Point[] = story
    ? // Drawn just above (or below, for the other capture) the lane so it never hides an attempt.
      story.points
        .filter((p) => p.kind === 'answer' && (p.lane === 0 || twoLanes))
        .map((p) => ({ x: p.offsetSec, y: p.lane === 0 ? 1.32 : -0.32, kind: 'answer', index: p.frame, findingKind: f.kind }))
    : f.kind === 'syn-retry' && f.answerTs !== null
      ? [{ x: f.answerTs - first, y: 1.32, kind: 'answer', index: f.answerFrame ?? -1, findingKind: f.kind }]
      : [];
  const expected = f.expectedOffsets.filter((x) => x > 0);
  const maxX = Math.max(
    ...pts.map((p) => p.x),
    ...answer.map((p) => p.x),
    ...(expected.length ? [Math.min(expected[expected.length - 1]!, Math.max(...pts.map((p) => p.x)) * 1.15 + 1)] : [1]),
    ...(gaveUp !== null ? [gaveUp] : []),
  );
  const names = report.captures.map((c) => c.file);

  const shape = (p: { cx: number; cy: number; payload: Point }): JSX.Element => {
    const a = p.payload.attempt;
    const tip = () => showTip(chartBox.current, p.cx, p.cy, tooltip(p.payload));
    if (p.payload.kind === 'answer') {
      const r = 9;
      const star = Array.from({ length: 10 }, (_, k) => {
        const ang = (Math.PI / 5) * k - Math.PI / 2;
        const rr = k % 2 ? r / 2.3 : r;
        return `${p.cx + rr * Math.cos(ang)},${p.cy + rr * Math.sin(ang)}`;
      }).join(' ');
      return (
        <g
          data-testid="answer-marker"
          data-offset-sec={p.payload.x.toFixed(6)}
          data-lane={p.payload.y > 0.5 ? 0 : 1}
          onMouseEnter={tip}
          onMouseLeave={hideTip}
        >
          <polygon points={star} fill="var(--c-answer)" stroke="var(--bg)" strokeWidth={1} />
        </g>
      );
    }
    if (p.payload.kind === 'other') {
      return (
        <g
          data-testid="other-lane-marker"
          data-delivered={a?.delivered ? 'true' : 'false'}
          onMouseEnter={tip}
          onMouseLeave={hideTip}
        >
          {a?.delivered ? (
            // Not a checksum-state shape (the legend's diamond means "good checksum"): a ring with a dot.
            <g>
              <circle cx={p.cx} cy={p.cy} r={6} fill="none" stroke="var(--fg)" strokeWidth={2} />
              <circle cx={p.cx} cy={p.cy} r={2} fill="var(--fg)" />
            </g>
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
        onClick={() => void selectFrame(f.capture, a!.frame, { kind: f.kind })}
        onFocus={tip}
        onBlur={hideTip}
        onMouseEnter={tip}
        onMouseLeave={hideTip}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            void selectFrame(f.capture, a!.frame, { kind: f.kind });
          }
        }}
      >
        <Marker state={a!.outerChecksum} cx={p.cx} cy={p.cy} />
      </g>
    );
  };

  const tooltip = (p: Point) => {
    if (p.kind === 'answer' && f.kind === 'syn-retry') {
      return (
        <div className="tip">
          <b>{f.outcome === 'reset' ? S.reset : S.answer}</b> · {S.frame} {p.index} · +{p.x.toFixed(3)} s
          {twoLanes ? ` · ${p.y > 0.5 ? 'A' : 'B'}` : ''}
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
        {S.time}
        {S.colon}
        {formatTimestamp(a.ts, lang)}
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
        {picker}
      </div>
      <p className="finding-title">{f.title}</p>
      <ChartFrame twoLanes={twoLanes} maxX={maxX} xLabel={S.offset} boxRef={chartBox}>
        {(plot) => (
          <>
            {gaveUp !== null && (
              <VLine
                x={plot.x(gaveUp)}
                top={plot.top}
                bottom={plot.bottom}
                color="var(--c-bad)"
                width={2}
                label={`ETIMEDOUT ${Math.round(gaveUp)}s`}
                labelAt="inside"
              />
            )}
            {expected
              .filter((x) => x <= plot.xMax)
              .map((x) => (
                <VLine
                  key={x}
                  x={plot.x(x)}
                  top={plot.top}
                  bottom={plot.bottom}
                  color="var(--muted)"
                  dashed
                  label={`${x}s`}
                  labelAt="top"
                />
              ))}
            {[...pts, ...answer, ...other].map((p, i) => (
              <Fragment key={i}>{shape({ cx: plot.x(p.x), cy: plot.y(p.y), payload: p })}</Fragment>
            ))}
          </>
        )}
      </ChartFrame>
      {twoLanes && (
        <p className="lanes muted">
          A = {S.lane(0, names[f.capture] ?? '')} · B = {S.lane(1, names[1 - f.capture] ?? '')}
        </p>
      )}
      {gaveUp !== null && (
        <p className="gave-up" data-testid="give-up" data-offset-sec={gaveUp.toFixed(6)}>
          {S.gaveUp(gaveUp)}
        </p>
      )}
      <div className="legend" aria-hidden="true">
        <StateKeys states={['bad', 'zero', 'good', 'partial', 'none']} S={S} />
        {twoLanes && (
          <>
            <span>
              <svg width="16" height="16" className="swatch">
                <circle cx={8} cy={8} r={5} fill="none" stroke="var(--fg)" strokeWidth={2} />
                <circle cx={8} cy={8} r={1.6} fill="var(--fg)" />
              </svg>{' '}
              {S.delivered}
            </span>
            <span>
              <svg width="16" height="16" className="swatch">
                <circle cx={8} cy={8} r={5} fill="none" stroke="var(--c-bad)" strokeDasharray="2 2" strokeWidth={2} />
              </svg>{' '}
              {S.lost}
            </span>
          </>
        )}
        {answer.length > 0 && (
          <span>
            <StarSwatch /> {f.kind === 'syn-retry' && f.outcome === 'reset' ? S.reset : S.answer}
          </span>
        )}
      </div>
      {table && (
        <table className="attempts">
          <caption className="sr-only">{S.timeline}</caption>
          <thead>
            <tr>
              <th>#</th>
              <th>{S.frame}</th>
              <th>{S.offsetCol}</th>
              <th>{S.outer}</th>
              <th>{S.inner}</th>
              {twoLanes && <th>{S.delivered}</th>}
            </tr>
          </thead>
          <tbody>
            {drawn.map(({ index: i, item: a }, k) => {
              return (
                <Fragment key={i}>
                  {k === drawn.length - 1 && i > k && (
                    <tr className="more">
                      <td colSpan={twoLanes ? 6 : 5} className="muted" data-testid="more-attempts">
                        {S.moreAttempts(total - drawn.length, total)}
                      </td>
                    </tr>
                  )}
                  <tr>
                    <td>{i + 1}</td>
                    <td>
                      <button className="link" onClick={() => void selectFrame(f.capture, a.frame, { kind: f.kind })}>
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
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One point of a cause's story, placed on its lane. */
interface StoryPoint {
  x: number;
  y: number;
  kind: string;
  frame: number;
  label: string;
  lane: 0 | 1;
}

/**
 * Any finding's story from its rule's timeline: attempts as circles (or checksum-state shapes),
 * answers as stars, retransmissions as squares labelled with their size, the end (give-up, the
 * receiver closing) as a line. Lane 1 is the other capture, or DNS's parallel query.
 */
function StoryChart({
  report,
  t,
  picker,
  table,
}: {
  report: Report;
  t: FindingTimeline;
  picker: JSX.Element | null;
  table: boolean;
}): JSX.Element {
  const { lang, selectFrame } = useApp(useShallow((s) => ({ lang: s.lang, selectFrame: s.selectFrame })));
  const S = strings(lang);
  const twoLanes = t.points.some((p) => p.lane === 1);
  const pts: StoryPoint[] = t.points
    .filter((p) => p.kind !== 'end')
    .map((p) => ({
      x: Math.max(0, p.offsetSec),
      y: p.lane === 0 ? 1 : 0,
      kind: p.kind,
      frame: p.frame,
      label: p.label,
      lane: p.lane,
    }));
  const ends = t.points.filter((p) => p.kind === 'end');
  const maxX = Math.max(1, ...t.points.map((p) => p.offsetSec));
  const capOf = (lane: number) => (lane === 1 && t.kind !== 'dns-retried' ? 1 - t.capture : t.capture);
  const laneName = (i: number) => S.storyLane(t.kind, i, report.captures[capOf(i)]?.file ?? '');
  // Two queries (A and AAAA) are lanes 1 and 2: "A" and "B" would read as record types.
  const dns = t.kind === 'dns-retried';
  const tags = dns ? QUERY_TAGS : LANE_TAGS;
  // Points have no Recharts tooltip: their own, on focus and on hover, says what the label says.
  const chartBox = useRef<HTMLDivElement>(null);
  const shape = ({ cx, cy, payload: p }: { cx: number; cy: number; payload: StoryPoint }): JSX.Element => {
    const open = () => void selectFrame(capOf(p.lane), p.frame, { kind: t.kind });
    const label = `${S.events[p.kind]} ${p.label}: +${p.x.toFixed(3)} s, ${S.frame} ${p.frame}`;
    const show = () => showTip(chartBox.current, cx, cy, <div className="tip">{label}</div>);
    let mark: JSX.Element;
    if (p.kind === 'answer') {
      const star = Array.from({ length: 10 }, (_, k) => {
        const ang = (Math.PI / 5) * k - Math.PI / 2;
        const rr = k % 2 ? 9 / 2.3 : 9;
        return `${cx + rr * Math.cos(ang)},${cy + rr * Math.sin(ang)}`;
      }).join(' ');
      mark = <polygon points={star} fill="var(--c-answer)" stroke="var(--bg)" strokeWidth={1} />;
    } else if (p.kind === 'retransmission') mark = <rect x={cx - 6} y={cy - 6} width={12} height={12} fill="var(--c-bad)" />;
    else if (STATE_COLOR[p.label]) mark = <Marker state={p.label} cx={cx} cy={cy} />;
    else mark = <circle cx={cx} cy={cy} r={7} fill="var(--fg)" />;
    return (
      <g
        data-testid="story-point"
        data-kind={p.kind}
        data-lane={p.lane}
        data-offset-sec={p.x.toFixed(6)}
        data-label={p.label}
        tabIndex={0}
        role="button"
        style={{ cursor: 'pointer' }}
        aria-label={label}
        onClick={open}
        onFocus={show}
        onMouseEnter={show}
        onBlur={hideTip}
        onMouseLeave={hideTip}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            open();
          }
        }}
      >
        {mark}
      </g>
    );
  };
  const rows = [...t.points].sort((a, b) => a.offsetSec - b.offsetSec || a.lane - b.lane);
  return (
    <section className="panel timeline" aria-label={S.timeline} data-testid="story" data-kind={t.kind}>
      <div className="panel-head">
        <h2>{S.timeline}</h2>
        {picker}
      </div>
      <p className="finding-title">{t.title}</p>
      <ChartFrame twoLanes={twoLanes} maxX={maxX} xLabel={S.storyOffset} boxRef={chartBox} tags={tags}>
        {(plot) => (
          <>
            {ends.map((p, i) => (
              <VLine
                key={i}
                x={plot.x(p.offsetSec)}
                top={plot.top}
                bottom={plot.bottom}
                color="var(--c-bad)"
                width={2}
                label={`${p.label || S.events.end} ${p.offsetSec.toFixed(1)}s`}
                labelAt="inside"
              />
            ))}
            {pts.map((p, i) => (
              <Fragment key={i}>{shape({ cx: plot.x(p.x), cy: plot.y(p.y), payload: p })}</Fragment>
            ))}
          </>
        )}
      </ChartFrame>
      {twoLanes && (
        <p className="lanes muted">
          {tags[0]} = {laneName(0)} · {tags[1]} = {laneName(1)}
        </p>
      )}
      <StoryLegend points={pts} S={S} />
      {table && (
        <table className="attempts">
          <caption className="sr-only">{S.timeline}</caption>
          <thead>
            <tr>
              <th>{S.offsetCol}</th>
              <th>{S.frame}</th>
              <th>{S.event}</th>
              {twoLanes && <th>{dns ? S.queryLane : S.captures}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((p, i) => (
              <tr key={i} data-testid="story-row" data-kind={p.kind}>
                <td className="num">{Math.max(0, p.offsetSec).toFixed(3)}</td>
                <td>
                  {p.frame > 0 ? (
                    <button className="link" onClick={() => void selectFrame(capOf(p.lane), p.frame, { kind: t.kind })}>
                      {p.frame}
                    </button>
                  ) : (
                    '–'
                  )}
                </td>
                <td>
                  {S.events[p.kind]} {S.states[p.label] ?? p.label}
                </td>
                {twoLanes && <td>{tags[p.lane === 0 ? 0 : 1]}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
