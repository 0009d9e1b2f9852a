/**
 * Every finding rule, one module each. Adding a finding kind is a new module plus one line
 * here; the order is the order of kinds in the report.
 */
import type { Rule } from '../rule';
import { CHECKSUM_BAD } from './checksum-bad';
import { CHECKSUM_OFFLOAD } from './checksum-offload';
import { DNS_UNANSWERED } from './dns-unanswered';
import { SYN_RETRY } from './syn-retry';
import { SYNACK_RETRY } from './synack-retry';
import { TCP_RETRANSMISSION } from './tcp-retransmission';
import { TUNNEL_CHECKSUM_BAD } from './tunnel-checksum-bad';
import { CONNECTION_REFUSED } from './connection-refused';
import { MTU_BLACKHOLE } from './mtu-blackhole';
import { TRANSFER_STALLED } from './transfer-stalled';
import { DNS_RETRIED } from './dns-retried';
import { PATH_MTU } from './path-mtu';

export const RULES: readonly Rule[] = [
  SYN_RETRY,
  CONNECTION_REFUSED,
  MTU_BLACKHOLE,
  TRANSFER_STALLED,
  DNS_UNANSWERED,
  DNS_RETRIED,
  TUNNEL_CHECKSUM_BAD,
  CHECKSUM_BAD,
  SYNACK_RETRY,
  TCP_RETRANSMISSION,
  PATH_MTU,
  CHECKSUM_OFFLOAD,
];

/** The rule that makes findings of `kind`. */
export function ruleOf(kind: string): Rule | undefined {
  return RULES.find((r) => r.kinds.includes(kind));
}

// Self-check at load: one rule per kind.
{
  const seen = new Set<string>();
  for (const r of RULES)
    for (const k of r.kinds) {
      if (seen.has(k)) throw new Error(`finding kind ${k} is made by two rules`);
      seen.add(k);
    }
}
