/**
 * App state (Zustand). The store owns the worker bridge; components read state and call
 * actions. Capture bytes never live here: only the report and small pages of rows.
 */
import { proxy } from 'comlink';
import { create } from 'zustand';
import type { Lang } from '../core/analysis/i18n';
import { makeError, type CoreError } from '../core/errors';
import type { Report } from '../core/report';
import { openingFinding, withFinding } from '../core/session/view';
import type { Progress } from '../core/pipeline';
import type { AnalyzeOk, CaptureSource, Fail, FilterResult } from '../../workers/api';
import { WorkerBridge } from './bridge';

export type Phase = 'idle' | 'loading' | 'done' | 'error';
export type Theme = 'light' | 'dark';

export interface ProgressState extends Progress {
  startedAt: number;
  names: string[];
}

export interface AppState {
  lang: Lang;
  theme: Theme;
  phase: Phase;
  progress: ProgressState | null;
  error: CoreError | null;
  notice: string | null;
  /** Files dropped beyond the two that are compared: named, not silently lost. */
  ignored: string[];
  reports: Record<Lang, Report> | null;
  names: string[];
  /** Index of the finding shown on the timeline. */
  finding: number;
  /** Capture whose packets are listed. */
  capture: number;
  /** Selected frame (1-based) in `capture`. */
  frame: number | null;
  filter: string;
  filterResult: FilterResult | null;
  rowCount: number;
  /** Bumped whenever the packet list must be re-fetched. */
  listVersion: number;
  /** Row to scroll the list to. */
  scrollTo: number | null;
  /**
   * Bumped when a frame is opened from outside the list (evidence, a timeline marker, a
   * finding): the list and the detail come into view and the line about `kind` is highlighted.
   */
  reveal: { seq: number; kind: string | null };
  /** Set when the result came from a permalink. */
  shared: AnalyzeOk['shared'] | null;
  /** A new app version waits (service worker); reload only when the user says so. */
  updateReady: (() => void) | null;
  open(sources: CaptureSource[]): Promise<void>;
  /** Fetch bundled samples (same origin, on the main thread: the worker has no network) and open them. */
  openSamples(samples: { url: string; name: string }[]): Promise<void>;
  openLink(value: string): Promise<void>;
  cancel(): void;
  reset(): void;
  setLang(l: Lang): void;
  setTheme(t: Theme): void;
  selectFinding(i: number): void;
  /**
   * Fetch finding `i`'s attempt lists from the worker when the page received it without them (a
   * flood's findings besides the one the timeline opens on: see `deferred` in session/view.ts).
   */
  loadFinding(i: number): Promise<void>;
  /** Select frame `n` of `capture`; `from` (the finding kind it is evidence of) also reveals it. */
  selectFrame(capture: number, n: number, from?: { kind: string | null }): Promise<void>;
  /** List another capture (its own filter, as the session holds it). */
  showCapture(capture: number): Promise<void>;
  applyFilter(expr: string): Promise<void>;
  /** Two captures located the wrong way round: swap their sides and diagnose again. */
  swapSides(): Promise<void>;
}

export const bridge = new WorkerBridge();

/** The user's choices of language and theme survive a reload (never the capture: it stays in memory). */
const PREFS = 'pcap-doctor:prefs';
function savedPrefs(): { lang?: Lang; theme?: Theme } {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(PREFS) ?? '{}') as { lang?: unknown; theme?: unknown };
    return {
      lang: v.lang === 'en' || v.lang === 'zh' ? v.lang : undefined,
      theme: v.theme === 'dark' || v.theme === 'light' ? v.theme : undefined,
    };
  } catch {
    return {};
  }
}
function savePrefs(p: { lang: Lang; theme: Theme }): void {
  try {
    globalThis.localStorage?.setItem(PREFS, JSON.stringify(p));
  } catch {
    /* private mode, storage full: the choice lasts for this visit only */
  }
}
const initialLang = (): Lang =>
  savedPrefs().lang ?? (typeof navigator !== 'undefined' && /^zh/i.test(navigator.language) ? 'zh' : 'en');
