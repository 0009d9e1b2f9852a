/**
 * Streaming pcap / pcapng reader.
 *
 * It consumes chunks as they arrive and calls `onRecord` synchronously for every complete
 * record, so the hot path has no per-record promise. Records split across chunks are stitched
 * by copying only the unread tail. Every length is validated before it is used so the cursor
 * always advances: a damaged file ends with an entry in `errors` and everything before it kept.
 */
import { FatalCaptureError, type CoreError } from '../errors';
import { captureError } from './messages';
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
  /** Non-fatal problems, each with the byte offset where it was found. */
  errors: CoreError[];
  /** Decompressed bytes consumed. */
  bytesRead: number;
}

/*
 * Classic pcap global header (24 bytes), all fields in the writer's byte order:
 *
 *   0        4        6        8               16       20       24
 *   +--------+----+----+--------+--------+--------+--------+
 *   | magic  |maj |min | thiszone/sigfigs| snaplen| linktype|
 *   +--------+----+----+--------+--------+--------+--------+
 *
 * Record header (16 bytes): ts_sec, ts_frac (usec or nsec), caplen, origlen.
 */
const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_MAGIC_US_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NS_SWAPPED = 0x4d3cb2a1;
const PCAP_HEADER_LEN = 24;
const PCAP_RECORD_HEADER_LEN = 16;
/** libpcap refuses records above this (MAXIMUM_SNAPLEN); anything beyond is a corrupt length. */
const PCAP_MAX_CAPLEN = 262144;
/** Bytes of a new chunk copied to finish a record that straddles chunks: any pcap record fits. */
const STITCH_WINDOW = PCAP_MAX_CAPLEN + 64;

/*
 * pcapng block (all blocks):
 *
 *   0           4             8                       len-4      len
 *   +-----------+-------------+----------- ... -------+-----------+
 *   | type      | total len   | body (padded to 4)    | total len |
 *   +-----------+-------------+----------- ... -------+-----------+
 *
 * The Section Header Block's body starts with the byte-order magic 0x1A2B3C4D.
 */
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_IDB = 0x00000001;
const PCAPNG_PB = 0x00000002; // obsolete Packet Block
const PCAPNG_SPB = 0x00000003;
const PCAPNG_EPB = 0x00000006;
/** Custom blocks (copyable / non-copyable). Wireshark numbers them as frames, so we count them too. */
const PCAPNG_CB_COPY = 0x00000bad;
const PCAPNG_CB_NOCOPY = 0x40000bad;
/** Pseudo link type for pcapng custom blocks: counted as frames (to keep Wireshark's numbering), never decoded. */
export const LINKTYPE_CUSTOM_BLOCK = -1;
const PCAPNG_BOM = 0x1a2b3c4d;
const PCAPNG_MIN_BLOCK = 12;
/** Guard against absurd block lengths: no real block comes near this. */
const PCAPNG_MAX_BLOCK = 64 * 1024 * 1024;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Divisor turning timestamp units into seconds. */
  unitsPerSec: number;
  tsOffset: number;
  globalId: number;
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
  const info: CaptureInfo = { format: 'unknown', linkTypes: [], errors: [], bytesRead: 0 };
  const p = new Parser(info, onRecord);
  for await (const chunk of src) {
    if (chunk.length === 0) continue;
    p.push(chunk);
    if (p.done || shouldStop()) break;
  }
  p.end();
  return info;
}

class Parser {
  private buf: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  done = false;
  private started = false;
  // pcap state
  private le = true;
  private nano = false;
  private snaplen = 0;
  private pcapLinkType = 0;
  // pcapng state
  private ifaces: Iface[] = [];
  private nextGlobalIface = 0;
  private readonly rec: RawRecord = {
    data: new Uint8Array(0),
    origLen: 0,
    ts: 0,
    linkType: 0,
    interfaceId: 0,
    offset: 0,
    dataOffset: 0,
  };

