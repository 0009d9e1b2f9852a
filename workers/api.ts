/**
 * The analysis API the worker exposes (through Comlink) and the plain types that cross the
 * boundary. The UI imports these types only; errors come back as `{code, message, offset}`.
 */
import { LINKTYPE_CUSTOM_BLOCK } from '../src/core/capture/reader';
import { blobChunks, bufferChunks, type ChunkSource } from '../src/core/capture/source';
import { DEFAULT_VXLAN_PORTS, Dissector, type Dissection } from '../src/core/decode/dissect';
import { describeLayers, type LayerDetail } from '../src/core/decode/detail';
import { summarize } from '../src/core/decode/format';
import { makeError, toCoreError, type CoreError } from '../src/core/errors';
import { compileFilter, FilterError, type FilterFn } from '../src/core/filter/index';
import { runAnalysis, type Progress } from '../src/core/pipeline';
import type { Lang } from '../src/core/analysis/i18n';
import type { Report } from '../src/core/report';
import { CaptureStore } from './store';
import { AddressMapper, anonymiseFrame } from '../src/core/share/anonymise';
import { writeCapture, writePcapHeader, writeRecord } from '../src/core/capture/writer';
import {
  decodePermalink,
  encodePermalink,
  MAX_LINK_CHARS,
  type PermalinkError,
  type SharedPacket,
  type SharedResult,
} from '../src/core/share/permalink';
import { evidenceFrames, remapFrames } from '../src/core/share/evidence';

/** The most severe checksum verdict of a frame, for the list's marker ('' when it has none). */
function worstVerdict(d: Dissection): Row['worst'] {
  let w: Row['worst'] = '';
  const rank = { '': 0, good: 1, unverified: 2, zero: 3, partial: 4, bad: 5 } as const;
  for (let k = 0; k < d.nChecks; k++) {
    const s = d.checks[k]!.status;
    if (rank[s] > rank[w]) w = s;
  }
  return w;
}

/** Packets a link may carry at most (the decoder accepts up to 512). */
const MAX_SHARED_PACKETS = 256;

/** Where a capture comes from: a dropped File, a same-origin URL (the bundled sample), or bytes. */
export type CaptureSource =
  { kind: 'file'; file: File } | { kind: 'url'; url: string; name: string } | { kind: 'bytes'; bytes: Uint8Array; name: string };

export interface AnalyzeOk {
  ok: true;
  reports: Record<Lang, Report>;
  packets: number[];
  elapsedMs: number;
  /** Set when the result was opened from a permalink. */
  shared?: { anonymised: boolean; truncated: boolean; claim: SharedResult['claim']; packets: number };
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

export interface ShareFail {
  ok: false;
  error: PermalinkError;
}
export interface AnalyzeFail {
  ok: false;
  error: CoreError;
}

/** One row of the packet list. */
export interface Row {
  n: number;
  ts: number;
  rel: number;
  len: number;
  summary: string;
  /** Worst checksum verdict in the frame ('' when none). */
  worst: 'bad' | 'partial' | 'zero' | 'unverified' | 'good' | '';
  checks: { layer: string; depth: number; status: string }[];
}

export interface PacketView {
  n: number;
  ts: number;
  len: number;
  origLen: number;
  linkType: number;
  bytes: Uint8Array;
  layers: LayerDetail[];
}

export interface FilterResult {
  ok: boolean;
  count: number;
  error?: string;
  pos?: number;
}

/** A frame's raw record, for rebuilding captures (permalinks, "download as pcap"). */
export interface RawFrame {
  n: number;
  ts: number;
  linkType: number;
  origLen: number;
  bytes: Uint8Array;
}

async function* urlChunks(url: string): ChunkSource {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw { code: 'fetch', message: `cannot load ${url}: HTTP ${res.status}`, offset: -1 };
  const reader = res.body.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return;
    yield r.value;
  }
}

function sourceOf(s: CaptureSource): { name: string; size: number; source: ChunkSource } {
  if (s.kind === 'file') return { name: s.file.name, size: s.file.size, source: blobChunks(s.file) };
  if (s.kind === 'url') return { name: s.name, size: 0, source: urlChunks(s.url) };
  return { name: s.name, size: s.bytes.length, source: bufferChunks(s.bytes, 4 * 1024 * 1024) };
}

