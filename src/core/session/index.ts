/**
 * A session: what the web worker exposes (through Comlink) and what any other host of the core
 * could use: analyse captures, page through packet rows under a display filter, open one packet,
 * share the result as a link, open a link, export a capture. The session is the only owner of
 * filter state: the UI asks it what the list shows (`view`) and where a frame is (`select`).
 * Nothing here touches the DOM or the network; errors are {@link CoreError}s.
 */
import { LINKTYPE_CUSTOM_BLOCK } from '../capture/reader';
import { blobChunks, bufferChunks, isGzipMagic, type ChunkSource } from '../capture/source';
import { DEFAULT_VXLAN_PORTS, Dissector, type Dissection } from '../decode/dissect';
import { describeLayers, type LayerDetail } from '../decode/detail';
import { makeError, toCoreError, type CoreError } from '../errors';
import { compileFilter, FilterError, type FilterFn } from '../filter';
import { runAnalysis, type Progress } from '../pipeline';
import type { ConversationTable } from '../analysis/conversations';
import type { IoSeries } from '../analysis/series';
import type { Lang } from '../analysis/i18n';
import type { Finding, Report } from '../report';
import type { SharedResult } from '../share/permalink';
import { makeRow, type Row } from './rows';
import { buildShare, claimHolds, rebuildShared, type SharePreview } from './share';
import { blobReader, PacketStore } from './store';
import { exportCapture } from './export';
import { bilingual } from './bilingual';
import { viewFinding, viewReports } from './view';
import { renderText } from '../text';

export type { Row, SharePreview };

/** Where a capture comes from: a dropped File, or bytes (a fetched sample, a pasted buffer). */
export type CaptureSource = { kind: 'file'; file: File } | { kind: 'bytes'; bytes: Uint8Array; name: string };

/** What the page knows of a result opened from a permalink. */
export interface SharedInfo {
  anonymised: boolean;
  truncated: boolean;
  claim: SharedResult['claim'];
  packets: number;
  /** The re-analysis reached the sender's claim (checked on the full report: see `claimHolds`). */
  matches: boolean;
}

export interface AnalyzeOk {
  ok: true;
  /**
   * Both languages' reports as the page shows them: each finding's per-attempt lists cut to the
   * attempts the timeline draws (see `viewReports`). The session keeps the full reports.
   */
  reports: Record<Lang, Report>;
  packets: number[];
  elapsedMs: number;
  /** Set when the result was opened from a permalink. */
  shared?: SharedInfo;
}

/** The result of swapping the two capture points' sides. */
export interface Swapped {
  reports: Record<Lang, Report>;
  shared?: SharedInfo;
}

export interface Fail {
  ok: false;
  error: CoreError;
}

/** The packet list of one capture as the session holds it. */
export interface ListView {
  /** The filter expression in force ('' for none). */
  filter: string;
  /** Rows under the filter. */
  count: number;
  /** Packets in the capture. */
  total: number;
}

export interface FilterResult extends ListView {
  ok: boolean;
  error?: CoreError;
  /** Character position of a filter error. */
  pos?: number;
}

/** Where a frame is in the list (the filter is cleared when it hid the frame). */
export interface Located extends ListView {
  row: number;
  cleared: boolean;
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

/** A frame's raw record, for rebuilding captures (permalinks, "download as pcap"). */
export interface RawFrame {
  n: number;
  ts: number;
  linkType: number;
  origLen: number;
  bytes: Uint8Array;
}

/**
 * A capture's chunks. An uncompressed File is read into two reused buffers (the capture reader is
 * done with a chunk before it asks for the next); a gzip'd one gets fresh buffers, as the
 * decompressor may still hold what it was given.
 */
function sourceOf(s: CaptureSource, gzip: boolean): { name: string; size: number; source: ChunkSource } {
  if (s.kind === 'file') return { name: s.file.name, size: s.file.size, source: blobChunks(s.file, { reuse: !gzip }) };
  return { name: s.name, size: s.bytes.length, source: bufferChunks(s.bytes, 4 * 1024 * 1024) };
}

async function isGzip(s: CaptureSource): Promise<boolean> {
  const head = s.kind === 'file' ? new Uint8Array(await s.file.slice(0, 2).arrayBuffer()) : s.bytes.subarray(0, 2);
  return isGzipMagic(head);
}

export class Session {
  private stores: PacketStore[] = [];
  private lists: { expr: string; indices: Uint32Array | null }[] = [];
  private dissector = new Dissector();
  private vxlanPorts: number[] = [];
  private reports: Record<Lang, Report> | null = null;
  /** Kept after an analysis so that the diagnosis can be rebuilt (swapped capture points). */
  private analyzer: Awaited<ReturnType<typeof runAnalysis>> | null = null;
  private swapped = false;
  /** The connections view per capture, built once after an analysis. */
  private tables: (ConversationTable | null)[] = [];
  private series: (IoSeries | null)[] = [];
  private frameMaps: number[][] | null = null;
  /** The link a result was opened from, to check its claim again after a swap. */
  private link: Omit<SharedInfo, 'matches'> | null = null;

