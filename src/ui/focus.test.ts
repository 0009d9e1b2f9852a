import { describe, expect, it } from 'vitest';
import type { LayerDetail } from '../core/decode/detail';
import { focusTarget } from './focus';

const layer = (proto: string, keys: string[], checks: string[] = [], quoted = false): LayerDetail => ({
  name: proto.toUpperCase(),
  proto,
  depth: 0,
  quoted,
  start: 0,
  end: 10,
  truncated: false,
  invalid: '',
  summary: '',
  fields: keys.map((key) => ({ key, name: key, nameZh: key, value: '', start: 0, end: 1 })),
  checks: checks.map((status) => ({
    layer: proto,
    depth: 0,
    status,
    stored: 0,
    computed: 0,
    reason: '',
    reasonZh: '',
    tunnel: false,
    fieldStart: 0,
  })),
});

describe('focusTarget', () => {
  it('a bad checksum wins, outermost first', () => {
    const ls = [
      layer('ipv4', ['ip.len'], ['good']),
      layer('udp', ['udp.checksum'], ['bad']),
      layer('tcp', ['tcp.flags'], ['bad']),
    ];
    expect(focusTarget(ls, 'syn-retry')).toEqual({ layer: 1, field: -1, check: 0 });
  });
  it('else the field of the finding, in the innermost layer outside ICMP quotes', () => {
    const ls = [layer('ipv4', ['ip.len']), layer('tcp', ['tcp.flags']), layer('ipv4', ['ip.len']), layer('tcp', ['tcp.flags'])];
    expect(focusTarget(ls, 'syn-retry')).toEqual({ layer: 3, field: 0, check: -1 });
    const refused = [layer('ipv4', ['ip.len']), layer('icmp', ['icmp.type', 'icmp.code']), layer('tcp', ['tcp.flags'], [], true)];
    expect(focusTarget(refused, 'connection-refused')).toEqual({ layer: 1, field: 0, check: -1 });
    const dns = [layer('ipv4', []), layer('udp', []), layer('dns', ['dns.id', 'dns.qry.name'])];
    expect(focusTarget(dns, 'dns-retried')).toEqual({ layer: 2, field: 1, check: -1 });
  });
  it('nothing to say: null', () => {
    expect(focusTarget([layer('ipv4', ['ip.len'])], null)).toBeNull();
    expect(focusTarget([layer('ipv4', ['ip.len'])], 'dns-retried')).toBeNull();
  });
});
