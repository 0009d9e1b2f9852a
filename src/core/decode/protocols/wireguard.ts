/*
 * WireGuard on UDP 51820 (its default) and 51871 (Cilium's). Every message starts with
 * type(1) reserved(3); the sizes are fixed except for transport data:
 *
 *   1 handshake initiation  148 bytes   sender index(4) ...
 *   2 handshake response     92 bytes   sender index(4) receiver index(4) ...
 *   3 cookie reply           64 bytes   receiver index(4) ...
 *   4 transport data       >= 32 bytes  receiver index(4) counter(8) encrypted (16-byte blocks)
 *
 * The payload is encrypted: nothing inside is decoded, but a bad UDP checksum around it loses the
 * tunnelled traffic like any other tunnel. On other ports, handshake messages are recognised by
 * their exact sizes (a cheap, strict heuristic); transport data only by port.
 */
import type { Cursor } from '../cursor';
import { defineProtocol } from '../protocol';
import { hex } from '../text';

const SIZE: Record<number, number> = { 1: 148, 2: 92, 3: 64 };
const NAMES: Record<number, string> = {
  1: 'handshake initiation',
  2: 'handshake response',
  3: 'cookie reply',
  4: 'transport data',
};

function valid(c: Cursor, o: number, end: number, dataToo: boolean): boolean {
  if (end - o < 4) return false;
  const t = c.u8(o);
  if (c.u8(o + 1) !== 0 || c.u8(o + 2) !== 0 || c.u8(o + 3) !== 0) return false;
  if (SIZE[t] !== undefined) return end - o === SIZE[t];
  return dataToo && t === 4 && end - o >= 32 && (end - o - 16) % 16 === 0;
}

export const WIREGUARD = defineProtocol({
  id: 38,
  name: 'wg',
  label: 'WireGuard',
  register: [{ table: 'udp.port', keys: [51820, 51871] }],
  heuristic: [{ table: 'udp.port', test: (c, o, end) => valid(c, o, end, false) }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    if (!valid(x.c, o, end, true)) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.msgType = x.c.u8(o);
    // The index that names the receiving peer's session.
    l.tunnelId = l.msgType === 1 ? x.c.u32le(o + 4) : l.msgType === 2 ? x.c.u32le(o + 8) : x.c.u32le(o + 4);
    l.hdrEnd = Math.min(end, o + (l.msgType === 4 ? 16 : 4));
    l.end = end;
    l.claimedEnd = end;
    l.payloadLen = end - l.hdrEnd;
    return true;
  },
  describe(l, _d, out) {
    out.field('wg.type', `${l.msgType} (${NAMES[l.msgType]})`, l.start, 1);
    out.field(l.msgType === 1 ? 'wg.sender' : 'wg.receiver', hex(l.tunnelId, 8), l.start + (l.msgType === 2 ? 8 : 4), 4);
    return NAMES[l.msgType] ?? '';
  },
  info: (l) => `WireGuard ${NAMES[l.msgType]}${l.msgType === 4 ? ` len ${l.payloadLen}` : ''}`,
  tunnelText: () => 'WireGuard',
  fieldNames: {
    'wg.type': { en: 'Message type', zh: '消息类型' },
    'wg.sender': { en: 'Sender index', zh: '发送方索引' },
    'wg.receiver': { en: 'Receiver index', zh: '接收方索引' },
  },
  fields: [
    { name: 'wg.type', type: 'uint', values: (l) => [l.msgType] },
    { name: 'wg.receiver_index', type: 'uint', values: (l) => (l.msgType === 1 ? [] : [l.tunnelId]) },
  ],
  anonymise(l, a) {
    a.keep(l.start, 4); // type; indexes, keys, counters and ciphertext are blanked
  },
});