  /** Analyse one or two captures. `onProgress` may be a Comlink proxy: called at most every 100 ms. */
  async analyze(
    sources: CaptureSource[],
    opts: { vxlanPorts?: number[]; frameNumbers?: number[][] },
    onProgress?: (p: Progress) => void,
  ): Promise<AnalyzeOk | Fail> {
    const t0 = Date.now();
    this.analyzer = null;
    this.link = null;
    // Uncompressed files are read back with Blob.slice(); compressed or in-memory sources keep
    // their packet bytes in the session.
    const gzip = await Promise.all(sources.map(isGzip));
    this.stores = sources.map((s, i) =>
      s.kind === 'file' && !gzip[i]
        ? new PacketStore(s.file.name, blobReader(s.file))
        : new PacketStore(s.kind === 'file' ? s.file.name : s.name),
    );
    this.lists = this.stores.map(() => ({ expr: '', indices: null }));
    this.vxlanPorts = opts.vxlanPorts ?? [];
    this.dissector = new Dissector({ vxlanPorts: [...DEFAULT_VXLAN_PORTS, ...this.vxlanPorts] });
    this.frameMaps = opts.frameNumbers ?? null;
    let last = 0;
    try {
      const analyzer = await runAnalysis(
        sources.map((s, i) => sourceOf(s, gzip[i]!)),
        {
          vxlanPorts: this.vxlanPorts,
          frameNumbers: opts.frameNumbers,
          onPacket: (cap, _n, rec, _d, meta) => this.stores[cap]!.add(rec, meta.stream, meta.flags),
          onProgress: (p) => {
            const now = Date.now();
            if (onProgress && now - last >= 100) {
              last = now;
              onProgress(p);
            }
          },
        },
      );
      for (const st of this.stores) st.trim();
      this.analyzer = analyzer;
      this.swapped = false;
      this.reports = bilingual(analyzer.finish('en'), analyzer.finish('zh'));
      this.tables = this.stores.map((_, i) => analyzer.conversations(i));
      this.series = this.stores.map((_, i) => analyzer.ioSeries(i));
      return { ok: true, reports: viewReports(this.reports), packets: this.stores.map((s) => s.n), elapsedMs: Date.now() - t0 };
    } catch (e) {
      return { ok: false, error: toCoreError(e) };
    }
  }

  /**
   * Finding `i` of the current result in both languages, with its per-attempt lists cut to what
   * the timeline draws: for a finding the page received without them (`deferred`, a flood's).
   */
  finding(i: number): Record<Lang, Finding> | null {
    const r = this.reports;
    if (!r || !r.en.findings[i] || !r.zh.findings[i]) return null;
    const cut = new Map<readonly unknown[], unknown[]>();
    return { en: viewFinding(r.en.findings[i], cut), zh: viewFinding(r.zh.findings[i], cut) };
  }

  /**
   * Swap the two capture points' inferred sides (client and server, which one is upstream) and
   * diagnose again: for when the traffic misled the inference. Calling it again swaps back.
   */
  swapSides(): Swapped | null {
    if (!this.analyzer || this.stores.length !== 2) return null;
    this.swapped = !this.swapped;
    this.reports = bilingual(this.analyzer.finish('en', this.swapped), this.analyzer.finish('zh', this.swapped));
    const shared = this.sharedInfo();
    return { reports: viewReports(this.reports), ...(shared && { shared }) };
  }

