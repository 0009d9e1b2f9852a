/**
 * The protocol registry: the list in protocols/index.ts compiled once into typed-array lookup
 * tables (one byte per key: the protocol's slot), with a self-check at load so that two modules
 * can never silently claim the same id, name or table key.
 */
import type { Protocol } from './protocol';
import { TABLE_BITS, TABLES, T } from './protocol';

/** A content test registered on a table. */
export interface Heuristic {
  proto: Protocol;
  test: NonNullable<Protocol['heuristic']>[number]['test'];
}

/** Compiled dispatch tables. Slot 0 means "nothing registered". */
export interface Registry {
  /** Protocols by slot (index 0 unused). */
  readonly slots: readonly Protocol[];
  /** Protocols by layer kind. */
  readonly byId: ReadonlyMap<number, Protocol>;
  readonly byName: ReadonlyMap<string, Protocol>;
  /** Per table (by {@link T} number): key -> slot. */
  readonly tables: readonly Uint8Array[];
  /** Per table (by {@link T} number): content tests tried when no key matched. */
  readonly heuristics: readonly (readonly Heuristic[])[];
  readonly all: readonly Protocol[];
}

/** Thrown at load when the protocol list is inconsistent. */
export class RegistryError extends Error {}

/** Build and check a registry from a protocol list. */
export function buildRegistry(list: readonly Protocol[]): Registry {
  if (list.length > 254) throw new RegistryError('at most 254 protocols fit a one-byte slot');
  const problems: string[] = [];
  const byId = new Map<number, Protocol>();
  const byName = new Map<string, Protocol>();
  const tables = TABLES.map((t) => new Uint8Array(TABLE_BITS[t] === 8 ? 256 : 65536));
  const heuristics: Heuristic[][] = TABLES.map(() => []);
  const idOf = (name: string): number => TABLES.indexOf(name as (typeof TABLES)[number]);
  const slots: Protocol[] = [list[0]!]; // placeholder at 0, never looked up
  list.forEach((p, i) => {
    const slot = i + 1;
    slots.push(p);
    if (!Number.isInteger(p.id) || p.id < 1) problems.push(`${p.name}: id ${p.id} must be a positive integer`);
    const sameId = byId.get(p.id);
    if (sameId) problems.push(`id ${p.id} is used by both ${sameId.name} and ${p.name}`);
    byId.set(p.id, p);
    if (!/^[a-z][a-z0-9_-]*$/.test(p.name)) problems.push(`name "${p.name}" must be lower-case letters, digits, - or _`);
    if (byName.has(p.name)) problems.push(`name "${p.name}" is registered twice`);
    byName.set(p.name, p);
    for (const r of p.register ?? []) {
      const t = tables[idOf(r.table)];
      if (!t) {
        problems.push(`${p.name}: unknown table ${r.table}`);
        continue;
      }
      for (const k of r.keys) {
        if (!Number.isInteger(k) || k < 0 || k >= t.length) problems.push(`${p.name}: key ${k} is outside table ${r.table}`);
        else if (t[k]) problems.push(`${r.table} ${k} is claimed by both ${slots[t[k]!]!.name} and ${p.name}`);
        else t[k] = slot;
      }
    }
    for (const h of p.heuristic ?? []) {
      const hi = idOf(h.table);
      if (hi < 0) problems.push(`${p.name}: unknown heuristic table ${h.table}`);
      else heuristics[hi]!.push({ proto: p, test: h.test });
    }
  });
  if (TABLES.some((t, i) => T[camel(t)] !== i)) problems.push('table numbers (T) do not follow TABLES');
  if (problems.length) throw new RegistryError(`protocol registry: ${problems.join('; ')}`);
  return { slots, byId, byName, tables, heuristics, all: list };
}

function camel(t: string): keyof typeof T {
  return t.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()) as keyof typeof T;
}
