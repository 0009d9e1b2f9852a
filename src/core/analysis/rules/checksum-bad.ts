/**
 * checksum-bad: any other genuinely bad checksum (not zero, not offload, not unverifiable), per
 * layer and tunnel depth, including datagrams verified after fragment reassembly. The pattern of
 * the errors (stored minus correct value) is kept: a constant difference means a field was
 * rewritten after the checksum was computed, varying ones point at corruption.
 */
import { fold, neg16 } from '../../checksum';
import type { CheckLayer, FindingBase } from '../../report';
import { s, type Lang } from '../i18n';
import { defineRule } from '../rule';

export interface ChecksumBadFinding extends FindingBase {
  kind: 'checksum-bad';
  /** Total count (`frames` lists at most the first maxFrames). */
  count: number;
  layer: CheckLayer;
  depth: number;
}

declare module '../../report' {
  interface FindingMap {
    'checksum-bad': ChecksumBadFinding;
  }
}

const TITLE: Record<Lang, (layer: string, depth: number, n: number) => string> = {
  en: (layer, depth, n) => `${n} bad ${layer.toUpperCase()} checksum${s(n)}${depth ? ` at tunnel depth ${depth}` : ''}`,
  zh: (layer, depth, n) => `${n} 个错误的 ${layer.toUpperCase()} 校验和${depth ? `（隧道深度 ${depth}）` : ''}`,
};

interface Group {
  layer: CheckLayer;
  depth: number;
  frames: number[];
  count: number;
}

type State = { groups: Map<string, Group>; max: number };

function add(st: State, layer: CheckLayer, depth: number, n: number): void {
  const key = `${layer}@${depth}`;
  let g = st.groups.get(key);
  if (!g) st.groups.set(key, (g = { layer, depth, frames: [], count: 0 }));
  g.count++;
  if (g.frames.length < st.max) g.frames.push(n);
}

/** One's-complement difference between a stored and the correct checksum. */
export function checksumDelta(stored: number, computed: number): number {
  return fold(stored + neg16(computed));
}

export const CHECKSUM_BAD = defineRule<State, ChecksumBadFinding>({
  kinds: ['checksum-bad'],
  create: (env) => ({ groups: new Map(), max: env.maxFrames }),
  frame(st, f) {
    const d = f.d;
    for (let i = 0; i < d.nChecks; i++) {
      const c = d.checks[i]!;
      if (c.status === 'bad' && !c.tunnelOuter) add(st, c.layer, c.depth, f.n);
    }
    const r = f.reassembled;
    if (r && r.status === 'bad') add(st, r.layer, r.depth, f.n);
  },
  finish(st, ctx) {
    return [...st.groups.values()].map((g) => ({
      kind: 'checksum-bad',
      severity: 'warning',
      title: TITLE[ctx.lang](g.layer, g.depth, g.count),
      capture: ctx.cap,
      frames: g.frames,
      count: g.count,
      layer: g.layer,
      depth: g.depth,
    }));
  },
});
