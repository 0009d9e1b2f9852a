/**
 * Worker bridge (after squoosh's): one lazily started worker, one job at a time; cancelling
 * terminates the worker, and the next call starts a fresh one.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { AnalysisApi, CaptureSource } from '../../workers/api';
import type { Progress } from '../core/pipeline';
import AnalysisWorker from '../../workers/analysis.worker?worker';

export class WorkerBridge {
  private worker: Worker | null = null;
  private remote: Remote<AnalysisApi> | null = null;
  /** Rejects the call in progress when the worker dies (fails to load, runs out of memory). */
  private died: ((e: Error) => void) | null = null;

  /** The live API, starting a worker if none runs. */
  get api(): Remote<AnalysisApi> {
    if (!this.remote) {
      this.worker = new AnalysisWorker({ name: 'pcap-doctor analysis' });
      // A worker that throws at start-up (or later, outside a call) would leave Comlink waiting
      // forever: turn it into an error the page shows.
      this.worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.died?.(new Error(e.message || 'the analysis worker stopped'));
        this.cancel();
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

  /** Abort whatever runs by terminating the worker (its packets go with it). */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
