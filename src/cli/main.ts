/**
 * Command line: `npm run -s analyze -- [--json] [--frames] [--vxlan-port N]... [--lang en|zh] [--fail-on CAUSES] CAPTURE [CAPTURE2]`
 *
 * Exit status: 0 when the analysis ran (even partially), 1 when an input cannot be analysed at
 * all (one line on stderr), 2 for usage errors, 3 when the diagnosis is one of `--fail-on`'s
 * causes (for CI jobs), 130 after Ctrl-C. Never a stack trace.
 */
import { closeSync, openSync, read, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { analyzeCaptures, type CaptureInput } from '../core/pipeline';
import { FatalCaptureError } from '../core/errors';
import type { Lang } from '../core/analysis/i18n';
import { renderText } from '../core/text';
import { errorText } from '../core/errors';
import { CAUSES } from '../core/analysis/rules/causes';
import { compileFilter, FilterError, type FilterFn } from '../core/filter';
import { isGzipMagic } from '../core/capture/source';

/** Cause names `--fail-on` accepts (from the cause list: a new cause is accepted at once). */
const CAUSE_NAMES: string[] = CAUSES.map((c) => c.cause);

/** Language of messages on stderr (set once the arguments are parsed). */
let cliLang: Lang = 'en';

const USAGE = `usage: npm run -s analyze -- [--json] [--frames] [--vxlan-port N]... [--lang en|zh] [--filter EXPR] [--fail-on CAUSES] CAPTURE [CAPTURE2]

  --json          print the JSON report (version 1) on stdout
  --frames        include per-frame checksum detail (large)
  --vxlan-port N  also decode UDP port N as VXLAN (4789 and 8472 always are)
  --lang en|zh    language of titles, diagnosis and remedies (default en)
  --filter EXPR   a display filter (as tshark -Y): --frames lists only matching frames; the
                  report gives {"filter": {"expression", "matched"}}
  --fail-on CAUSES  exit 3 when the diagnosis is one of these causes (comma-separated), or any
                  cause at all with \`any\`: ${CAUSE_NAMES.join(', ')}
  CAPTURE2        a second capture of the same traffic at another point (e.g. the receiver)
  CAPTURE may be - (standard input) or a pipe: tcpdump -w - ... | npm run -s analyze -- -
  Ctrl-C stops reading and prints the report of what was read (exit status 130).`;

interface Args {
  filter: { expression: string; fn: FilterFn } | undefined;
  /** Causes that make the exit status 3; 'any' for every non-null cause. */
  failOn: Set<string>;
  json: boolean;
  frames: boolean;
  ports: number[];
  lang: Lang;
  files: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { filter: undefined, failOn: new Set(), json: false, frames: false, ports: [], lang: 'en', files: [] };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--json') a.json = true;
    else if (s === '--frames') a.frames = true;
    else if (s === '--vxlan-port' || s.startsWith('--vxlan-port=')) {
      const v = s.includes('=') ? s.slice(s.indexOf('=') + 1) : argv[++i];
      const n = Number(v);
      if (!v || !Number.isInteger(n) || n < 1 || n > 65535)
        throw new UsageError(`--vxlan-port needs a port number 1-65535, got ${v ?? 'nothing'}`);
      a.ports.push(n);
    } else if (s === '--lang' || s.startsWith('--lang=')) {
      const v = s.includes('=') ? s.slice(s.indexOf('=') + 1) : argv[++i];
      if (v === 'en') a.lang = 'en';
      else if (v === 'zh' || v === 'zh-CN' || v === 'zh-cn') a.lang = 'zh';
      else throw new UsageError(`--lang must be en or zh, got ${v ?? 'nothing'}`);
    } else if (s === '--filter' || s.startsWith('--filter=')) {
      const v = s.includes('=') ? s.slice(s.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new UsageError('--filter needs an expression');
      try {
        a.filter = { expression: v, fn: compileFilter(v) };
      } catch (e) {
        if (e instanceof FilterError) throw new UsageError(`--filter: ${errorText(e.detail, a.lang)}`);
        throw e;
      }
    } else if (s === '--fail-on' || s.startsWith('--fail-on=')) {
      const v = s.includes('=') ? s.slice(s.indexOf('=') + 1) : argv[++i];
      const list = (v ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (!list.length) throw new UsageError(`--fail-on needs causes (comma-separated) or any, got nothing`);
      for (const c of list) {
        if (c !== 'any' && !CAUSE_NAMES.includes(c))
          throw new UsageError(`--fail-on: unknown cause ${c} (causes: any, ${CAUSE_NAMES.join(', ')})`);
        a.failOn.add(c);
      }
    } else if (s === '-h' || s === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (s.startsWith('-') && s !== '-') throw new UsageError(`unknown option ${s}`);
    else a.files.push(s);
  }
  if (a.files.length < 1 || a.files.length > 2)
    throw new UsageError(a.files.length ? 'at most two captures' : 'no capture given');
  return a;
}

/** Set by the first Ctrl-C: reading stops and the report covers what was read. */
let interrupted = false;
/** Wakes the read in progress, if any (one waiter per read: nothing accumulates per chunk). */
let wake: (() => void) | null = null;
process.on('SIGINT', () => {
  // A second Ctrl-C does not wait for the partial report.
  if (interrupted) process.exit(130);
  interrupted = true;
  wake?.();
});

/**
 * A capture file, standard input (`-`) or a pipe (`<(tcpdump -w - ...)`). Pipes are read as
 * streams, not through the file thread pool, where a read blocked on an idle pipe would keep the
 * process from ever exiting; `node:net` is loaded only then (it costs ~6 ms of start-up).
 */
function open(f: string, st: Stats | null): AsyncIterable<Uint8Array> {
  if (f === '-') return process.stdin;
  if (st!.isFile()) return fileChunks(openSync(f, 'r'));
  // Loaded here, synchronously: the bin runs the bundle in a vm.Script (the code-cached loader),
  // where a dynamic import() has no loader to call and throws.
  const { Socket } = process.getBuiltinModule('node:net');
  return new Socket({ fd: openSync(f, 'r'), readable: true, writable: false });
}

/** Chunk size of file reads. */
const FILE_CHUNK = 1 << 20;

/**
 * Read up to FILE_CHUNK bytes at `pos` on the thread pool into `into`, or into a fresh buffer
 * (null at the end of the file).
 */
function readAt(fd: number, pos: number, into?: Uint8Array): Promise<Uint8Array | null> {
  // Handed on as a plain Uint8Array: the reader takes a view per record, and a Buffer's
  // subarray() builds a Buffer each time (a few times slower, ~5 % of a whole run).
  const buf = into ?? new Uint8Array(Buffer.allocUnsafeSlow(FILE_CHUNK).buffer, 0, FILE_CHUNK);
  return new Promise((resolve, reject) =>
    read(fd, buf, 0, FILE_CHUNK, pos, (err, n) => (err ? reject(err) : resolve(n ? buf.subarray(0, n) : null))),
  );
}

/**
 * A regular file in 1 MiB reads, the next one already under way on Node's thread pool while
 * this one is decoded (a stream does the same, but loading Node's stream machinery costs ~5 ms of
 * start-up). Reads complete through the event loop, where a Ctrl-C is noticed.
 *
 * An uncompressed capture is read into two buffers taking turns: chunk k is parsed while chunk
 * k+1 is read into the other one. The reader is done with a chunk before it asks for the next:
 * it parses synchronously, and copies a record cut at the chunk's end into its own carry buffer.
 * A fresh 1 MiB per chunk cost page faults: reusing two halves the system time (0.45 -> 0.22 s
 * on a 256 MiB capture) and takes ~8 % off the run. A gzip file gets a fresh buffer per chunk:
 * the decompressor may still hold the last one when the next is read.
 */
async function* fileChunks(fd: number): AsyncIterable<Uint8Array> {
  let pos = 0;
  let next = readAt(fd, pos);
  let ring: Uint8Array[] | null = null;
  let turn = 0;
  try {
    for (;;) {
      const c = await next;
      if (!c) return;
      if (pos === 0 && !isGzipMagic(c)) ring = [new Uint8Array(FILE_CHUNK), new Uint8Array(FILE_CHUNK)];
      pos += c.length;
      next = readAt(fd, pos, ring?.[turn++ & 1]);
      yield c;
    }
  } finally {
    // The consumer may stop early: let the read in flight finish before the file is closed.
    await next.catch(() => null);
    closeSync(fd);
  }
}

/** Pass chunks through until Ctrl-C (a read blocked on a slow pipe is abandoned too). */
async function* stoppable(src: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  while (!interrupted) {
    // A fresh stop promise per read: racing every chunk against one long-lived promise would
    // keep every chunk reachable from it (a leak of the whole file).
    const stop = new Promise<null>((resolve) => (wake = () => resolve(null)));
    const r = await Promise.race([it.next(), stop]);
    wake = null;
    if (!r || r.done) return;
    yield r.value;
  }
}

/** Pass chunks through, waiting while stdout has too much buffered (backpressure). */
async function* drained(src: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const c of src) {
    if (process.stdout.writableNeedDrain) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
    yield c;
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
    cliLang = args.lang;
  } catch (e) {
    process.stderr.write(`analyze: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const inputs: CaptureInput[] = [];
  for (const f of args.files) {
    let size = 0;
    let source: AsyncIterable<Uint8Array>;
    try {
      const st = f === '-' ? null : statSync(f);
      if (st?.isDirectory()) throw new Error('is a directory');
      if (st?.isFile()) size = st.size;
      source = open(f, st);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      process.stderr.write(`analyze: cannot read ${f}: ${why}\n`);
      return 1;
    }
    inputs.push({ name: f === '-' ? 'stdin' : basename(f), size, source: stoppable(source) });
  }
  const showProgress = !args.json && process.stderr.isTTY;
  let lastDraw = 0;
  // --json --frames streams each frame as it is decoded (frames first: JSON key order is free),
  // and pauses reading while stdout drains, so memory does not grow with the capture.
  const stream = args.json && args.frames;
  let nFrames = 0;
  // The opening is written with the first frame, so a fatal input leaves stdout empty.
  const OPEN = '{"version":1,"frames":[';
  if (stream) for (const i of inputs) i.source = drained(i.source);
  const report = await analyzeCaptures(inputs, {
    frames: args.frames,
    onFrame: stream ? (f) => void process.stdout.write(`${nFrames++ ? ',' : OPEN}\n${JSON.stringify(f)}`) : undefined,
    lang: args.lang,
    vxlanPorts: args.ports,
    filter: args.filter,
    shouldStop: () => interrupted,
    onProgress: showProgress
      ? (p) => {
          const now = Date.now();
          if (now - lastDraw < 200) return;
          lastDraw = now;
          const pct = p.total ? Math.floor((100 * p.bytes) / p.total) : 0;
          process.stderr.write(
            `\r${inputs[p.capture]!.name}: ${pct}% (${(p.bytes / 1048576).toFixed(1)} MiB, ${p.packets} packets)   `,
          );
        }
      : undefined,
  });
  if (showProgress && lastDraw) process.stderr.write('\r\x1b[K');
  if (stream) {
    const rest = JSON.stringify({ ...report, version: undefined, frames: undefined }, null, 1);
    process.stdout.write(`${nFrames ? '' : OPEN}\n],${rest.slice(1)}\n`);
  } else if (args.json) process.stdout.write(JSON.stringify(report, null, 1) + '\n');
  else process.stdout.write(renderText(report, args.lang, args.frames));
  // Interrupted: the (partial) report is out; say so in the exit status, as shells expect.
  if (interrupted) return 130;
  const cause = report.diagnosis.cause;
  if (cause !== null && (args.failOn.has('any') || args.failOn.has(cause))) return 3;
  return 0;
}

// A reader that closes the pipe early (`| head`) is normal: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`analyze: cannot write output: ${e.message}\n`);
  process.exit(1);
});

main().then(
  (code) => {
    process.exitCode = code;
    // Interrupted: a read may still be blocked on a pipe; leave once the report is written.
    if (interrupted) {
      if (process.stdout.writableLength === 0) process.exit(code);
      else process.stdout.once('drain', () => process.exit(code));
    }
  },
  (e: unknown) => {
    if (e instanceof FatalCaptureError) process.stderr.write(`analyze: ${errorText(e.detail, cliLang)}\n`);
    else process.stderr.write(`analyze: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
