/**
 * The checksum engine: every verdict (good, bad, zero, partial, unverified) is decided here, from
 * the protocols' {@link ChecksumSpec}s, for dissected frames and for reassembled datagrams alike.
 * Anonymisation and the packet detail read the same facts (pseudo-header sums, reasons).
 *
 * Never "bad" for what is not corruption:
 *   zero        a UDP field of 0 means "not computed" (RFC 768); over IPv6 only tunnels may
 *   partial     transmit offload left the pseudo-header sum (with the length, or without it for
 *               GSO); a tunnel's outer UDP checksum that verifies once the inner partial fields
 *               are completed (local checksum offload); an IPv4 header checksum of 0 on a TSO
 *               super-frame or beside a partial transport checksum (header checksum offload)
 *   unverified  bytes missing: snaplen, fragments, ICMP quotes cut short, damaged headers
 */
import { fold, neg16, pseudoSum4, pseudoSum6, sum16, swap16 } from '../checksum';
import type { Dissection } from './dissect';
import { STATUS_CODE, type Check, type CheckStatus, type Layer } from './layers';
import type { ChecksumSpec } from './protocol';

/** Why a verdict is partial, zero or unverified (translatable; English text in reports). */
export const WHY = {
  NONE: 0,
  PSEUDO: 1,
  PSEUDO_NOLEN: 2,
  LCO: 3,
  TSO: 4,
  IPV4_OFFLOAD: 5,
  TRUNCATED: 6,
  QUOTED_CUT: 7,
  FRAGMENT: 8,
  INVALID_IP: 9,
  UDP_LEN: 10,
  ZERO_V6: 11,
  FRAG_CONFLICT: 12,
} as const;

/** Reason texts by {@link WHY} code. */
export const WHY_TEXT: readonly { en: string; zh: string }[] = [
  { en: '', zh: '' },
  { en: 'pseudo-header sum (transmit checksum offload)', zh: '伪首部和（发送校验和卸载）' },
  {
    en: 'pseudo-header sum without the length (segmentation offload)',
    zh: '不含长度的伪首部和（分段卸载）',
  },
  {
    en: 'local checksum offload (verifies once the inner checksum is completed)',
    zh: '本地校验和卸载（补全内层校验和后即可通过验证）',
  },
  { en: 'segmentation offload super-frame (the NIC fills it in)', zh: '分段卸载超大帧（由网卡填写）' },
  {
    en: 'IPv4 header checksum left to the NIC (its transport checksum is offloaded too)',
    zh: 'IPv4 首部校验和留给网卡计算（其传输层校验和同样被卸载）',
  },
  { en: 'truncated', zh: '被截断' },
  { en: 'quoted in an ICMP error, cut short', zh: '引用在 ICMP 差错报文中，不完整' },
  { en: 'IP fragment', zh: 'IP 分片' },
  { en: 'invalid IP header', zh: 'IP 首部无效' },
  { en: 'UDP length disagrees with IP', zh: 'UDP 长度与 IP 不一致' },
  { en: 'zero over IPv6', zh: 'IPv6 上的零校验和' },
  { en: 'overlapping fragments disagree', zh: '重叠的分片内容不一致' },
];

/** A verdict decided from sums (shared by frames and reassembled datagrams). */
export interface Verdict {
  status: CheckStatus;
  computed: number;
  why: number;
}

/**
 * Classify a transport checksum into `out` (reused: nothing allocated per packet). `pseudo` is
 * the unfolded pseudo-header sum (0 for ICMPv4), `pseudoNoLen` the same without the length, `raw`
 * the unfolded sum of the covered bytes as they are (field included).
 */
export function classify(
  spec: ChecksumSpec,
  stored: number,
  pseudo: number,
  pseudoNoLen: number,
  raw: number,
  out: Verdict,
): Verdict {
  const total = fold(pseudo + raw);
  let computed = neg16(fold(pseudo + raw + neg16(stored)));
  if (spec.zeroIsNone && computed === 0) computed = 0xffff; // 0 means "none" in UDP (RFC 768)
  out.computed = computed;
  out.why = WHY.NONE;
  out.status = 'bad';
  if (total === 0xffff) out.status = 'good';
  else if (spec.pseudoProto) {
    // Transmit offload: the field holds the folded pseudo-header sum, not yet completed.
    if (stored === fold(pseudo)) {
      out.status = 'partial';
      out.why = WHY.PSEUDO;
    } else if (stored === fold(pseudoNoLen)) {
      out.status = 'partial';
      out.why = WHY.PSEUDO_NOLEN;
    }
  }
  return out;
}

