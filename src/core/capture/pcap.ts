/*
 * Classic pcap, and the "modified" pcap of Alexey Kuznetsov's patched libpcap that libpcap and
 * tshark also read. Global header (24 bytes), fields in the writer's byte order:
 *
 *   0        4        6        8               16       20       24
 *   +--------+----+----+--------+--------+--------+--------+
 *   | magic  |maj |min | thiszone/sigfigs| snaplen| linktype|
 *   +--------+----+----+--------+--------+--------+--------+
 *
 * Record header, 16 bytes: ts_sec, ts_frac (usec or nsec), caplen, origlen. The modified format
 * (magic a1b2cd34) adds ifindex (4), protocol (2), pkt_type (1) and a pad byte: 24 bytes.
 *
 * A record is never longer than libpcap's and Wireshark's maximum (262144 bytes), whatever the
 * header's snaplen says: a larger caplen is a damaged length, not a reason to wait for gigabytes.
 */
import { FatalCaptureError } from '../errors';
import { captureError } from './messages';
import type { Format, FormatHost, View } from './reader';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
const swap = (m: number) => (((m & 0xff) << 24) | ((m & 0xff00) << 8) | ((m >>> 8) & 0xff00) | (m >>> 24)) >>> 0;

/** Magic numbers as read big-endian from byte 0, in either byte order. */
export const PCAP_MAGICS: ReadonlySet<number> = new Set(
  [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED].flatMap((m) => [m, swap(m)]),
);

const HEADER_LEN = 24;
/** libpcap's MAXIMUM_SNAPLEN and Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD. */
export const PCAP_MAX_CAPLEN = 262144;

export class PcapFormat implements Format {
  done = false;
  started = false;
  readonly unit = 'record';
  private readonly le: boolean;
  private readonly nano: boolean;
  private readonly recLen: number;
  private snaplen = 0;
  private linkType = 0;

  constructor(
    private readonly host: FormatHost,
    magicBE: number,
  ) {
    const canonical = [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED].includes(magicBE) ? magicBE : swap(magicBE);
    this.le = canonical !== magicBE;
    this.nano = canonical === PCAP_MAGIC_NS;
    this.recLen = canonical === PCAP_MAGIC_MODIFIED ? 24 : 16;
  }

  private header(v: View): boolean {
    if (v.buf.length - v.pos < HEADER_LEN) return false;
    const dv = v.dv;
    const major = dv.getUint16(4, this.le);
    const minor = dv.getUint16(6, this.le);
    if (major !== 2) throw new FatalCaptureError(captureError('unsupported-version', { version: `${major}.${minor}` }, 4));
    if (minor !== 4) this.host.err('odd-version', { minor }, 4);
    this.snaplen = dv.getUint32(16, this.le);
    // Upper bits of the link-type field carry FCS information (and reserved bits): not the type.
    this.linkType = dv.getUint32(20, this.le) & 0xffff;
    this.host.noteLinkType(this.linkType);
    this.host.info.format = 'pcap';
    v.pos = HEADER_LEN;
    this.started = true;
    return true;
  }

  parse(v: View): number {
    if (!this.started && !this.header(v)) return HEADER_LEN;
    const host = this.host;
    const rec = host.rec;
    const le = this.le;
    const dv = v.dv;
    const buf = v.buf;
    const hl = this.recLen;
    const fracDiv = this.nano ? 1e9 : 1e6;
    rec.linkType = this.linkType;
    rec.interfaceId = 0;
    while (!this.done) {
      const p = v.pos;
      if (buf.length - p < hl) return hl;
      const caplen = dv.getUint32(p + 8, le);
      if (caplen > PCAP_MAX_CAPLEN) {
        host.err('record-too-long', { len: caplen, max: PCAP_MAX_CAPLEN, snaplen: this.snaplen, at: v.base + p }, v.base + p);
        this.done = true;
        return 0;
      }
      if (buf.length - p - hl < caplen) return hl + caplen; // wait for the rest of the record
      const frac = dv.getUint32(p + 4, le);
      if (frac >= fracDiv)
        host.err('bad-timestamp', { frac, unit: this.nano ? 'ns' : 'us', div: fracDiv, at: v.base + p }, v.base + p);
      rec.ts = dv.getUint32(p, le) + frac / fracDiv;
      rec.origLen = dv.getUint32(p + 12, le);
      rec.offset = v.base + p;
      rec.dataOffset = rec.offset + hl;
      rec.data = buf.subarray(p + hl, p + hl + caplen);
      v.pos = p + hl + caplen;
      host.onRecord(rec);
    }
    return 0;
  }
}
