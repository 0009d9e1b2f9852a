/**
 * checksum-bad: any other genuinely bad checksum (not zero, not offload, not unverifiable), per
 * layer and tunnel depth, including datagrams verified after fragment reassembly. The pattern of
 * the errors (stored minus correct value) is kept: a constant difference means a field was
 * rewritten after the checksum was computed, varying ones point at corruption.
 */
import { fold, neg16 } from '../../checksum';
import type { CheckLayer, FindingBase } from '../../report';
import { CHECK_LAYER_NAME } from '../../decode/layers';
import { int, s, type Lang } from '../i18n';
import { defineRule } from '../rule';

export interface ChecksumBadFinding extends FindingBase {
  kind: 'checksum-bad';
  /** Total count (`frames` lists at most the first maxFrames). */
  count: number;
  layer: CheckLayer;
  depth: number;
  pattern: ErrorPattern;
}

/**
 * How genuinely bad checksums differ from the correct values. One difference on every frame: one
 * field was rewritten after the checksum was computed (NAT, mangling). 0xffff stored: the
 * NAT-on-zero-checksum kernel bug. Differences that vary: corruption (a NIC, a cable, memory) or
 * an edited capture.
 */
export interface ErrorPattern {
  /** Bad checksums whose stored value is 0xffff. */
  ffff: number;
  /** Distinct differences (stored minus correct, one's complement); capped at 256. */
  distinct: number;
  /** The most common difference and how often it occurs. */
  top: { delta: number; count: number } | null;
  /** 'constant' (one difference), 'ffff' (mostly 0xffff stored), 'random' (varying) or 'few'. */
  kind: 'constant' | 'ffff' | 'random' | 'few';
}

/** Counts of checksum differences (bounded). */
export class Deltas {
  private readonly counts = new Map<number, number>();
  private n = 0;
  private ffff = 0;
  add(stored: number, computed: number): void {
    if (stored < 0 || computed < 0) return;
    this.n++;
    if (stored === 0xffff) this.ffff++;
    const d = checksumDelta(stored, computed);
    const c = this.counts.get(d);
    if (c !== undefined) this.counts.set(d, c + 1);
    else if (this.counts.size < 256) this.counts.set(d, 1);
  }
  pattern(): ErrorPattern {
    let top: ErrorPattern['top'] = null;
    for (const [delta, count] of this.counts) if (!top || count > top.count) top = { delta, count };
    const distinct = this.counts.size;
    const kind: ErrorPattern['kind'] =
      this.ffff * 2 >= this.n && this.n > 0
        ? 'ffff'
        : this.n < 3
          ? 'few'
          : distinct === 1
            ? 'constant'
            : top && top.count * 10 >= this.n * 9
              ? 'constant'
              : 'random';
    return { ffff: this.ffff, distinct, top, kind };
  }
}

declare module '../../report' {
  interface FindingMap {
    'checksum-bad': ChecksumBadFinding;
  }
}

const TITLE: Record<Lang, (layer: string, depth: number, n: number) => string> = {
  en: (layer, depth, n) =>
    `${int(n)} bad ${CHECK_LAYER_NAME[layer as CheckLayer] ?? layer} checksum${s(n)}${depth ? ` at tunnel depth ${depth}` : ''}`,
  zh: (layer, depth, n) =>
    `${int(n)} 个错误的 ${CHECK_LAYER_NAME[layer as CheckLayer] ?? layer} 校验和${depth ? `（隧道深度 ${depth}）` : ''}`,
};

interface Group {
  layer: CheckLayer;
  depth: number;
  frames: number[];
  count: number;
}

type State = { groups: Map<string, Group & { deltas: Deltas }>; max: number };

function add(st: State, layer: CheckLayer, depth: number, n: number, stored: number, computed: number): void {
  const key = `${layer}@${depth}`;
  let g = st.groups.get(key);
  if (!g) st.groups.set(key, (g = { layer, depth, frames: [], count: 0, deltas: new Deltas() }));
  g.count++;
  g.deltas.add(stored, computed);
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
      if (c.status === 'bad' && !c.tunnelOuter) add(st, c.layer, c.depth, f.n, c.stored, c.computed);
    }
    const r = f.reassembled;
    if (r && r.status === 'bad') add(st, r.layer, r.depth, f.n, r.stored, r.computed);
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
      pattern: g.deltas.pattern(),
    }));
  },
});
