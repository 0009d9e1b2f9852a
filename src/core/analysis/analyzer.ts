/**
 * Turns dissected frames into findings, in one streaming pass: connection attempts keyed by
 * innermost client/server/ISN, DNS queries keyed by id and question, retransmitted data, and
 * checksum evidence. State per frame is a handful of map entries for SYNs, DNS and TCP flows;
 * nothing holds packet bytes.
 */
import type { Dissection } from '../decode/dissect';
import { endpoint, innermostIp, ipAddr, summarize } from '../decode/format';
import { K, TCP_ACK, TCP_RST, TCP_SYN, type Check, type CheckLayer, type CheckStatus, type Layer } from '../decode/layers';
import type { CaptureInfo } from '../capture/reader';
import { captureError } from '../capture/messages';
import type { ReassembledCheck } from '../decode/reassembly';
import {
  emptyCounts,
  type Attempt,
  type CaptureSummary,
  type CheckReport,
  type DnsFinding,
  type Finding,
  type FrameReport,
  type OuterState,
  type Report,
  type SimpleFinding,
  type StatusCounts,
  type SynRetryFinding,
} from '../report';
import { classifyLadder, nextAttemptOffset, tolerance } from './ladder';
import { diagnose } from './diagnose';
import type { Lang } from './i18n';
import { t } from './i18n';

/** Options of an analysis run. */
export interface AnalyzeOptions {
  /** Include per-frame checksum detail (`frames`) in the report. */
  frames?: boolean;
  /**
   * Receive each frame's checksum detail as it is decoded instead of collecting `frames` in the
   * report (streaming output: memory stays flat whatever the capture size).
   */
  onFrame?: (f: FrameReport) => void;
  lang?: Lang;
  /** Cap on frames listed in one finding (evidence stays complete in counts). */
  maxFindingFrames?: number;
}

interface Tx {
  frame: number;
  ts: number;
  /** Transmission identity: IPv4 id, else -1. */
  ipId: number;
  tsVal: number;
  outer: OuterState;
  outerStored: number | null;
  outerComputed: number | null;
  tunnelPort: number | null;
  tunnelIpv6: boolean;
  inner: CheckStatus | 'none';
  sig: string;
}

interface Conn {
  client: string;
  server: string;
  isn: number;
  attempts: Tx[];
  answer: { kind: 'synack' | 'rst'; frame: number; ts: number } | null;
  synacks: Tx[];
}

interface DnsGroup {
  client: string;
  server: string;
  name: string;
  qtype: number;
  queries: Tx[];
  /** Query ids (with client port) that were answered. */
  answeredKeys: Set<string>;
  pending: Map<string, Tx[]>;
  rejected: { from: string; icmpType: number; icmpCode: number; frames: number[] } | null;
}

interface Flow {
  maxEnd: number;
  recent: number[];
  retrans: number[];
  retransCount: number;
  client: string;
  server: string;
}

interface CaptureState {
  summary: CaptureSummary;
  conns: Map<string, Conn>;
  latestByPair: Map<string, Conn>;
  dns: Map<string, DnsGroup>;
  dnsByQuery: Map<string, DnsGroup>;
  flows: Map<string, Flow>;
  synSig: Map<string, number>;
  dnsSig: Map<string, number>;
  tunnelBad: number[];
  tunnelBadCount: number;
  bad: Map<string, { layer: CheckLayer; depth: number; frames: number[]; count: number }>;
  partial: number[];
  partialCount: number;
  lastPartial: number;
  lastTs: number;
}

const RECENT_IDS = 8;
/** Two copies of one transmission (e.g. `-i any` inside and outside the tunnel) are this close. */
const DUP_WINDOW_SEC = 1;

/** Streaming analysis over one or more captures. */
export class Analyzer {
  private readonly caps: CaptureState[] = [];
  private readonly counts = emptyCounts();
  /** Counts of checksums inside tunnels (depth >= 1); outer = counts - innerCounts. */
  private readonly innerCounts = emptyCounts();
  private readonly frames: FrameReport[] | null;
  private readonly onFrame: ((f: FrameReport) => void) | null;
  private readonly lang: Lang;
  private readonly maxFrames: number;
  /** The frame being analysed (reused: no closure per frame). */
  private readonly cur: {
    n: number;
    ts: number;
    d: Dissection | null;
    ip: Layer | null;
    tl: Layer | null;
    outer: Check | null;
    ipI: number;
  } = {
    n: 0,
    ts: 0,
    d: null,
    ip: null,
    tl: null,
    outer: null,
    ipI: 0,
  };

