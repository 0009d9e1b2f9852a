/**
 * Permalink codec. A shared result travels in the URL fragment (`#r=...`), which browsers never
 * send to a server. It carries the evidence packets themselves, so that opening the link re-runs
 * the analysis and the recipient can verify the diagnosis instead of trusting it, plus the
 * sender's claim (cause and attempt count) to compare against.
 *
 * Payload (before deflate-raw and base64url), all integers unsigned LEB128 unless noted:
 *
 *   "PD" (2 bytes) | version (1 byte, = 1) | flags (1 byte: 1 anonymised, 2 truncated)
 *   nCaptures | per capture: name (len + UTF-8)
 *   claim: cause code (1 byte: 0 none, otherwise the cause's wire code from analysis/rules/causes),
 *          attempts, outer checksum state per attempt (1 byte each, see OUTER), delay in ms + 1
 *          (0 = none)
 *   nPackets | per packet: capture, frame number, link type, origLen, caplen, ts, bytes
 *     ts: first packet float64 LE seconds; then signed (zigzag) microsecond deltas
 *
 * Decoding validates every length and count against the buffer and against fixed maxima, and
 * reports what is wrong; it never throws past {@link decodePermalink}.
 */
import { concatBytes } from '../bytes';
import { makeError, type CoreError } from '../errors';
import { causeOfWire, wireOf } from '../analysis/rules/causes';
import type { Cause, OuterState } from '../report';

export const PERMALINK_VERSION = 1;
/** Every link is cut down to fit this many characters, origin included (see buildShare). */
export const INCIDENT_BUDGET = 2000;
const MAX_PACKETS = 512;
const MAX_PACKET_BYTES = 65535;
const MAX_DECOMPRESSED = 4 * 1024 * 1024;

const OUTER: OuterState[] = ['none', 'bad', 'zero', 'good', 'partial', 'unverified'];

/** What the sender's analysis said, for the recipient to compare with its own. */
export interface Claim {
  cause: Cause;
  attempts: number;
  /** Outer checksum state of each attempt of the primary finding. */
  outer: OuterState[];
  /** First attempt to answer, seconds; null without one. */
  delaySec: number | null;
}

export interface SharedPacket {
  capture: number;
  frame: number;
  linkType: number;
  origLen: number;
  ts: number;
  bytes: Uint8Array;
}

export interface SharedResult {
  version: number;
  anonymised: boolean;
  truncated: boolean;
  captures: string[];
  claim: Claim;
  packets: SharedPacket[];
}

/** Why a link could not be opened: a {@link CoreError} with code `link` and a `link:*` key. */
export type PermalinkError = CoreError;

// ---- varint writer / reader -------------------------------------------------------------

class Writer {
  private buf = new Uint8Array(1024);
  n = 0;
  private ensure(k: number) {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  byte(v: number) {
    this.ensure(1);
    this.buf[this.n++] = v & 0xff;
  }
  uvar(v: number) {
    v = Math.floor(v);
    if (v < 0) throw new Error('negative varint');
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }
  svar(v: number) {
    this.uvar(v < 0 ? -2 * v - 1 : 2 * v);
  }
  f64(v: number) {
    this.ensure(8);
    new DataView(this.buf.buffer).setFloat64(this.n, v, true);
    this.n += 8;
  }
  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  str(s: string) {
    const b = new TextEncoder().encode(s).subarray(0, 200);
    this.uvar(b.length);
    this.bytes(b);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

class Reader {
  o = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(k: number, what: string) {
    if (this.o + k > this.b.length) throw new Invalid(`link ends inside ${what} (byte ${this.o})`);
  }
  byte(what: string): number {
    this.need(1, what);
    return this.b[this.o++]!;
  }
  uvar(what: string, max: number): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const c = this.byte(what);
      v += (c & 0x7f) * mul;
      if (!(c & 0x80)) {
        if (v > max) throw new Invalid(`${what} ${v} is out of range (max ${max})`);
        return v;
      }
      mul *= 0x80;
    }
    throw new Invalid(`${what} is not a valid number`);
  }
  svar(what: string, max: number): number {
    const u = this.uvar(what, max * 2 + 1);
    return u % 2 ? -(u + 1) / 2 : u / 2;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = new DataView(this.b.buffer, this.b.byteOffset).getFloat64(this.o, true);
    this.o += 8;
    return v;
  }
  bytes(k: number, what: string): Uint8Array {
    this.need(k, what);
    const out = this.b.slice(this.o, this.o + k);
    this.o += k;
    return out;
  }
  str(what: string): string {
    const k = this.uvar(`${what} length`, 200);
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes(k, what));
  }
  get left() {
    return this.b.length - this.o;
  }
}

class Invalid extends Error {}

// ---- compression and base64url ------------------------------------------------------------

async function pipe(data: Uint8Array, t: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const w = t.writable.getWriter();
  void w
    .write(data as Uint8Array<ArrayBuffer>)
    .then(() => w.close())
    .catch(() => undefined);
  const r = t.readable.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const x = await r.read();
    if (x.done) break;
    n += x.value.length;
    if (n > limit) {
      void r.cancel();
      throw new Invalid(`link expands to more than ${limit} bytes`);
    }
    parts.push(x.value);
  }
  return concatBytes(parts);
}

