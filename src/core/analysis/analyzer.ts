/**
 * The analysis driver, one streaming pass: for every dissected frame it counts checksum verdicts,
 * updates the shared trackers (flows, TCP conversations, DNS transactions) and hands the frame to
 * every rule's hook for its kind; at the end each rule makes its findings and the causes make the
 * diagnosis. What the rules are is data: see rules/index.ts and rules/causes/index.ts.
 */
import type { CaptureInfo } from '../capture/reader';
import { captureError } from '../capture/messages';
import type { Dissection } from '../decode/dissect';
import { summarize } from '../decode/format';
import { CHECK_LAYERS, CHECK_STATUSES, K, LAYER_CODE, STATUS_CODE, type CheckLayer } from '../decode/layers';
import type { ReassembledCheck, ReassemblyStats } from '../decode/reassembly';
import { ANALYSIS_RETRANSMISSION, type FilterFn, type FrameMeta } from '../filter';
import {
  emptyCounts,
  type CaptureSummary,
  type CheckReport,
  type Finding,
  type FrameReport,
  type Limits,
  type Report,
  type StatusCounts,
} from '../report';
import { conversationTable, type ConversationTable } from './conversations';
import { diagnose } from './diagnose';
import { Series, type IoSeries } from './series';
import { locate } from './points';
import { Frame } from './frame';
import type { Lang } from './i18n';
import type { FinishCtx, Rule } from './rule';
import { RULES } from './rules';
import { Trackers } from './trackers';

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
  /** Concurrent flows tracked per capture (the idlest are evicted beyond it). */
  maxFlows?: number;
  /** Two captures will be compared: index transmissions for matching (set by the pipeline). */
  compare?: boolean;
  /**
   * A display filter (`tshark -Y`): `frames` lists only the frames it keeps and the report says
   * how many matched. The analysis itself always sees every frame.
   */
  filter?: { expression: string; fn: FilterFn };
}

interface CaptureState {
  summary: CaptureSummary;
  /** Traffic over time (IO graph). */
  series: Series;
  trackers: Trackers;
  states: unknown[];
  errorsNotListed: number;
  frag?: ReassemblyStats;
  /** Checksum verdicts, index layerCode * 5 + statusCode: every depth, and inside tunnels. */
  tally: Float64Array;
  tallyInner: Float64Array;
}

const N_STATUS = CHECK_STATUSES.length;
const BAD = STATUS_CODE.bad;

/** Add a tally (layerCode * 5 + statusCode) into the report's counters. */
function addTally(into: Record<CheckLayer, StatusCounts>, t: Float64Array): void {
  for (let l = 0; l < CHECK_LAYERS.length; l++)
    for (let s = 0; s < N_STATUS; s++) into[CHECK_LAYERS[l]!][CHECK_STATUSES[s]!] += t[l * N_STATUS + s]!;
}

/** Indexes of the rules with a given hook (their states are at the same index). */
const withHook = (h: 'frame' | 'tcp' | 'udp' | 'dns' | 'icmp') => RULES.flatMap((r, i) => (r[h] ? [i] : []));
const FRAME_RULES = withHook('frame');
const TCP_RULES = withHook('tcp');
const UDP_RULES = withHook('udp');
const DNS_RULES = withHook('dns');
const ICMP_RULES = withHook('icmp');

/** Streaming analysis over one or more captures. */
export class Analyzer {
  private readonly caps: CaptureState[] = [];
  private readonly frames: FrameReport[] | null;
  private readonly onFrame: ((f: FrameReport) => void) | null;
  private readonly filter: FilterFn | null;
  private readonly filterExpression: string | null;
  private readonly lang: Lang;
  private readonly maxFrames: number;
  private readonly maxFlows: number | undefined;
  private readonly compare: boolean;
  /** The frame being analysed (reused: no object per frame). */
  private readonly cur = new Frame();
  /** tcp.stream and tcp.analysis flags of the last frame added (for filters). */
  readonly meta: FrameMeta = { stream: -1, flags: 0 };

