/** Small byte helpers shared by the core. */

/** Concatenate byte arrays (or plain byte lists) into one new Uint8Array. */
export function concatBytes(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