/** The worker-side implementation. */
export class AnalysisApi {
  private stores: CaptureStore[] = [];
  private filters: { expr: string; indices: Uint32Array }[] = [];
  private dissector = new Dissector();
  private vxlanPorts: number[] = [];
  private reports: Record<Lang, Report> | null = null;
  private frameMaps: number[][] | null = null;

  /** Analyse one or two captures. `onProgress` is a Comlink proxy, called at most every 100 ms. */
  async analyze(
    sources: CaptureSource[],
    opts: { vxlanPorts?: number[] },
    onProgress?: (p: Progress) => void,
  ): Promise<AnalyzeOk | AnalyzeFail> {
    const t0 = Date.now();
    // Uncompressed files are read back with Blob.slice(); only compressed or in-memory sources
    // keep packet bytes in the worker.
    this.stores = await Promise.all(
      sources.map(async (s) => {
        if (s.kind !== 'file') return new CaptureStore(s.name);
        const head = new Uint8Array(await s.file.slice(0, 2).arrayBuffer());
        const gz = head[0] === 0x1f && head[1] === 0x8b;
        return new CaptureStore(s.file.name, gz ? null : s.file);
      }),
    );
    this.filters = this.stores.map(() => ({ expr: '', indices: new Uint32Array(0) }));
    this.vxlanPorts = opts.vxlanPorts ?? [];
    this.dissector = new Dissector({ vxlanPorts: [...DEFAULT_VXLAN_PORTS, ...this.vxlanPorts] });
    let last = 0;
    try {
      const analyzer = await runAnalysis(sources.map(sourceOf), {
        vxlanPorts: this.vxlanPorts,
        onPacket: (cap, _n, rec) => this.stores[cap]!.add(rec),
        onProgress: (p) => {
          const now = Date.now();
          if (onProgress && now - last >= 100) {
            last = now;
            onProgress(p);
          }
        },
      });
      this.reports = { en: analyzer.finish('en'), zh: analyzer.finish('zh') };
      this.frameMaps = null;
      return { ok: true, reports: this.reports, packets: this.stores.map((s) => s.n), elapsedMs: Date.now() - t0 };
    } catch (e) {
      return { ok: false, error: toCoreError(e) };
    }
  }

  private dissect(store: CaptureStore, i: number, b: Uint8Array | null): Dissection | null {
    if (!b || store.linkType[i] === LINKTYPE_CUSTOM_BLOCK) return null;
    return this.dissector.dissect(b, store.linkType[i]!, store.origLen[i]);
  }

  /** Apply a display filter to a capture; rows() then pages through the matches. */
  async filter(capture: number, expr: string): Promise<FilterResult> {
    const store = this.stores[capture];
    if (!store) return { ok: false, count: 0, error: 'no capture' };
    let fn: FilterFn;
    try {
      fn = compileFilter(expr);
    } catch (e) {
      if (e instanceof FilterError) return { ok: false, count: 0, error: e.message, pos: e.pos };
      throw e;
    }
    const out = new Uint32Array(store.n);
    let k = 0;
    if (!expr.trim()) for (let i = 0; i < store.n; i++) out[k++] = i;
    else {
      // One sequential pass over the packets, in file windows.
      const BATCH = 65536;
      const idx = new Uint32Array(BATCH);
      for (let from = 0; from < store.n; from += BATCH) {
        const to = Math.min(store.n, from + BATCH);
        for (let i = from; i < to; i++) idx[i - from] = i;
        await store.each(idx.subarray(0, to - from), (i, b) => {
          if (fn({ n: this.numberOf(capture, i), d: this.dissect(store, i, b) })) out[k++] = i;
        });
      }
    }
    this.filters[capture] = { expr, indices: out.subarray(0, k) };
    return { ok: true, count: k };
  }