  constructor(opts: AnalyzeOptions = {}) {
    this.onFrame = opts.onFrame ?? null;
    this.frames = opts.frames && !this.onFrame ? [] : null;
    this.lang = opts.lang ?? 'en';
    this.maxFrames = opts.maxFindingFrames ?? 500;
  }

  /** Start a capture; returns its index. */
  beginCapture(file: string): number {
    this.caps.push({
      summary: {
        file,
        format: 'unknown',
        compressed: false,
        linkTypes: [],
        packets: 0,
        bytes: 0,
        start: null,
        end: null,
        errors: [],
        undecoded: 0,
      },
      conns: new Map(),
      latestByPair: new Map(),
      dns: new Map(),
      dnsByQuery: new Map(),
      flows: new Map(),
      synSig: new Map(),
      dnsSig: new Map(),
      tunnelBad: [],
      tunnelBadCount: 0,
      bad: new Map(),
      partial: [],
      partialCount: 0,
      lastPartial: 0,
      lastTs: -Infinity,
    });
    return this.caps.length - 1;
  }

  /** Record capture-level facts once its reader has finished. */
  endCapture(
    cap: number,
    info: CaptureInfo,
    compressed: boolean,
    extraErrors: { code: string; message: string; offset: number }[] = [],
  ): void {
    const s = this.caps[cap]!.summary;
    s.format = info.format;
    s.compressed = compressed;
    s.linkTypes = info.linkTypes.slice();
    for (const e of [...info.errors, ...extraErrors]) s.errors.push({ ...e });
  }

  /** Count a frame whose link type is not decoded. */
  addUndecoded(cap: number, n: number, ts: number, len: number, linkType: number): void {
    const st = this.caps[cap]!;
    this.countFrame(st, ts, len);
    if (st.summary.undecoded++ === 0) {
      st.summary.errors.push(captureError('unsupported-link-type', { lt: linkType, n }, -1));
    }
    this.emitFrame({ capture: cap, n, ts, len, summary: `link type ${linkType} (not decoded)`, checks: [] });
  }

  /** Count a non-packet record (pcapng custom block) so frame numbers match Wireshark's. */
  addRecordOnly(cap: number, n: number, len: number, what: string): void {
    const st = this.caps[cap]!;
    st.summary.packets++;
    st.summary.bytes += len;
    this.emitFrame({ capture: cap, n, ts: 0, len, summary: what, checks: [] });
  }

  private emitFrame(fr: FrameReport): void {
    if (this.onFrame) this.onFrame(fr);
    else this.frames?.push(fr);
  }

  private countFrame(st: CaptureState, ts: number, len: number): void {
    const s = st.summary;
    s.packets++;
    s.bytes += len;
    if (s.start === null || ts < s.start) s.start = ts;
    if (s.end === null || ts > s.end) s.end = ts;
    st.lastTs = Math.max(st.lastTs, ts);
  }

