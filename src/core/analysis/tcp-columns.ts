/**
 * The per-flow state of TCP conversations (tcp-conv.ts) as struct-of-arrays columns (columns.ts):
 * one typed array per field, indexed by flow id or by 2 * flow + direction, so that tracking a
 * segment allocates nothing and a million flows cost a few arrays.
 */

/** Recent IP ids per direction (a packet seen twice in `-i any` is not a retransmission) and recent segments (for ACK progress). */
export const RECENT = 8;

const F64 = Float64Array;
/** The columns, per flow (`per: 1`) or per direction (`per: 2`, index 2 * flow + dir). */
export const TCP_COLUMNS = {
  stream: { type: Int32Array, per: 1, fill: -1 },
  firstTs: { type: F64, per: 1 },
  lastTs: { type: F64, per: 1 },
  clientDir: { type: Int8Array, per: 1, fill: -1 },
  lastSynTs: { type: F64, per: 1 },
  lastSynAckTs: { type: F64, per: 1 },
  synAckDelay: { type: F64, per: 1, fill: -1 },
  ackDelay: { type: F64, per: 1, fill: -1 },
  // per direction
  nextSeq: { type: Uint32Array, per: 2 },
  hasSeq: { type: Uint8Array, per: 2 },
  acked: { type: Uint32Array, per: 2 },
  hasAck: { type: Uint8Array, per: 2 },
  bytes: { type: F64, per: 2 },
  segments: { type: Uint32Array, per: 2 },
  retrans: { type: Uint32Array, per: 2 },
  maxSeg: { type: Uint32Array, per: 2 },
  deliveredMax: { type: Uint32Array, per: 2 },
  firstDataTs: { type: F64, per: 2 },
  lastDataTs: { type: F64, per: 2 },
  finTs: { type: F64, per: 2 },
  rstTs: { type: F64, per: 2 },
  lastDataFrame: { type: Uint32Array, per: 2 },
  closeFrame: { type: Uint32Array, per: 2 },
  ttl: { type: Int16Array, per: 2, fill: -1 },
  outerTtl: { type: Int16Array, per: 2, fill: -1 },
  df: { type: Uint8Array, per: 2 },
  recentPos: { type: Uint8Array, per: 2 },
  recent: { type: Uint32Array, per: 2 * RECENT },
  ringPos: { type: Uint8Array, per: 2 },
  ringSeq: { type: Uint32Array, per: 2 * RECENT },
  ringLen: { type: Uint32Array, per: 2 * RECENT },
  ringFrame: { type: Uint32Array, per: 2 * RECENT },
  ringTs: { type: F64, per: 2 * RECENT },
  // The oldest unacknowledged segment pushed out of the ring (a window's worth of segments sent
  // after it): the one a retransmission timeout sends again, so a run can count its original.
  unaSeq: { type: Uint32Array, per: 2 },
  unaLen: { type: Uint32Array, per: 2 },
  unaFrame: { type: Uint32Array, per: 2 },
  unaTs: { type: F64, per: 2 },
};

/** a <= b in sequence space. */
export const seqLE = (a: number, b: number) => ((a - b) | 0) <= 0;
