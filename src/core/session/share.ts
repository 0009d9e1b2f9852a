/**
 * Sharing a result: pick the evidence frames (each rule says which), optionally anonymise them,
 * encode the link, and cut the evidence down until the link fits; and the reverse, a link back
 * into capture files whose frames keep the sender's numbers.
 */
import { LINKTYPE_CUSTOM_BLOCK } from '../capture/reader';
import { writeCapture } from '../capture/writer';
import type { Dissection, Dissector } from '../decode/dissect';
import { K } from '../decode/layers';
import { DNS_QR } from '../decode/protocols/dns';
import { summarize } from '../decode/format';
import type { CoreError } from '../errors';
import type { Report } from '../report';
import { AddressMapper, anonymiseFrame } from '../share/anonymise';
import { evidenceFrames, hasAttempts } from '../share/evidence';
import {
  decodePermalink,
  encodePermalink,
  INCIDENT_BUDGET,
  type Claim,
  type SharedPacket,
  type SharedResult,
} from '../share/permalink';
import type { CaptureSource, RawFrame } from './index';

/** Packets a link may carry at most (the decoder accepts up to 512). */
const MAX_SHARED_PACKETS = 256;
/** Room for the page's address and `#r=` in front of the value. */
const LINK_PREFIX = 64;
/** How far after a DNS query its answer is looked for, and for how many queries at most. */
const ANSWER_WINDOW = 16;
const MAX_ANSWER_LOOKUPS = 64;

type Pick = { capture: number; frame: number };
type Frames = (capture: number, ns: number[]) => Promise<RawFrame[]>;

/** Id, ports and direction of a frame's DNS message (not one quoted in an ICMP error), or null. */
function dnsOf(d: Dissection): { id: number; sport: number; dport: number; response: boolean } | null {
  for (let i = d.nLayers - 1; i > 0; i--) {
    const l = d.layers[i]!;
    if (l.kind !== K.DNS || l.quoted) continue;
    const u = d.layers[i - 1]!;
    return u.kind === K.UDP ? { id: l.dnsId, sport: u.srcPort, dport: u.dstPort, response: (l.dnsFlags & DNS_QR) !== 0 } : null;
  }
  return null;
}

/**
 * A DNS query in the evidence travels with its answer (looked for in the next few frames), as
 * one group that cutting keeps or drops whole: without it the recipient would see an unanswered
 * query, a different diagnosis from the sender's (a bad checksum on a query that was answered).
 */
async function withAnswers(pick: Pick[], frames: Frames, dissector: Dissector): Promise<Pick[][]> {
  const out: Pick[][] = [];
  const have = new Set(pick.map((p) => `${p.capture}:${p.frame}`));
  let lookups = 0;
  for (const p of pick) {
    const group = [p];
    out.push(group);
    if (lookups >= MAX_ANSWER_LOOKUPS) continue;
    const [raw] = await frames(p.capture, [p.frame]);
    const q = raw ? dnsOf(dissector.dissect(raw.bytes, raw.linkType, raw.origLen)) : null;
    if (!q || q.response) continue;
    lookups++;
    const next = await frames(
      p.capture,
      Array.from({ length: ANSWER_WINDOW }, (_, k) => p.frame + 1 + k),
    );
    for (const f of next) {
      const a = dnsOf(dissector.dissect(f.bytes, f.linkType, f.origLen));
      if (!a || !a.response || a.id !== q.id || a.sport !== q.dport || a.dport !== q.sport) continue;
      const key = `${p.capture}:${f.n}`;
      if (!have.has(key)) {
        have.add(key);
        group.push({ capture: p.capture, frame: f.n });
      }
      break;
    }
  }
  return out;
}

/** What the share step shows before the link is copied. */
export interface SharePreview {
  value: string;
  anonymised: boolean;
  truncated: boolean;
  packets: { capture: number; frame: number; summary: string }[];
  /** Packets that were in the evidence but left out to fit the link. */
  omitted: number;
}

/**
 * Build a link for report `r`, cut down to fit the 2,000-character budget (the origin and `#r=`
 * included) with a notice, never a broken link. Two pieces of evidence are always kept: two big
 * packets of random payload may still exceed it (anonymising zeroes payloads, which compress).
 */
