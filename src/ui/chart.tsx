/**
 * Pieces the timeline and the IO graph share, drawn as plain SVG in one render.
 *
 * Why not a chart library: Recharts 3 (what these charts used before) renders each chart in
 * several passes through its own store and measures the page with getBoundingClientRect in a
 * layout effect. On the sample capture that was every main-thread task over 50 ms from the drop
 * to the rendered result (README, Performance): with both charts hidden there were none. Scales
 * are in scale.ts; the width comes from a ResizeObserver, which reports after layout instead of
 * forcing one.
 */
import { useCallback, useState, type JSX } from 'react';
import type { Scale } from './scale';

/**
 * The width of the element given the returned callback ref, `estimate` until its first
 * ResizeObserver report. Drawing at the estimate first means the chart's marks exist in the very
 * first commit. A callback ref, not an effect: the element may mount after the component does
 * (the IO graph renders nothing until its series arrives).
 */
export function useBoxWidth(estimate: number): [number, (el: HTMLElement | null) => (() => void) | undefined] {
  const [width, setWidth] = useState(estimate);
  const ref = useCallback((el: HTMLElement | null) => {
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[entries.length - 1]!.contentRect.width);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [width, ref];
}

/**
 * A horizontal axis at `y` from `left` to `right`: the line, a tick and a label at each of
 * `ticks`, and an optional title under the labels.
 */
export function BottomAxis({
  x,
  ticks,
  y,
  left,
  right,
  format,
  title,
}: {
  x: Scale;
  ticks: readonly number[];
  y: number;
  left: number;
  right: number;
  format: (v: number) => string;
  title?: string;
}): JSX.Element {
  return (
    <g className="axis x-axis" fill="var(--muted)" fontSize={12}>
      <line x1={left} x2={right} y1={y} y2={y} stroke="var(--muted)" />
      {ticks.map((t, i) => {
        const px = x(t);
        return (
          <g key={i}>
            <line x1={px} x2={px} y1={y} y2={y + 5} stroke="var(--muted)" />
            <text x={px} y={y + 17} textAnchor="middle">
              {format(t)}
            </text>
          </g>
        );
      })}
      {title && (
        <text x={(left + right) / 2} y={y + 36} textAnchor="middle">
          {title}
        </text>
      )}
    </g>
  );
}

/**
 * A vertical marker line across the plot with a small label: above the plot ("top") or inside
 * it against the line's left side ("inside").
 */
export function VLine({
  x,
  top,
  bottom,
  color,
  dashed,
  width = 1,
  label,
  labelAt,
}: {
  x: number;
  top: number;
  bottom: number;
  color: string;
  dashed?: boolean;
  width?: number;
  label: string;
  labelAt: 'top' | 'inside';
}): JSX.Element {
  return (
    <g className="ref-line">
      <line x1={x} x2={x} y1={top} y2={bottom} stroke={color} strokeWidth={width} strokeDasharray={dashed ? '4 4' : undefined} />
      {labelAt === 'top' ? (
        <text x={x} y={top - 5} textAnchor="middle" fill={color} fontSize={11}>
          {label}
        </text>
      ) : (
        <text x={x - 4} y={top + 12} textAnchor="end" fill={color} fontSize={11}>
          {label}
        </text>
      )}
    </g>
  );
}
