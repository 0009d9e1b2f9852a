/**
 * The shape of a protocol module. A protocol is one file in `protocols/` plus one entry in
 * `protocols/index.ts`: it registers itself in named dispatch tables (as Wireshark's dissectors
 * register in dissector tables), decodes its header over the shared {@link Cursor}, and says how
 * its checksum is verified, how it is described in the packet detail, which display-filter fields
 * it offers and how it is anonymised. Nothing else in the core lists protocols.
 */
import type { Cursor } from './cursor';
import type { Dissection } from './dissect';
import type { CheckLayer, Layer } from './layers';

/**
 * Dispatch tables and what their keys are:
 *   link       LINKTYPE_* of the capture interface
 *   ethertype  Ethernet type (also SLL protocol, Geneve/GRE protocol type, PPPoE payload)
 *   ip.proto   IPv4 protocol / IPv6 next header
 *   udp.port   UDP port (destination tried first, then source)
 *   gre.proto  GRE protocol type when it is not an ethertype handled elsewhere
 *   ppp.proto  PPP protocol number
 *   nextproto  IETF "next protocol" numbers of VXLAN-GPE and NSH
 */
export const TABLES = ['link', 'ethertype', 'ip.proto', 'udp.port', 'gre.proto', 'ppp.proto', 'nextproto'] as const;
export type TableName = (typeof TABLES)[number];

/** Table numbers for the hot path (decoders pass these, not names). */
export const T = { link: 0, ethertype: 1, ipProto: 2, udpPort: 3, greProto: 4, pppProto: 5, nextproto: 6 } as const;
export type TableId = (typeof T)[keyof typeof T];

/** Key ranges: 16-bit tables, except these 8-bit ones. */
export const TABLE_BITS: Record<TableName, 8 | 16> = {
  link: 16,
  ethertype: 16,
  'ip.proto': 8,
  'udp.port': 16,
  'gre.proto': 16,
  'ppp.proto': 16,
  nextproto: 8,
};

/**
 * How a protocol's Internet checksum is verified (the checksum engine is driven by these, and
 * only these: dissection, fragment reassembly, anonymisation and the packet detail all use it).
 */
export interface ChecksumSpec {
  /** Name in the report (`checks[].layer`). */
  readonly layer: CheckLayer;
  /** Offset of the 16-bit field from the start of the layer. */
  readonly field: number;
  /** Bytes covered: the IPv4 header, the rest of the IP payload (TCP, ICMP), or the UDP length. */
  readonly cover: 'ipv4-header' | 'ip-payload' | 'udp-length';
  /** Protocol number of the pseudo-header (RFC 768/793/8200), or 0 when there is none (ICMPv4). */
  readonly pseudoProto: number;
  /** A zero field means "not computed" (UDP), never bad. */
  readonly zeroIsNone: boolean;
}

/** What a decoder can do while decoding one frame. Implemented by the dissector driver. */
export interface DecodeContext {
  /** The frame, read through the bounds-checked cursor. */
  readonly c: Cursor;
  readonly d: Dissection;
  /** Index of the most recent IP layer: the carrier of a transport header, -1 before any. */
  readonly ip: number;
  /** Start a layer of protocol `p`; null when the layer limit is reached (decoding stops). */
  push(p: Protocol, start: number, depth: number, quoted: boolean): Layer | null;
  /** Mark `l` cut short by the capture: its fixed header needs `need` bytes. Returns true. */
  cut(l: Layer, end: number, need: number): true;
  /** Reserve the checksum of layer `l` (verified after the whole frame is decoded). */
  check(spec: ChecksumSpec, l: Layer): void;
  /** Continue with the protocol registered for `key` in `table` (then its heuristics). */
  next(table: TableId, key: number, off: number, end: number, depth: number, quoted: boolean): void;
  /** Like {@link next} with two keys tried in order (UDP: destination port, then source port). */
  nextEither(table: TableId, k1: number, k2: number, off: number, end: number, depth: number, quoted: boolean): void;
  /** Continue with a given protocol. */
  nextWith(p: Protocol, off: number, end: number, depth: number, quoted: boolean): void;
}

/** One field of the packet detail, with its byte range for the hex view. */
export interface DetailSink {
  /** Add a field; `key` names it in the field table (translated), `value` is already text. */
  field(key: string, value: string | number, off: number, len: number): void;
}

