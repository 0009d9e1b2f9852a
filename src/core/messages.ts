/**
 * Every error and notice text of the core, in English and Simplified Chinese, by key. Each area
 * keeps its own table beside its code; this module only merges them (and checks that no key is
 * defined twice), so `makeError` and `errorText` can serve them all.
 */
import { CAPTURE_MESSAGES } from './capture/messages';
import { FILTER_MESSAGES } from './filter/messages';
import { LINK_MESSAGES } from './share/messages';

export type Params = Record<string, string | number>;
export type Template = { en: (p: Params) => string; zh: (p: Params) => string };

/** Errors of the app itself, not of a capture, a filter or a link. */
const APP_MESSAGES: Record<string, Template> = {
  internal: { en: (p) => `internal error: ${p.why}`, zh: (p) => `内部错误：${p.why}` },
  worker: {
    en: (p) => `the analysis stopped unexpectedly: ${p.why}`,
    zh: (p) => `分析意外中止：${p.why}`,
  },
  fetch: { en: (p) => `cannot load ${p.url}: HTTP ${p.status}`, zh: (p) => `无法加载 ${p.url}：HTTP ${p.status}` },
  'no-capture': { en: () => 'no capture is loaded', zh: () => '尚未加载抓包文件' },
  'too-many-files': {
    en: (p) => `${p.n} files were dropped; only the first two are analysed (${p.ignored} ignored)`,
    zh: (p) => `拖入了 ${p.n} 个文件；只分析前两个（忽略 ${p.ignored}）`,
  },
};

function merge(...tables: Record<string, Template>[]): Record<string, Template> {
  const out: Record<string, Template> = {};
  for (const t of tables)
    for (const [k, v] of Object.entries(t)) {
      if (out[k]) throw new Error(`message key ${k} is defined twice`);
      out[k] = v;
    }
  return out;
}

let all: Record<string, Template> | null = null;

/** All message templates (merged on first use: the tables' modules import errors.ts too). */
export function messages(): Record<string, Template> {
  return (all ??= merge(APP_MESSAGES, CAPTURE_MESSAGES, FILTER_MESSAGES, LINK_MESSAGES));
}
