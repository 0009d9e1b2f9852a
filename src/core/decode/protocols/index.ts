/**
 * Every protocol the dissector knows, one module each. Adding a protocol is a new module plus
 * one line here; the registry (built at load, with a self-check) does the rest: dispatch tables,
 * display-filter fields, packet detail names, anonymisation, one-line summaries.
 */
import type { Protocol } from '../protocol';
import { buildRegistry } from '../registry';
import { ARP } from './arp';
import { CHDLC } from './chdlc';
import { CISCO_METADATA } from './cisco-metadata';
import { DNS } from './dns';
import { ETHERNET } from './ethernet';
import { GENEVE } from './geneve';
import { GRE } from './gre';
import { GTPU } from './gtpu';
import { ICMP } from './icmp';
import { ICMPV6 } from './icmpv6';
import { IP_ANY } from './ip-any';
import { IPIP } from './ipip';
import { IPV4 } from './ipv4';
import { IPV6 } from './ipv6';
import { LOOPBACK } from './loopback';
import { MPLS } from './mpls';
import { NSH } from './nsh';
import { PPP } from './ppp';
import { PPPOE } from './pppoe';
import { SLL } from './sll';
import { SLL2 } from './sll2';
import { TCP } from './tcp';
import { TEREDO } from './teredo';
import { UDP } from './udp';
import { VLAN } from './vlan';
import { VXLAN } from './vxlan';
import { VXLAN_GPE } from './vxlan-gpe';
import { WIREGUARD } from './wireguard';

export { DEFAULT_VXLAN_PORTS, VXLAN } from './vxlan';

/** The protocol list (order only matters for heuristics, which are tried in this order). */
export const PROTOCOLS: readonly Protocol[] = [
  // Link layers
  ETHERNET,
  VLAN,
  SLL,
  SLL2,
  LOOPBACK,
  PPP,
  PPPOE,
  CHDLC,
  MPLS,
  ARP,
  CISCO_METADATA,
  // Network
  IP_ANY,
  IPV4,
  IPV6,
  IPIP,
  // Transport
  TCP,
  UDP,
  ICMP,
  ICMPV6,
  // Tunnels and service headers
  GRE,
  VXLAN,
  GENEVE,
  VXLAN_GPE,
  NSH,
  GTPU,
  TEREDO,
  WIREGUARD,
  // Applications
  DNS,
];

/** The compiled registry (throws at load if two modules claim the same id, name or key). */
export const REGISTRY = buildRegistry(PROTOCOLS);
