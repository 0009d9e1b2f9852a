/**
 * Checksum-state colours and marker shapes. Colours are Okabe–Ito (safe for the common forms of
 * colour blindness) and every state also has its own shape, so colour is never the only cue.
 */
import type { JSX } from 'react';

export const STATE_COLOR: Record<string, string> = {
  bad: 'var(--c-bad)',
  zero: 'var(--c-zero)',
  good: 'var(--c-good)',
  partial: 'var(--c-partial)',
  unverified: 'var(--c-unverified)',
  none: 'var(--c-none)',
};

/** A marker of size `r` centred on (cx, cy) for a checksum state. */
export function Marker({ state, cx, cy, r = 7 }: { state: string; cx: number; cy: number; r?: number }): JSX.Element {
  const fill = STATE_COLOR[state] ?? 'var(--fg)';
  switch (state) {
    case 'bad': // a bold cross
      return (
        <path
          d={`M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx + r},${cy - r}L${cx - r},${cy + r}`}
          stroke={fill}
          strokeWidth={3.5}
          strokeLinecap="round"
        />
      );
    case 'zero': // a filled circle
      return <circle cx={cx} cy={cy} r={r} fill={fill} stroke="var(--bg)" strokeWidth={1.5} />;
    case 'good': // a diamond
      return <path d={`M${cx},${cy - r - 1}L${cx + r + 1},${cy}L${cx},${cy + r + 1}L${cx - r - 1},${cy}Z`} fill={fill} />;
    case 'partial': // a triangle
      return <path d={`M${cx},${cy - r - 1}L${cx + r + 1},${cy + r}L${cx - r - 1},${cy + r}Z`} fill={fill} />;
    case 'unverified': // a hollow square
      return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} fill="none" stroke={fill} strokeWidth={2} />;
    default: // none: a filled square
      return <rect x={cx - r + 1} y={cy - r + 1} width={2 * r - 2} height={2 * r - 2} fill={fill} />;
  }
}

/** A small inline legend swatch. */
export function Swatch({ state }: { state: string }): JSX.Element {
  return (
    <svg width="16" height="16" aria-hidden="true" className="swatch">
      <Marker state={state} cx={8} cy={8} r={5} />
    </svg>
  );
}

/** Text glyph with the same shape code as {@link Marker}: cheap enough for thousands of rows. */
export const GLYPH: Record<string, string> = { bad: '✕', zero: '●', good: '◆', partial: '▲', unverified: '□', none: '■' };

export function Glyph({ state, title }: { state: string; title?: string }): JSX.Element {
  return (
    <span className="glyph" style={{ color: STATE_COLOR[state] }} title={title} aria-label={title}>
      {GLYPH[state] ?? '?'}
    </span>
  );
}