/** Field names for the packet detail, per language. */
export type FieldNames = Record<string, { en: string; zh: string }>;

/** A display-filter field a protocol offers (`vxlan.vni`, `gtp.teid` ...). */
export interface FilterField {
  readonly name: string;
  readonly type: 'uint' | 'string' | 'bool' | 'ipv4' | 'ipv6' | 'mac';
  /** Values of this field in layer `l` (one layer may hold several, e.g. ports). */
  values(l: Layer, d: Dissection): readonly (number | string)[];
}

/** What an anonymiser may do with a layer's bytes (see anonymise.ts). */
export interface AnonContext {
  readonly b: Uint8Array;
  /** Keep bytes [off, off+len) as they are (structure, not identity). */
  keep(off: number, len: number): void;
  /** Replace an address consistently (and keep it). */
  ip4(off: number): void;
  ip6(off: number): void;
  mac(off: number): void;
  /** Keep the bytes, replacing printable label characters with letters (DNS names). */
  name(off: number, end: number): void;
}

/** A protocol module. */
export interface Protocol {
  /** Layer kind (unique, stable; the core ones are in `K`). */
  readonly id: number;
  /** Short lower-case name: display-filter protocol name and registry key (unique). */
  readonly name: string;
  /** Human name in the packet detail and summaries. */
  readonly label: string;
  /** Table entries this protocol is found by. */
  readonly register?: readonly { readonly table: TableName; readonly keys: readonly number[] }[];
  /** Tables where it is tried by content when no key matched (must be cheap and strict). */
  readonly heuristic?: readonly { readonly table: TableName; test(c: Cursor, off: number, end: number): boolean }[];
  /** Pushes no layer of its own: it only chooses what follows (IP by version nibble). */
  readonly dispatcher?: boolean;
  /** Its payload is carried one tunnel level deeper; a UDP checksum around it is "outer". */
  readonly tunnel?: boolean;
  readonly checksum?: ChecksumSpec;
  /**
   * Decode the header at `off` (bytes up to `end` belong to it and its payload). Returns false to
   * decline (wrong magic, not this protocol after all): the driver then tries the next candidate.
   */
  decode(x: DecodeContext, off: number, end: number, depth: number, quoted: boolean): boolean;
  /** Fields of the packet detail; returns the one-line summary of the layer. */
  describe?(l: Layer, d: Dissection, out: DetailSink): string;
  /** Detail field names (keys used by `describe`) in English and Chinese. */
  readonly fieldNames?: FieldNames;
  /** Display-filter fields besides the protocol name itself. */
  readonly fields?: readonly FilterField[];
  /**
   * Anonymisation: mark what of the header may be kept and remap addresses. Bytes no layer
   * keeps are zeroed (payloads, trailers, anything not decoded).
   */
  anonymise?(l: Layer, a: AnonContext): void;
  /** Short text for a tunnel layer in one-line summaries ("VXLAN vni 1"). */
  tunnelText?(l: Layer): string;
  /** The Info column: one line about this layer, tcpdump style ("TCP [S] seq 1 win 0 len 0"). */
  info?(l: Layer, d: Dissection): string;
}

/**
 * Type-check a protocol literal and give every protocol object the same shape (all properties,
 * in one order), so that the driver's loads of `id`, `tunnel` and `decode` stay monomorphic.
 */
export function defineProtocol<P extends Protocol>(p: P): P {
  const shaped: Required<Protocol> = {
    id: p.id,
    name: p.name,
    label: p.label,
    register: p.register ?? [],
    heuristic: p.heuristic ?? [],
    dispatcher: p.dispatcher ?? false,
    tunnel: p.tunnel ?? false,
    checksum: p.checksum ?? (null as unknown as ChecksumSpec),
    decode: p.decode,
    describe: p.describe ?? (null as unknown as NonNullable<Protocol['describe']>),
    fieldNames: p.fieldNames ?? {},
    fields: p.fields ?? [],
    anonymise: p.anonymise ?? (null as unknown as NonNullable<Protocol['anonymise']>),
    tunnelText: p.tunnelText ?? (null as unknown as NonNullable<Protocol['tunnelText']>),
    info: p.info ?? (null as unknown as NonNullable<Protocol['info']>),
  };
  return shaped as unknown as P;
}
