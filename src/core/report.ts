/**
 * The JSON report, version 1 (see shared/docs/report-contract.md). A public interface:
 * fields may be added, never renamed or removed.
 */
import type { CheckLayer, CheckStatus } from './decode/layers';

export type { CheckLayer, CheckStatus };

/** Per-status counts for one checksummed layer. */
export interface StatusCounts {
  good: number;
  bad: number;
  zero: number;
  partial: number;
  unverified: number;
}

/** A problem in a capture file, with the byte offset where it was found. */
export interface ReportError {
  offset: number;
  message: string;
  code: string;
  /** Template key and values for translating the message (capture/messages.ts). */
  key?: string;
  params?: Record<string, string | number>;
}

export interface CaptureSummary {
  file: string;
  format: 'pcap' | 'pcapng' | 'unknown';
  /** The file was gzip-compressed (offsets in errors refer to the decompressed bytes). */
  compressed: boolean;
  linkTypes: number[];
  packets: number;
  /** Captured bytes of packet data. */
  bytes: number;
  /** First and last timestamps (seconds since the epoch), null for an empty capture. */
  start: number | null;
  end: number | null;
  errors: ReportError[];
  /** Frames whose link type is not decoded (counted, not analysed). */
  undecoded: number;
  /** What bounded state had to drop to stay within memory (present only when something was). */
  limits?: Limits;
  /**
   * Which end of the conversations the capture point is closer to, inferred from the traffic
   * (TTLs, handshake timing, and with two captures the order of matched transmissions), never
   * from file names or order.
   */
  side?: 'client' | 'server' | 'unknown';
  /** This capture's part of the report's `checksums` / `checksumsInner`. */
  checksums?: Record<CheckLayer, StatusCounts>;
  checksumsInner?: Record<CheckLayer, StatusCounts>;
  /** Tunnel headers seen (`outer`), inside the tunnel another capture shows (`inner`), or `none`. */
  tunnel?: 'outer' | 'inner' | 'none';
}

/**
 * What the analysis dropped to stay within its bounds. Every counter is "how many were not
 * kept", so a report says plainly when it is incomplete.
 */
export interface Limits {
  /** Problems in the file beyond the first 100 (counted, not listed in `errors`). */
  errorsNotListed?: number;
  /** Flows (5-tuples) evicted from the flow table, idlest first, to stay within its size. */
  flowsEvicted?: number;
  /** Connection attempts and retransmission lists of evicted flows not kept. */
  connectionsNotKept?: number;
  /** Connection attempts (SYNs of new connections) not tracked: too many open at once, a SYN flood. */
  handshakesNotTracked?: number;
  /** DNS query groups not tracked (too many distinct queries). */
  dnsGroupsNotTracked?: number;
  /** Fragmented datagrams given up before completion, and fragments discarded. */
  datagramsEvicted?: number;
  fragmentsDiscarded?: number;
  /** Datagrams whose overlapping fragments disagreed (verdict unverified). */
  fragmentConflicts?: number;
  /** Transmissions not indexed for matching against the other capture. */
  transmissionsNotIndexed?: number;
}

export interface CheckReport {
  layer: CheckLayer;
  depth: number;
  status: CheckStatus;
  stored: number | null;
  computed: number | null;
  reason?: string;
  /** Outer UDP checksum of a tunnel. */
  tunnel?: boolean;
  /** Inside an ICMP error's quoted packet. */
  quoted?: boolean;
  /** Verified over an IP datagram reassembled from fragments ending in this frame. */
  reassembled?: boolean;
}

export interface FrameReport {
  capture: number;
  n: number;
  ts: number;
  len: number;
  summary: string;
  checks: CheckReport[];
}

/** State of the tunnel's outer UDP checksum around one packet; `none` when not tunnelled. */
export type OuterState = 'bad' | 'zero' | 'good' | 'partial' | 'unverified' | 'none';

