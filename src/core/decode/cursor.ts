/**
 * The one bounds-checked reader every protocol decoder uses. Decoders check lengths against the
 * `end` their parent gives them before reading (and record truncation); the cursor is the safety
 * net behind that: the driver sets `limit` to the current layer's end, and a read past it (or
 * before 0) returns 0 and is counted in `overruns` instead of touching bytes the layer does not
 * own. The fuzz tests require `overruns` to stay 0, so a decoder that forgets a length check
 * fails a test rather than silently reading its neighbour's bytes.
 *
 * Reads are built from bytes (no DataView per frame: the hot path allocates nothing).
 */
export class Cursor {
  /** The frame. */
  b: Uint8Array = new Uint8Array(0);
  /** First offset the current layer may not read. */
  limit = 0;
  /** Reads attempted outside [0, limit). */
  overruns = 0;

  /** Start a frame: the whole frame is readable until the driver narrows `limit`. */
  reset(b: Uint8Array): void {
    this.b = b;
    this.limit = b.length;
  }

  /** Byte at `o`. */
  u8(o: number): number {
    if (o < 0 || o >= this.limit) return this.miss();
    return this.b[o]!;
  }

  /** Big-endian 16-bit value at `o`. */
  u16(o: number): number {
    if (o < 0 || o + 2 > this.limit) return this.miss();
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }

  /** Big-endian unsigned 32-bit value at `o`. */
  u32(o: number): number {
    if (o < 0 || o + 4 > this.limit) return this.miss();
    const b = this.b;
    return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  }

  /** Little-endian unsigned 32-bit value at `o` (BSD loopback headers in the writer's order). */
  u32le(o: number): number {
    if (o < 0 || o + 4 > this.limit) return this.miss();
    const b = this.b;
    return ((b[o + 3]! << 24) >>> 0) + ((b[o + 2]! << 16) | (b[o + 1]! << 8) | b[o]!);
  }

  protected miss(): number {
    this.overruns++;
    return 0;
  }
}
