import { describe, expect, it, vi } from 'vitest';

// The real worker module is Vite's (`?worker`): the bridge is given fake workers instead.
vi.mock('../../workers/analysis.worker?worker', () => ({ default: class {} }));
const { WorkerBridge } = await import('./bridge');

/** A stand-in Worker: records termination, can fail as a worker that cannot load does. */
class FakeWorker extends EventTarget {
  terminated = false;
  terminate(): void {
    this.terminated = true;
  }
  postMessage(): void {}
  fail(): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'cannot load' }));
  }
}

function setup() {
  const made: FakeWorker[] = [];
  const idle: (() => void)[] = [];
  const bridge = new WorkerBridge(
    () => {
      const w = new FakeWorker();
      made.push(w);
      return w as unknown as Worker;
    },
    (f) => idle.push(f),
  );
  return { bridge, made, idle };
}

describe('WorkerBridge', () => {
  it('starts one worker and keeps it', () => {
    const { bridge, made } = setup();
    expect(bridge.api).toBe(bridge.api);
    expect(made).toHaveLength(1);
  });

  it('cancel terminates the worker and starts the next one when the page is idle', () => {
    const { bridge, made, idle } = setup();
    void bridge.api;
    bridge.cancel();
    expect(made[0]!.terminated).toBe(true);
    expect(made).toHaveLength(1);
    expect(idle).toHaveLength(1);
    idle[0]!();
    expect(made).toHaveLength(2);
    expect(made[1]!.terminated).toBe(false);
    // The next analysis uses the worker already started, not a third one.
    void bridge.api;
    expect(made).toHaveLength(2);
  });

  it('an analysis started before the page is idle gets a worker; the idle start then adds none', () => {
    const { bridge, made, idle } = setup();
    void bridge.api;
    bridge.cancel();
    void bridge.api;
    idle[0]!();
    expect(made).toHaveLength(2);
  });

  it('a worker that fails is not started again in a loop (the next call starts one)', () => {
    const { bridge, made, idle } = setup();
    void bridge.api;
    made[0]!.fail();
    expect(made[0]!.terminated).toBe(true);
    expect(idle).toHaveLength(0);
    expect(made).toHaveLength(1);
    void bridge.api;
    expect(made).toHaveLength(2);
  });
});
