/**
 * A row of frame-number chips (evidence, a finding's frames) as one tab stop: Tab enters the
 * row on the chip last used, arrow keys and Home/End move between chips, Enter or a click jumps
 * to the frame. Forty chips used to be forty Tab presses on the way to the packet list.
 */
import { useRef, useState, type JSX, type KeyboardEvent } from 'react';

/** Props: the frame numbers, what a chip does, the row's accessible name. */
export function FrameChips({
  frames,
  onPick,
  label,
  small = false,
  testId,
}: {
  frames: number[];
  onPick: (n: number) => void;
  label: string;
  small?: boolean;
  testId?: string;
}): JSX.Element {
  const [active, setActive] = useState(0);
  const row = useRef<HTMLSpanElement>(null);
  const at = Math.min(active, frames.length - 1);
  const move = (e: KeyboardEvent) => {
    const to: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: frames.length - 1,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(frames.length - 1, to[e.key]!));
    setActive(next);
    row.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
  };
  return (
    <span ref={row} role="toolbar" aria-label={label} aria-orientation="horizontal" onKeyDown={move} className="chips">
      {frames.map((n, i) => (
        <button
          key={n}
          className={small ? 'chip small' : 'chip'}
          tabIndex={i === at ? 0 : -1}
          onFocus={() => setActive(i)}
          onClick={() => onPick(n)}
          data-testid={testId}
        >
          {n}
        </button>
      ))}
    </span>
  );
}