  /**
   * The full report of the current result as the command line prints it: its text
   * (`npm run analyze`, not wrapped: a ticket or a chat wraps it) and its JSON (`--json`, the report
   * contract), in `lang`. The page's own copy has long lists cut; this one is whole. Null before a
   * result.
   */
  exportReport(lang: Lang): { text: string; json: string } | null {
    const r = this.reports?.[lang];
    if (!r) return null;
    return { text: renderText(r, lang, false, 0), json: JSON.stringify(r, null, 1) + '\n' };
  }

  /** The permalink's facts with its claim checked against the current full report. */
  private sharedInfo(): SharedInfo | undefined {
    if (!this.link || !this.reports) return undefined;
    return { ...this.link, matches: claimHolds(this.reports.en, this.link.claim, this.link.truncated) };
  }

  private dissect(store: PacketStore, i: number, b: Uint8Array | null): Dissection | null {
    if (!b || store.linkType(i) === LINKTYPE_CUSTOM_BLOCK) return null;
    return this.dissector.dissect(b, store.linkType(i), store.origLen.at(i));
  }

  /** What the list of `capture` shows now. */
  view(capture: number): ListView {
    const store = this.stores[capture];
    const l = this.lists[capture];
    if (!store || !l) return { filter: '', count: 0, total: 0 };
    return { filter: l.expr, count: l.indices ? l.indices.length : store.n, total: store.n };
  }

  /** Apply a display filter to a capture; `rows` then pages through the matches. */
  async filter(capture: number, expr: string): Promise<FilterResult> {
    const store = this.stores[capture];
    if (!store) return { ok: false, error: makeError('no-capture'), filter: '', count: 0, total: 0 };
    let fn: FilterFn;
    try {
      fn = compileFilter(expr);
    } catch (e) {
      if (e instanceof FilterError) return { ...this.view(capture), ok: false, error: e.detail, pos: e.pos };
      throw e;
    }
    if (!expr.trim()) {
      this.lists[capture] = { expr: '', indices: null };
      return { ...this.view(capture), ok: true };
    }
    const out = new Uint32Array(store.n);
    let k = 0;
    // One sequential pass over the packets, in file windows.
    const BATCH = 65536;
    const idx = new Uint32Array(BATCH);
    const meta = { stream: -1, flags: 0 };
    for (let from = 0; from < store.n; from += BATCH) {
      const to = Math.min(store.n, from + BATCH);
      for (let i = from; i < to; i++) idx[i - from] = i;
      await store.each(idx.subarray(0, to - from), (i, b) => {
        meta.stream = store.stream.at(i);
        meta.flags = store.flags.at(i);
        const ts = store.ts.at(i);
        if (fn({ n: this.numberOf(capture, i), d: this.dissect(store, i, b), ts, rel: ts - (store.firstTs || 0), meta }))
          out[k++] = i;
      });
    }
    this.lists[capture] = { expr, indices: out.slice(0, k) };
    return { ...this.view(capture), ok: true };
  }

