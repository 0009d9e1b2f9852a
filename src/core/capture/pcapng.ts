/*
 * pcapng (several sections of either byte order, per-interface link type and timestamp
 * resolution). Every block:
 *
 *   0           4             8                       len-4      len
 *   +-----------+-------------+----------- ... -------+-----------+
 *   | type      | total len   | body (padded to 4)    | total len |
 *   +-----------+-------------+----------- ... -------+-----------+
 *
 * The Section Header Block's body starts with the byte-order magic 0x1A2B3C4D. Lengths are
 * validated (>= 12, a multiple of 4, at most 64 MiB, trailer equal) before use, so the cursor
 * always advances; interfaces per section are bounded.
 */
import { FatalCaptureError } from '../errors';
import { captureError } from './messages';
import { LINKTYPE_CUSTOM_BLOCK, type Format, type FormatHost, type View } from './reader';

export const PCAPNG_SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const PB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const EPB = 0x00000006;
/** Custom blocks (copyable / non-copyable). Wireshark numbers them as frames, so we count them too. */
const CB_COPY = 0x00000bad;
const CB_NOCOPY = 0x40000bad;
const BOM = 0x1a2b3c4d;
const MIN_BLOCK = 12;
/** Guard against absurd block lengths: no real block comes near this. */
const MAX_BLOCK = 64 * 1024 * 1024;
/** Interfaces described per section (more are ignored, with one error). */
const MAX_IFACES = 65536;
/** Stands for an interface beyond MAX_IFACES: its packets are counted, not decoded. */
const IGNORED_IFACE: Iface = { linkType: 0xffff, snaplen: 0, unitsPerSec: 1e6, tsOffset: 0, globalId: -1 };
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

export class PcapngFormat implements Format {
  done = false;
  readonly unit = 'block';
  private le = false;
  private ifaces: Iface[] = [];
  /** Interfaces described beyond MAX_IFACES in this section (not kept). */
  private ifacesIgnored = 0;
  private nextGlobalIface = 0;
  private v!: View;

  constructor(private readonly host: FormatHost) {
    host.info.format = 'pcapng';
  }

  parse(v: View): number {
    this.v = v;
    const dv = v.dv;
    while (!this.done) {
      const p = v.pos;
      if (v.buf.length - p < MIN_BLOCK) return MIN_BLOCK;
      const at = v.base + p;
      const typeBE = dv.getUint32(p, false);
      if (typeBE === PCAPNG_SHB) {
        // The byte order of a section is only known from its own BOM.
        const bom = dv.getUint32(p + 8, false);
        if (bom === BOM) this.le = false;
        else if (bom === 0x4d3c2b1a) this.le = true;
        else return this.fail('bad-bom', { bom: `0x${bom.toString(16)}`, at: at + 8 }, at + 8);
      }
      const le = this.le;
      const type = typeBE === PCAPNG_SHB ? PCAPNG_SHB : dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      if (len < MIN_BLOCK || len % 4 !== 0 || len > MAX_BLOCK) {
        return this.fail('bad-block-length', { len, type: `0x${type.toString(16)}`, at }, at);
      }
      if (v.buf.length - p < len) return len; // wait for the rest of the block
      const trailer = dv.getUint32(p + len - 4, le);
      if (trailer !== len) return this.fail('bad-block-trailer', { at, len, trailer }, at);
      v.pos = p + len;
      this.block(type, p, len, at);
    }
    return 0;
  }

  /** A problem after which the file cannot be read further; fatal when nothing was read at all. */
  private fail(key: string, params: Record<string, string | number>, offset: number): number {
    if (offset === 0) throw new FatalCaptureError(captureError(key, params, offset));
    this.host.err(key, params, offset);
    this.done = true;
    return 0;
  }

