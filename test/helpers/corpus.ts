/**
 * Test helpers (Node only, never bundled): locate the shared capture corpus and run the
 * pipeline over a file or a buffer.
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeCaptures, type PipelineOptions } from '../../src/core/pipeline';
import { bufferChunks } from '../../src/core/capture/source';
import type { Report } from '../../src/core/report';

/** This folder (jsdom test environments may not give a file: URL; tests run from the repo root). */
const HERE = import.meta.url.startsWith('file:')
  ? dirname(fileURLToPath(import.meta.url))
  : resolve(process.cwd(), 'test/helpers');

/** The repository root. */
export const REPO = resolve(HERE, '../..');

/** ../shared/captures, beside the repository. */
export const CAPTURES = resolve(REPO, '../shared/captures');

/** Every capture file of the corpus as "sub/name". */
export function corpusFiles(): string[] {
  const out: string[] = [];
  for (const sub of ['real', 'scenarios']) {
    const d = join(CAPTURES, sub);
    if (!existsSync(d)) continue;
    for (const n of readdirSync(d).sort()) if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(n)) out.push(`${sub}/${n}`);
  }
  return out;
}

/** Analyse corpus files (streamed from disk in small chunks to exercise stitching). */
export function analyzeFiles(rel: string[], opts: PipelineOptions = {}): Promise<Report> {
  return analyzeCaptures(
    rel.map((r) => ({
      name: r.split('/').pop()!,
      source: createReadStream(isAbsolute(r) ? r : join(CAPTURES, r), { highWaterMark: 4096 }),
    })),
    opts,
  );
}

/** Analyse in-memory bytes. */
export function analyzeBytes(bytes: Uint8Array, opts: PipelineOptions = {}, chunk?: number): Promise<Report> {
  return analyzeCaptures([{ name: 'mem.pcap', source: bufferChunks(bytes, chunk) }], opts);
}

/** Read a corpus file. */
export function corpusBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CAPTURES, rel)));
}