  /** Rows `start .. start+count` of the (filtered) packet list. */
  async rows(capture: number, start: number, count: number): Promise<Row[]> {
    const store = this.stores[capture];
    const f = this.filters[capture];
    if (!store || !f) return [];
    const idx = f.expr ? f.indices : null;
    const total = idx ? idx.length : store.n;
    const rows: Row[] = [];
    const want: number[] = [];
    for (let r = start; r < Math.min(total, start + count); r++) want.push(idx ? idx[r]! : r);
    await store.each(want, (i, bytes) => {
      const d = this.dissect(store, i, bytes);
      const worst = d ? worstVerdict(d) : '';
      const checks = [];
      if (d)
        for (let c = 0; c < d.nChecks; c++)
          checks.push({ layer: d.checks[c]!.layer, depth: d.checks[c]!.depth, status: d.checks[c]!.status });
      rows.push({
        n: this.numberOf(capture, i),
        ts: store.ts[i]!,
        rel: store.ts[i]! - (store.firstTs || 0),
        len: store.origLen[i]!,
        summary:
          store.linkType[i] === LINKTYPE_CUSTOM_BLOCK
            ? 'pcapng custom block'
            : d
              ? summarize(d)
              : bytes
                ? `link type ${store.linkType[i]} (not decoded)`
                : '(bytes not kept: capture too large)',
        worst,
        checks,
      });
    });
    return rows;
  }

  /** Number of rows in the current (filtered) list. */
  rowCount(capture: number): number {
    const store = this.stores[capture];
    const f = this.filters[capture];
    if (!store || !f) return 0;
    return f.expr ? f.indices.length : store.n;
  }

  /** Frame number of packet index `i` (original numbers for shared captures). */
  private numberOf(capture: number, i: number): number {
    return this.frameMaps?.[capture]?.[i] ?? i + 1;
  }

  /** Packet index of frame `n`, or -1. */
  private indexOf(capture: number, n: number): number {
    const m = this.frameMaps?.[capture];
    if (!m) return n >= 1 && n <= (this.stores[capture]?.n ?? 0) ? n - 1 : -1;
    return m.indexOf(n);
  }

