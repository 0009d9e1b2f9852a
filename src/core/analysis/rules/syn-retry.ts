/**
 * syn-retry: one TCP connection attempt whose SYN was sent more than once (keyed by client,
 * server and ISN; copies of one transmission count once). Its outcome (established, reset,
 * failed: the next retry was due and never came, unknown), the ladder it followed and, with two
 * compared captures, which attempts reached the other capture point.
 */
import type { Attempt, FindingBase, Ladder, Outcome } from '../../report';
import { fmtS, type Lang } from '../i18n';
import { classifyLadder, nextAttemptOffset, tolerance } from '../ladder';
import { defineRule, type Timeline } from '../rule';
import type { Handshake } from '../tcp-conv';
import { round6, toAttempt } from '../tx';

export interface SynRetryFinding extends FindingBase {
  kind: 'syn-retry';
  client: string;
  server: string;
  attempts: number;
  outcome: Outcome;
  delaySec: number | null;
  ladder: Ladder;
  /** Expected offsets of the recognised ladder (seconds), for reference marks. */
  expectedOffsets: number[];
  attemptList: Attempt[];
  /** Frame of the SYN-ACK or RST that ended the attempt. */
  answerFrame: number | null;
  answerTs: number | null;
  /** SYN-ACKs seen before the last attempt: the server answered but the client never got it. */
  answersBeforeLastAttempt: number;
  /** The SYN-ACK transmissions (with `delivered` in two-capture reports). */
  answers: Attempt[];
  /** Two-capture reports: attempts also seen in the other capture. */
  delivered?: number;
  /** Offset (s) at which the sender gave up, when the capture shows it (outcome failed). */
  gaveUpSec?: number;
}

declare module '../../report' {
  interface FindingMap {
    'syn-retry': SynRetryFinding;
  }
}

const TITLE: Record<Lang, (c: string, s: string, n: number, o: Outcome, delay: number | null) => string> = {
  en: (c, s, n, o, delay) =>
    `SYN from ${c} to ${s} sent ${n} times; ${o === 'established' ? `established after ${fmtS(delay ?? 0)} s` : o === 'reset' ? `reset after ${fmtS(delay ?? 0)} s` : o === 'failed' ? 'never answered' : 'no answer before the capture ends'}`,
  zh: (c, s, n, o, delay) =>
    `${c} 发往 ${s} 的 SYN 发送了 ${n} 次；${o === 'established' ? `${fmtS(delay ?? 0)} 秒后建立连接` : o === 'reset' ? `${fmtS(delay ?? 0)} 秒后被重置` : o === 'failed' ? '始终无应答' : '抓包结束前无应答'}`,
};

/**
 * How many times a retry's packet was sent: a SYN ladder's count, which goes on past the report's
 * cap on its attempt list (a flood); a DNS retry's list is whole.
 */
export function attemptsSent(f: { kind: string; attemptList: readonly unknown[]; attempts?: number }): number {
  return f.kind === 'syn-retry' && f.attempts !== undefined ? Math.max(f.attempts, f.attemptList.length) : f.attemptList.length;
}

