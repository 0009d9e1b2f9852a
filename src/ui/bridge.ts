/**
 * Worker bridge (after squoosh's): one worker, started when the page is idle, one job at a time;
 * cancelling terminates the worker and starts the next one while the user picks another file.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { AnalysisApi, CaptureSource } from '../../workers/api';
import type { Progress } from '../core/pipeline';
import AnalysisWorker from '../../workers/analysis.worker?worker';

/** Run `f` when the page is idle (soon at the latest). */
const whenIdle = (f: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 1000 });
  else setTimeout(f, 200);
};

export class WorkerBridge {
  private worker: Worker | null = null;
  private remote: Remote<AnalysisApi> | null = null;
  /** Rejects the call in progress when the worker dies (fails to load, runs out of memory). */
  private died: ((e: Error) => void) | null = null;

  /** @param make starts a worker (tests pass a fake one). */
  constructor(
    private readonly make: () => Worker = () => new AnalysisWorker({ name: 'pcap-doctor analysis' }),
    private readonly idle: (f: () => void) => void = whenIdle,
  ) {}

  /** The live API, starting a worker if none runs. */
  get api(): Remote<AnalysisApi> {
    if (!this.remote) {
      this.worker = this.make();
      // A worker that throws at start-up (or later, outside a call) would leave Comlink waiting
      // forever: turn it into an error the page shows.
      this.worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.died?.(new Error(e.message || 'the analysis worker stopped'));
        // Not started again at once: a worker that cannot load would fail in a loop. The next
        // analysis starts one.
        this.stop();
      });
      this.remote = wrap<AnalysisApi>(this.worker);
    }
    return this.remote;
  }

  analyze(sources: CaptureSource[], opts: { vxlanPorts?: number[] }, onProgress: (p: Progress) => void) {
    const api = this.api;
    const dead = new Promise<never>((_, reject) => (this.died = reject));
    return Promise.race([api.analyze(sources, opts, proxy(onProgress)), dead]).finally(() => (this.died = null));
  }

  /**
   * Abort whatever runs by terminating the worker (its packets go with it), and start the next
   * one when the page is idle: loading and compiling the worker's code is then done before the
   * next file is dropped, not after.
   */
  cancel(): void {
    this.stop();
    this.idle(() => void this.api);
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
