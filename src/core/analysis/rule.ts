/**
 * The shape of an analysis rule and of a cause. A finding kind is one file in rules/ plus one
 * entry in rules/index.ts; a cause is one file in rules/causes/ plus one entry in
 * rules/causes/index.ts. The analyzer and the diagnosis are drivers over these lists.
 *
 * Rules see every frame through hooks by frame kind (pure ACKs included), read the shared
 * per-capture trackers (flows, TCP conversations, DNS transactions) and keep whatever bounded
 * state of their own they need; `finish` turns that into findings, in English or Chinese.
 */
import type { Lang } from './i18n';
import type { CaptureSummary, Cause, Diagnosis, Finding, Report } from '../report';
import type { Frame } from './frame';
import type { Trackers } from './trackers';
import type { Points } from './points';

/** What a rule's state is created with (one per capture). */
export interface RuleEnv {
  cap: number;
  trackers: Trackers;
  /** Cap on frames listed in one finding (counts stay complete). */
  maxFrames: number;
}

/** What `finish` is given. */
export interface FinishCtx {
  cap: number;
  lang: Lang;
  summary: CaptureSummary;
  trackers: Trackers;
  /** The trackers of the other capture when the two captures are compared (they share traffic). */
  other: Trackers | null;
  maxFrames: number;
}

/** A point of a timeline (what the UI draws and the CLI lists for a finding). */
export interface TimelinePoint {
  /** Seconds since the first point. */
  offsetSec: number;
  frame: number;
  /** attempt: a SYN/DNS transmission; answer: SYN-ACK/RST/response; retransmission: a data segment; end: give-up or stall. */
  kind: 'attempt' | 'answer' | 'retransmission' | 'end';
  /** Lane 0 is the finding's capture, lane 1 the other capture. */
  lane: 0 | 1;
  /** Checksum state, size or other short label. */
  label: string;
}

/** A finding's timeline: points and reference offsets (expected ladder, retry interval). */
export interface Timeline {
  points: TimelinePoint[];
  reference: number[];
}

/** A finding rule. `S` is its per-capture state, `F` the findings it makes. */
export interface Rule<S = unknown, F extends Finding = Finding> {
  /** Finding kinds it produces (the first is its own; order in reports follows the rule list). */
  readonly kinds: readonly string[];
  create(env: RuleEnv): S;
  /** Every decoded frame (checksum evidence). */
  frame?(s: S, f: Frame): void;
  /** Every TCP segment with a full header, pure ACKs included. */
  tcp?(s: S, f: Frame): void;
  /** Every UDP datagram. */
  udp?(s: S, f: Frame): void;
  /** Every DNS message (also seen by `udp`). */
  dns?(s: S, f: Frame): void;
  /** Every ICMP / ICMPv6 message outside a quote. */
  icmp?(s: S, f: Frame): void;
  /** A flow id is about to be reused: finish or forget what is kept for it. */
  evict?(s: S, flow: number): void;
  finish(s: S, ctx: FinishCtx): F[];
  /** Larger first within the kind (default: number of frames). */
  weight?(f: F): number;
  /** Frames a permalink must carry to reproduce this finding (default: its frames). */
  evidence?(f: F, r: Report): { capture: number; frame: number }[];
  /** The finding's story over time (what the UI draws and the CLI lists). */
  timeline?(f: F, r: Report): Timeline | null;
}

/** What a cause looks at. */
export interface DiagnoseCtx {
  findings: Finding[];
  captures: CaptureSummary[];
  lang: Lang;
  /** Two-capture reports: shared transmissions (0: unrelated files), -1 for one capture. */
  overlap: number;
  /** The diagnosis fields every cause starts from (caveats gathered so far, high confidence). */
  base: Diagnosis;
  /** Where the capture points are (sides, tunnel position, which one is upstream). */
  points: Points;
}

/** A cause: when its evidence is there, the diagnosis. Tried in list order; the first that applies wins. */
export interface CauseRule {
  readonly cause: Exclude<Cause, null>;
  /** Stable permalink code (1..255, unique; 0 is "no cause"). Never renumber. */
  readonly wire: number;
  diagnose(ctx: DiagnoseCtx): Diagnosis | null;
}

/** Type-check a rule with its state and finding types. */
export function defineRule<S, F extends Finding = Finding>(r: Rule<S, F>): Rule<unknown, Finding> {
  return r as unknown as Rule<unknown, Finding>;
}
