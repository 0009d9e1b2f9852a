/**
 * One plain sentence for the top of the result: what fails, how long it took, why (the cause code
 * stays a small tag beside it). Built from the diagnosis and the finding it rests on, so every
 * cause gets one without repeating its summary's details.
 */
import type { Diagnosis, Finding } from '../report';
import { fmtS, type Lang, type Text } from './i18n';

const T: Text<{
  vxlan(what: string, delay: string): string;
  synsTo(server: string): string;
  dnsFor(name: string, n: number): string;
  tunnelled: string;
  synDropped(server: string, n: number, sec: number | null, gaveUp: number | null): string;
  synackLost(server: string, delay: string): string;
  refused(server: string, how: string, connections: number): string;
  mtu(from: string, size: number): string;
  stalled(to: string, sec: number): string;
  dnsDelayed(name: string, sec: number): string;
  dnsUnanswered(name: string): string;
  checksums: string;
  none(high: boolean): string;
  after(sec: number): string;
  answered(sec: number): string;
  rst: string;
  icmp: string;
}> = {
  en: {
    vxlan: (what, delay) =>
      `${what} ${what.startsWith('A ') ? 'was' : 'are'} dropped by the receiving kernel for a bad VXLAN (outer UDP) checksum${delay}.`,
    synsTo: (server) => `SYNs to ${server}`,
    dnsFor: (name, n) => (n === 1 ? `A DNS query for ${name}` : `DNS queries for ${name}`),
    tunnelled: 'Tunnelled packets',
    synDropped: (server, n, sec, gaveUp) =>
      sec !== null
        ? `${n - 1} SYN${n - 1 === 1 ? '' : 's'} to ${server} went unanswered; the connection succeeded only after ${fmtS(sec)} s.`
        : gaveUp !== null
          ? `Connections to ${server} fail: ${n} SYNs unanswered, and the client gives up after ${fmtS(gaveUp)} s (ETIMEDOUT).`
          : `Connections to ${server} are not answered: none of ${n} SYNs got a reply.`,
    synackLost: (server, delay) => `${server} answers, but its SYN-ACKs are lost on the way back${delay}.`,
    refused: (server, how, n) =>
      n === 1 ? `The connection to ${server} is refused (${how}).` : `Connections to ${server} are refused (${how}).`,
    mtu: (from, size) => `Full-size packets from ${from} (${size} bytes) are lost on the path: an MTU black hole.`,
    stalled: (to, sec) => `A transfer to ${to} stopped mid-way; it was given up ${fmtS(sec)} s later.`,
    dnsDelayed: (name, sec) =>
      `Looking up ${name} takes ${fmtS(sec)} s: a query is lost and only the resolver's retry is answered.`,
    dnsUnanswered: (name) => `DNS queries for ${name} get no answer.`,
    checksums: 'Packets with genuinely bad checksums, and nothing failed because of them here.',
    none: (high) => (high ? 'No problem found.' : 'No problem seen from this capture point (it cannot see every fault).'),
    after: (sec) => `: connected only after ${fmtS(sec)} s`,
    answered: (sec) => `: answered only after ${fmtS(sec)} s`,
    rst: 'RST',
    icmp: 'ICMP unreachable',
  },
  zh: {
    vxlan: (what, delay) => `${what}因 VXLAN（外层 UDP）校验和错误被接收端内核丢弃${delay}。`,
    synsTo: (server) => `发往 ${server} 的 SYN `,
    dnsFor: (name, n) => (n === 1 ? `${name} 的一个 DNS 查询` : `${name} 的 DNS 查询`),
    tunnelled: '隧道报文',
    synDropped: (server, n, sec, gaveUp) =>
      sec !== null
        ? `发往 ${server} 的 ${n - 1} 个 SYN 没有应答，${fmtS(sec)} 秒后连接才成功。`
        : gaveUp !== null
          ? `发往 ${server} 的连接失败：${n} 个 SYN 均无应答，客户端在 ${fmtS(gaveUp)} 秒后放弃（ETIMEDOUT）。`
          : `发往 ${server} 的连接没有应答：${n} 个 SYN 均无回复。`,
    synackLost: (server, delay) => `${server} 有应答，但它的 SYN-ACK 在返回途中丢失${delay}。`,
    refused: (server, how) => `发往 ${server} 的连接被拒绝（${how}）。`,
    mtu: (from, size) => `来自 ${from} 的满长报文（${size} 字节）在路径上丢失：MTU 黑洞。`,
    stalled: (to, sec) => `发往 ${to} 的传输中途停止；${fmtS(sec)} 秒后被放弃。`,
    dnsDelayed: (name, sec) => `解析 ${name} 需要 ${fmtS(sec)} 秒：一个查询丢失，只有解析器的重试得到应答。`,
    dnsUnanswered: (name) => `${name} 的 DNS 查询没有应答。`,
    checksums: '有报文的校验和确实错误，但本抓包中没有因此失败的连接。',
    none: (high) => (high ? '未发现问题。' : '从这个抓包点未看到问题（它看不到所有故障）。'),
    after: (sec) => `：${fmtS(sec)} 秒后才连上`,
    answered: (sec) => `：${fmtS(sec)} 秒后才得到应答`,
    rst: 'RST',
    icmp: 'ICMP 不可达',
  },
};

/** The headline of diagnosis `d` (its primary finding from `findings`). */
export function headline(d: Diagnosis, findings: Finding[], lang: Lang): string {
  const L = T[lang];
  const f = findings[d.primaryFinding];
  const syn = f?.kind === 'syn-retry' ? f : null;
  const delay = syn && syn.delaySec !== null ? L.after(syn.delaySec) : f?.kind === 'dns-retried' ? L.answered(f.delaySec) : '';
  switch (d.cause) {
    case null:
      // Low: nothing was seen at all (empty, nothing decoded): the summary says why.
      return d.confidence === 'low' ? d.summary : L.none(d.confidence === 'high');
    case 'vxlan-checksum-drop':
      return L.vxlan(
        syn
          ? L.synsTo(syn.server)
          : f && 'name' in f
            ? L.dnsFor(String(f.name), 'attemptList' in f ? f.attemptList.filter((a) => a.outerChecksum === 'bad').length : 2)
            : L.tunnelled,
        delay,
      );
    case 'syn-dropped':
      return syn
        ? L.synDropped(syn.server, syn.attempts, syn.outcome === 'established' ? syn.delaySec : null, syn.gaveUpSec ?? null)
        : d.summary;
    case 'synack-lost':
      return syn ? L.synackLost(syn.server, delay) : d.summary;
    case 'connection-refused':
      return f?.kind === 'connection-refused'
        ? L.refused(
            f.server,
            f.answer === 'rst' ? L.rst : L.icmp,
            findings.filter((x) => x.kind === 'connection-refused' && x.server === f.server).length,
          )
        : d.summary;
    case 'mtu-blackhole':
      return f?.kind === 'mtu-blackhole' ? L.mtu(f.from, f.lostSize) : d.summary;
    case 'transfer-stalled':
      return f?.kind === 'transfer-stalled' ? L.stalled(f.to, f.stalledSec) : d.summary;
    case 'dns-delayed':
      return f?.kind === 'dns-retried' ? L.dnsDelayed(f.name, f.delaySec) : d.summary;
    case 'dns-unanswered':
      return f && 'name' in f ? L.dnsUnanswered(String(f.name)) : d.summary;
    case 'checksum-errors':
      return L.checksums;
    default:
      return d.summary;
  }
}