  /** Analyse one dissected frame. `n` is its 1-based number within capture `cap`. */
  addFrame(cap: number, n: number, ts: number, d: Dissection, reassembled: ReassembledCheck | null = null): void {
    const st = this.caps[cap]!;
    this.countFrame(st, ts, d.data.length);
    const counts = this.counts;
    let outerIdx = -1;
    for (let i = 0; i < d.nChecks; i++) {
      const c = d.checks[i]!;
      (counts[c.layer] as StatusCounts)[c.status]++;
      if (c.depth > 0) (this.innerCounts[c.layer] as StatusCounts)[c.status]++;
      if (c.tunnelOuter && outerIdx < 0) outerIdx = i;
      if (c.status === 'bad') {
        if (c.tunnelOuter) {
          st.tunnelBadCount++;
          pushCapped(st.tunnelBad, n, this.maxFrames);
        } else {
          const key = `${c.layer}@${c.depth}`;
          let g = st.bad.get(key);
          if (!g) st.bad.set(key, (g = { layer: c.layer, depth: c.depth, frames: [], count: 0 }));
          g.count++;
          pushCapped(g.frames, n, this.maxFrames);
        }
      } else if (c.status === 'partial' && st.lastPartial !== n) {
        st.lastPartial = n;
        st.partialCount++;
        pushCapped(st.partial, n, this.maxFrames);
      }
    }
    if (reassembled) {
      (counts[reassembled.layer] as StatusCounts)[reassembled.status]++;
      if (reassembled.depth > 0) (this.innerCounts[reassembled.layer] as StatusCounts)[reassembled.status]++;
      if (reassembled.status === 'bad') {
        const key = `${reassembled.layer}@${reassembled.depth}`;
        let g = st.bad.get(key);
        if (!g) st.bad.set(key, (g = { layer: reassembled.layer, depth: reassembled.depth, frames: [], count: 0 }));
        g.count++;
        pushCapped(g.frames, n, this.maxFrames);
      }
    }
    if (this.frames || this.onFrame) {
      const fr = frameReport(cap, n, ts, d);
      if (reassembled) {
        const r = reassembled;
        fr.checks.push({
          layer: r.layer,
          depth: r.depth,
          status: r.status,
          stored: r.stored,
          computed: r.computed >= 0 ? r.computed : null,
          reason: r.reason,
          reassembled: true,
        });
      }
      this.emitFrame(fr);
    }

    const ipI = innermostIp(d);
    if (ipI < 0) return;
    const ip = d.layers[ipI]!;
    const tl = d.layers[ipI + 1];
    if (!tl || tl.quoted || ip.fragOffset > 0) return;
    const outer = outerIdx >= 0 ? d.checks[outerIdx]! : null;
    const c = this.cur;
    c.n = n;
    c.ts = ts;
    c.d = d;
    c.ip = ip;
    c.tl = tl;
    c.outer = outer;
    c.ipI = ipI;
    if ((tl.kind === K.ICMP || tl.kind === K.ICMPV6) && d.layers[ipI + 2]?.quoted) this.icmpError(st, d, ip, tl, ipI + 2, n);
    else if (tl.kind === K.TCP && tl.hdrEnd - tl.start >= 20) this.tcp(st, d, ip, tl, n, ts);
    else if (tl.kind === K.UDP) {
      const dns = d.layers[ipI + 2];
      if (dns && dns.kind === K.DNS && !dns.truncated) this.dnsFrame(st, d, ip, tl, dns);
    }
  }

  /** One transmission of the current frame (see addFrame), identified by `sig`. */
  private tx(sig: string): Tx {
    const { n, ts, outer, ipI } = this.cur;
    const d = this.cur.d!;
    const ip = this.cur.ip!;
    const tl = this.cur.tl!;
    return {
      frame: n,
      ts,
      ipId: ip.ipVersion === 4 ? ip.ipId : -1,
      tsVal: tl.tsVal,
      outer: outer ? outer.status : 'none',
      outerStored: outer ? outer.stored : null,
      outerComputed: outer && outer.computed >= 0 ? outer.computed : null,
      tunnelPort: outer ? d.layers[outer.layerIndex]!.dstPort : null,
      tunnelIpv6: outer ? d.layers[d.layers[outer.layerIndex]!.ipIndex]?.ipVersion === 6 : false,
      inner: innerStatus(d, ipI + 1),
      sig,
    };
  }