/** Unfolded pseudo-header sum of a transport layer over IP layer `ip` (0 without a pseudo-header). */
export function pseudoSum(b: Uint8Array, spec: ChecksumSpec, ip: Layer, len: number): number {
  if (!spec.pseudoProto) return 0;
  return ip.ipVersion === 4
    ? pseudoSum4(b, ip.srcOff, ip.pseudoDstOff, spec.pseudoProto, len)
    : pseudoSum6(b, ip.srcOff, ip.pseudoDstOff, spec.pseudoProto, len);
}

/** The same sum without the length (what GSO leaves in the field). */
export function withoutLength(pseudo: number, spec: ChecksumSpec, len: number): number {
  return spec.pseudoProto ? pseudo - (len & 0xffff) - Math.floor(len / 0x10000) : 0;
}

/** Both pseudo-header sums, for callers off the hot path. */
export function pseudoSums(b: Uint8Array, spec: ChecksumSpec, ip: Layer, len: number): { withLen: number; noLen: number } {
  const withLen = pseudoSum(b, spec, ip, len);
  return { withLen, noLen: withoutLength(withLen, spec, len) };
}

/** End of the bytes a transport checksum covers. */
export function coverEnd(spec: ChecksumSpec, l: Layer, ip: Layer): number {
  return spec.cover === 'udp-length' ? l.claimedEnd : ip.claimedEnd;
}

/** Range-sum cache entry: a folded sum over [start, end) reused by enclosing checksums. */
interface Span {
  start: number;
  end: number;
  sum: number;
}

/**
 * Verifies every checksum of a dissection, innermost first, so that an enclosing checksum reuses
 * the inner ranges' sums (each byte summed once) and can apply local-checksum-offload corrections.
 * One per dissector: it keeps a pool of spans between frames and allocates nothing per frame.
 */
export class ChecksumEngine {
  private b: Uint8Array = new Uint8Array(0);
  private readonly v: Verdict = { status: 'good', computed: 0, why: 0 };
  private readonly spans: Span[] = [];
  private nSpans = 0;

  verifyAll(d: Dissection): void {
    this.b = d.data;
    this.nSpans = 0;
    for (let i = d.nChecks - 1; i >= 0; i--) {
      const c = d.checks[i]!;
      const l = d.layers[c.layerIndex]!;
      if (c.spec!.cover === 'ipv4-header') this.verifyIpv4(d, c, l, i);
      else this.verifyL4(d, c, l, i);
    }
  }

  private set(c: Check, status: CheckStatus, why: number = WHY.NONE): void {
    c.status = status;
    c.statusCode = STATUS_CODE[status];
    c.why = why;
    c.reason = WHY_TEXT[why]!.en;
  }

  private verifyIpv4(d: Dissection, c: Check, l: Layer, index: number): void {
    const b = this.b;
    const hlen = (b[l.start]! & 0x0f) * 4;
    if (l.start + hlen > b.length || c.stored < 0) return this.set(c, 'unverified', WHY.TRUNCATED);
    const s = sum16(b, l.start, l.start + hlen);
    c.computed = neg16(fold(s + neg16(c.stored)));
    if (fold(s) === 0xffff) return this.set(c, 'good');
    if (c.stored === 0) {
      // A TSO/GSO super-frame (total length 0) is captured before the NIC writes each segment's
      // header checksum: 0 there is an offload artefact, not corruption.
      if (l.tso) return this.set(c, 'partial', WHY.TSO);
      // Header checksum offload: the sender left the IPv4 checksum to the NIC, as it did the
      // transport checksum of the same packet (already verified: it comes later in the list).
      for (let j = index + 1; j < d.nChecks; j++) {
        const t = d.checks[j]!;
        if (t.status === 'partial' && !t.quoted && d.layers[t.layerIndex]!.ipIndex === c.layerIndex && t.spec!.pseudoProto) {
          return this.set(c, 'partial', WHY.IPV4_OFFLOAD);
        }
      }
    }
    this.set(c, 'bad');
  }

