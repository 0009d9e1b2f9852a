/**
 * The session's two reports, English and Chinese, differ only in their words: the attempt lists,
 * frame numbers and offsets of every finding are the same numbers, built twice (once per
 * `finish(lang)`). On a big capture those arrays are most of a report (6.8 MB of JSON per
 * language at 1 GiB: 26,880 attempts), and the structured clone that carries both reports to the
 * page was the longest main-thread task of the result (96 ms). A structured clone keeps shared
 * references shared: pointing the second report at the first's arrays sends them once.
 */
import type { Lang } from '../analysis/i18n';
import type { Report } from '../report';

/** Both reports, with the second's language-free finding arrays replaced by the first's. */
export function bilingual(en: Report, zh: Report): Record<Lang, Report> {
  const n = Math.min(en.findings.length, zh.findings.length);
  for (let i = 0; i < n; i++) {
    const a = en.findings[i] as unknown as Record<string, unknown>;
    const b = zh.findings[i] as unknown as Record<string, unknown>;
    if (a.kind !== b.kind) continue;
    for (const key of Object.keys(b)) {
      const x = a[key];
      const y = b[key];
      if (x !== y && Array.isArray(x) && Array.isArray(y) && sameFlat(x, y)) b[key] = x;
    }
  }
  return { en, zh };
}

/**
 * Element by element, equal as primitives or as flat objects of primitives (an attempt). Any
 * string is compared too, so an array holding words of either language is never shared.
 */
function sameFlat(x: readonly unknown[], y: readonly unknown[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i];
    const q = y[i];
    if (p === q) continue;
    if (typeof p !== 'object' || typeof q !== 'object' || p === null || q === null || Array.isArray(p) || Array.isArray(q))
      return false;
    const pk = Object.keys(p);
    if (pk.length !== Object.keys(q).length) return false;
    for (const k of pk) {
      const v = (p as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) return false;
      if (v !== (q as Record<string, unknown>)[k]) return false;
    }
  }
  return true;
}
