/**
 * Where lost packets vanished, for the causes that involve loss: from which attempts (or answers)
 * the other capture point also saw, and which point is closer to the client (points.ts). The
 * sentences name the capture files, so they read the same whatever order the files came in.
 */
import type { Attempt, Lost } from '../../../report';
import type { Lang, Text } from '../../i18n';
import type { Points } from '../../points';

/** Where the attempts (client to server) of a finding from capture `cap` were lost. */
export function attemptsLost(attempts: Attempt[], answered: boolean, cap: number, points: Points): Lost | undefined {
  if (!attempts.length || attempts[0]!.delivered === undefined) return undefined;
  const upstream = points.upstream;
  const unanswered = answered ? attempts.slice(0, -1) : attempts;
  const missing = unanswered.filter((a) => !a.delivered).length;
  // Attempts seen first at the upstream point and missing downstream vanished between the points.
  if (cap === upstream || upstream < 0) {
    if (missing > 0) return { where: 'between', upstream };
    return { where: 'after-both', upstream };
  }
  // A finding of the downstream point: everything it saw passed the upstream point too.
  return { where: missing > 0 ? 'unknown' : 'after-both', upstream };
}

/** Where the server's answers (server to client) of a finding from capture `cap` were lost. */
export function answersLost(answers: Attempt[], cap: number, points: Points): Lost | undefined {
  if (!answers.length || answers[0]!.delivered === undefined) return undefined;
  const upstream = points.upstream;
  const missing = answers.filter((a) => !a.delivered).length;
  if (upstream >= 0 && cap !== upstream && missing > 0) return { where: 'return-path', upstream };
  if (missing === 0) return { where: 'after-both', upstream };
  return { where: 'unknown', upstream };
}

interface Ctx {
  lost: Lost;
  names: string[];
  sameHost: boolean;
  sides: string[];
  /** How many (of total) were lost, and a noun ("attempts", "SYN-ACKs", "segments"). */
  n: number;
  total: number;
  what: string;
  /** The lost packets travel towards the client (answers, a download), not from it. */
  toClient?: boolean;
}

const T: Text<(c: Ctx) => string> = {
  en: (c) => {
    let up = c.names[c.lost.upstream] ?? 'the first capture';
    let down = c.names[1 - c.lost.upstream] ?? 'the second capture';
    if (c.toClient && c.lost.where === 'between') [up, down] = [down, up];
    switch (c.lost.where) {
      case 'between':
        return `Comparing both captures: ${c.n} of ${c.total} ${c.what} passed ${up} and never reached ${down}, so they were lost between the two points${c.sameHost ? ' (both on the same host: in its tunnel path)' : ' (in the network, or on the way out of the sending host)'}.`;
      case 'after-both':
        return c.sameHost
          ? `Both captures were taken on the same host (the ${c.sides[0]}'s end) and both saw the ${c.what} leave; the loss is beyond this host (the network or the other end): capture at the other end too.`
          : `Comparing both captures: ${c.n} of ${c.total} ${c.what} reached ${down} too but got no answer, so they were dropped after it, on the receiving host (checksum verification, firewall, conntrack).`;
      case 'return-path':
        return `Comparing both captures: the server's ${c.what} left ${down} but never reached ${up}: the way back to the client loses them (asymmetric routing, rp_filter, a firewall or conntrack on the client's node, an overlay route missing in one direction).`;
      default:
        return `Comparing both captures does not place the loss: the two points disagree about which ${c.what} passed.`;
    }
  },
  zh: (c) => {
    let up = c.names[c.lost.upstream] ?? '第一个抓包';
    let down = c.names[1 - c.lost.upstream] ?? '第二个抓包';
    if (c.toClient && c.lost.where === 'between') [up, down] = [down, up];
    switch (c.lost.where) {
      case 'between':
        return `对比两个抓包：${c.total} 个${c.what}中有 ${c.n} 个经过了 ${up}，却从未到达 ${down}，说明它们在两个抓包点之间丢失${c.sameHost ? '（两者在同一主机上：丢在该主机的隧道路径中）' : '（在网络中，或在离开发送主机的路上）'}。`;
      case 'after-both':
        return c.sameHost
          ? `两个抓包都在同一主机（${c.sides[0] === 'client' ? '客户端' : '服务端'}一侧）上，并且都看到${c.what}发出；丢失发生在该主机之外（网络或另一端）：请在另一端也抓包。`
          : `对比两个抓包：${c.total} 个${c.what}中有 ${c.n} 个也到达了 ${down}，却没有应答，说明它们在此之后、在接收主机上被丢弃（校验和验证、防火墙、conntrack）。`;
      case 'return-path':
        return `对比两个抓包：服务端的${c.what}离开了 ${down}，却从未到达 ${up}：返回客户端的路径丢失了它们（非对称路由、rp_filter、客户端节点上的防火墙或 conntrack、覆盖网络缺少单向路由）。`;
      default:
        return `对比两个抓包无法确定丢失位置：两个抓包点看到的${c.what}不一致。`;
    }
  },
};

/** The sentence for a `lost` result. */
export function lostSentence(lang: Lang, c: Ctx): string {
  return T[lang](c);
}

/** Nouns for lostSentence. */
export const NOUN: Text<{ attempts: string; synacks: string; segments: string; queries: string }> = {
  en: { attempts: 'attempts', synacks: 'SYN-ACKs', segments: 'segments', queries: 'queries' },
  zh: { attempts: '尝试', synacks: 'SYN-ACK', segments: '数据段', queries: '查询' },
};
