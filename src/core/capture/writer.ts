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