export async function buildShare(
  r: Report,
  anonymise: boolean,
  read: Frames,
  dissector: Dissector,
  names: string[],
): Promise<SharePreview> {
  // Each frame is read once: the answer lookup and every cut-down attempt below share the reads.
  const cache = new Map<string, RawFrame | null>();
  const frames: Frames = async (capture, ns) => {
    const want = ns.filter((n) => !cache.has(`${capture}:${n}`));
    if (want.length) {
      const got = new Map((await read(capture, want)).map((f) => [f.n, f]));
      for (const n of want) cache.set(`${capture}:${n}`, got.get(n) ?? null);
    }
    return ns.flatMap((n) => cache.get(`${capture}:${n}`) ?? []);
  };
  // Answers are looked up for what can be shared at all; the rest is only counted as omitted.
  const found = evidenceFrames(r, Number.MAX_SAFE_INTEGER);
  const head = await withAnswers(found.slice(0, MAX_SHARED_PACKETS), frames, dissector);
  const total = head.reduce((n, g) => n + g.length, 0) + Math.max(0, found.length - MAX_SHARED_PACKETS);
  let groups = head;
  // Whole groups only, up to the packet limit.
  for (let n = 0, k = 0; k < groups.length; k++) {
    n += groups[k]!.length;
    if (n > MAX_SHARED_PACKETS) {
      groups = groups.slice(0, k);
      break;
    }
  }
  for (;;) {
    const pick = groups.flat();
    const map = new AddressMapper();
    const packets: SharedPacket[] = [];
    const preview: SharePreview['packets'] = [];
    const ordered = pick.slice().sort((a, b) => a.capture - b.capture || a.frame - b.frame);
    for (const { capture, frame } of ordered) {
      const [raw] = await frames(capture, [frame]);
      if (!raw || raw.linkType === LINKTYPE_CUSTOM_BLOCK) continue;
      const bytes = anonymise ? anonymiseFrame(raw.bytes, raw.linkType, map, dissector) : raw.bytes;
      packets.push({ capture, frame, linkType: raw.linkType, origLen: raw.origLen, ts: raw.ts, bytes });
      preview.push({ capture, frame, summary: summarize(dissector.dissect(bytes, raw.linkType, raw.origLen)) });
    }
    const value = await encodePermalink({
      anonymised: anonymise,
      truncated: pick.length < total,
      captures: names.map((s, i) => (anonymise ? `capture-${i + 1}.pcap` : s)),
      claim: claimOf(r),
      packets,
    });
    if (value.length + LINK_PREFIX <= INCIDENT_BUDGET || groups.length <= 2) {
      return { value, anonymised: anonymise, truncated: pick.length < total, packets: preview, omitted: total - pick.length };
    }
    // Too long: keep the first and last pieces of evidence, drop the middle.
    const keep = Math.max(2, Math.floor(groups.length * 0.7));
    groups = [...groups.slice(0, Math.ceil(keep / 2)), ...groups.slice(groups.length - Math.floor(keep / 2))];
  }
}

/** What a link says about its result: the cause, and the primary finding's attempts. */
export function claimOf(r: Report): Claim {
  const primary = r.findings[r.diagnosis.primaryFinding];
  const retry = hasAttempts(primary) ? primary : null;
  return {
    cause: r.diagnosis.cause,
    attempts: retry ? retry.attemptList.length : 0,
    outer: retry ? retry.attemptList.map((a) => a.outerChecksum) : [],
    delaySec: retry && 'delaySec' in retry ? retry.delaySec : null,
  };
}

/**
 * Verify, not trust: whether the re-analysis of a link's packets reached the sender's claim, the
 * same cause and, unless the link was cut down to fit, the same attempts with the same outer
 * checksums. Run on the full report (a page's view has its attempt lists cut).
 */
export function claimHolds(r: Report, claim: Claim, truncated: boolean): boolean {
  const mine = claimOf(r);
  return (
    mine.cause === claim.cause && (truncated || (mine.attempts === claim.attempts && mine.outer.join() === claim.outer.join()))
  );
}

/** A decoded link as capture sources (pcap, or pcapng when link types differ) and frame maps. */
export async function rebuildShared(
  value: string,
): Promise<
  { ok: true; sources: CaptureSource[]; frameMaps: number[][]; result: SharedResult } | { ok: false; error: CoreError }
> {
  const d = await decodePermalink(value);
  if (!d.ok) return d;
  const sr = d.result;
  const groups = sr.captures.map((_, c) => sr.packets.filter((p) => p.capture === c));
  const sources: CaptureSource[] = groups.map((ps, c) => ({
    kind: 'bytes',
    name: sr.captures[c]!,
    bytes: writeCapture(ps.map((p) => ({ ts: p.ts, data: p.bytes, origLen: p.origLen, linkType: p.linkType }))).bytes,
  }));
  return { ok: true, sources, frameMaps: groups.map((ps) => ps.map((p) => p.frame)), result: sr };
}
