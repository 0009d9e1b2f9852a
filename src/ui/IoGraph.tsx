/**
 * IO graph (Wireshark's Statistics > I/O Graphs): packets, bad checksums and TCP retransmissions
 * per time bucket over the whole capture. The brush under the chart (two slider handles, by
 * pointer or keyboard) filters the packet list to that time range (frame.time_relative); the
 * brush shows the list's filter, so clearing the filter elsewhere clears the brush too.
 *
 *   ┌ y axis ┬──────────────── plot (hover or arrow keys: one bucket's counts) ────────┐
 *   │  44 px │ ▁▁█▁▁▁▁█▁▁▁▁▁▁▁▁▁█▁▁▁  area: packets · line: bad · dashes: retransmits │
 *   │        ├── x axis: about a label per 64 px ──────────────────────────────────────┤
 *   │        │ brush track   ▐███████ selected ███████▌                                │
 *   └────────┴────────────────────────────────────────────────────────────────────────┘
 */
import { useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { IoSeries } from '../../workers/api';
import { strings } from './i18n';
import { bridge, useApp } from './store';
import { drawnBuckets, type IoPoint } from './ioBuckets';
import { BottomAxis, useBoxWidth } from './chart';
import { integerTicks, labelEvery, linearScale, stepPath } from './scale';

const HEIGHT = 236;
const LEFT = 44;
const TOP = 8;
const BOTTOM = 168;
const TRACK_Y = 200;
const TRACK_H = 22;

/** Seconds as the filter language writes them: at most microseconds, no float noise. */
const sec = (v: number) => String(+v.toFixed(6));

/** The brush's filter for buckets `a..b` (inclusive) of width `w` seconds. */
export function rangeFilter(a: number, b: number, w: number): string {
  return `frame.time_relative >= ${sec(a * w)} && frame.time_relative < ${sec((b + 1) * w)}`;
}

/** The bucket range a filter of {@link rangeFilter}'s form selects, or null for any other filter. */
export function rangeOf(filter: string, w: number, n: number): [number, number] | null {
  const m = /^frame\.time_relative >= ([\d.]+) && frame\.time_relative < ([\d.]+)$/.exec(filter.trim());
  if (!m || n === 0) return null;
  const a = Math.max(0, Math.round(Number(m[1]) / w));
  const b = Math.min(n - 1, Math.round(Number(m[2]) / w) - 1);
  return a <= b ? [a, b] : null;
}

/** The new index of a slider after a key press, or null for a key it does not use. */
export function sliderKey(key: string, v: number, min: number, max: number): number | null {
  const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[key];
  if (step !== undefined) return Math.min(max, Math.max(min, v + step));
  if (key === 'Home') return min;
  if (key === 'End') return max;
  return null;
}

export function IoGraph(): JSX.Element | null {
  const { lang, capture, listVersion, filter, applyFilter } = useApp(
    useShallow((s) => ({
      lang: s.lang,
      capture: s.capture,
      listVersion: s.listVersion,
      filter: s.filter,
      applyFilter: s.applyFilter,
    })),
  );
  const S = strings(lang);
  const G = S.io;
  const [series, setSeries] = useState<IoSeries | null>(null);
  const [width, box] = useBoxWidth(600);
  // The range being dragged or stepped, until its filter is applied.
  const [pending, setPending] = useState<[number, number] | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const drag = useRef<{ mode: 'start' | 'end' | 'new'; anchor: number } | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.api.ioGraph(capture).then((s) => live && setSeries(s));
    return () => {
      live = false;
    };
  }, [capture, listVersion]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  // At most MAX_DRAWN points (ioBuckets.ts): wider buckets for long captures.
  const drawn = useMemo(() => (series ? drawnBuckets(series) : null), [series]);
  const right = Math.max(LEFT + 60, width - 16);
  const n = drawn?.data.length ?? 0;
  const x = useMemo(() => linearScale(0, Math.max(1, n), LEFT, right), [n, right]);
  const paths = useMemo(() => {
    if (!drawn) return null;
    const d = drawn.data;
    const ticks = integerTicks(Math.max(1, ...d.map((p) => p.packets), ...d.map((p) => p.bad), ...d.map((p) => p.retrans)));
    const y = linearScale(0, ticks[ticks.length - 1]!, BOTTOM, TOP);
    const col = (k: keyof IoPoint) => d.map((p) => p[k]);
    return {
      ticks,
      y,
      packets: stepPath(col('packets'), x, y, true),
      bad: stepPath(col('bad'), x, y, false),
      retrans: stepPath(col('retrans'), x, y, false),
    };
  }, [drawn, x]);
  if (!series || !drawn || !paths || n === 0) return null;
  const { width: w, data } = drawn;
  const totalBad = series.bad.reduce((a, b) => a + b, 0);
  const totalRe = series.retrans.reduce((a, b) => a + b, 0);
  const range = pending ?? rangeOf(filter, w, n) ?? [0, n - 1];
  const whole = range[0] === 0 && range[1] === n - 1;
  const every = labelEvery(n, right - LEFT, 64);
  const xTicks = data.map((_, i) => i).filter((i) => i % every === 0);

  /** Show `r` now; filter the list once it stops changing. */
  const select = (r: [number, number]) => {
    setPending(r);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const all = r[0] === 0 && r[1] === n - 1;
      void applyFilter(all ? '' : rangeFilter(r[0], r[1], w)).then(() => setPending((p) => (p === r ? null : p)));
    }, 300);
  };
  const bucketAt = (e: PointerEvent<SVGElement>) => {
    const svg = e.currentTarget.ownerSVGElement ?? (e.currentTarget as SVGSVGElement);
    const px = e.clientX - svg.getBoundingClientRect().left;
    return Math.min(n - 1, Math.max(0, Math.floor(x.invert(px))));
  };
  const onDown = (mode: 'start' | 'end' | 'new', e: PointerEvent<SVGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const i = bucketAt(e);
    drag.current = { mode, anchor: mode === 'new' ? i : 0 };
    if (mode === 'new') select([i, i]);
    e.preventDefault();
  };
  const onMove = (e: PointerEvent<SVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const i = bucketAt(e);
    if (d.mode === 'start') select([Math.min(i, range[1]), range[1]]);
    else if (d.mode === 'end') select([range[0], Math.max(i, range[0])]);
    else select([Math.min(d.anchor, i), Math.max(d.anchor, i)]);
  };
  const onUp = () => void (drag.current = null);
  const handleKey = (which: 0 | 1) => (e: KeyboardEvent<SVGElement>) => {
    const v = sliderKey(e.key, range[which], which === 0 ? 0 : range[0], which === 0 ? range[1] : n - 1);
    if (v === null) return;
    e.preventDefault();
    select(which === 0 ? [v, range[1]] : [range[0], v]);
  };
  const plotKey = (e: KeyboardEvent<SVGElement>) => {
    if (e.key === 'Escape') return setHover(null);
    const v = sliderKey(e.key, hover ?? -1, 0, n - 1);
    if (v === null) return;
    e.preventDefault();
    setHover(v);
  };
  const at = (i: number) => `+${sec(data[i]!.t)} s`;
  const handle = (which: 0 | 1) => {
    const px = x(range[which] + which);
    return (
      <rect
        className="brush-handle"
        data-testid={which === 0 ? 'brush-start' : 'brush-end'}
        x={px - 5}
        y={TRACK_Y - 3}
        width={10}
        height={TRACK_H + 6}
        rx={3}
        tabIndex={0}
        role="slider"
        aria-label={which === 0 ? G.rangeStart : G.rangeEnd}
        aria-valuemin={which === 0 ? 0 : range[0]}
        aria-valuemax={which === 0 ? range[1] : n - 1}
        aria-valuenow={range[which]}
        aria-valuetext={which === 0 ? at(range[0]) : `+${sec((range[1] + 1) * w)} s`}
        onKeyDown={handleKey(which)}
        onPointerDown={(e) => onDown(which === 0 ? 'start' : 'end', e)}
        onPointerMove={onMove}
        onPointerUp={onUp}
      />
    );
  };
  const tipLeft = hover !== null && x(hover + 0.5) > (LEFT + right) / 2;
  return (
    <section className="panel io-graph" aria-label={G.title} data-testid="io-graph" data-buckets={data.length} data-width={w}>
      <div className="panel-head">
        <h2>{G.title}</h2>
        <span className="muted">
          {G.per(w)}
          {!whole && (
            <span data-testid="brush-range">
              {' · '}
              {G.range(sec(range[0] * w), sec((range[1] + 1) * w))}
            </span>
          )}
        </span>
      </div>
      <div className="chart" style={{ height: HEIGHT }} ref={box}>
        {hover !== null && (
          <div
            className={`focus-tip${tipLeft ? ' left' : ''}`}
            style={{ left: x(hover + 0.5), top: TOP + 40 }}
            data-testid="io-tip"
          >
            <div className="tip">
              <b>{at(hover)}</b>
              <br />
              {G.packets}
              {S.colon}
              {data[hover]!.packets}
              {totalBad > 0 && (
                <>
                  <br />
                  {G.bad}
                  {S.colon}
                  {data[hover]!.bad}
                </>
              )}
              {totalRe > 0 && (
                <>
                  <br />
                  {G.retrans}
                  {S.colon}
                  {data[hover]!.retrans}
                </>
              )}
            </div>
          </div>
        )}
        <svg width={width} height={HEIGHT} className="chart-svg">
          {paths.ticks.map((t) => (
            <line key={t} x1={LEFT} x2={right} y1={paths.y(t)} y2={paths.y(t)} stroke="var(--grid)" />
          ))}
          <g className="axis y-axis" fill="var(--muted)" fontSize={11}>
            <line x1={LEFT} x2={LEFT} y1={TOP} y2={BOTTOM} stroke="var(--muted)" />
            {paths.ticks.map((t) => (
              <text key={t} x={LEFT - 6} y={paths.y(t) + 4} textAnchor="end">
                {t}
              </text>
            ))}
          </g>
          {hover !== null && (
            <rect x={x(hover)} y={TOP} width={Math.max(1, x(hover + 1) - x(hover))} height={BOTTOM - TOP} fill="var(--grid)" />
          )}
          <path d={paths.packets} fill="var(--c-good)" fillOpacity={0.25} stroke="var(--c-good)" />
          {totalBad > 0 && <path d={paths.bad} fill="none" stroke="var(--c-bad)" strokeWidth={2} />}
          {totalRe > 0 && <path d={paths.retrans} fill="none" stroke="var(--c-answer)" strokeWidth={2} strokeDasharray="5 3" />}
          <BottomAxis x={x} ticks={xTicks} y={BOTTOM} left={LEFT} right={right} format={(i) => `${sec(i * w)}s`} />
          {/* Hover (or arrow keys once focused) shows one bucket's counts. */}
          <rect
            className="io-plot"
            data-testid="io-plot"
            x={LEFT}
            y={TOP}
            width={right - LEFT}
            height={BOTTOM - TOP}
            fill="transparent"
            tabIndex={0}
            role="img"
            aria-label={`${G.title}: ${G.keys}`}
            onPointerMove={(e) => setHover(bucketAt(e))}
            onPointerLeave={() => setHover(null)}
            onKeyDown={plotKey}
            onBlur={() => setHover(null)}
          />
          {data.length > 2 && (
            <g className="brush" data-testid="brush">
              <rect
                x={LEFT}
                y={TRACK_Y}
                width={right - LEFT}
                height={TRACK_H}
                fill="var(--panel)"
                stroke="var(--muted)"
                onPointerDown={(e) => onDown('new', e)}
                onPointerMove={onMove}
                onPointerUp={onUp}
                onDoubleClick={() => select([0, n - 1])}
                style={{ cursor: 'crosshair' }}
              />
              <rect
                x={x(range[0])}
                y={TRACK_Y}
                width={x(range[1] + 1) - x(range[0])}
                height={TRACK_H}
                fill="var(--c-good)"
                fillOpacity={0.3}
                pointerEvents="none"
              />
              {handle(0)}
              {handle(1)}
            </g>
          )}
        </svg>
      </div>
      <p className="legend muted">
        <span className="key k-packets">■ {G.packets}</span>
        {totalBad > 0 && <span className="key k-bad">━ {G.bad}</span>}
        {totalRe > 0 && <span className="key k-retrans">╍ {G.retrans}</span>}
        {/* The brush is drawn from three buckets: no hint about handles that are not there. */}
        {data.length > 2 && <span>{G.brush}</span>}
      </p>
    </section>
  );
}