  private tcp(st: CaptureState, d: Dissection, ip: Layer, tl: Layer, n: number, ts: number): void {
    const f = tl.tcpFlags;
    if (f & TCP_SYN) {
      const src = endpoint(ipAddr(d, ip, 'src'), tl.srcPort);
      const dst = endpoint(ipAddr(d, ip, 'dst'), tl.dstPort);
      if (!(f & TCP_ACK)) {
        const key = `${src}>${dst}#${tl.seq}`;
        let c = st.conns.get(key);
        if (!c) {
          c = { client: src, server: dst, isn: tl.seq, attempts: [], answer: null, synacks: [] };
          st.conns.set(key, c);
        }
        st.latestByPair.set(`${src}>${dst}`, c);
        const sig = `S${tl.seq}|${ip.ipVersion === 4 ? ip.ipId : ''}|${tl.tsVal}`;
        if (!st.synSig.has(sig)) st.synSig.set(sig, n);
        mergeTx(c.attempts, this.tx(sig));
      } else {
        const c = st.conns.get(`${dst}>${src}#${(tl.ack - 1) >>> 0}`);
        if (c) mergeTx(c.synacks, this.tx(`A${tl.seq}`));
      }
      return;
    }
    if (f & TCP_RST) {
      const src = endpoint(ipAddr(d, ip, 'src'), tl.srcPort);
      const dst = endpoint(ipAddr(d, ip, 'dst'), tl.dstPort);
      const c = st.latestByPair.get(`${dst}>${src}`);
      if (c && !c.answer && !c.synacks.length) c.answer = { kind: 'rst', frame: n, ts };
      return;
    }
    if (tl.payloadLen <= 0) return;
    // Data retransmission: a segment ending at or before the highest sequence already sent.
    const key = `${ipAddr(d, ip, 'src')}:${tl.srcPort}>${ipAddr(d, ip, 'dst')}:${tl.dstPort}`;
    let fl = st.flows.get(key);
    const end = (tl.seq + tl.payloadLen) >>> 0;
    const id = ip.ipVersion === 4 ? ip.ipId : tl.tsVal;
    if (!fl) {
      fl = {
        maxEnd: end,
        recent: [],
        retrans: [],
        retransCount: 0,
        client: endpoint(ipAddr(d, ip, 'src'), tl.srcPort),
        server: endpoint(ipAddr(d, ip, 'dst'), tl.dstPort),
      };
      st.flows.set(key, fl);
    } else if (((end - fl.maxEnd) | 0) <= 0) {
      // A keep-alive (one byte just below the next sequence number) is not a retransmission.
      const keepAlive = tl.payloadLen <= 1 && end === fl.maxEnd;
      if (!keepAlive && !fl.recent.includes(id)) {
        fl.retransCount++;
        pushCapped(fl.retrans, n, this.maxFrames);
      }
    } else fl.maxEnd = end;
    fl.recent.push(id);
    if (fl.recent.length > RECENT_IDS) fl.recent.shift();
  }

  private dnsFrame(st: CaptureState, d: Dissection, ip: Layer, tl: Layer, dns: Layer): void {
    const srcIp = ipAddr(d, ip, 'src');
    const dstIp = ipAddr(d, ip, 'dst');
    const isResponse = (dns.dnsFlags & 0x8000) !== 0;
    if (!isResponse) {
      const gkey = `${srcIp}>${dstIp}#${dns.dnsQname}#${dns.dnsQtype}`;
      let g = st.dns.get(gkey);
      if (!g) {
        g = {
          client: srcIp,
          server: endpoint(dstIp, tl.dstPort),
          name: dns.dnsQname,
          qtype: dns.dnsQtype,
          queries: [],
          answeredKeys: new Set(),
          pending: new Map(),
          rejected: null,
        };
        st.dns.set(gkey, g);
      }
      const qkey = `${srcIp}:${tl.srcPort}>${dstIp}:${tl.dstPort}#${dns.dnsId}#${dns.dnsQname}`;
      st.dnsByQuery.set(qkey, g);
      const sig = `D${dns.dnsId}|${dns.dnsQname}|${ip.ipVersion === 4 ? ip.ipId : ''}`;
      if (!st.dnsSig.has(sig)) st.dnsSig.set(sig, this.tx(sig).frame);
      const one = this.tx(sig);
      if (mergeTx(g.queries, one)) {
        let p = g.pending.get(qkey);
        if (!p) g.pending.set(qkey, (p = []));
        p.push(one);
      }
    } else {
      const qkey = `${dstIp}:${tl.dstPort}>${srcIp}:${tl.srcPort}#${dns.dnsId}#${dns.dnsQname}`;
      const g = st.dnsByQuery.get(qkey);
      if (g) {
        g.answeredKeys.add(qkey);
        g.pending.delete(qkey);
      }
    }
  }

