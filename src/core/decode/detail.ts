/**
 * Packet detail: each decoded layer with its fields and their byte ranges (for the hex view
 * highlight), and each checksum's verdict attached to its layer. Built on demand for the one
 * packet the user opens, so it may allocate freely.
 */
import type { Dissection } from './dissect';
import { ipAddr, tcpFlagString } from './format';
import { K, KIND_NAME } from './layers';

/** One field of a layer. */
export interface FieldDetail {
  name: string;
  value: string;
  /** Byte range in the frame, [start, end). */
  start: number;
  end: number;
}

/** One checksum verdict, as shown in the tree. */
export interface CheckDetail {
  layer: string;
  depth: number;
  status: string;
  stored: number | null;
  computed: number | null;
  reason: string;
  tunnel: boolean;
  fieldStart: number;
}

/** One layer of the tree. */
export interface LayerDetail {
  name: string;
  depth: number;
  quoted: boolean;
  start: number;
  end: number;
  truncated: boolean;
  invalid: string;
  summary: string;
  fields: FieldDetail[];
  checks: CheckDetail[];
}

const hex = (v: number, w = 4) => `0x${v.toString(16).padStart(w, '0')}`;

/** Describe every layer of a dissection. */
export function describeLayers(d: Dissection): LayerDetail[] {
  const out: LayerDetail[] = [];
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layers[i]!;
    const fields: FieldDetail[] = [];
    const f = (name: string, value: string | number, off: number, len: number) => {
      if (off + len <= d.data.length) fields.push({ name, value: String(value), start: off, end: off + len });
    };
    let summary = '';
    const o = l.start;
    switch (l.kind) {
      case K.ETH: {
        const mac = (p: number) => Array.from(d.data.subarray(p, p + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
        f('Destination', mac(o), o, 6);
        f('Source', mac(o + 6), o + 6, 6);
        f('Type', hex(l.etherType), o + 12, 2);
        summary = `${mac(o + 6)} → ${mac(o)}`;
        break;
      }
      case K.VLAN:
        f('VLAN ID', l.vlan, o, 2);
        f('Type', hex(l.etherType), o + 2, 2);
        summary = `VLAN ${l.vlan}`;
        break;
      case K.SLL:
      case K.SLL2:
      case K.LOOP:
      case K.PPP:
        f('Protocol', hex(l.etherType), o, l.hdrEnd - o);
        break;
      case K.IPV4:
      case K.IPV6: {
        if (l.srcOff) {
          const src = ipAddr(d, l, 'src');
          const dst = ipAddr(d, l, 'dst');
          const w = l.kind === K.IPV4 ? 4 : 16;
          f('Source', src, l.srcOff, w);
          f('Destination', dst, l.dstOff, w);
          summary = `${src} → ${dst}`;
        }
        if (l.kind === K.IPV4) {
          f('Header length', (d.data[o]! & 15) * 4, o, 1);
          f('Total length', l.tso ? '0 (segmentation offload super-frame)' : (d.data[o + 2]! << 8) | d.data[o + 3]!, o + 2, 2);
          f('Identification', l.ipId >= 0 ? `${hex(l.ipId)} (${l.ipId})` : '-', o + 4, 2);
          f('Flags / fragment offset', `${l.moreFragments ? 'MF ' : ''}offset ${l.fragOffset}`, o + 6, 2);
          f('TTL', l.ttl, o + 8, 1);
          f('Protocol', l.proto, o + 9, 1);
          f('Header checksum', hex((d.data[o + 10]! << 8) | d.data[o + 11]!), o + 10, 2);
        } else {
          f('Payload length', (d.data[o + 4]! << 8) | d.data[o + 5]!, o + 4, 2);
          f('Next header', d.data[o + 6] ?? '-', o + 6, 1);
          f('Hop limit', l.ttl, o + 7, 1);
          if (l.fragment) summary += ` fragment offset ${l.fragOffset}`;
        }
        break;
      }
      case K.TCP:
        f('Source port', l.srcPort, o, 2);
        f('Destination port', l.dstPort, o + 2, 2);
        f('Sequence number', l.seq, o + 4, 4);
        f('Acknowledgment number', l.ack, o + 8, 4);
        f('Flags', tcpFlagString(l.tcpFlags), o + 12, 2);
        f('Window', l.window, o + 14, 2);
        f('Checksum', hex((d.data[o + 16]! << 8) | d.data[o + 17]!), o + 16, 2);
        if (l.tsVal >= 0) fields.push({ name: 'Timestamp value', value: String(l.tsVal), start: o + 20, end: l.hdrEnd });
        if (l.mss >= 0) fields.push({ name: 'MSS', value: String(l.mss), start: o + 20, end: l.hdrEnd });
        summary = `${l.srcPort} → ${l.dstPort} [${tcpFlagString(l.tcpFlags)}] seq ${l.seq} len ${l.payloadLen}`;
        break;
      case K.UDP:
        f('Source port', l.srcPort, o, 2);
        f('Destination port', l.dstPort, o + 2, 2);
        f('Length', (d.data[o + 4]! << 8) | d.data[o + 5]!, o + 4, 2);
        f('Checksum', hex((d.data[o + 6]! << 8) | d.data[o + 7]!), o + 6, 2);
        summary = `${l.srcPort} → ${l.dstPort} len ${l.payloadLen}`;
        break;
      case K.ICMP:
      case K.ICMPV6:
        f('Type', l.icmpType, o, 1);
        f('Code', l.icmpCode, o + 1, 1);
        f('Checksum', hex((d.data[o + 2]! << 8) | d.data[o + 3]!), o + 2, 2);
        summary = `type ${l.icmpType} code ${l.icmpCode}`;
        break;
      case K.VXLAN:
      case K.VXLAN_GPE:
      case K.GENEVE:
        f('VNI', l.vni, o + 4, 3);
        summary = `VNI ${l.vni}`;
        break;
      case K.GRE:
        f('Protocol', hex(l.etherType), o + 2, 2);
        if (l.greKey >= 0) summary = `key ${hex(l.greKey, 8)}`;
        break;
      case K.DNS:
        f('Transaction ID', hex(l.dnsId), o, 2);
        f('Flags', `${hex(l.dnsFlags)} ${l.dnsFlags & 0x8000 ? 'response' : 'query'}`, o + 2, 2);
        fields.push({
          name: 'Query',
          value: `${l.dnsQname} type ${l.dnsQtype}`,
          start: o + 12,
          end: Math.min(l.end, d.data.length),
        });
        summary = `${l.dnsFlags & 0x8000 ? 'response' : 'query'} ${hex(l.dnsId)} ${l.dnsQname}`;
        break;
    }
    out.push({
      name: KIND_NAME[l.kind] ?? 'Data',
      depth: l.depth,
      quoted: l.quoted,
      start: l.start,
      end: Math.min(l.hdrEnd, d.data.length),
      truncated: l.truncated,
      invalid: l.invalid,
      summary,
      fields,
      checks: [],
    });
  }
  for (let i = 0; i < d.nChecks; i++) {
    const c = d.checks[i]!;
    out[c.layerIndex]?.checks.push({
      layer: c.layer,
      depth: c.depth,
      status: c.status,
      stored: c.stored >= 0 ? c.stored : null,
      computed: c.computed >= 0 ? c.computed : null,
      reason: c.reason,
      tunnel: c.tunnelOuter,
      fieldStart: c.fieldOff,
    });
  }
  return out;
}