  private block(type: number, p: number, len: number, at: number): void {
    const { dv } = this.v;
    const le = this.le;
    const end = p + len - 4;
    const host = this.host;
    switch (type) {
      case PCAPNG_SHB: {
        if (len < 28) return void this.fail('bad-shb', { len, at }, at);
        const major = dv.getUint16(p + 12, le);
        const minor = dv.getUint16(p + 14, le);
        if (major !== 1) return void this.fail('unsupported-version:pcapng', { version: `${major}.${minor}`, at }, at);
        this.ifaces = []; // interface ids restart in every section
        this.ifacesIgnored = 0;
        this.walkOptions(p + 24, end, at, 'Section Header Block', () => undefined);
        return;
      }
      case IDB: {
        if (len < 20) return host.err('bad-idb', { len, at }, at);
        if (this.ifaces.length >= MAX_IFACES) {
          // Said once per section; their packets are still counted (as an unknown link type).
          if (!this.ifacesIgnored++) host.err('too-many-interfaces', { max: MAX_IFACES, at }, at);
          return;
        }
        const linkType = dv.getUint16(p + 8, le);
        const iface: Iface = {
          linkType,
          snaplen: dv.getUint32(p + 12, le),
          unitsPerSec: 1e6,
          tsOffset: 0,
          globalId: this.nextGlobalIface++,
        };
        this.readIdbOptions(iface, p + 16, end, at);
        this.ifaces.push(iface);
        host.noteLinkType(linkType);
        return;
      }
      case EPB:
      case PB: {
        if (len < 32) return host.err('bad-epb', { len, at }, at);
        const ifId = type === EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
        const iface = this.ifaces[ifId] ?? (ifId < MAX_IFACES + this.ifacesIgnored ? IGNORED_IFACE : undefined);
        if (!iface) return host.err('bad-interface', { at, id: ifId }, at);
        const tsHi = dv.getUint32(p + 12, le);
        const tsLo = dv.getUint32(p + 16, le);
        const caplen = dv.getUint32(p + 20, le);
        const origLen = dv.getUint32(p + 24, le);
        if (caplen > end - (p + 28)) return host.err('bad-caplen', { at, caplen, holds: end - (p + 28) }, at);
        this.emit(iface, (tsHi * 4294967296 + tsLo) / iface.unitsPerSec + iface.tsOffset, p + 28, caplen, origLen, at);
        return;
      }
      case SPB: {
        const iface = this.ifaces[0];
        if (!iface) return host.err('bad-interface:spb', { at }, at);
        const origLen = dv.getUint32(p + 8, le);
        let caplen = Math.min(origLen, end - (p + 12));
        if (iface.snaplen) caplen = Math.min(caplen, iface.snaplen);
        // SPBs carry no timestamp: report 0 (epoch) like Wireshark.
        this.emit(iface, 0, p + 12, caplen, origLen, at);
        return;
      }
      case CB_COPY:
      case CB_NOCOPY: {
        // Body: private enterprise number (4) then custom data; no timestamp.
        const rec = host.rec;
        rec.ts = 0;
        rec.linkType = LINKTYPE_CUSTOM_BLOCK;
        rec.interfaceId = -1;
        rec.origLen = Math.max(0, end - (p + 12));
        rec.offset = at;
        rec.dataOffset = this.v.base + p + 12;
        rec.data = this.v.buf.subarray(p + 12, Math.max(p + 12, end));
        host.onRecord(rec);
        return;
      }
      default:
        return; // NRB, ISB and unknown blocks: skipped by length
    }
  }

  private emit(iface: Iface, ts: number, dataStart: number, caplen: number, origLen: number, at: number): void {
    const rec = this.host.rec;
    rec.ts = ts;
    rec.linkType = iface.linkType;
    rec.interfaceId = iface.globalId;
    rec.origLen = origLen;
    rec.offset = at;
    rec.dataOffset = this.v.base + dataStart;
    rec.data = this.v.buf.subarray(dataStart, dataStart + caplen);
    this.host.onRecord(rec);
  }

  private readIdbOptions(iface: Iface, start: number, end: number, at: number): void {
    const { dv, buf } = this.v;
    this.walkOptions(start, end, at, 'Interface Description Block', (code, o, olen) => {
      if (code === OPT_IF_TSRESOL && olen >= 1) {
        const r = buf[o]!;
        // High bit clear: 10^-r seconds; set: 2^-(r & 0x7f) seconds.
        const exp = r & 0x7f;
        iface.unitsPerSec = r & 0x80 ? 2 ** exp : 10 ** exp;
      } else if (code === OPT_IF_TSOFFSET && olen >= 8) {
        const hi = dv.getInt32(this.le ? o + 4 : o, this.le);
        const lo = dv.getUint32(this.le ? o : o + 4, this.le);
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
    const { dv } = this.v;
    let o = start;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.le);
      const olen = dv.getUint16(o + 2, this.le);
      if (code === OPT_ENDOFOPT) return;
      if (o + 4 + olen > end) {
        this.host.err('bad-option', { what, at, code, len: olen }, at);
        return;
      }
      visit(code, o + 4, olen);
      o += 4 + ((olen + 3) & ~3);
    }
  }
}
