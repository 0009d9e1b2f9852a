/**
 * Rows of the packet list, built on demand for the rows on screen: Wireshark's columns (No.,
 * Time, Source, Destination, Protocol, Length, Info), the checksum verdicts of the frame, and for
 * `-i any` captures the interface and direction.
 */
import { LINKTYPE_CUSTOM_BLOCK } from '../capture/reader';
import type { Dissection } from '../decode/dissect';
import { addressColumns, infoColumn, protocolColumn, summarize } from '../decode/format';
import { K } from '../decode/layers';

/** One row of the packet list. */
export interface Row {
  n: number;
  ts: number;
  /** Seconds since the first packet of the capture. */
  rel: number;
  /** Seconds since the previous row of the displayed (filtered) list; 0 for the first. */
  delta?: number;
  /** Length on the wire. */
  len: number;
  /** Bytes captured. */
  caplen: number;
  src: string;
  dst: string;
  proto: string;
  info: string;
  /** tcpdump-like one line (innermost packet, tunnels in front). */
  summary: string;
  /** Worst checksum verdict in the frame ('' when none). */
  worst: 'bad' | 'partial' | 'zero' | 'unverified' | 'good' | '';
  checks: { layer: string; depth: number; status: string }[];
  /** tcp.stream, -1 when not TCP. */
  stream: number;
  /** `-i any` captures (Linux cooked): interface index (SLL2) and direction. */
  iface?: number;
  dir?: 'in' | 'out' | 'other';
}

const RANK = { '': 0, good: 1, unverified: 2, zero: 3, partial: 4, bad: 5 } as const;

/** Build one row from a dissection (null when the frame is not decoded). */
export function makeRow(
  n: number,
  ts: number,
  firstTs: number,
  len: number,
  caplen: number,
  linkType: number,
  d: Dissection | null,
  stream: number,
  haveBytes: boolean,
): Row {
  const base = { n, ts, rel: ts - (firstTs || 0), len, caplen, stream };
  if (!d) {
    const what =
      linkType === LINKTYPE_CUSTOM_BLOCK
        ? 'pcapng custom block'
        : haveBytes
          ? `link type ${linkType} (not decoded)`
          : '(bytes not kept: capture too large)';
    return { ...base, src: '', dst: '', proto: '', info: what, summary: what, worst: '', checks: [] };
  }
  let worst: Row['worst'] = '';
  const checks: Row['checks'] = [];
  for (let c = 0; c < d.nChecks; c++) {
    const k = d.checks[c]!;
    checks.push({ layer: k.layer, depth: k.depth, status: k.status });
    if (RANK[k.status] > RANK[worst]) worst = k.status;
  }
  const [src, dst] = addressColumns(d);
  const row: Row = { ...base, src, dst, proto: protocolColumn(d), info: infoColumn(d), summary: summarize(d), worst, checks };
  const l0 = d.nLayers ? d.layers[0]! : null;
  if (l0 && (l0.kind === K.SLL || l0.kind === K.SLL2) && !l0.truncated) {
    if (l0.kind === K.SLL2) row.iface = l0.tunnelId;
    row.dir = l0.msgType === 4 ? 'out' : l0.msgType === 3 ? 'other' : 'in';
  }
  return row;
}
