/**
 * Classic pcap writer (little-endian, microsecond or nanosecond magic). Used to rebuild a
 * capture from shared packets, to generate benchmark captures and test fixtures.
 */

/** One packet to write. */
export interface WritePacket {
  ts: number;
  data: Uint8Array;
  origLen?: number;
}

/** Serialise packets as a pcap file. */
export function writePcap(
  packets: Iterable<WritePacket>,
  linkType: number,
  opts: { nano?: boolean; snaplen?: number } = {},
): Uint8Array {
  const list = [...packets];
  const size = 24 + list.reduce((n, p) => n + 16 + p.data.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  writePcapHeader(dv, linkType, opts);
  let o = 24;
  for (const p of list) o = writeRecord(out, dv, o, p, !!opts.nano);
  return out;
}

/** Write the 24-byte global header into `dv` at 0. */
export function writePcapHeader(dv: DataView, linkType: number, opts: { nano?: boolean; snaplen?: number } = {}): void {
  dv.setUint32(0, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true);
  dv.setUint32(12, 0, true);
  dv.setUint32(16, opts.snaplen ?? 262144, true);
  dv.setUint32(20, linkType, true);
}

/** Write one record at `o`; returns the offset after it. */
export function writeRecord(out: Uint8Array, dv: DataView, o: number, p: WritePacket, nano: boolean): number {
  const sec = Math.floor(p.ts);
  const div = nano ? 1e9 : 1e6;
  let frac = Math.round((p.ts - sec) * div);
  let s = sec;
  if (frac >= div) {
    frac -= div;
    s++;
  }
  dv.setUint32(o, s >>> 0, true);
  dv.setUint32(o + 4, frac, true);
  dv.setUint32(o + 8, p.data.length, true);
  dv.setUint32(o + 12, p.origLen ?? p.data.length, true);
  out.set(p.data, o + 16);
  return o + 16 + p.data.length;
}

/** One packet with its own link type, for {@link writeCapture}. */
export interface WritePacketLt extends WritePacket {
  linkType: number;
}

/**
 * Serialise packets that may have different link types: classic pcap when they share one,
 * otherwise pcapng with one Interface Description Block per link type (nanosecond resolution).
 *
 *   SHB: type 0x0A0D0D0A | len | BOM 1A2B3C4D | 1.0 | section length -1 | len
 *   IDB: type 1 | len | link type (2) | reserved (2) | snaplen (4) | if_tsresol=9 | end | len
 *   EPB: type 6 | len | interface | ts high | ts low | caplen | origlen | data (pad 4) | len
 */
export function writeCapture(packets: WritePacketLt[]): { bytes: Uint8Array; format: 'pcap' | 'pcapng' } {
  const types = [...new Set(packets.map((p) => p.linkType))];
  if (types.length <= 1) return { bytes: writePcap(packets, types[0] ?? 1), format: 'pcap' };
  const pad = (n: number) => (n + 3) & ~3;
  const size = 28 + types.length * 32 + packets.reduce((n, p) => n + 32 + pad(p.data.length), 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  const block = (type: number, len: number) => {
    dv.setUint32(o, type, true);
    dv.setUint32(o + 4, len, true);
    dv.setUint32(o + len - 4, len, true);
  };
  block(0x0a0d0d0a, 28);
  dv.setUint32(o + 8, 0x1a2b3c4d, true);
  dv.setUint16(o + 12, 1, true);
  dv.setUint16(o + 14, 0, true);
  dv.setInt32(o + 16, -1, true);
  dv.setInt32(o + 20, -1, true);
  o += 28;
  for (const t of types) {
    block(1, 32);
    dv.setUint16(o + 8, t, true);
    dv.setUint32(o + 12, 262144, true);
    dv.setUint16(o + 16, 9, true); // if_tsresol
    dv.setUint16(o + 18, 1, true);
    out[o + 20] = 9; // 10^-9 s
    dv.setUint16(o + 24, 0, true); // opt_endofopt
    dv.setUint16(o + 26, 0, true);
    o += 32;
  }
  for (const p of packets) {
    const len = 32 + pad(p.data.length);
    block(6, len);
    dv.setUint32(o + 8, types.indexOf(p.linkType), true);
    const ns = BigInt(Math.round(p.ts * 1e6)) * 1000n;
    dv.setUint32(o + 12, Number(ns >> 32n), true);
    dv.setUint32(o + 16, Number(ns & 0xffffffffn), true);
    dv.setUint32(o + 20, p.data.length, true);
    dv.setUint32(o + 24, p.origLen ?? p.data.length, true);
    out.set(p.data, o + 28);
    o += len;
  }
  return { bytes: out, format: 'pcapng' };
}