  constructor(opts: AnalyzeOptions = {}) {
    this.onFrame = opts.onFrame ?? null;
    this.filter = opts.filter?.fn ?? null;
    this.filterExpression = opts.filter?.expression ?? null;
    this.frames = opts.frames && !this.onFrame ? [] : null;
    this.lang = opts.lang ?? 'en';
    this.maxFrames = opts.maxFindingFrames ?? 500;
    this.maxFlows = opts.maxFlows;
    this.compare = opts.compare ?? false;
  }

  /** Start a capture; returns its index. */
  beginCapture(file: string): number {
    const cap = this.caps.length;
    const trackers = new Trackers(this.maxFlows, this.maxFrames, this.compare);
    const st: CaptureState = {
      series: new Series(),
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
        checksums: emptyCounts(),
        checksumsInner: emptyCounts(),
      },
      trackers,
      states: RULES.map((r) => r.create({ cap, trackers, maxFrames: this.maxFrames })),
      errorsNotListed: 0,
      tally: new Float64Array(CHECK_LAYERS.length * N_STATUS),
      tallyInner: new Float64Array(CHECK_LAYERS.length * N_STATUS),
    };
    trackers.flows.onGrow = (capacity) => trackers.tcp.grow(capacity);
    trackers.flows.onEvict = (id) => {
      trackers.tcp.evict(id);
      RULES.forEach((r, i) => r.evict?.(st.states[i], id));
    };
    this.caps.push(st);
    return cap;
  }

  /** Record capture-level facts once its reader has finished. */
  endCapture(
    cap: number,
    info: CaptureInfo,
    compressed: boolean,
    extraErrors: CaptureSummary['errors'] = [],
    frag?: ReassemblyStats,
  ): void {
    const st = this.caps[cap]!;
    const s = st.summary;
    s.format = info.format;
    s.compressed = compressed;
    s.linkTypes = info.linkTypes.slice();
    for (const e of [...info.errors, ...extraErrors]) s.errors.push({ ...e });
    st.errorsNotListed = info.errorsNotListed;
    if (frag) st.frag = frag;
  }

  /** What a capture's bounded state dropped (undefined when nothing was). */
  private limits(st: CaptureState): Limits | undefined {
    const t = st.trackers;
    const l: Limits = {
      errorsNotListed: st.errorsNotListed,
      flowsEvicted: t.flows.evicted,
      connectionsNotKept: t.tcp.retiredDropped,
      handshakesNotTracked: t.tcp.handshakesNotTracked,
      dnsGroupsNotTracked: t.dns.dropped,
      datagramsEvicted: st.frag?.datagramsEvicted,
      fragmentsDiscarded: st.frag?.fragmentsDiscarded,
      fragmentConflicts: st.frag?.conflicts,
      transmissionsNotIndexed: t.sigsDropped(),
    };
    for (const k of Object.keys(l) as (keyof Limits)[]) if (!l[k]) delete l[k];
    return Object.keys(l).length ? l : undefined;
  }

  /** Count a frame whose link type is not decoded. */
  addUndecoded(cap: number, n: number, ts: number, len: number, linkType: number): void {
    const st = this.caps[cap]!;
    this.countFrame(st, ts, len);
    if (st.summary.undecoded++ === 0) st.summary.errors.push(captureError('unsupported-link-type', { lt: linkType, n }, -1));
    if (this.matches(cap, n, ts, null))
      this.emitFrame({ capture: cap, n, ts, len, summary: `link type ${linkType} (not decoded)`, checks: [] });
  }

  /** Count a non-packet record (pcapng custom block) so frame numbers match Wireshark's. */
  addRecordOnly(cap: number, n: number, len: number, what: string): void {
    const st = this.caps[cap]!;
    st.summary.packets++;
    st.summary.bytes += len;
    if (this.matches(cap, n, 0, null)) this.emitFrame({ capture: cap, n, ts: 0, len, summary: what, checks: [] });
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
    if (ts > st.trackers.lastTs) st.trackers.lastTs = ts;
  }

  /** Analyse one dissected frame. `n` is its 1-based number within capture `cap`. */
  addFrame(cap: number, n: number, ts: number, d: Dissection, reassembled: ReassembledCheck | null = null): void {
    const st = this.caps[cap]!;
    this.countFrame(st, ts, d.data.length);
    // Counted by number (layer x status) per capture, all depths and inside tunnels; the report's
    // objects are made from these at finish (totals over the captures, and each capture's own).
    const all = st.tally;
    const inner = st.tallyInner;
    let bad = false;
    for (let i = 0; i < d.nChecks; i++) {
      const c = d.checks[i]!;
      const k = c.layerCode * N_STATUS + c.statusCode;
      all[k] = all[k]! + 1;
      // Inner means tunnelled: a packet quoted in an ICMP error is one level deeper, not inside a tunnel.
      if (c.depth > 0 && !c.quoted) inner[k] = inner[k]! + 1;
      if (c.statusCode === BAD) bad = true;
    }
    if (reassembled) {
      const k = LAYER_CODE[reassembled.layer] * N_STATUS + STATUS_CODE[reassembled.status];
      all[k] = all[k]! + 1;
      if (reassembled.depth > 0) inner[k] = inner[k]! + 1;
      if (reassembled.status === 'bad') bad = true;
    }
    this.analyse(st, cap, n, ts, d, reassembled);
    st.series.add(ts, bad, (this.meta.flags & ANALYSIS_RETRANSMISSION) !== 0);
    // Emitted after the analysis, so a filter can use what it found (tcp.stream, retransmissions).
    if (this.matches(cap, n, ts, d) && (this.frames || this.onFrame)) this.emitFrame(frameReport(cap, n, ts, d, reassembled));
  }

  /** Frames the --filter expression kept, all captures. */
  matched = 0;

  /** Does frame `n` pass the filter (none: every frame)? Counts the matches. */
  private matches(cap: number, n: number, ts: number, d: Dissection | null): boolean {
    if (!this.filter) return true;
    const start = this.caps[cap]!.summary.start;
    const ok = this.filter({ n, d, ts, rel: start === null ? 0 : ts - start, meta: d ? this.meta : undefined });
    if (ok) this.matched++;
    return ok;
  }

  private analyse(
    st: CaptureState,
    cap: number,
    n: number,
    ts: number,
    d: Dissection,
    reassembled: ReassembledCheck | null,
  ): void {
    const f = this.cur;
    f.set(cap, n, ts, d, reassembled, st.trackers.flows);
    st.trackers.update(f);
    this.meta.stream = f.stream;
    this.meta.flags = f.flags;
    const states = st.states;
    for (const i of FRAME_RULES) RULES[i]!.frame!(states[i], f);
    const tl = f.tl;
    if (!tl) return;
    if (tl.kind === K.TCP) {
      if (tl.hdrEnd - tl.start >= 20) for (const i of TCP_RULES) RULES[i]!.tcp!(states[i], f);
    } else if (tl.kind === K.UDP) {
      for (const i of UDP_RULES) RULES[i]!.udp!(states[i], f);
      if (f.app && f.app.kind === K.DNS) for (const i of DNS_RULES) RULES[i]!.dns!(states[i], f);
    } else if (tl.kind === K.ICMP || tl.kind === K.ICMPV6) {
      for (const i of ICMP_RULES) RULES[i]!.icmp!(states[i], f);
    }
  }

  /**
   * Transmissions (SYN, SYN-ACK, DNS) seen in both captures. Zero means the two files do not
   * cover the same traffic (or not the same time): no two-point conclusion may be drawn.
   */
  private overlap(): number {
    if (this.caps.length !== 2) return -1;
    const [a, b] = this.caps as [CaptureState, CaptureState];
    let n = 0;
    for (const k of a.trackers.sigs.frame.keys()) if (b.trackers.sigs.frame.has(k)) n++;
    return n;
  }

  /** Packets, bad checksums and retransmissions over time in capture `cap` (IO graph). */
  ioSeries(cap: number): IoSeries | null {
    return this.caps[cap]?.series.snapshot() ?? null;
  }

  /** The connections view of capture `cap` (every TCP connection and DNS lookup). */
  conversations(cap: number): ConversationTable | null {
    const st = this.caps[cap];
    return st ? conversationTable(st.trackers, st.summary.start ?? 0) : null;
  }

  /**
   * Build findings and the diagnosis. May be called again with another language, or with
   * `swapSides` when the user says the two capture points were located the wrong way round.
   */
  finish(lang: Lang = this.lang, swapSides = false): Report {
    // Two captures are compared only when they share traffic: an unrelated, empty or unreadable
    // second capture shares none, and comparing would make every attempt look lost.
    const overlap = this.overlap();
    // Totals over the captures (the contract's `checksums`) and per capture (two captures of the
    // same traffic would otherwise count every packet twice in one table).
    const counts = emptyCounts();
    const innerCounts = emptyCounts();
    for (const st of this.caps) {
      st.summary.checksums = emptyCounts();
      st.summary.checksumsInner = emptyCounts();
      addTally(st.summary.checksums, st.tally);
      addTally(st.summary.checksumsInner, st.tallyInner);
      addTally(counts, st.tally);
      addTally(innerCounts, st.tallyInner);
    }
    const byRule: Finding[][] = RULES.map(() => []);
    this.caps.forEach((st, cap) => {
      const ctx: FinishCtx = {
        cap,
        lang,
        summary: st.summary,
        trackers: st.trackers,
        other: overlap > 0 ? this.caps[1 - cap]!.trackers : null,
        maxFrames: this.maxFrames,
      };
      RULES.forEach((r, i) => byRule[i]!.push(...r.finish(st.states[i], ctx)));
    });
    const findings = byRule.flatMap((list, i) => sortKind(RULES[i]!, list));
    const located = locate(
      this.caps.map((c) => c.trackers),
      overlap,
    );
    const swap = swapSides && this.caps.length === 2;
    // Swapped by the user: each file takes the other's side and upstream position. What each
    // file holds (tunnel headers or not) is seen, not inferred, so tunnel positions stay.
    const points = swap
      ? {
          ...located,
          sides: [located.sides[1]!, located.sides[0]!],
          upstream: located.upstream >= 0 ? 1 - located.upstream : -1,
        }
      : located;
    const captures = this.caps.map((c, i) => {
      const limits = this.limits(c);
      const out: CaptureSummary = { ...c.summary, side: points.sides[i]!, tunnel: points.tunnels[i]! };
      if (limits) out.limits = limits;
      return out;
    });
    const report: Report = {
      version: 1,
      lang,
      captures,
      checksums: counts,
      checksumsInner: innerCounts,
      findings,
      diagnosis: diagnose(findings, captures, lang, overlap, points),
    };
    if (this.caps.length === 2) report.captureOverlap = overlap;
    if (swap) report.sidesSwapped = true;
    if (this.frames) report.frames = this.frames;
    if (this.filterExpression !== null) report.filter = { expression: this.filterExpression, matched: this.matched };
    return report;
  }
}

/** Within a kind: heaviest first, then by capture. */
function sortKind(rule: Rule, list: Finding[]): Finding[] {
  const w = (f: Finding) => (rule.weight ? rule.weight(f) : f.frames.length);
  return list.sort((a, b) => w(b) - w(a) || a.capture - b.capture);
}

/** Per-frame checksum detail for `--frames`. */
export function frameReport(
  cap: number,
  n: number,
  ts: number,
  d: Dissection,
  reassembled: ReassembledCheck | null = null,
): FrameReport {
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
  if (reassembled) {
    checks.push({
      layer: reassembled.layer,
      depth: reassembled.depth,
      status: reassembled.status,
      stored: reassembled.stored,
      computed: reassembled.computed >= 0 ? reassembled.computed : null,
      reason: reassembled.reason,
      reassembled: true,
    });
  }
  return { capture: cap, n, ts, len: d.data.length, summary: summarize(d), checks };
}