  /**
   * SYN and DNS transmissions seen in both captures. Zero means the two files do not cover the
   * same traffic (or not the same time): no two-point conclusion may be drawn from them.
   */
  private overlap(): number {
    if (this.caps.length !== 2) return -1;
    const [a, b] = this.caps as [CaptureState, CaptureState];
    let n = 0;
    for (const k of a.synSig.keys()) if (b.synSig.has(k)) n++;
    for (const k of a.dnsSig.keys()) if (b.dnsSig.has(k)) n++;
    return n;
  }

  /** An ICMP error quoting a DNS query: the query was refused, not lost. */
  private icmpError(st: CaptureState, d: Dissection, ip: Layer, icmp: Layer, qi: number, n: number): void {
    const qip = d.layers[qi]!;
    const qudp = d.layers[qi + 1];
    const qdns = d.layers[qi + 2];
    if (!qudp || qudp.kind !== K.UDP || !qdns || qdns.kind !== K.DNS || qdns.dnsFlags & 0x8000) return;
    const key = `${ipAddr(d, qip, 'src')}:${qudp.srcPort}>${ipAddr(d, qip, 'dst')}:${qudp.dstPort}#${qdns.dnsId}#${qdns.dnsQname}`;
    const g = st.dnsByQuery.get(key);
    if (!g) return;
    if (!g.rejected) g.rejected = { from: ipAddr(d, ip, 'src'), icmpType: icmp.icmpType, icmpCode: icmp.icmpCode, frames: [] };
    pushCapped(g.rejected.frames, n, this.maxFrames);
  }

