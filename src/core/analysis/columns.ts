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
  // The same arrays in a list for clear(), which runs for every new flow (a flood: millions).
  const list: { a: ArrayOf<Ctor>; per: number; fill: number }[] = [];
  const make = (name: string, cap: number, old?: ArrayOf<Ctor>) => {
    const s = spec[name]!;
    const a = new s.type(cap * s.per);
    if (s.fill) a.fill(s.fill);
    if (old) a.set(old as never);
    return { a, per: s.per, fill: s.fill ?? 0 };
  };
  for (const name of names) list.push(make(name, capacity));
  // Arrays are data properties of one object with a fixed shape, so `c.name[i]` is a plain
  // load. Made in one go by Object.fromEntries: V8 turns an object into a slow hash table
  // (dictionary mode) after about a dozen properties added one by one under computed names,
  // and then every column load is a hash lookup. That cost TcpConversations.update, with its
  // 33 columns, about a fifth of a 256 MiB run. Growing replaces existing properties (the
  // shape stays).
  const cols: Record<string, unknown> = Object.fromEntries(names.map((name, i) => [name, list[i]!.a]));
  cols.grow = (cap: number) => {
    names.forEach((name, i) => {
      list[i] = make(name, cap, cols[name] as ArrayOf<Ctor>);
      cols[name] = list[i].a;
    });
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
