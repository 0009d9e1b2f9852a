/**
 * Which line of a packet's detail tree a finding is about, so that jumping to a frame from the
 * diagnosis, the timeline or a finding highlights it: a bad checksum first (the reason most
 * findings exist), else the field that carries the finding's evidence.
 */
import type { LayerDetail } from '../core/decode/detail';

/** A line of the tree: a field or a checksum verdict of layer `layer`. */
export type FocusTarget = { layer: number; field: number; check: -1 } | { layer: number; field: -1; check: number };

/** Field keys that carry each finding kind's evidence, most telling first. */
const HINTS: Record<string, string[]> = {
  'syn-retry': ['tcp.flags'],
  'synack-lost': ['tcp.flags'],
  'connection-refused': ['icmp.type', 'icmpv6.type', 'tcp.flags'],
  'mtu-blackhole': ['icmp.mtu', 'icmpv6.mtu', 'ip.len', 'ipv6.plen'],
  'transfer-stalled': ['tcp.seq'],
  'tcp-retransmission': ['tcp.seq'],
  'dns-unanswered': ['dns.qry.name'],
  'dns-retried': ['dns.qry.name'],
  'dns-delayed': ['dns.qry.name'],
};

/** The line to highlight in `layers` for a finding of `kind` (null: nothing specific). */
export function focusTarget(layers: LayerDetail[], kind: string | null): FocusTarget | null {
  for (let i = 0; i < layers.length; i++) {
    const k = layers[i]!.checks.findIndex((c) => c.status === 'bad');
    if (k >= 0) return { layer: i, field: -1, check: k };
  }
  for (const key of HINTS[kind ?? ''] ?? []) {
    // The innermost layer outside ICMP quotes first (a refusal quotes the SYN it refuses).
    for (const quoted of [false, true])
      for (let i = layers.length - 1; i >= 0; i--) {
        if (layers[i]!.quoted !== quoted) continue;
        const f = layers[i]!.fields.findIndex((x) => x.key === key);
        if (f >= 0) return { layer: i, field: f, check: -1 };
      }
  }
  return null;
}
