/**
 * The analysis pipeline shared by the CLI and the web worker: chunks -> (gunzip) -> records ->
 * dissection -> analyzer -> report. Nothing here knows about files, DOM or Node.
 */
import { LINKTYPE_CUSTOM_BLOCK, readCapture, type RawRecord } from './capture/reader';
import { countingSource, maybeGunzip, type ChunkSource } from './capture/source';
import { DEFAULT_VXLAN_PORTS, Dissector, SUPPORTED_LINK_TYPES, type Dissection } from './decode/dissect';
import { Reassembler } from './decode/reassembly';
import { Analyzer, type AnalyzeOptions } from './analysis/analyzer';
import { FatalCaptureError, type CoreError } from './errors';
import { captureError } from './capture/messages';
import type { Report } from './report';
import type { FrameMeta } from './filter';

const NO_META: FrameMeta = { stream: -1, flags: 0 };

/** One capture to analyse. */
export interface CaptureInput {
  name: string;
  source: ChunkSource;
  /** Total raw size in bytes, when known (for progress). */
  size?: number;
}

/** Progress of a running analysis. */
export interface Progress {
  capture: number;
  /** Raw (possibly compressed) bytes consumed of this capture. */
  bytes: number;
  /** Total raw bytes of this capture, or 0 when unknown. */
  total: number;
  /** Packets decoded so far, all captures. */
  packets: number;
}

export interface PipelineOptions extends AnalyzeOptions {
  /** Extra UDP ports to decode as VXLAN (4789 and 8472 are always decoded). */
  vxlanPorts?: number[];
  onProgress?: (p: Progress) => void;
  /**
   * Called for every frame after analysis (the session builds its packet index here), with the
   * analysis' per-frame facts (tcp.stream, tcp.analysis flags).
   */
  onPacket?: (capture: number, n: number, rec: RawRecord, d: Dissection | null, meta: FrameMeta) => void;
  /**
   * Frame numbers to use instead of 1, 2, 3 ... per capture (a capture rebuilt from a shared link
   * keeps the sender's numbers, so findings and sentences name the same frames).
   */
  frameNumbers?: number[][];
  /** Polled between chunks; returning true stops reading (cancellation). */
  shouldStop?: () => boolean;
}

/**
 * Analyse one or two captures and build the report. Throws {@link FatalCaptureError} (with the
 * file name in the message) when a capture cannot be read at all.
 */
export async function analyzeCaptures(inputs: CaptureInput[], opts: PipelineOptions = {}): Promise<Report> {
  return (await runAnalysis(inputs, opts)).finish();
}

/** Like {@link analyzeCaptures}, but returns the analyzer so the report can be built per language. */
export async function runAnalysis(inputs: CaptureInput[], opts: PipelineOptions = {}): Promise<Analyzer> {
  const analyzer = new Analyzer({ compare: inputs.length > 1, ...opts });
  const ports = [...new Set([...DEFAULT_VXLAN_PORTS, ...(opts.vxlanPorts ?? [])])];
  let packets = 0;
  const fatal: CoreError[] = [];
  for (let ci = 0; ci < inputs.length; ci++) {
    const input = inputs[ci]!;
    const cap = analyzer.beginCapture(input.name);
    const dissector = new Dissector({ vxlanPorts: ports });
    const reassembler = new Reassembler();
    let lastBytes = 0;
    const counted = countingSource(input.source, (b) => {
      lastBytes = b;
      opts.onProgress?.({ capture: ci, bytes: b, total: input.size ?? 0, packets });
    });
    let k = 0;
    let n = 0;
    const numbers = opts.frameNumbers?.[ci];
    let dec: Awaited<ReturnType<typeof maybeGunzip>> | null = null;
    try {
      dec = await maybeGunzip(counted);
      let info;
      try {
        info = await readCapture(
          dec.chunks,
          (rec) => {
            n = numbers?.[k] ?? k + 1;
            k++;
            packets++;
            if (rec.linkType === LINKTYPE_CUSTOM_BLOCK) {
              analyzer.addRecordOnly(cap, n, rec.data.length, 'pcapng custom block');
              opts.onPacket?.(ci, n, rec, null, NO_META);
              return;
            }
            if (!SUPPORTED_LINK_TYPES.has(rec.linkType)) {
              analyzer.addUndecoded(cap, n, rec.ts, rec.data.length, rec.linkType);
              opts.onPacket?.(ci, n, rec, null, NO_META);
              return;
            }
            const d = dissector.dissect(rec.data, rec.linkType, rec.origLen);
            analyzer.addFrame(cap, n, rec.ts, d, d.nLayers && d.layers[0] ? reassembler.feed(n, d) : null);
            opts.onPacket?.(ci, n, rec, d, analyzer.meta);
          },
          opts.shouldStop,
        );
      } catch (e) {
        // A damaged gzip stream that inflated to too little: say that, not "file is empty".
        if (e instanceof FatalCaptureError && dec.errors.length) throw new FatalCaptureError(dec.errors[0]!);
        throw e;
      }
      if (dec.errors.length && info.format === 'unknown') throw new FatalCaptureError(dec.errors[0]!);
      const extra = [...dec.errors];
      if (info.interrupted) extra.push(captureError('interrupted', { at: info.bytesRead }, info.bytesRead));
      analyzer.endCapture(cap, info, dec.compressed, extra, reassembler.stats);
      opts.onProgress?.({ capture: ci, bytes: lastBytes, total: input.size ?? lastBytes, packets });
    } catch (e) {
      if (!(e instanceof FatalCaptureError)) throw e;
      const detail = { ...e.detail, message: `${input.name}: ${e.detail.message}` };
      if (detail.params) detail.params = { ...detail.params, file: input.name };
      // With two captures, one unreadable file does not stop the other from being analysed.
      if (inputs.length > 1) {
        fatal.push(detail);
        analyzer.endCapture(
          cap,
          { format: 'unknown', linkTypes: [], errors: [detail], errorsNotListed: 0, bytesRead: 0 },
          dec?.compressed ?? false,
        );
        continue;
      }
      throw new FatalCaptureError(detail);
    }
  }
  if (fatal.length && fatal.length === inputs.length) throw new FatalCaptureError(fatal[0]!);
  return analyzer;
}
