/**
 * Text renderings of header fields (addresses, flags, numbers), shared by protocol modules, the
 * packet detail, summaries and filters. Only called for frames that need text.
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from './layers';

/** `0x` and `w` hex digits. */
export function hex(v: number, w = 4): string {
  return `0x${v.toString(16).padStart(w, '0')}`;
}

/** aa:bb:cc:dd:ee:ff of 6 bytes at `o`. */
export function macString(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + (b[o + i] ?? 0).toString(16).padStart(2, '0');
  return s;
}

/** Dotted quad of 4 bytes at `o`. */
export function ipv4String(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text of 16 bytes at `o` (longest zero run of two or more words compressed). */
export function ipv6String(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(((b[o + 2 * i] ?? 0) << 8) | (b[o + 2 * i + 1] ?? 0));
  let bestS = -1;
  let bestL = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestL && j - i > 1) {
      bestS = i;
      bestL = j - i;
    }
    i = j;
  }
  const h = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestS < 0) return h(w);
  return `${h(w.slice(0, bestS))}::${h(w.slice(bestS + bestL))}`;
}

/** "ip:port" (IPv6 as "[ip]:port"). */
export function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Filter names of TCP flag bits (tcp.flags.syn ...). */
export const TCP_FLAG_BITS: Record<string, number> = {
  fin: TCP_FIN,
  syn: TCP_SYN,
  reset: TCP_RST,
  push: TCP_PSH,
  ack: TCP_ACK,
  urg: TCP_URG,
  ae: 0x100,
};

/** tcpdump-style flag letters: S, F, R, P, . (ACK). */
export function tcpFlagString(f: number): string {
  let s = '';
  if (f & TCP_SYN) s += 'S';
  if (f & TCP_FIN) s += 'F';
  if (f & TCP_RST) s += 'R';
  if (f & TCP_PSH) s += 'P';
  if (f & TCP_URG) s += 'U';
  if (f & TCP_ACK) s += '.';
  return s || 'none';
}

/** Wireshark-style flag names: SYN, SYN, ACK ... */
export function tcpFlagNames(f: number): string {
  const n: string[] = [];
  if (f & TCP_FIN) n.push('FIN');
  if (f & TCP_SYN) n.push('SYN');
  if (f & TCP_RST) n.push('RST');
  if (f & TCP_PSH) n.push('PSH');
  if (f & TCP_ACK) n.push('ACK');
  if (f & TCP_URG) n.push('URG');
  return n.join(', ') || 'none';
}

/** Largest |seconds| a JavaScript Date can hold (±8.64e15 ms). */
const MAX_DATE_SEC = 8.64e12;

/**
 * An absolute capture timestamp as `YYYY-MM-DD hh:mm:ss.ssssss UTC`, or, when a file's
 * timestamps are out of any calendar's range (crafted `if_tsresol`/`if_tsoffset`), the raw
 * seconds with "out of range": never a throw.
 */
export function formatTimestamp(ts: number, lang: 'en' | 'zh' = 'en'): string {
  if (!Number.isFinite(ts) || Math.abs(ts) >= MAX_DATE_SEC) {
    const v = Number.isFinite(ts) ? ts.toExponential(6) : String(ts);
    return lang === 'zh' ? `${v} 秒（超出范围）` : `${v} s (out of range)`;
  }
  const sec = Math.floor(ts);
  const us = Math.round((ts - sec) * 1e6);
  const iso = new Date((sec + Math.floor(us / 1e6)) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us % 1e6).padStart(6, '0')} UTC`;
}
