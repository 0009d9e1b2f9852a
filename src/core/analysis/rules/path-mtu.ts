/**
 * path-mtu: ICMP "fragmentation needed" / "packet too big" messages seen, with the MTU they
 * announce: path MTU discovery at work. Informational: when the sender adapts, large packets pass
 * after one round trip (each new connection pays it again); when it does not, mtu-blackhole
 * reports the loss.
 */
import type { FindingBase } from '../../report';
import { s, type Lang } from '../i18n';
import { defineRule } from '../rule';

export interface PathMtuFinding extends FindingBase {
  kind: 'path-mtu';
  /** Smallest MTU announced. */
  mtu: number;
  /** Who sent them (routers on the path). */
  from: string[];
  count: number;
}

declare module '../../report' {
  interface FindingMap {
    'path-mtu': PathMtuFinding;
  }
}

const TITLE: Record<Lang, (n: number, mtu: number, from: string) => string> = {
  en: (n, mtu, from) =>
    `${n} ICMP "fragmentation needed" message${s(n)} from ${from}: the path MTU is ${mtu} bytes (path MTU discovery)`,
  zh: (n, mtu, from) => `${from} 发出 ${n} 个 ICMP“需要分片”报文：路径 MTU 为 ${mtu} 字节（路径 MTU 发现）`,
};

export const PATH_MTU = defineRule<null, PathMtuFinding>({
  kinds: ['path-mtu'],
  create: () => null,
  finish(_s, ctx) {
    const p = ctx.trackers.pmtu;
    if (!p.length) return [];
    const from = [...new Set(p.map((x) => x.from))];
    const mtu = Math.min(...p.map((x) => x.mtu).filter((m) => m > 0));
    return [
      {
        kind: 'path-mtu',
        severity: 'info',
        title: TITLE[ctx.lang](p.length, Number.isFinite(mtu) ? mtu : 0, from.slice(0, 3).join(', ')),
        capture: ctx.cap,
        frames: p.map((x) => x.frame),
        mtu: Number.isFinite(mtu) ? mtu : 0,
        from,
        count: p.length,
      },
    ];
  },
});