const initialTheme = (): Theme =>
  savedPrefs().theme ??
  (typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

let job = 0;
/** Deferred findings being fetched (one request each, however often they are picked). */
const loading = new WeakSet<object>();

type Setter = (partial: Partial<AppState> | ((s: AppState) => Partial<AppState>)) => void;

/** Run one analysis job; a newer job (or cancel) makes an older one's result irrelevant. */
async function run(
  set: Setter,
  get: () => AppState,
  names: string[],
  total: number,
  start: (onProgress: (p: Progress) => void) => Promise<AnalyzeOk | Fail>,
): Promise<void> {
  // Opening another file cancels the current one.
  if (get().phase === 'loading') bridge.cancel();
  const my = ++job;
  set({
    phase: 'loading',
    error: null,
    notice: null,
    ignored: [],
    reports: null,
    shared: null,
    names,
    frame: null,
    filter: '',
    filterResult: null,
    progress: { capture: 0, bytes: 0, total, packets: 0, startedAt: performance.now(), names },
  });
  let res: AnalyzeOk | Fail;
  try {
    res = await start((p) => {
      if (my === job) set((s) => ({ progress: s.progress ? { ...s.progress, ...p } : null }));
    });
  } catch (e) {
    if (my !== job) return;
    res = {
      ok: false,
      error: makeError('worker', { why: e instanceof Error ? e.message : String(e) }),
    };
  }
  if (my !== job) return;
  if (!res.ok) {
    set({ phase: 'error', error: res.error, progress: null });
    return;
  }
  const r = res.reports.en;
  set({
    phase: 'done',
    reports: res.reports,
    shared: res.shared ?? null,
    progress: null,
    finding: openingFinding(r),
    capture: r.diagnosis.evidenceCapture,
    rowCount: res.packets[r.diagnosis.evidenceCapture] ?? 0,
    listVersion: get().listVersion + 1,
  });
}

export const useApp = create<AppState>((set, get) => ({
  lang: initialLang(),
  theme: initialTheme(),
  phase: 'idle',
  progress: null,
  error: null,
  notice: null,
  ignored: [],
  reports: null,
  names: [],
  finding: -1,
  capture: 0,
  frame: null,
  filter: '',
  filterResult: null,
  rowCount: 0,
  listVersion: 0,
  scrollTo: null,
  reveal: { seq: 0, kind: null },
  shared: null,
  updateReady: null,

  async open(all) {
    // Two capture points are compared; a third file is named in a notice, not silently dropped.
    const sources = all.slice(0, 2);
    const ignored = all.slice(2).map((s) => (s.kind === 'file' ? s.file.name : s.name));
    const names = sources.map((s) => (s.kind === 'file' ? s.file.name : s.name));
    const total = sources[0]?.kind === 'file' ? sources[0].file.size : 0;
    const done = run(set, get, names, total, (onProgress) => bridge.analyze(sources, {}, onProgress));
    set({ ignored });
    await done;
  },

  async openSamples(samples) {
    const names = samples.map((x) => x.name);
    await run(set, get, names, 0, async (onProgress) => {
      const sources: CaptureSource[] = [];
      for (const x of samples) {
        const res = await fetch(x.url);
        if (!res.ok) return { ok: false, error: makeError('fetch', { url: x.url, status: res.status }) };
        sources.push({ kind: 'bytes', name: x.name, bytes: new Uint8Array(await res.arrayBuffer()) });
      }
      return bridge.analyze(sources, {}, onProgress);
    });
  },

  async openLink(value) {
    await run(set, get, ['shared link'], 0, (onProgress) => bridge.api.openShared(value, proxy(onProgress)));
  },

  cancel() {
    job++;
    bridge.cancel();
    set({ phase: 'idle', progress: null, notice: 'cancelled' });
  },

  reset() {
    job++;
    if (get().phase === 'loading') bridge.cancel();
    set({ phase: 'idle', progress: null, reports: null, error: null, notice: null, frame: null });
  },

  setLang(lang) {
    set({ lang });
    savePrefs({ lang, theme: get().theme });
  },

  setTheme(theme) {
    set({ theme });
    savePrefs({ lang: get().lang, theme });
  },

  selectFinding(finding) {
    set({ finding });
  },

  async loadFinding(i) {
    const r = get().reports;
    if (!r?.en.findings[i]?.deferred || loading.has(r.en.findings[i])) return;
    const asked = r.en.findings[i];
    loading.add(asked);
    try {
      const got = await bridge.api.finding(i);
      const now = get().reports;
      // A newer result (another file, swapped sides) replaced this one meanwhile: not ours.
      if (!got || !now || now.en.findings[i] !== asked) return;
      set({ reports: { en: withFinding(now.en, i, got.en), zh: withFinding(now.zh, i, got.zh) } });
    } finally {
      loading.delete(asked);
    }
  },

  async selectFrame(capture, n, from) {
    // The session owns the filter of every capture: ask it where the frame is (it clears a
    // filter that hides the frame) and show exactly what it holds.
    const at = await bridge.api.select(capture, n);
    if (!at) return;
    const s = get();
    const changed = capture !== s.capture || at.cleared || at.filter !== s.filter || at.count !== s.rowCount;
    set({
      capture,
      frame: n,
      scrollTo: at.row,
      ...(from ? { reveal: { seq: s.reveal.seq + 1, kind: from.kind } } : {}),
      filter: at.filter,
      rowCount: at.count,
      ...(changed ? { filterResult: null, listVersion: s.listVersion + 1 } : {}),
    });
  },

  async swapSides() {
    const res = await bridge.api.swapSides();
    if (res) set({ reports: res.reports, shared: res.shared ?? null, finding: 0 });
  },

  async showCapture(capture) {
    const v = await bridge.api.view(capture);
    set({ capture, frame: null, filter: v.filter, rowCount: v.count, filterResult: null, listVersion: get().listVersion + 1 });
  },

  async applyFilter(expr) {
    const { capture } = get();
    const res = await bridge.api.filter(capture, expr);
    if (!res.ok) {
      set({ filterResult: res });
      return;
    }
    set({ filter: res.filter, filterResult: res, rowCount: res.count, listVersion: get().listVersion + 1 });
  },
}));

/** The report in the current language. */
export function useReport(): Report | null {
  return useApp((s) => (s.reports ? s.reports[s.lang] : null));
}
