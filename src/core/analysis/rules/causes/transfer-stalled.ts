/**
 * transfer-stalled: a transfer stopped mid-way and the receiver gave up, seen from a point that
 * cannot tell why (the receiving side of an MTU black hole, or a sender that hangs). Medium
 * confidence at best, with the capture point that would settle it.
 */
import { fmtS, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { pick } from './common';

declare module '../../../report' {
  interface CauseMap {
    'transfer-stalled': true;
  }
}

const T: Text<{
  summary(from: string, to: string, bytes: number, sec: number): string;
  capture: string;
  ss: string;
  ping: string;
}> = {
  en: {
    summary: (from, to, bytes, sec) =>
      `The data from ${from} to ${to} stopped after ${bytes} bytes: nothing more arrived, and ${fmtS(sec)} s later ${to} gave up and closed the connection while ${from} had not finished. This capture, at the receiving end, cannot tell whether more was sent and lost on the way (large packets dropped by a smaller MTU on the path are the common cause on overlays) or never sent (the sender's application stalled).`,
    capture: `Capture at the sending end too (the server's node) and load both files: segments sent again and again there, and missing here, were lost on the way.`,
    ss: 'On the sender, `ss -tin dst RECEIVER_IP` during a transfer: retransmissions (retrans) and the path MTU (pmtu) it uses.',
    ping: 'Test the path MTU between the nodes: `ping -M do -s 1472 OTHER_NODE_IP`.',
  },
  zh: {
    summary: (from, to, bytes, sec) =>
      `从 ${from} 到 ${to} 的数据在 ${bytes} 字节后中断：之后再无数据到达，${fmtS(sec)} 秒后 ${to} 放弃并关闭了连接，而 ${from} 尚未发送完毕。本抓包位于接收端，无法判断是更多数据已发出却在途中丢失（在覆盖网络中，常见原因是路径上较小的 MTU 丢弃了大报文），还是根本没有发出（发送方应用卡住）。`,
    capture: '同时在发送端（服务端节点）抓包并加载两个文件：在那里反复重发、而在这里缺失的数据段就是在途中丢失的。',
    ss: '在发送端传输期间执行 `ss -tin dst RECEIVER_IP`：查看重传（retrans）以及所用的路径 MTU（pmtu）。',
    ping: '测试节点之间的路径 MTU：`ping -M do -s 1472 OTHER_NODE_IP`。',
  },
};

export const TRANSFER_STALLED_CAUSE: CauseRule = {
  cause: 'transfer-stalled',
  wire: 7,
  diagnose(ctx) {
    const f = pick(ctx, 'transfer-stalled', (x) => x.stalledSec)[0];
    if (!f) return null;
    const L = T[ctx.lang];
    return {
      ...ctx.base,
      cause: 'transfer-stalled',
      confidence: 'medium',
      summary: L.summary(f.from, f.to, f.bytesBefore, f.stalledSec),
      evidence: f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      caveats: [...ctx.base.caveats, L.capture],
      confirm: [L.capture, L.ss, L.ping],
      remedies: [],
    };
  },
};
