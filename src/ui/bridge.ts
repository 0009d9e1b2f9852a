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

  /** The live API, starting a worker if none runs. */
  get api(): Remote<AnalysisApi> {
    if (!this.remote) {
      this.worker = new AnalysisWorker({ name: 'pcap-doctor analysis' });
      this.remote = wrap<AnalysisApi>(this.worker);
    }
    return this.remote;
  }

  analyze(sources: CaptureSource[], opts: { vxlanPorts?: number[] }, onProgress: (p: Progress) => void) {
    return this.api.analyze(sources, opts, proxy(onProgress));
  }

  /** Abort whatever runs by terminating the worker (its packets go with it). */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
