/**
 * The worker's network lockdown against fake global objects shaped like a browser's (IDL members
 * on the instance and on prototypes, a navigator with members on its prototype), and as a side
 * effect in a fake worker realm (node:vm), never in Node's own global scope.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { NETWORK_GLOBALS, NETWORK_NAVIGATOR, isWorkerScope, lockdown } from './lockdown';

const noop = () => undefined;

/** A fake DedicatedWorkerGlobalScope: operations on the prototype chain, constructors own. */
function fakeWorkerScope() {
  class EventTargetLike {
    addEventListener = noop;
  }
  class WorkerGlobalScope extends EventTargetLike {}
  class DedicatedWorkerGlobalScope extends WorkerGlobalScope {}
  Object.assign(WorkerGlobalScope.prototype, { importScripts: noop, fetch: noop });
  Object.defineProperty(WorkerGlobalScope.prototype, 'fonts', { get: () => ({ add: noop }), configurable: true });
  Object.defineProperty(WorkerGlobalScope.prototype, 'caches', { get: () => ({ open: noop }), configurable: true });
  Object.assign(DedicatedWorkerGlobalScope.prototype, { postMessage: noop });
  class WorkerNavigator {}
  Object.assign(WorkerNavigator.prototype, { sendBeacon: noop });
  Object.defineProperty(WorkerNavigator.prototype, 'userAgent', { get: () => 'fake', configurable: true });
  const scope = new DedicatedWorkerGlobalScope() as unknown as Record<string, unknown>;
  Object.assign(scope, {
    WorkerGlobalScope,
    XMLHttpRequest: class {},
    WebSocket: class {},
    EventSource: class {},
    WebTransport: class {},
    Worker: class {},
    FontFace: class {},
    Request: class {},
    Response: class {},
    Blob: class {},
    MessageChannel: class {},
    navigator: new WorkerNavigator(),
    fetch: noop, // also own, as some engines put [Global] operations on the instance
  });
  return scope;
}

describe('lockdown', () => {
  it('removes every network API, own or inherited, and nothing else', () => {
    const scope = fakeWorkerScope();
    const r = lockdown(scope);
    expect(r.failed).toEqual([]);
    expect(r.removed.sort()).toEqual(
      [
        'fetch',
        'XMLHttpRequest',
        'WebSocket',
        'EventSource',
        'WebTransport',
        'importScripts',
        'Worker',
        'caches',
        'FontFace',
        'fonts',
        'navigator.sendBeacon',
      ].sort(),
    );
    for (const n of NETWORK_GLOBALS) {
      expect(typeof scope[n], n).toBe('undefined');
      expect(n in scope, n).toBe(false);
    }
    const nav = scope.navigator as Record<string, unknown>;
    for (const n of NETWORK_NAVIGATOR) expect(typeof nav[n], n).toBe('undefined');
    // What the worker needs stays: Comlink's messaging, plain data types, the navigator itself.
    for (const n of ['postMessage', 'addEventListener', 'MessageChannel', 'Request', 'Response', 'Blob'])
      expect(typeof scope[n], n).toBe('function');
    expect(nav.userAgent).toBe('fake');
  });

  it('shadows what cannot be deleted, and reports what it cannot remove at all', () => {
    const scope = fakeWorkerScope();
    Object.defineProperty(scope, 'WebSocket', { value: class {}, writable: true, configurable: false });
    Object.defineProperty(scope, 'EventSource', { value: class {}, writable: false, configurable: false });
    const r = lockdown(scope);
    expect(typeof scope.WebSocket).toBe('undefined'); // non-configurable but writable: overwritten
    expect(r.removed).toContain('WebSocket');
    expect(r.failed).toEqual(['EventSource']); // frozen: cannot be removed, and says so
  });

  it('is idempotent and leaves an empty scope alone', () => {
    const scope = fakeWorkerScope();
    lockdown(scope);
    expect(lockdown(scope)).toEqual({ removed: [], failed: [] });
    expect(lockdown({})).toEqual({ removed: [], failed: [] });
    expect(lockdown({ navigator: 'not an object' })).toEqual({ removed: [], failed: [] });
  });

  it('recognises a worker scope, and not Node', () => {
    expect(isWorkerScope(fakeWorkerScope())).toBe(true);
    expect(isWorkerScope(globalThis)).toBe(false);
    expect(isWorkerScope({})).toBe(false);
  });

  it('importing it in Node leaves the host alone', () => {
    // The module is imported above; Node's own network APIs must still be there.
    expect(typeof globalThis.fetch).toBe('function');
    expect(typeof globalThis.WebSocket === 'function' || typeof globalThis.WebSocket === 'undefined').toBe(true);
  });
});

describe('the side effect in a fake worker realm', () => {
  const src = readFileSync(fileURLToPath(new URL('./lockdown.ts', import.meta.url)), 'utf8');
  const script = transformSync(src, { loader: 'ts', format: 'iife', target: 'es2022' }).code;

  /** A fresh realm whose global object is an instance of WorkerGlobalScope, with network APIs. */
  function realm(extra = '') {
    const ctx = vm.createContext({});
    vm.runInContext(
      `function WorkerGlobalScope() {}
       Object.setPrototypeOf(WorkerGlobalScope.prototype, Object.getPrototypeOf(globalThis));
       Object.setPrototypeOf(globalThis, WorkerGlobalScope.prototype);
       WorkerGlobalScope.prototype.importScripts = function () {};
       globalThis.WorkerGlobalScope = WorkerGlobalScope;
       globalThis.fetch = function () { globalThis.reached = true; };
       globalThis.WebSocket = function () { globalThis.reached = true; };
       globalThis.XMLHttpRequest = function () {};
       globalThis.navigator = { sendBeacon() {}, userAgent: 'fake' };
       ${extra}`,
      ctx,
    );
    return ctx;
  }

  it('runs on import: the network APIs are gone before the next module', () => {
    const ctx = realm();
    expect(vm.runInContext('globalThis instanceof WorkerGlobalScope', ctx)).toBe(true);
    vm.runInContext(script, ctx);
    expect(
      vm.runInContext(
        `[typeof fetch, typeof WebSocket, typeof XMLHttpRequest, typeof importScripts, typeof navigator.sendBeacon]`,
        ctx,
      ),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(vm.runInContext('navigator.userAgent', ctx)).toBe('fake');
    expect(() => vm.runInContext('fetch("http://127.0.0.1:9/")', ctx)).toThrow(/fetch is not defined/);
    expect(vm.runInContext('globalThis.reached', ctx)).toBeUndefined();
  });

  it('fails closed: a worker that keeps a network API throws before any packet arrives', () => {
    const ctx = realm(
      `Object.defineProperty(globalThis, 'EventSource', { value: function () {}, writable: false, configurable: false });`,
    );
    expect(() => vm.runInContext(script, ctx)).toThrow(/could not remove network APIs from the worker: EventSource/);
  });

  it('does nothing in a realm that is not a worker', () => {
    const ctx = vm.createContext({ fetch: noop });
    vm.runInContext(script, ctx);
    expect(vm.runInContext('typeof fetch', ctx)).toBe('function');
  });
});