  /**
   * Build findings, two-capture matches and the diagnosis. May be called again with another
   * language: the state is not consumed.
   */
  finish(lang: Lang = this.lang): Report {
    const findings: Finding[] = [];
    const L = t(lang);
    // Two captures are compared only when they share traffic. An unrelated, empty or unreadable
    // second capture shares none, and comparing would make every attempt look "lost before the
    // second point"; its findings then carry no `delivered`.
    const overlap = this.overlap();
    this.caps.forEach((st, cap) => {
      const other = overlap > 0 ? this.caps[1 - cap]! : null;
      for (const c of st.conns.values()) {
        if (c.attempts.length < 2) continue;
        findings.push(this.synFinding(st, cap, c, other, lang));
      }
      for (const g of st.dns.values()) {
        const f = this.dnsFinding(st, cap, g, other, lang);
        if (f) findings.push(f);
      }
      if (st.tunnelBad.length) {
        findings.push({
          kind: 'tunnel-checksum-bad',
          severity: 'error',
          title: L.tunnelBadTitle(st.tunnelBadCount),
          capture: cap,
          frames: st.tunnelBad,
          count: st.tunnelBadCount,
        });
      }
      for (const g of st.bad.values()) {
        findings.push({
          kind: 'checksum-bad',
          severity: 'warning',
          title: L.checksumBadTitle(g.layer, g.depth, g.count),
          capture: cap,
          frames: g.frames,
          count: g.count,
          layer: g.layer,
          depth: g.depth,
        });
      }
      for (const c of st.conns.values()) {
        if (c.synacks.length < 2) continue;
        findings.push({
          kind: 'synack-retry',
          severity: 'warning',
          title: L.synAckRetryTitle(c.server, c.client, c.synacks.length),
          capture: cap,
          frames: c.synacks.map((x) => x.frame),
          count: c.synacks.length,
          client: c.client,
          server: c.server,
        });
      }
      for (const fl of st.flows.values()) {
        if (!fl.retrans.length) continue;
        const fr: SimpleFinding = {
          kind: 'tcp-retransmission',
          severity: 'info',
          title: L.retransTitle(fl.client, fl.server, fl.retransCount),
          capture: cap,
          frames: fl.retrans,
          count: fl.retransCount,
          client: fl.client,
          server: fl.server,
        };
        findings.push(fr);
      }
      if (st.partial.length) {
        findings.push({
          kind: 'checksum-offload',
          severity: 'info',
          title: L.offloadTitle(st.partialCount),
          capture: cap,
          frames: st.partial,
          count: st.partialCount,
        });
      }
    });
    const order: Record<string, number> = {
      'syn-retry': 0,
      'dns-unanswered': 1,
      'tunnel-checksum-bad': 2,
      'checksum-bad': 3,
      'synack-retry': 4,
      'tcp-retransmission': 5,
      'checksum-offload': 6,
    };
    findings.sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9) || weight(b) - weight(a) || a.capture - b.capture);
    const report: Report = {
      version: 1,
      lang,
      captures: this.caps.map((c) => c.summary),
      checksums: this.counts,
      checksumsInner: this.innerCounts,
      findings,
      diagnosis: diagnose(
        findings,
        this.caps.map((c) => c.summary),
        lang,
        overlap,
      ),
    };
    if (this.caps.length === 2) report.captureOverlap = overlap;
    if (this.frames) report.frames = this.frames;
    return report;
  }

  private synFinding(st: CaptureState, cap: number, c: Conn, other: CaptureState | null, lang: Lang): SynRetryFinding {
    const L = t(lang);
    const first = c.attempts[0]!.ts;
    const last = c.attempts[c.attempts.length - 1]!.ts;
    // The answer that counts is the one to the last attempt: an earlier SYN-ACK followed by
    // another SYN never reached the client (lost on the way back).
    const synack = c.synacks.find((a) => a.ts >= last) ?? c.synacks[c.synacks.length - 1];
    if (synack) c.answer = { kind: 'synack', frame: synack.frame, ts: synack.ts };
    const earlyAnswers = c.synacks.filter((a) => a.ts < last).length;
    const offsets = c.attempts.map((a) => a.ts - first);
    const m = classifyLadder(offsets);
    let outcome: SynRetryFinding['outcome'];
    if (c.answer) outcome = c.answer.kind === 'synack' ? 'established' : 'reset';
    else {
      const due = nextAttemptOffset(m, offsets);
      outcome = st.lastTs - first > due + tolerance(due) ? 'failed' : 'unknown';
    }
    const attemptList: Attempt[] = c.attempts.map((a) => toAttempt(a, first, other?.synSig));
    const f: SynRetryFinding = {
      kind: 'syn-retry',
      severity: outcome === 'established' ? 'warning' : 'error',
      title: L.synRetryTitle(c.client, c.server, c.attempts.length, outcome, c.answer ? c.answer.ts - first : null),
      capture: cap,
      frames: c.attempts.map((a) => a.frame),
      client: c.client,
      server: c.server,
      attempts: c.attempts.length,
      outcome,
      delaySec: c.answer ? round6(c.answer.ts - first) : null,
      ladder: m.ladder,
      expectedOffsets: m.expected,
      attemptList,
      answerFrame: c.answer ? c.answer.frame : null,
      answerTs: c.answer ? c.answer.ts : null,
      answersBeforeLastAttempt: earlyAnswers,
    };
    if (other) f.delivered = attemptList.filter((a) => a.delivered).length;
    return f;
  }

  private dnsFinding(st: CaptureState, cap: number, g: DnsGroup, other: CaptureState | null, lang: Lang): DnsFinding | null {
    const pending: Tx[] = [];
    for (const list of g.pending.values()) pending.push(...list);
    if (!pending.length) return null;
    pending.sort((a, b) => a.ts - b.ts);
    // A lone query in the last second of the capture may simply not have been answered yet.
    const waited = st.lastTs - pending[0]!.ts;
    if (pending.length < 2 && waited < 1) return null;
    const first = pending[0]!.ts;
    const attemptList = pending.map((a) => toAttempt(a, first, other?.dnsSig));
    const interval = steadyInterval(attemptList.map((a) => a.offsetSec));
    const f: DnsFinding = {
      kind: 'dns-unanswered',
      severity: g.answeredKeys.size ? 'warning' : 'error',
      title: t(lang).dnsTitle(
        g.name,
        g.server,
        pending.length,
        g.answeredKeys.size,
        g.rejected ? t(lang).icmpName(g.rejected.icmpType, g.rejected.icmpCode) : null,
      ),
      capture: cap,
      frames: pending.map((p) => p.frame),
      name: g.name,
      qtype: g.qtype,
      client: g.client,
      server: g.server,
      queries: pending.length,
      attemptList,
      retryInterval: interval,
      expectedOffsets: interval ? attemptList.map((_, i) => Math.round(i * interval * 1000) / 1000) : [],
    };
    if (other) f.delivered = attemptList.filter((a) => a.delivered).length;
    if (g.rejected) f.rejectedBy = g.rejected;
    return f;
  }
}

