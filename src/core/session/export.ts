/** "Download as pcap": a capture file rebuilt from a packet store. */
import { LINKTYPE_CUSTOM_BLOCK } from '../capture/reader';
import { writeCapture, writePcapHeader, writeRecord } from '../capture/writer';
import type { PacketStore } from './store';

/** The packets of a store as pcap, or pcapng when they have several link types. */
export async function exportCapture(store: PacketStore): Promise<{ bytes: Uint8Array; format: 'pcap' | 'pcapng' }> {
  const all: number[] = [];
  const types = new Set<number>();
  let size = 24;
  for (let i = 0; i < store.n; i++) {
    if (store.linkType(i) === LINKTYPE_CUSTOM_BLOCK) continue;
    all.push(i);
    types.add(store.linkType(i));
    size += 16 + store.len.at(i);
  }
  if (types.size <= 1) {
    // One link type: a pcap written straight from the read windows, each byte copied once.
    const out = new Uint8Array(size);
    const dv = new DataView(out.buffer);
    writePcapHeader(dv, [...types][0] ?? 1);
    let o = 24;
    await store.each(all, (i, b) => {
      if (b) o = writeRecord(out, dv, o, { ts: store.ts.at(i), data: b, origLen: store.origLen.at(i) }, false);
    });
    return { bytes: out.subarray(0, o), format: 'pcap' };
  }
  // Several link types need pcapng; the read windows are transient, so packets are copied.
  const list: { ts: number; data: Uint8Array; origLen: number; linkType: number }[] = [];
  await store.each(all, (i, b) => {
    if (b) list.push({ ts: store.ts.at(i), data: b.slice(), origLen: store.origLen.at(i), linkType: store.linkType(i) });
  });
  return writeCapture(list);
}
