/**
 * tunnel-checksum-bad: tunnelled packets whose outer UDP checksum is genuinely bad. A receiving
 * Linux kernel verifies non-zero UDP checksums and drops them, so what they carry never arrives.
 */
import type { FindingBase } from '../../report';
import { int, s, type Lang } from '../i18n';
import { defineRule } from '../rule';
import { Deltas, type ErrorPattern } from './checksum-bad';

export interface TunnelChecksumFinding extends FindingBase {
  kind: 'tunnel-checksum-bad';
  /** Total count (`frames` lists at most the first maxFrames). */
  count: number;
  /** How the stored values differ from the correct ones (see checksum-bad.ts). */
  pattern: ErrorPattern;
}

declare module '../../report' {
  interface FindingMap {
    'tunnel-checksum-bad': TunnelChecksumFinding;
  }
}

const TITLE: Record<Lang, (n: number) => string> = {
  en: (n) => `${int(n)} tunnelled packet${s(n)} with a bad outer UDP checksum (a receiving Linux kernel drops them)`,
  zh: (n) => `${int(n)} 个隧道报文的外层 UDP 校验和错误（接收端 Linux 内核会丢弃）`,
};

interface State {
  frames: number[];
  count: number;
  max: number;
  deltas: Deltas;
}

export const TUNNEL_CHECKSUM_BAD = defineRule<State, TunnelChecksumFinding>({
  kinds: ['tunnel-checksum-bad'],
  create: (env) => ({ frames: [], count: 0, max: env.maxFrames, deltas: new Deltas() }),
  frame(st, f) {
    const d = f.d;
    for (let i = 0; i < d.nChecks; i++) {
      const c = d.checks[i]!;
      if (c.tunnelOuter && c.status === 'bad') {
        st.count++;
        st.deltas.add(c.stored, c.computed);
        if (st.frames.length < st.max) st.frames.push(f.n);
      }
    }
  },
  finish(st, ctx) {
    if (!st.count) return [];
    return [
      {
        kind: 'tunnel-checksum-bad',
        severity: 'error',
        title: TITLE[ctx.lang](st.count),
        capture: ctx.cap,
        frames: st.frames,
        count: st.count,
        pattern: st.deltas.pattern(),
      },
    ];
  },
});
