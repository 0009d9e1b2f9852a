/**
 * Streaming capture reader: chunks in, records out (synchronously, no promise per record).
 *
 * The formats (pcap.ts, pcapng.ts) parse complete records in place in the current chunk and say
 * how many bytes the next record needs. A record that straddles chunks is stitched into a carry
 * buffer by copying only what that record still needs, so every byte is copied at most once
 * whatever the chunk size (16 KiB gzip output included) and the cost stays linear. Every length
 * is validated against the format's own limits before it is used, so the cursor always advances
 * and memory is bounded: a damaged file ends with an entry in `errors`, everything before kept.
 */
import { FatalCaptureError, type CoreError } from '../errors';
import { captureError } from './messages';
import { PcapFormat, PCAP_MAGICS } from './pcap';
import { PcapngFormat, PCAPNG_SHB } from './pcapng';
import type { ChunkSource } from './source';

/** One captured record. `data` is a view that is only valid during the `onRecord` call. */
export interface RawRecord {
  /** Captured bytes (caplen). */
  data: Uint8Array;
  /** Original length on the wire. */
  origLen: number;
  /** Seconds since the epoch (float; microsecond-level precision is kept). */
  ts: number;
  /** Link-layer header type (LINKTYPE_*) of the record's interface. */
  linkType: number;
  /** Interface index (pcapng: global across sections; pcap: 0). */
  interfaceId: number;
  /** Byte offset of the record's header in the decompressed stream. */
  offset: number;
  /** Byte offset of the packet data in the decompressed stream. */
  dataOffset: number;
}

/** Capture-level facts gathered while reading. */
export interface CaptureInfo {
  format: 'pcap' | 'pcapng' | 'unknown';
  /** Distinct link types in order of first appearance. */
  linkTypes: number[];
  /** Non-fatal problems, each with the byte offset where it was found (the first MAX_ERRORS). */
  errors: CoreError[];
  /** Problems beyond MAX_ERRORS: counted, not listed. */
  errorsNotListed: number;
  /** Decompressed bytes consumed. */
  bytesRead: number;
  /** Reading stopped early because `shouldStop` said so (Ctrl-C, cancel). */
  interrupted?: boolean;
}

/** Problems listed per capture; the rest are counted. */
export const MAX_ERRORS = 100;

/** Pseudo link type for pcapng custom blocks: counted as frames (to keep Wireshark's numbering), never decoded. */
export const LINKTYPE_CUSTOM_BLOCK = -1;

/** The part of the stream a format parses: `buf[pos..]`, `base` is the stream offset of `buf[0]`. */
export interface View {
  buf: Uint8Array;
  dv: DataView;
  pos: number;
  base: number;
}

/** What a format gets to report with. */
export interface FormatHost {
  readonly info: CaptureInfo;
  readonly rec: RawRecord;
  onRecord(r: RawRecord): void;
  err(key: string, params: Record<string, string | number>, offset: number): void;
  noteLinkType(lt: number): void;
}

/** A capture format parser. */
export interface Format {
  /** Set when the rest of the stream cannot be read. */
  done: boolean;
  /** Parse every complete record at `v.pos`; return the bytes the next one needs from `v.pos`. */
  parse(v: View): number;
  /** What is left over at the end is cut short: which kind of unit ("record", "block"). */
  readonly unit: string;
}

/**
 * Read a capture from `src`, calling `onRecord` for every packet. Throws
 * {@link FatalCaptureError} only when nothing can be read at all (not a capture, unsupported
 * version, header cut short); every later problem lands in `info.errors`.
 */
export async function readCapture(
  src: ChunkSource,
  onRecord: (r: RawRecord) => void,
  shouldStop: () => boolean = () => false,
): Promise<CaptureInfo> {
  const info: CaptureInfo = { format: 'unknown', linkTypes: [], errors: [], errorsNotListed: 0, bytesRead: 0 };
  const p = new Parser(info, onRecord);
  for await (const chunk of src) {
    if (chunk.length) p.push(chunk);
    if (p.done || shouldStop()) break;
  }
  // Stopped on request (the source may also have been ended early by the same request).
  if (!p.done && shouldStop()) info.interrupted = true;
  p.end();
  return info;
}