  constructor(
    private readonly info: CaptureInfo,
    private readonly onRecord: (r: RawRecord) => void,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.setBuf(chunk);
      this.pos = 0;
      this.parse();
    } else {
      // A record straddles the chunks. Copy the unread tail and only as much of the new chunk as
      // any pcap record can need, parse across the seam there, then go on in the new chunk in
      // place: each chunk is not copied again.
      const tail = this.buf.subarray(this.pos);
      const take = Math.min(chunk.length, STITCH_WINDOW);
      const merged = new Uint8Array(tail.length + take);
      merged.set(tail, 0);
      merged.set(chunk.subarray(0, take), tail.length);
      this.base += this.pos;
      this.setBuf(merged);
      this.pos = 0;
      this.parse();
      if (!this.done && this.pos >= tail.length) {
        const into = this.pos - tail.length;
        this.base += tail.length;
        this.setBuf(chunk);
        this.pos = into;
        this.parse();
      } else if (!this.done && take < chunk.length) {
        // A block larger than the window (pcapng allows it): fall back to one full merge.
        const rest = this.buf.subarray(this.pos);
        const full = new Uint8Array(rest.length + chunk.length - take);
        full.set(rest, 0);
        full.set(chunk.subarray(take), rest.length);
        this.base += this.pos;
        this.setBuf(full);
        this.pos = 0;
        this.parse();
      }
    }
    this.info.bytesRead = this.base + this.pos;
  }

  private setBuf(b: Uint8Array): void {
    this.buf = b;
    // DataView over exactly this view: byteOffset matters when b is a subarray.
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  end(): void {
    const left = this.buf.length - this.pos;
    const at = this.base + this.pos;
    this.info.bytesRead = this.base + this.buf.length;
    if (!this.started) {
      if (this.buf.length === 0) throw new FatalCaptureError(captureError('empty', {}, 0));
      throw new FatalCaptureError(captureError('header-truncated', { len: this.buf.length, need: PCAP_HEADER_LEN }, 0));
    }
    if (left > 0 && !this.done) {
      this.err('truncated-record', { what: this.info.format === 'pcap' ? 'record' : 'block', at, left }, at);
    }
  }

  private err(key: string, params: Record<string, string | number>, offset: number): void {
    this.info.errors.push(captureError(key, params, offset));
  }

  private u32(off: number, le: boolean): number {
    return this.dv.getUint32(off, le);
  }

  private noteLinkType(lt: number): void {
    if (!this.info.linkTypes.includes(lt)) this.info.linkTypes.push(lt);
  }

  private parse(): void {
    if (!this.started) {
      if (this.buf.length < 4) return;
      const magicBE = this.u32(0, false);
      if (magicBE === PCAPNG_SHB) {
        this.info.format = 'pcapng';
      } else if (
        magicBE === PCAP_MAGIC_US ||
        magicBE === PCAP_MAGIC_NS ||
        magicBE === PCAP_MAGIC_US_SWAPPED ||
        magicBE === PCAP_MAGIC_NS_SWAPPED
      ) {
        if (this.buf.length < PCAP_HEADER_LEN) return;
        this.readPcapHeader(magicBE);
      } else {
        throw new FatalCaptureError(captureError('bad-magic', { magic: `0x${magicBE.toString(16).padStart(8, '0')}` }, 0));
      }
      this.started = true;
    }
    if (this.info.format === 'pcap') this.parsePcap();
    else this.parsePcapng();
  }

  private readPcapHeader(magicBE: number): void {
    this.le = magicBE === PCAP_MAGIC_US_SWAPPED || magicBE === PCAP_MAGIC_NS_SWAPPED;
    this.nano = magicBE === PCAP_MAGIC_NS || magicBE === PCAP_MAGIC_NS_SWAPPED;
    const major = this.dv.getUint16(4, this.le);
    const minor = this.dv.getUint16(6, this.le);
    if (major !== 2) {
      throw new FatalCaptureError(captureError('unsupported-version', { version: `${major}.${minor}` }, 4));
    }
    if (minor !== 4) this.err('odd-version', { minor }, 4);
    this.snaplen = this.u32(16, this.le);
    // Upper bits of the link-type field carry FCS information (and reserved bits): not the type.
    this.pcapLinkType = this.u32(20, this.le) & 0xffff;
    this.noteLinkType(this.pcapLinkType);
    this.info.format = 'pcap';
    this.pos = PCAP_HEADER_LEN;
  }

  private parsePcap(): void {
    const le = this.le;
    const rec = this.rec;
    rec.linkType = this.pcapLinkType;
    rec.interfaceId = 0;
    const maxLen = Math.max(this.snaplen, PCAP_MAX_CAPLEN);
    const fracDiv = this.nano ? 1e9 : 1e6;
    while (!this.done && this.buf.length - this.pos >= PCAP_RECORD_HEADER_LEN) {
      const p = this.pos;
      const caplen = this.u32(p + 8, le);
      if (caplen > maxLen) {
        this.err('record-too-long', { len: caplen, max: maxLen, snaplen: this.snaplen, at: this.base + p }, this.base + p);
        this.done = true;
        return;
      }
      if (this.buf.length - p - PCAP_RECORD_HEADER_LEN < caplen) return; // wait for more
      const sec = this.u32(p, le);
      const frac = this.u32(p + 4, le);
      if (frac >= fracDiv) {
        this.err('bad-timestamp', { frac, unit: this.nano ? 'ns' : 'us', div: fracDiv, at: this.base + p }, this.base + p);
      }
      rec.ts = sec + frac / fracDiv;
      rec.origLen = this.u32(p + 12, le);
      rec.offset = this.base + p;
      rec.dataOffset = rec.offset + PCAP_RECORD_HEADER_LEN;
      rec.data = this.buf.subarray(p + PCAP_RECORD_HEADER_LEN, p + PCAP_RECORD_HEADER_LEN + caplen);
      this.pos = p + PCAP_RECORD_HEADER_LEN + caplen;
      this.onRecord(rec);
    }
  }

  private parsePcapng(): void {
    while (!this.done && this.buf.length - this.pos >= PCAPNG_MIN_BLOCK) {
      const p = this.pos;
      const at = this.base + p;
      const typeBE = this.u32(p, false);
      if (typeBE === PCAPNG_SHB) {
        // The byte order of a section is only known from its own BOM.
        const bom = this.u32(p + 8, false);
        if (bom === PCAPNG_BOM) this.le = false;
        else if (bom === 0x4d3c2b1a) this.le = true;
        else {
          this.fail('bad-bom', { bom: `0x${bom.toString(16)}`, at: at + 8 }, at + 8);
          return;
        }
      }
      const le = this.le;
      const type = typeBE === PCAPNG_SHB ? PCAPNG_SHB : this.u32(p, le);
      const len = this.u32(p + 4, le);
      if (len < PCAPNG_MIN_BLOCK || len % 4 !== 0 || len > PCAPNG_MAX_BLOCK) {
        this.fail('bad-block-length', { len, type: `0x${type.toString(16)}`, at }, at);
        return;
      }
      if (this.buf.length - p < len) return; // wait for more
      const trailer = this.u32(p + len - 4, le);
      if (trailer !== len) {
        this.fail('bad-block-trailer', { at, len, trailer }, at);
        return;
      }
      this.pos = p + len;
      this.block(type, p, len, at);
    }
  }

  /** A problem after which the file cannot be read further; fatal when nothing was read at all. */
  private fail(key: string, params: Record<string, string | number>, offset: number): void {
    if (offset === 0) throw new FatalCaptureError(captureError(key, params, offset));
    this.err(key, params, offset);
    this.done = true;
  }

  private block(type: number, p: number, len: number, at: number): void {
    const le = this.le;
    const end = p + len - 4;
    switch (type) {
      case PCAPNG_SHB: {
        if (len < 28) return this.fail('bad-shb', { len, at }, at);
        const major = this.dv.getUint16(p + 12, le);
        const minor = this.dv.getUint16(p + 14, le);
        if (major !== 1) {
          return this.fail('unsupported-version:pcapng', { version: `${major}.${minor}`, at }, at);
        }
        this.ifaces = []; // interface ids restart in every section
        this.checkOptions(p + 24, end, at, 'Section Header Block');
        return;
      }
      case PCAPNG_IDB: {
        if (len < 20) return this.err('bad-idb', { len, at }, at);
        const linkType = this.dv.getUint16(p + 8, le);
        const iface: Iface = {
          linkType,
          snaplen: this.u32(p + 12, le),
          unitsPerSec: 1e6,
          tsOffset: 0,
          globalId: this.nextGlobalIface++,
        };
        this.readIdbOptions(iface, p + 16, end, at);
        this.ifaces.push(iface);
        this.noteLinkType(linkType);
        return;
      }
      case PCAPNG_EPB:
      case PCAPNG_PB: {
        if (len < 32) return this.err('bad-epb', { len, at }, at);
        const ifId = type === PCAPNG_EPB ? this.u32(p + 8, le) : this.dv.getUint16(p + 8, le);
        const iface = this.ifaces[ifId];
        if (!iface) {
          return this.err('bad-interface', { at, id: ifId }, at);
        }
        const tsHi = this.u32(p + 12, le);
        const tsLo = this.u32(p + 16, le);
        const caplen = this.u32(p + 20, le);
        const origLen = this.u32(p + 24, le);
        if (caplen > end - (p + 28)) {
          return this.err('bad-caplen', { at, caplen, holds: end - (p + 28) }, at);
        }
        this.emit(iface, (tsHi * 4294967296 + tsLo) / iface.unitsPerSec + iface.tsOffset, p + 28, caplen, origLen, at);
        return;
      }
      case PCAPNG_SPB: {
        const iface = this.ifaces[0];
        if (!iface) return this.err('bad-interface:spb', { at }, at);
        const origLen = this.u32(p + 8, le);
        let caplen = Math.min(origLen, end - (p + 12));
        if (iface.snaplen) caplen = Math.min(caplen, iface.snaplen);
        // SPBs carry no timestamp: report 0 (epoch) like Wireshark.
        this.emit(iface, 0, p + 12, caplen, origLen, at);
        return;
      }
      case PCAPNG_CB_COPY:
      case PCAPNG_CB_NOCOPY: {
        // Body: private enterprise number (4) then custom data; no timestamp.
        const rec = this.rec;
        rec.ts = 0;
        rec.linkType = LINKTYPE_CUSTOM_BLOCK;
        rec.interfaceId = -1;
        rec.origLen = Math.max(0, end - (p + 12));
        rec.offset = at;
        rec.dataOffset = this.base + p + 12;
        rec.data = this.buf.subarray(p + 12, Math.max(p + 12, end));
        this.onRecord(rec);
        return;
      }
      default:
        return; // NRB, ISB and unknown blocks: skipped by length
    }
  }

  private emit(iface: Iface, ts: number, dataStart: number, caplen: number, origLen: number, at: number): void {
    const rec = this.rec;
    rec.ts = ts;
    rec.linkType = iface.linkType;
    rec.interfaceId = iface.globalId;
    rec.origLen = origLen;
    rec.offset = at;
    rec.dataOffset = this.base + dataStart;
    rec.data = this.buf.subarray(dataStart, dataStart + caplen);
    this.onRecord(rec);
  }

  /** Walk an options list only to validate it (SHB options carry nothing the analysis needs). */
  private checkOptions(start: number, end: number, at: number, what: string): void {
    this.walkOptions(start, end, at, what, () => undefined);
  }

  private readIdbOptions(iface: Iface, start: number, end: number, at: number): void {
    this.walkOptions(start, end, at, 'Interface Description Block', (code, o, olen) => {
      if (code === OPT_IF_TSRESOL && olen >= 1) {
        const v = this.buf[o]!;
        // High bit clear: 10^-v seconds; set: 2^-(v & 0x7f) seconds.
        const exp = v & 0x7f;
        iface.unitsPerSec = v & 0x80 ? 2 ** exp : 10 ** exp;
      } else if (code === OPT_IF_TSOFFSET && olen >= 8) {
        const hi = this.dv.getInt32(this.le ? o + 4 : o, this.le);
        const lo = this.u32(this.le ? o : o + 4, this.le);
        iface.tsOffset = hi * 4294967296 + lo;
      }
    });
  }

  /*
   * Option TLV: code (2) | length (2) | value padded to 4 bytes. opt_endofopt (0) ends the list.
   */
  private walkOptions(
    start: number,
    end: number,
    at: number,
    what: string,
    visit: (code: number, valueOff: number, len: number) => void,
  ): void {
    let o = start;
    while (o + 4 <= end) {
      const code = this.dv.getUint16(o, this.le);
      const olen = this.dv.getUint16(o + 2, this.le);
      if (code === OPT_ENDOFOPT) return;
      if (o + 4 + olen > end) {
        this.err('bad-option', { what, at, code, len: olen }, at);
        return;
      }
      visit(code, o + 4, olen);
      o += 4 + ((olen + 3) & ~3);
    }
  }
}
