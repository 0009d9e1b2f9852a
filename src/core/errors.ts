/**
 * The one error shape of the project: `{code, key, params, message, offset}`. Errors that cross
 * module, worker and process boundaries are plain data, never `Error` instances: structured clone
 * drops prototypes, and the CLI must print one clear line, not a stack. `message` is English (the
 * JSON report keeps it); `key` and `params` let the app and `--lang zh` say the same in Chinese,
 * from the message tables in messages.ts.
 */
import { messages, type Params } from './messages';

export type { Params };

export interface CoreError {
  /** Stable machine-readable code, e.g. `bad-magic`, `record-too-long`, `filter`. */
  code: string;
  /** Message template key (`code` or `code:variant`). */
  key: string;
  /** The template's values. */
  params: Params;
  /** One English sentence saying what is wrong and where. */
  message: string;
  /** Byte offset in the (decompressed) capture where the problem was found, or -1. */
  offset: number;
}

/** Build an error from the message tables. */
export function makeError(key: string, params: Params = {}, offset = -1): CoreError {
  const m = messages()[key];
  return { code: key.split(':')[0]!, key, params, message: m ? m.en(params) : key, offset };
}

/** Thrown only for input that cannot be analysed at all (exit status 1 in the CLI). */
export class FatalCaptureError extends Error {
  readonly detail: CoreError;
  constructor(detail: CoreError) {
    super(detail.message);
    this.detail = detail;
  }
}

/** Convert anything thrown or received into a {@link CoreError}, never leaking a stack trace. */
export function toCoreError(e: unknown): CoreError {
  if (e instanceof FatalCaptureError) return e.detail;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as Partial<CoreError>;
    const key = typeof o.key === 'string' ? o.key : String(o.code);
    const params = o.params && typeof o.params === 'object' ? o.params : {};
    return {
      code: String(o.code),
      key,
      params,
      message: String(o.message),
      offset: typeof o.offset === 'number' ? o.offset : -1,
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return makeError('internal', { why: msg });
}

/** The text of an error in a language (the English message when the key is unknown). */
export function errorText(e: { message: string; key?: string; params?: Params }, lang: 'en' | 'zh'): string {
  if (lang !== 'zh' || !e.key || !e.params) return e.message;
  const m = messages()[e.key];
  if (!m) return e.message;
  const text = m.zh(e.params);
  return e.params.file !== undefined ? `${e.params.file}：${text}` : text;
}
