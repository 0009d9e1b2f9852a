/*
 * IP in IP (protocol 4) and IPv6 in IP (41): the inner packet is one tunnel level deeper. Not
 * decoded inside a fragment (the inner header may be split).
 */
import { defineProtocol } from '../protocol';
import { IP_ANY } from './ip-any';

export const IPIP = defineProtocol({
  id: 91,
  name: 'ipip',
  label: 'IP-in-IP',
  dispatcher: true,
  register: [{ table: 'ip.proto', keys: [4, 41] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    if (x.ip >= 0 && x.d.layers[x.ip]!.fragment) return true;
    x.nextWith(IP_ANY, o, end, depth + 1, quoted);
    return true;
  },
});
