/** Rendering a large view over several frames. */
import { startTransition, useEffect, useState } from 'react';

/**
 * Mount a view in `count` stages, one frame each, so no single render or layout blocks
 * the main thread for long. The next stage waits until the browser has drawn the last one: a
 * plain timeout let several stages commit before the next frame, and their first layouts then
 * ran as one task (106 ms of style and layout at 1 GiB). A frame callback followed by a timeout
 * runs after that frame's layout; the timeout alone still advances a tab that draws no frames
 * (hidden, or jsdom). A new `resetKey` (new content) starts again from stage 0.
 */
export function useStages(count: number, resetKey?: unknown): number {
  const [state, setState] = useState({ stage: 0, key: resetKey });
  let stage = state.stage;
  if (state.key !== resetKey) {
    // New content: start again from the first stage (React re-renders at once).
    stage = 0;
    setState({ stage, key: resetKey });
  }
  useEffect(() => {
    if (stage >= count) return;
    let done = false;
    const next = () => {
      if (done) return;
      done = true;
      // A transition renders interruptibly: React yields to the browser between components.
      startTransition(() => setState((s) => ({ ...s, stage: s.stage + 1 })));
    };
    let inner = 0;
    const raf =
      typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => (inner = window.setTimeout(next, 0))) : 0;
    const fallback = window.setTimeout(next, STAGE_FALLBACK_MS);
    return () => {
      done = true;
      if (raf) cancelAnimationFrame(raf);
      clearTimeout(inner);
      clearTimeout(fallback);
    };
  }, [stage, count, resetKey]);
  return stage;
}

/** The longest a stage waits for a frame (a hidden tab draws none). */
const STAGE_FALLBACK_MS = 250;
