/**
 * checksum-offload: frames with partial checksums (the capture was taken before the NIC filled
 * them in). Benign; reported so nobody mistakes them for corruption.
 */
import type { FindingBase } from '../../report';
import { int, s, type Lang } from '../i18n';
import { defineRule } from '../rule';

export interface OffloadFinding extends FindingBase {
  kind: 'checksum-offload';
  count: number;
}

declare module '../../report' {
  interface FindingMap {
    'checksum-offload': OffloadFinding;
  }
}

const TITLE: Record<Lang, (n: number) => string> = {
  en: (n) => `${int(n)} frame${s(n)} with partial checksums from transmit offload (normal on the sending host, not corruption)`,
  zh: (n) => `${int(n)} 帧带有发送卸载留下的部分校验和（发送端抓包的正常现象，并非损坏）`,
};

interface State {
  frames: number[];
  count: number;
  max: number;
}

export const CHECKSUM_OFFLOAD = defineRule<State, OffloadFinding>({
  kinds: ['checksum-offload'],
  create: (env) => ({ frames: [], count: 0, max: env.maxFrames }),
  frame(st, f) {
    const d = f.d;
    for (let i = 0; i < d.nChecks; i++) {
      if (d.checks[i]!.status === 'partial') {
        st.count++;
        if (st.frames.length < st.max) st.frames.push(f.n);
        return;
      }
    }
  },
  finish(st, ctx) {
    if (!st.count) return [];
    return [
      {
        kind: 'checksum-offload',
        severity: 'info',
        title: TITLE[ctx.lang](st.count),
        capture: ctx.cap,
        frames: st.frames,
        count: st.count,
      },
    ];
  },
});