/**
 * The retry interval when every gap is within 15 % of the median gap (a resolver timeout such as
 * dig's and glibc's 5 s), rounded to a tenth of a second; null otherwise.
 */
function steadyInterval(offsets: number[]): number | null {
  if (offsets.length < 2) return null;
  const gaps = offsets.slice(1).map((o, i) => o - offsets[i]!);
  const median = gaps.slice().sort((a, b) => a - b)[gaps.length >> 1]!;
  if (median < 0.05 || gaps.some((g) => Math.abs(g - median) > 0.15 * median)) return null;
  return Math.round(median * 10) / 10;
}

function weight(f: Finding): number {
  if (f.kind === 'syn-retry') return f.attempts * 10 + f.attemptList.filter((a) => a.outerChecksum === 'bad').length;
  return f.frames.length;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function pushCapped(a: number[], v: number, cap: number): void {
  if (a.length < cap) a.push(v);
}

/**
 * Add a transmission unless it is a second copy of one already seen (same IP id and TCP
 * timestamp within a second: a `-i any` capture sees a packet inside the tunnel and again on
 * the tunnel device). A tunnelled copy replaces the plain one's outer state. Returns true if new.
 */
function mergeTx(list: Tx[], x: Tx): boolean {
  for (const a of list) {
    if (Math.abs(a.ts - x.ts) > DUP_WINDOW_SEC) continue;
    const sameId = a.ipId >= 0 && x.ipId >= 0 ? a.ipId === x.ipId : Math.abs(a.ts - x.ts) < 0.01;
    if (sameId && a.tsVal === x.tsVal) {
      if (a.outer === 'none' && x.outer !== 'none') {
        a.outer = x.outer;
        a.outerStored = x.outerStored;
        a.outerComputed = x.outerComputed;
        a.tunnelPort = x.tunnelPort;
        a.tunnelIpv6 = x.tunnelIpv6;
      }
      return false;
    }
  }
  list.push(x);
  return true;
}

function toAttempt(a: Tx, first: number, otherSigs: Map<string, number> | undefined): Attempt {
  const at: Attempt = {
    frame: a.frame,
    ts: a.ts,
    offsetSec: round6(a.ts - first),
    outerChecksum: a.outer,
    outerStored: a.outerStored,
    outerComputed: a.outerComputed,
    tunnelPort: a.tunnelPort,
    ...(a.tunnelIpv6 ? { tunnelIpv6: true } : {}),
    innerChecksum: a.inner,
  };
  if (otherSigs) {
    const o = otherSigs.get(a.sig);
    at.delivered = o !== undefined;
    if (o !== undefined) at.otherFrame = o;
  }
  return at;
}

function innerStatus(d: Dissection, layerIndex: number): CheckStatus | 'none' {
  for (let i = 0; i < d.nChecks; i++) if (d.checks[i]!.layerIndex === layerIndex) return d.checks[i]!.status;
  return 'none';
}

/** Per-frame checksum detail for `--frames`. */
export function frameReport(cap: number, n: number, ts: number, d: Dissection): FrameReport {
  const checks: CheckReport[] = [];
  for (let i = 0; i < d.nChecks; i++) {
    const c = d.checks[i]!;
    const r: CheckReport = {
      layer: c.layer,
      depth: c.depth,
      status: c.status,
      stored: c.stored >= 0 ? c.stored : null,
      computed: c.computed >= 0 ? c.computed : null,
    };
    if (c.reason) r.reason = c.reason;
    if (c.tunnelOuter) r.tunnel = true;
    if (c.quoted) r.quoted = true;
    checks.push(r);
  }
  return { capture: cap, n, ts, len: d.data.length, summary: summarize(d), checks };
}
