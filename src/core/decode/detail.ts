/**
 * Packet detail: each decoded layer with its fields and their byte ranges (for the hex view
 * highlight), and each checksum's verdict attached to its layer. Built on demand for the one
 * packet the user opens, from the protocols' own `describe`, so it may allocate freely.
 */
import { WHY_TEXT } from './checksums';
import type { Dissection } from './dissect';
import { REGISTRY } from './protocols';

/** One field of a layer. */
export interface FieldDetail {
  /** Field key (`ip.src`): stable, usable as a display filter for most fields. */
  key: string;
  name: string;
  nameZh: string;
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
  reasonZh: string;
  tunnel: boolean;
  fieldStart: number;
}

/** One layer of the tree. */
export interface LayerDetail {
  name: string;
  /** Display-filter protocol name (`ip`, `vxlan` ...). */
  proto: string;
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

/** Describe every layer of a dissection. */
export function describeLayers(d: Dissection): LayerDetail[] {
  const out: LayerDetail[] = [];
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layers[i]!;
    const p = REGISTRY.byId.get(l.kind);
    const fields: FieldDetail[] = [];
    const sink = {
      field(key: string, value: string | number, off: number, len: number) {
        if (off < 0 || len < 0 || off + len > d.data.length) return;
        const n = p?.fieldNames?.[key];
        fields.push({ key, name: n?.en ?? key, nameZh: n?.zh ?? n?.en ?? key, value: String(value), start: off, end: off + len });
      },
    };
    let summary = '';
    try {
      summary = p?.describe ? p.describe(l, d, sink) : '';
    } catch {
      summary = '(cannot describe this layer)';
    }
    out.push({
      name: p?.label ?? 'Data',
      proto: p?.name ?? '',
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
      reasonZh: WHY_TEXT[c.why]?.zh ?? c.reason,
      tunnel: c.tunnelOuter,
      fieldStart: c.fieldOff,
    });
  }
  return out;
}
