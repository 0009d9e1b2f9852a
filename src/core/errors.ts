/**
 * Errors that cross module and worker boundaries are plain data, never `Error` instances:
 * structured clone drops prototypes, and the CLI must print one clear line, not a stack.
 */
export interface CoreError {
  /** Stable machine-readable code, e.g. `bad-magic`, `record-too-long`. */
  code: string;
  /** One human sentence saying what is wrong and where. */
  message: string;
  /** Byte offset in the (decompressed) capture where the problem was found, or -1. */
  offset: number;
  /** Message template key and its values, for translation (see capture/messages.ts). */
  key?: string;
  params?: Record<string, string | number>;
}

/** Thrown only for input that cannot be analysed at all (exit status 1 in the CLI). */
export class FatalCaptureError extends Error {
  readonly detail: CoreError;
  constructor(detail: CoreError) {
    super(detail.message);
    this.detail = detail;
  }
}

/** Build a {@link CoreError}. */
export function coreError(code: string, message: string, offset = -1): CoreError {
  return { code, message, offset };
}

/** Convert anything thrown into a {@link CoreError} without leaking a stack trace. */
export function toCoreError(e: unknown): CoreError {
  if (e instanceof FatalCaptureError) return e.detail;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && 'offset' in e) {
    const o = e as CoreError;
    const out = coreError(String(o.code), String(o.message), Number(o.offset));
    if (o.key && o.params) return { ...out, key: o.key, params: o.params };
    return out;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return coreError('internal', `internal error: ${msg}`);
}