  /** Rows `start .. start+count` of the (filtered) list. */
  async rows(capture: number, start: number, count: number): Promise<Row[]> {
    const store = this.stores[capture];
    const l = this.lists[capture];
    if (!store || !l) return [];
    const total = l.indices ? l.indices.length : store.n;
    const want: number[] = [];
    for (let r = Math.max(0, start); r < Math.min(total, start + count); r++) want.push(l.indices ? l.indices[r]! : r);
    const rows: Row[] = [];
    await store.each(want, (i, bytes) => {
      const d = this.dissect(store, i, bytes);
      rows.push(
        makeRow(
          this.numberOf(capture, i),
          store.ts.at(i),
          store.firstTs,
          store.origLen.at(i),
          store.len.at(i),
          store.linkType(i),
          d,
          store.stream.at(i),
          !!bytes,
        ),
      );
    });
    // Wireshark's frame.time_delta_displayed: time since the previous row of this (filtered) list.
    const prevOf = (r: number) => (r <= 0 ? -1 : l.indices ? l.indices[r - 1]! : r - 1);
    const first = Math.max(0, start);
    for (let k = 0; k < rows.length; k++) {
      const i = want[k]!;
      const p = k > 0 ? want[k - 1]! : prevOf(first);
      rows[k]!.delta = p < 0 ? 0 : store.ts.at(i) - store.ts.at(p);
    }
    return rows;
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

  /** Row of frame `n` in the list of `capture`; a filter that hides it is cleared. Null when no such frame. */
  async select(capture: number, n: number): Promise<Located | null> {
    const i = this.indexOf(capture, n);
    const l = this.lists[capture];
    if (i < 0 || !l) return null;
    let cleared = false;
    if (l.indices && binarySearch(l.indices, i) < 0) {
      this.lists[capture] = { expr: '', indices: null };
      cleared = true;
    }
    const now = this.lists[capture]!;
    const row = now.indices ? binarySearch(now.indices, i) : i;
    return { ...this.view(capture), row, cleared };
  }

  /** Detail of frame `n`. */
  async packet(capture: number, n: number): Promise<PacketView | null> {
    const store = this.stores[capture];
    const i = this.indexOf(capture, n);
    if (!store || i < 0) return null;
    const b = await store.bytes(i);
    const d = this.dissect(store, i, b);
    return {
      n,
      ts: store.ts.at(i),
      len: store.len.at(i),
      origLen: store.origLen.at(i),
      linkType: store.linkType(i),
      bytes: b ?? new Uint8Array(0),
      layers: d ? describeLayers(d) : [],
    };
  }

  /** Raw records of frames, for permalinks and pcap export. */
  async frames(capture: number, ns: number[]): Promise<RawFrame[]> {
    const store = this.stores[capture];
    if (!store) return [];
    const out: RawFrame[] = [];
    for (const n of ns) {
      const i = this.indexOf(capture, n);
      const b = i >= 0 ? await store.bytes(i) : null;
      if (b) out.push({ n, ts: store.ts.at(i), linkType: store.linkType(i), origLen: store.origLen.at(i), bytes: b });
    }
    return out;
  }

  /** A permalink for the current result (optionally anonymised), cut down to fit, with a notice. */
  async share(anonymise: boolean): Promise<SharePreview | Fail> {
    const r = this.reports?.en;
    if (!r) return { ok: false, error: makeError('share:nothing') };
    try {
      return await buildShare(
        r,
        anonymise,
        (c, ns) => this.frames(c, ns),
        this.dissector,
        this.stores.map((s) => s.name),
      );
    } catch (e) {
      return { ok: false, error: toCoreError(e) };
    }
  }

  /** Packets, bad checksums and retransmissions over time in capture `capture` (the IO graph). */
  ioGraph(capture: number): IoSeries | null {
    return this.series[capture] ?? null;
  }

  /** Every TCP connection and DNS lookup of capture `capture` (the connections view). */
  connections(capture: number): ConversationTable | null {
    return this.tables[capture] ?? null;
  }

  /** Open a permalink: decode, validate, rebuild the shared capture(s) and analyse them. */
  async openShared(value: string, onProgress?: (p: Progress) => void): Promise<AnalyzeOk | Fail> {
    const rebuilt = await rebuildShared(value);
    if (!rebuilt.ok) return rebuilt;
    // The rebuilt captures keep the sender's frame numbers, in the analysis and in the list.
    const res = await this.analyze(rebuilt.sources, { frameNumbers: rebuilt.frameMaps }, onProgress);
    if (!res.ok) return res;
    const sr = rebuilt.result;
    this.link = { anonymised: sr.anonymised, truncated: sr.truncated, claim: sr.claim, packets: sr.packets.length };
    res.shared = this.sharedInfo();
    return res;
  }

  /** The packets of capture `capture` as a capture file (pcap, or pcapng for mixed link types). */
  async exportPcap(capture: number): Promise<{ bytes: Uint8Array; format: 'pcap' | 'pcapng' }> {
    const store = this.stores[capture];
    if (!store) return { bytes: new Uint8Array(0), format: 'pcap' };
    return exportCapture(store);
  }
}

function binarySearch(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (a[m] === v) return m;
    if (a[m]! < v) lo = m + 1;
    else hi = m - 1;
  }
  return -1;
}
