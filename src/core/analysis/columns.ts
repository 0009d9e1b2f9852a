/**
 * Struct-of-arrays storage that grows in step with the flow table: one typed array per field,
 * indexed by flow id (`per: 1`) or by 2 * flow id + direction (`per: 2`), or with several slots
 * per direction. No object per flow, nothing allocated per packet.
 */

type Ctor =
  | Float64ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor;

/** One column: its array type, slots per flow, and the value of an unused slot. */
export interface ColumnSpec {
  type: Ctor;
  per: number;
  fill?: number;
}

type ArrayOf<C extends Ctor> = InstanceType<C>;

/** Typed arrays by name, plus `grow`. */
export type Columns<S extends Record<string, ColumnSpec>> = { -readonly [K in keyof S]: ArrayOf<S[K]['type']> } & {
  /** Give every column room for `capacity` flows, keeping contents. */
  grow(capacity: number): void;
  /** Reset flow `id`'s slots to their fill values. */
  clear(id: number): void;
};

/** Make the columns of `spec` for `capacity` flows. */
export function columns<S extends Record<string, ColumnSpec>>(spec: S, capacity: number): Columns<S> {
  const names = Object.keys(spec);
  // Arrays are data properties of one object (fixed shape: fast loads); growing replaces them.
  const cols: Record<string, unknown> = {};
  // The same arrays in a list for clear(), which runs for every new flow (a flood: millions).
  const list: { a: ArrayOf<Ctor>; per: number; fill: number }[] = [];
  const make = (name: string, cap: number, old?: ArrayOf<Ctor>) => {
    const s = spec[name]!;
    const a = new s.type(cap * s.per);
    if (s.fill) a.fill(s.fill);
    if (old) a.set(old as never);
    cols[name] = a;
    return { a, per: s.per, fill: s.fill ?? 0 };
  };
  for (const name of names) list.push(make(name, capacity));
  cols.grow = (cap: number) => {
    names.forEach((name, i) => (list[i] = make(name, cap, cols[name] as ArrayOf<Ctor>)));
  };
  cols.clear = (id: number) => {
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const from = id * c.per;
      if (c.per === 1) c.a[from] = c.fill;
      else if (c.per === 2) {
        c.a[from] = c.fill;
        c.a[from + 1] = c.fill;
      } else c.a.fill(c.fill, from, from + c.per);
    }
  };
  return cols as Columns<S>;
}