  /** Position of frame `n` in the current list, or -1 when filtered out. */
  rowOf(capture: number, n: number): number {
    const f = this.filters[capture];
    const i = this.indexOf(capture, n);
    if (!f || !f.expr || i < 0) return i;
    let lo = 0;
    let hi = f.indices.length - 1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (f.indices[m] === i) return m;
      if (f.indices[m]! < i) lo = m + 1;
      else hi = m - 1;
    }
    return -1;
  }

  /** Detail of frame `n` (1-based). */
  async packet(capture: number, n: number): Promise<PacketView | null> {
    const store = this.stores[capture];
    const i = this.indexOf(capture, n);
    if (!store || i < 0) return null;
    const b = await store.bytes(i);
    const d = this.dissect(store, i, b);
    return {
      n,
      ts: store.ts[i]!,
      len: store.len[i]!,
      origLen: store.origLen[i]!,
      linkType: store.linkType[i]!,
      bytes: b ?? new Uint8Array(0),
      layers: d ? describeLayers(d) : [],
    };
  }

  /** Raw records of frames (1-based numbers), for permalinks and pcap export. */
  async frames(capture: number, ns: number[]): Promise<RawFrame[]> {
    const store = this.stores[capture];
    if (!store) return [];
    const out: RawFrame[] = [];
    for (const n of ns) {
      const i = this.indexOf(capture, n);
      const b = i >= 0 ? await store.bytes(i) : null;
      if (b) out.push({ n, ts: store.ts[i]!, linkType: store.linkType[i]!, origLen: store.origLen[i]!, bytes: b });
    }
    return out;
  }

  /**
   * Build a permalink for the current result: the evidence packets (optionally anonymised),
   * cut down to fit MAX_LINK_CHARS with a notice, never a broken link.
   */
  async share(anonymise: boolean): Promise<SharePreview | ShareFail> {
    const r = this.reports?.en;
    if (!r) return { ok: false, error: makeError('share:nothing') };
    const all = evidenceFrames(r, Number.MAX_SAFE_INTEGER);
    const total = all.length;
    let pick = all.slice(0, MAX_SHARED_PACKETS);
    for (;;) {
      const map = new AddressMapper();
      const packets: SharedPacket[] = [];
      const preview: SharePreview['packets'] = [];
      const ordered = pick.slice().sort((a, b) => a.capture - b.capture || a.frame - b.frame);
      for (const { capture, frame } of ordered) {
        const [raw] = await this.frames(capture, [frame]);
        if (!raw || raw.linkType === LINKTYPE_CUSTOM_BLOCK) continue;
        const bytes = anonymise ? anonymiseFrame(raw.bytes, raw.linkType, map, this.dissector) : raw.bytes;
        packets.push({ capture, frame, linkType: raw.linkType, origLen: raw.origLen, ts: raw.ts, bytes });
        preview.push({ capture, frame, summary: summarize(this.dissector.dissect(bytes, raw.linkType, raw.origLen)) });
      }
      const primary = r.findings[r.diagnosis.primaryFinding];
      const retry = primary && (primary.kind === 'syn-retry' || primary.kind === 'dns-unanswered') ? primary : null;
      const value = await encodePermalink({
        anonymised: anonymise,
        truncated: pick.length < total,
        captures: this.stores.map((s, i) => (anonymise ? `capture-${i + 1}.pcap` : s.name)),
        claim: {
          cause: r.diagnosis.cause,
          attempts: retry ? retry.attemptList.length : 0,
          outer: retry ? retry.attemptList.map((a) => a.outerChecksum) : [],
          delaySec: retry && retry.kind === 'syn-retry' ? retry.delaySec : null,
        },
        packets,
      });
      if (value.length + 64 <= MAX_LINK_CHARS || pick.length <= 2) {
        return { value, anonymised: anonymise, truncated: pick.length < total, packets: preview, omitted: total - pick.length };
      }
      // Too long: keep the first and last pieces of evidence, drop the middle.
      const keep = Math.max(2, Math.floor(pick.length * 0.7));
      pick = [...pick.slice(0, Math.ceil(keep / 2)), ...pick.slice(pick.length - Math.floor(keep / 2))];
    }
  }

  /** Open a permalink: decode, validate, rebuild the shared capture(s) and analyse them. */
  async openShared(value: string, onProgress?: (p: Progress) => void): Promise<AnalyzeOk | AnalyzeFail> {
    const d = await decodePermalink(value);
    if (!d.ok) return { ok: false, error: d.error };
    const sr = d.result;
    // One capture file per capture point: pcap, or pcapng when link types differ.
    const groups = sr.captures.map((_, c) => sr.packets.filter((p) => p.capture === c));
    const sources: CaptureSource[] = groups.map((ps, c) => ({
      kind: 'bytes',
      name: sr.captures[c]!,
      bytes: writeCapture(ps.map((p) => ({ ts: p.ts, data: p.bytes, origLen: p.origLen, linkType: p.linkType }))).bytes,
    }));
    const res = await this.analyze(sources, {}, onProgress);
    if (!res.ok) return res;
    this.frameMaps = groups.map((ps) => ps.map((p) => p.frame));
    for (const l of ['en', 'zh'] as const) remapFrames(res.reports[l], this.frameMaps);
    res.shared = { anonymised: sr.anonymised, truncated: sr.truncated, claim: sr.claim, packets: sr.packets.length };
    return res;
  }

  /** The packets of capture `capture` as a capture file (pcap, or pcapng for mixed link types). */
  async exportPcap(capture: number): Promise<{ bytes: Uint8Array; format: 'pcap' | 'pcapng' }> {
    const store = this.stores[capture];
    if (!store) return { bytes: new Uint8Array(0), format: 'pcap' };
    const all: number[] = [];
    const types = new Set<number>();
    let size = 24;
    for (let i = 0; i < store.n; i++) {
      if (store.linkType[i] === LINKTYPE_CUSTOM_BLOCK) continue;
      all.push(i);
      types.add(store.linkType[i]!);
      size += 16 + store.len[i]!;
    }
    if (types.size <= 1) {
      // One link type: a pcap written straight from the read windows, each byte copied once.
      const out = new Uint8Array(size);
      const dv = new DataView(out.buffer);
      writePcapHeader(dv, [...types][0] ?? 1);
      let o = 24;
      await store.each(all, (i, b) => {
        if (b) o = writeRecord(out, dv, o, { ts: store.ts[i]!, data: b, origLen: store.origLen[i]! }, false);
      });
      return { bytes: out.subarray(0, o), format: 'pcap' };
    }
    // Several link types need pcapng; the read windows are transient, so packets are copied.
    const list: { ts: number; data: Uint8Array; origLen: number; linkType: number }[] = [];
    await store.each(all, (i, b) => {
      if (b) list.push({ ts: store.ts[i]!, data: b.slice(), origLen: store.origLen[i]!, linkType: store.linkType[i]! });
    });
    return writeCapture(list);
  }
}