/** base64url without padding. */
export function toBase64Url(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of {@link toBase64Url}; null when the text is not base64url. */
export function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---- encode / decode ----------------------------------------------------------------------

/** Serialise and compress a shared result into the fragment value (without "#r="). */
export async function encodePermalink(r: Omit<SharedResult, 'version'>): Promise<string> {
  const w = new Writer();
  w.byte(0x50);
  w.byte(0x44);
  w.byte(PERMALINK_VERSION);
  w.byte((r.anonymised ? 1 : 0) | (r.truncated ? 2 : 0));
  w.uvar(r.captures.length);
  for (const c of r.captures) w.str(c);
  w.byte(wireOf(r.claim.cause));
  w.uvar(r.claim.attempts);
  w.uvar(r.claim.outer.length);
  for (const o of r.claim.outer) w.byte(Math.max(0, OUTER.indexOf(o)));
  w.uvar(r.claim.delaySec === null ? 0 : Math.round(r.claim.delaySec * 1000) + 1);
  w.uvar(r.packets.length);
  let prevUs = 0;
  r.packets.forEach((p, i) => {
    w.uvar(p.capture);
    w.uvar(p.frame);
    w.uvar(p.linkType);
    w.uvar(p.origLen);
    w.uvar(p.bytes.length);
    const us = Math.round(p.ts * 1e6);
    if (i === 0) w.f64(p.ts);
    else w.svar(us - prevUs);
    prevUs = us;
    w.bytes(p.bytes);
  });
  const z = await pipe(w.done(), new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  return toBase64Url(z);
}

/** Decode and validate a fragment value. Never throws. */
export async function decodePermalink(
  value: string,
): Promise<{ ok: true; result: SharedResult } | { ok: false; error: PermalinkError }> {
  const fail = (key: string, params: Record<string, string | number> = {}) => ({
    ok: false as const,
    error: makeError(`link:${key}`, params),
  });
  if (!value) return fail('empty');
  const z = fromBase64Url(value.trim());
  if (!z) return fail('not-base64');
  let raw: Uint8Array;
  try {
    raw = await pipe(z, new DecompressionStream('deflate-raw'), MAX_DECOMPRESSED);
  } catch (e) {
    return fail('corrupt', { why: e instanceof Invalid ? e.message : '' });
  }
  try {
    const rd = new Reader(raw);
    if (rd.byte('magic') !== 0x50 || rd.byte('magic') !== 0x44) return fail('bad-magic');
    const version = rd.byte('version');
    if (version > PERMALINK_VERSION) {
      return fail('future-version', { version, max: PERMALINK_VERSION });
    }
    if (version < 1) return fail('invalid', { why: `unknown link format ${version}` });
    const flags = rd.byte('flags');
    const nCaps = rd.uvar('capture count', 2);
    if (nCaps < 1) throw new Invalid('no capture in the link');
    const captures: string[] = [];
    for (let i = 0; i < nCaps; i++) captures.push(rd.str('capture name'));
    const causeCode = rd.byte('cause');
    const cause = causeOfWire(causeCode);
    if (cause === undefined) return fail('unknown-cause', { code: causeCode });
    const attempts = rd.uvar('attempt count', 10000);
    const nOuter = rd.uvar('attempt state count', 10000);
    const outer: OuterState[] = [];
    for (let i = 0; i < nOuter; i++) {
      const o = rd.byte('attempt state');
      if (o >= OUTER.length) throw new Invalid(`unknown checksum state ${o}`);
      outer.push(OUTER[o]!);
    }
    const delay = rd.uvar('delay', 2 ** 40);
    const n = rd.uvar('packet count', MAX_PACKETS);
    const packets: SharedPacket[] = [];
    let us = 0;
    let t0 = 0;
    for (let i = 0; i < n; i++) {
      const capture = rd.uvar('packet capture', nCaps - 1);
      const frame = rd.uvar('frame number', 2 ** 40);
      const linkType = rd.uvar('link type', 0xffff);
      const origLen = rd.uvar('original length', 0x3ffffff);
      const caplen = rd.uvar('packet length', MAX_PACKET_BYTES);
      let ts: number;
      if (i === 0) {
        t0 = rd.f64('timestamp');
        if (!Number.isFinite(t0)) throw new Invalid('timestamp is not a number');
        us = Math.round(t0 * 1e6);
        ts = t0;
      } else {
        us += rd.svar('time delta', 2 ** 52);
        ts = us / 1e6;
      }
      packets.push({ capture, frame, linkType, origLen, ts, bytes: rd.bytes(caplen, 'packet bytes') });
    }
    if (rd.left !== 0) throw new Invalid(`${rd.left} unexpected bytes after the packets`);
    return {
      ok: true,
      result: {
        version,
        anonymised: (flags & 1) !== 0,
        truncated: (flags & 2) !== 0,
        captures,
        claim: { cause, attempts, outer, delaySec: delay ? (delay - 1) / 1000 : null },
        packets,
      },
    };
  } catch (e) {
    return fail('invalid', { why: e instanceof Error ? e.message : String(e) });
  }
}

/** The fragment value of `#r=...` in a URL hash, or null. */
export function fragmentValue(hash: string): string | null {
  const m = /^#?r=(.*)$/.exec(hash);
  return m ? m[1]! : null;
}