class Parser implements FormatHost {
  private fmt: Format | null = null;
  private readonly v: View = { buf: new Uint8Array(0), dv: new DataView(new ArrayBuffer(0)), pos: 0, base: 0 };
  /** Unparsed bytes carried over to the next chunk, and how many the next record needs. */
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private carryBase = 0;
  private need = 4;
  /** Stream offset of the next chunk. */
  private streamPos = 0;
  readonly rec: RawRecord = { data: new Uint8Array(0), origLen: 0, ts: 0, linkType: 0, interfaceId: 0, offset: 0, dataOffset: 0 };

  constructor(
    readonly info: CaptureInfo,
    readonly onRecord: (r: RawRecord) => void,
  ) {}

  get done(): boolean {
    return this.fmt !== null && this.fmt.done;
  }

  push(chunk: Uint8Array): void {
    const at = this.streamPos;
    this.streamPos += chunk.length;
    let off = 0;
    while (this.carryLen > 0 && off < chunk.length && !this.done) {
      // Complete the carried record with just the bytes it still needs.
      const take = Math.min(chunk.length - off, Math.max(1, this.need - this.carryLen));
      this.append(chunk.subarray(off, off + take));
      off += take;
      if (this.carryLen < this.need) return;
      this.run(this.carry.subarray(0, this.carryLen), this.carryBase);
      const used = this.v.pos;
      if (used < this.carryLen) {
        // Still one record short (its header told the real length): keep what is left.
        this.carry.copyWithin(0, used, this.carryLen);
        this.carryLen -= used;
        this.carryBase += used;
      } else this.carryLen = 0;
    }
    if (this.carryLen > 0 || this.done || off >= chunk.length) return;
    this.run(chunk.subarray(off), at + off);
    if (!this.done && this.v.pos < this.v.buf.length) {
      this.carryBase = this.v.base + this.v.pos;
      this.carryLen = 0;
      this.append(this.v.buf.subarray(this.v.pos));
    }
  }

  private append(b: Uint8Array): void {
    if (this.carryLen + b.length > this.carry.length) {
      const next = new Uint8Array(Math.max(this.carryLen + b.length, this.carry.length * 2, 65536));
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(b, this.carryLen);
    this.carryLen += b.length;
  }

  /** Parse `buf` (stream offset `base`) from its start; sets `need`. */
  private run(buf: Uint8Array, base: number): void {
    const v = this.v;
    v.buf = buf;
    // DataView over exactly this view: byteOffset matters when buf is a subarray.
    v.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    v.pos = 0;
    v.base = base;
    if (!this.fmt) {
      if (buf.length < 4) {
        this.need = 4;
        return;
      }
      this.fmt = this.detect(v);
    }
    this.need = this.fmt.parse(v);
    this.info.bytesRead = v.base + v.pos;
  }

  private detect(v: View): Format {
    const magicBE = v.dv.getUint32(0, false);
    if (magicBE === PCAPNG_SHB) return new PcapngFormat(this);
    if (PCAP_MAGICS.has(magicBE)) return new PcapFormat(this, magicBE);
    throw new FatalCaptureError(captureError('bad-magic', { magic: `0x${magicBE.toString(16).padStart(8, '0')}` }, 0));
  }

  end(): void {
    const left = this.carryLen;
    this.info.bytesRead = this.streamPos - left;
    if (!this.fmt) {
      if (this.streamPos === 0) throw new FatalCaptureError(captureError('empty', {}, 0));
      throw new FatalCaptureError(captureError('header-truncated', { len: this.streamPos, need: 24 }, 0));
    }
    if (this.fmt instanceof PcapFormat && !this.fmt.started) {
      throw new FatalCaptureError(captureError('header-truncated', { len: this.streamPos, need: 24 }, 0));
    }
    if (left > 0 && !this.done && !this.info.interrupted) {
      this.err('truncated-record', { what: this.fmt.unit, at: this.carryBase, left }, this.carryBase);
    }
  }

  err(key: string, params: Record<string, string | number>, offset: number): void {
    if (this.info.errors.length < MAX_ERRORS) this.info.errors.push(captureError(key, params, offset));
    else this.info.errorsNotListed++;
  }

  noteLinkType(lt: number): void {
    if (this.info.linkTypes.length < 256 && !this.info.linkTypes.includes(lt)) this.info.linkTypes.push(lt);
  }
}
