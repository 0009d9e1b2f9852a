/**
 * Every cause, one module each, in priority order: the first whose evidence is there makes the
 * diagnosis. Wire codes are the permalink's: stable, unique, checked here at load.
 */
import type { Cause } from '../../../report';
import type { CauseRule } from '../../rule';
import { CHECKSUM_ERRORS } from './checksum-errors';
import { CONNECTION_REFUSED_CAUSE } from './connection-refused';
import { DNS_DELAYED } from './dns-delayed';
import { DNS_UNANSWERED_CAUSE } from './dns-unanswered';
import { MTU_BLACKHOLE_CAUSE } from './mtu-blackhole';
import { SYN_DROPPED } from './syn-dropped';
import { SYNACK_LOST } from './synack-lost';
import { TRANSFER_STALLED_CAUSE } from './transfer-stalled';
import { VXLAN_CHECKSUM_DROP } from './vxlan-checksum-drop';

/** In priority order: failures before slowness, explained loss before unexplained, evidence last. */
export const CAUSES: readonly CauseRule[] = [
  VXLAN_CHECKSUM_DROP,
  CONNECTION_REFUSED_CAUSE,
  SYNACK_LOST,
  MTU_BLACKHOLE_CAUSE,
  SYN_DROPPED,
  TRANSFER_STALLED_CAUSE,
  DNS_UNANSWERED_CAUSE,
  DNS_DELAYED,
  CHECKSUM_ERRORS,
];

/** Permalink code of a cause (0 for none); throws for a cause that is not in the list. */
export function wireOf(cause: Cause): number {
  if (cause === null) return 0;
  const c = CAUSES.find((x) => x.cause === cause);
  if (!c) throw new Error(`cause ${cause} has no wire code`);
  return c.wire;
}

/** Cause of a permalink code: null for 0, undefined when unknown (a newer version's). */
export function causeOfWire(code: number): Cause | undefined {
  if (code === 0) return null;
  return CAUSES.find((x) => x.wire === code)?.cause;
}

// Self-check at load: unique causes and wire codes in 1..255.
{
  const causes = new Set<string>();
  const wires = new Set<number>();
  for (const c of CAUSES) {
    if (causes.has(c.cause)) throw new Error(`cause ${c.cause} is listed twice`);
    if (!Number.isInteger(c.wire) || c.wire < 1 || c.wire > 255 || wires.has(c.wire))
      throw new Error(`cause ${c.cause}: wire code ${c.wire} is not a unique 1..255`);
    causes.add(c.cause);
    wires.add(c.wire);
  }
}