/** The finding of one handshake with retries (also used by the causes that read it). */
export function synFinding(
  h: Handshake,
  cap: number,
  lastTs: number,
  other: ReadonlyMap<number, number> | null,
  lang: Lang,
): SynRetryFinding {
  const att = h.attempts.list;
  const first = att[0]!.ts;
  const last = att[att.length - 1]!.ts;
  // The answer that counts is the one to the last attempt: an earlier SYN-ACK followed by
  // another SYN never reached the client (lost on the way back).
  const acks = h.synacks.list;
  const synack = acks.find((a) => a.ts >= last) ?? acks[acks.length - 1];
  const answer = synack ? { kind: 'synack', frame: synack.frame, ts: synack.ts } : h.rst ? { kind: 'rst', ...h.rst } : null;
  const earlyAnswers = acks.filter((a) => a.ts < last).length;
  const offsets = att.map((a) => a.ts - first);
  const m = classifyLadder(offsets);
  let outcome: Outcome;
  let gaveUp: number | undefined;
  if (answer) outcome = answer.kind === 'synack' ? 'established' : 'reset';
  else {
    const due = nextAttemptOffset(m, offsets);
    // Linux ladders: `due` is already corrected for the drift seen, so only timer slack remains.
    const slack = m.ladder === 'other' ? tolerance(due) : 0.35 + 0.02 * due;
    outcome = lastTs - first > due + slack ? 'failed' : 'unknown';
    if (outcome === 'failed') gaveUp = round6(due);
  }
  const attemptList = att.map((a) => toAttempt(a, first, other));
  const f: SynRetryFinding = {
    kind: 'syn-retry',
    severity: outcome === 'established' ? 'warning' : 'error',
    title: TITLE[lang](h.client, h.server, h.attempts.count, outcome, answer ? answer.ts - first : null),
    capture: cap,
    frames: att.map((a) => a.frame),
    client: h.client,
    server: h.server,
    attempts: h.attempts.count,
    outcome,
    delaySec: answer ? round6(answer.ts - first) : null,
    ladder: m.ladder,
    expectedOffsets: m.expected,
    attemptList,
    answerFrame: answer ? answer.frame : null,
    answerTs: answer ? answer.ts : null,
    answersBeforeLastAttempt: earlyAnswers,
    answers: acks.map((a) => toAttempt(a, first, other)),
  };
  if (gaveUp !== undefined) f.gaveUpSec = gaveUp;
  if (other) f.delivered = attemptList.filter((a) => a.delivered).length;
  return f;
}

export const SYN_RETRY = defineRule<null, SynRetryFinding>({
  kinds: ['syn-retry'],
  create: () => null,
  finish(_s, ctx) {
    const other = ctx.other ? ctx.other.sigs.frame : null;
    const out: SynRetryFinding[] = [];
    for (const h of ctx.trackers.tcp.allHandshakes()) {
      if (h.attempts.count < 2) continue;
      out.push(synFinding(h, ctx.cap, ctx.trackers.lastTs, other, ctx.lang));
    }
    return out;
  },
  weight: (x) => x.attempts * 10 + x.attemptList.filter((a) => a.outerChecksum === 'bad').length,
  evidence(x) {
    const out = x.attemptList.flatMap((a) => [
      { capture: x.capture, frame: a.frame },
      ...(a.outerFrame !== undefined ? [{ capture: x.capture, frame: a.outerFrame }] : []),
      ...(a.otherFrame !== undefined ? [{ capture: 1 - x.capture, frame: a.otherFrame }] : []),
    ]);
    if (x.answerFrame !== null) out.push({ capture: x.capture, frame: x.answerFrame });
    return out;
  },
  timeline(x): Timeline {
    const first = x.attemptList[0]!.ts;
    const two = x.delivered !== undefined;
    const points: Timeline['points'] = [];
    // Lane 0: this capture's SYNs, then every SYN-ACK it saw (the server retrying its answer
    // when they are lost on the way back); lane 1: the same transmissions at the other point.
    for (const a of x.attemptList) {
      points.push({ offsetSec: a.offsetSec, frame: a.frame, kind: 'attempt', lane: 0, label: a.outerChecksum });
      if (two && a.delivered && a.otherFrame !== undefined)
        points.push({ offsetSec: a.offsetSec, frame: a.otherFrame, kind: 'attempt', lane: 1, label: 'SYN' });
    }
    for (const a of x.answers ?? []) {
      points.push({ offsetSec: a.offsetSec, frame: a.frame, kind: 'answer', lane: 0, label: 'SYN-ACK' });
      if (two && a.delivered && a.otherFrame !== undefined)
        points.push({ offsetSec: a.offsetSec, frame: a.otherFrame, kind: 'answer', lane: 1, label: 'SYN-ACK' });
    }
    if (x.answerTs !== null && !(x.answers ?? []).some((a) => a.frame === x.answerFrame))
      points.push({
        offsetSec: round6(x.answerTs - first),
        frame: x.answerFrame!,
        kind: 'answer',
        lane: 0,
        label: x.outcome === 'reset' ? 'RST' : 'SYN-ACK',
      });
    if (x.gaveUpSec !== undefined) points.push({ offsetSec: x.gaveUpSec, frame: 0, kind: 'end', lane: 0, label: 'ETIMEDOUT' });
    return { points, reference: x.expectedOffsets };
  },
});
