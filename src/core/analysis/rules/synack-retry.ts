/**
 * synack-retry: the server sent its SYN-ACK more than once for one connection attempt (its own
 * retransmission timer fired: the client's ACK, or the SYN-ACK itself, was lost).
 */
import type { FindingBase } from '../../report';
import type { Lang } from '../i18n';
import { defineRule } from '../rule';

export interface SynAckRetryFinding extends FindingBase {
  kind: 'synack-retry';
  count: number;
  client: string;
  server: string;
}

declare module '../../report' {
  interface FindingMap {
    'synack-retry': SynAckRetryFinding;
  }
}

const TITLE: Record<Lang, (server: string, client: string, n: number) => string> = {
  en: (server, client, n) => `SYN-ACK from ${server} to ${client} sent ${n} times`,
  zh: (server, client, n) => `${server} 发往 ${client} 的 SYN-ACK 发送了 ${n} 次`,
};

export const SYNACK_RETRY = defineRule<null, SynAckRetryFinding>({
  kinds: ['synack-retry'],
  create: () => null,
  finish(_s, ctx) {
    const out: SynAckRetryFinding[] = [];
    for (const h of ctx.trackers.tcp.allHandshakes()) {
      if (h.synacks.count < 2) continue;
      out.push({
        kind: 'synack-retry',
        severity: 'warning',
        title: TITLE[ctx.lang](h.server, h.client, h.synacks.count),
        capture: ctx.cap,
        frames: h.synacks.list.map((x) => x.frame),
        count: h.synacks.count,
        client: h.client,
        server: h.server,
      });
    }
    return out;
  },
});