/** One transmission of a SYN (or DNS query) on a timeline. */
export interface Attempt {
  frame: number;
  ts: number;
  /** Seconds since the first attempt. */
  offsetSec: number;
  outerChecksum: OuterState;
  outerStored: number | null;
  outerComputed: number | null;
  /** UDP destination port of the tunnel packet carrying this attempt, null when not tunnelled. */
  tunnelPort: number | null;
  /** The tunnel packet is IPv6 (a zero UDP checksum is then only accepted with udp6zerocsumrx). */
  tunnelIpv6?: boolean;
  /** Verdict of the inner TCP/UDP checksum. */
  innerChecksum: CheckStatus | 'none';
  /** In two-capture reports: whether this attempt was also seen in the other capture. */
  delivered?: boolean;
  /** Frame number of the same attempt in the other capture, if seen. */
  otherFrame?: number;
  /**
   * Frame of the tunnelled copy that gave `outerChecksum`, when it is not `frame`: a `-i any`
   * capture sees the packet inside the tunnel first, then again outside it.
   */
  outerFrame?: number;
}

export type Severity = 'info' | 'warning' | 'error';

/** Fields every finding has. */
export interface FindingBase {
  kind: string;
  severity: Severity;
  title: string;
  capture: number;
  frames: number[];
  /**
   * Only in the page's view of a report (session/view.ts), never in the JSON report: the full
   * length of each per-attempt list that the view cut down to the attempts the timeline draws.
   */
  trimmed?: Partial<Record<'attemptList' | 'answers' | 'expectedOffsets', number>>;
  /**
   * Only in the page's view, never in the JSON report: the per-attempt lists were left out (empty,
   * their full lengths in `trimmed`) until the page asks the session for them (`Session.finding`).
   */
  deferred?: true;
}

export type Ladder = 'linux-exponential' | 'linux-linear' | 'other';
export type Outcome = 'established' | 'reset' | 'failed' | 'unknown';

/**
 * Finding types by kind. Each rule module (analysis/rules/*.ts) adds its own with declaration
 * merging, so the report stays typed while a new finding kind is one new file:
 *
 *     declare module '../../report' {
 *       interface FindingMap { 'my-kind': MyFinding }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FindingMap {}

/** Any finding (the union of every rule's finding type). */
export type Finding = FindingMap[keyof FindingMap];

/** A finding of one kind. */
export type FindingOf<K extends keyof FindingMap> = FindingMap[K];

/** Causes by name; each cause module (analysis/rules/causes/*.ts) adds its own. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CauseMap {}

/** A diagnosis cause, or null for "nothing wrong found". */
export type Cause = keyof CauseMap | null;

/** Where lost packets vanished between two capture points (report contract, "Two captures"). */
export interface Lost {
  where: 'between' | 'after-both' | 'return-path' | 'unknown';
  /** Index of the capture closer to the client, -1 when it could not be told. */
  upstream: number;
}

export interface Diagnosis {
  cause: Cause;
  confidence: 'high' | 'medium' | 'low';
  /** One plain sentence: what fails, how long, why (set by diagnose; the summary has the evidence). */
  headline?: string;
  summary: string;
  evidence: number[];
  /** Capture of the evidence frames. */
  evidenceCapture: number;
  remedies: string[];
  /** Index into `findings` of the finding the timeline should show first, or -1. */
  primaryFinding: number;
  /** Short caveats: what this capture cannot tell. */
  caveats: string[];
  /** What to check first to confirm the diagnosis before changing anything (commands in `backticks`). */
  confirm: string[];
  /** Two-capture reports with a cause that involves lost packets: where they were lost. */
  lost?: Lost;
}

export interface Report {
  version: 1;
  lang: 'en' | 'zh';
  captures: CaptureSummary[];
  checksums: Record<CheckLayer, StatusCounts>;
  /** Two-capture reports: SYN/DNS transmissions seen in both captures (0: unrelated files). */
  captureOverlap?: number;
  /** Present (true) when the user swapped the two capture points' inferred sides. */
  sidesSwapped?: boolean;
  /**
   * The part of `checksums` inside tunnels (depth >= 1). A packet quoted in an ICMP error is not
   * tunnelled: its checksums count in `checksums` only.
   */
  checksumsInner: Record<CheckLayer, StatusCounts>;
  frames?: FrameReport[];
  /** With a display filter (CLI --filter): the expression and how many frames it kept. */
  filter?: { expression: string; matched: number };
  findings: Finding[];
  diagnosis: Diagnosis;
}

/** Fresh zeroed counters. */
export function emptyCounts(): Record<CheckLayer, StatusCounts> {
  const z = (): StatusCounts => ({ good: 0, bad: 0, zero: 0, partial: 0, unverified: 0 });
  return { ipv4: z(), tcp: z(), udp: z(), icmp: z(), icmpv6: z() };
}