  private verifyL4(d: Dissection, c: Check, l: Layer, index: number): void {
    const spec = c.spec!;
    const cut = c.quoted ? WHY.QUOTED_CUT : WHY.TRUNCATED;
    if (c.stored < 0) return this.set(c, 'unverified', cut);
    const ip = d.layers[l.ipIndex]!;
    if (ip.fragment) return this.set(c, 'unverified', WHY.FRAGMENT);
    if (ip.invalid) return this.set(c, 'unverified', WHY.INVALID_IP);
    if (spec.zeroIsNone && c.stored === 0) return this.set(c, 'zero', ip.ipVersion === 6 ? WHY.ZERO_V6 : WHY.NONE);
    if (spec.cover === 'udp-length' && l.invalid) return this.set(c, 'unverified', WHY.UDP_LEN);
    const start = l.start;
    const end = coverEnd(spec, l, ip);
    // A quoted packet is verifiable only when the ICMP error quotes all of it.
    if (end > this.b.length || end > ip.end) return this.set(c, 'unverified', cut);
    const pseudo = pseudoSum(this.b, spec, ip, end - start);
    const raw = this.rangeSum(start, end);
    const v = classify(spec, c.stored, pseudo, withoutLength(pseudo, spec, end - start), raw, this.v);
    c.computed = v.computed;
    if (v.status === 'bad' && c.tunnelOuter && this.verifiesAfterInnerCompletion(d, start, end, pseudo + raw, index)) {
      return this.set(c, 'partial', WHY.LCO);
    }
    this.set(c, v.status, v.why);
  }

  /** Sum of b[start, end), reusing the largest cached inner span. */
  private rangeSum(start: number, end: number): number {
    let best: Span | null = null;
    for (let i = 0; i < this.nSpans; i++) {
      const s = this.spans[i]!;
      if (s.start >= start && s.end <= end && (!best || s.end - s.start > best.end - best.start)) best = s;
    }
    const b = this.b;
    let sum: number;
    if (best) {
      const inner = (best.start - start) & 1 ? swap16(best.sum) : best.sum;
      // The bytes before the span end at an odd boundary only if the span starts oddly; sum16
      // pads a trailing odd byte as a high byte, which is exactly its position in the word.
      sum = sum16(b, start, best.start) + inner + this.sumFrom(best.end, end, (best.end - start) & 1);
    } else sum = sum16(b, start, end);
    const folded = fold(sum);
    let slot = this.spans[this.nSpans];
    if (!slot) {
      slot = { start: 0, end: 0, sum: 0 };
      this.spans.push(slot);
    }
    slot.start = start;
    slot.end = end;
    slot.sum = folded;
    this.nSpans++;
    return folded;
  }

  /** Sum of b[start, end) as positioned at parity `odd` relative to the enclosing start. */
  private sumFrom(start: number, end: number, odd: number): number {
    if (!odd) return sum16(this.b, start, end);
    if (start >= end) return 0;
    // First byte is the low byte of a word; the rest is word-aligned again.
    return this.b[start]! + sum16(this.b, start + 1, end);
  }

  /**
   * Local checksum offload: the outer UDP checksum was computed as if every inner partial
   * checksum already held its final value. Substitute each inner partial field's computed
   * value and test the outer sum again (one's-complement arithmetic makes this a delta).
   */
  private verifiesAfterInnerCompletion(d: Dissection, start: number, end: number, sum: number, index: number): boolean {
    let corrected = sum;
    let any = false;
    for (let j = index + 1; j < d.nChecks; j++) {
      const ic = d.checks[j]!;
      if (
        ic.status !== 'partial' ||
        ic.quoted ||
        ic.spec!.cover === 'ipv4-header' ||
        ic.fieldOff < start ||
        ic.fieldOff + 2 > end
      )
        continue;
      const odd = (ic.fieldOff - start) & 1;
      const oldV = odd ? swap16(ic.stored) : ic.stored;
      const newV = odd ? swap16(ic.computed) : ic.computed;
      corrected += neg16(oldV) + newV;
      any = true;
    }
    return any && fold(corrected) === 0xffff;
  }
}
