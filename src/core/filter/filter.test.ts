import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { Dissector } from '../decode/dissect';
import { compileFilter, FilterError } from './index';
import { corpusBytes } from '../../../test/helpers/corpus';

async function matches(file: string, expr: string): Promise<number[]> {
  const fn = compileFilter(expr);
  const d = new Dissector();
  const out: number[] = [];
  let n = 0;
  await readCapture(bufferChunks(corpusBytes(file)), (r) => {
    n++;
    if (fn({ n, d: d.dissect(r.data, r.linkType, r.origLen) })) out.push(n);
  });
  return out;
}

const ETH0 = 'scenarios/tke-63s-sender-eth0.pcap';

describe('display filter', () => {
  it('matches inner and outer headers like Wireshark', async () => {
    expect(await matches(ETH0, 'tcp.flags.syn==1 and tcp.flags.ack==0')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await matches(ETH0, 'ip.addr==172.29.2.3 && tcp.port==9153')).toHaveLength(16);
    expect(await matches(ETH0, 'udp.port==8472 and vxlan')).toHaveLength(16);
    expect(await matches(ETH0, 'checksum.bad')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await matches(ETH0, 'not checksum.bad and tcp.flags.syn == 1')).toEqual([7, 8]);
    expect(await matches(ETH0, '(frame.number < 3 or frame.number >= 15) and !checksum.bad')).toEqual([15, 16]);
    expect(await matches(ETH0, 'ip.src==10.0.0.13')).toEqual([8, 11, 12, 15]);
    expect(await matches(ETH0, '')).toHaveLength(16);
  });

  it('reports syntax errors with a position', () => {
    expect(() => compileFilter('tcp.port==')).toThrow(FilterError);
    expect(() => compileFilter('foo.bar==1')).toThrow(/unknown field "foo.bar"/);
    expect(() => compileFilter('(tcp')).toThrow(/missing "\)"/);
    expect(() => compileFilter('tcp $ udp')).toThrow(/unexpected character/);
  });
});
