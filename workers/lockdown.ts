/**
 * Network lockdown for the analysis worker, which holds every packet: imported first by
 * analysis.worker.ts, it removes every API that can make a request from the worker's global scope
 * before any other module runs, so even code running in the worker cannot reach the network.
 * Defence in depth behind the Content-Security-Policy header (connect-src 'self') that the server
 * sends with the worker script; what is gone here is gone whatever the host sends.
 *
 * Removed for good: the worker has no other realm (no iframe, and nested workers are removed too)
 * to fetch fresh copies from. Kept: Request, Response, Headers and Blob (plain data, no I/O),
 * postMessage/MessageChannel (Comlink), and dynamic import(), which is syntax and is held to
 * script-src 'self' by the worker's policy.
 */

/** Global names that can start a request, or a context that could (nested workers). */
export const NETWORK_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'WebTransport',
  'importScripts',
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  // A nested worker gets a fresh global scope with fetch and friends.
  'Worker',
  'SharedWorker',
  // CacheStorage: cache.add(url) / addAll(urls) fetch.
  'caches',
  // new FontFace(name, 'url(...)').load() and self.fonts load fonts from URLs.
  'FontFace',
  'fonts',
] as const;

/** Navigator members that can make a request (sendBeacon is Window-only today; belt and braces). */
export const NETWORK_NAVIGATOR = ['sendBeacon', 'serviceWorker'] as const;

export interface LockdownResult {
  /** Names (navigator.* for navigator members) that were present and are now gone. */
  removed: string[];
  /** Names still reachable afterwards (none in any browser: IDL members are configurable). */
  failed: string[];
}

/**
 * Make `name` unreachable through `target`: delete it from the object and from every prototype
 * that owns it (IDL operations and attributes may live on either), and if something still answers
 * (a non-configurable property), shadow it with an own `undefined`. Returns whether it was
 * present, and whether it is gone.
 */
function erase(target: object, name: string): { present: boolean; gone: boolean } {
  if (!(name in target)) return { present: false, gone: true };
  for (let o: object | null = target; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, name)) {
      try {
        delete (o as Record<string, unknown>)[name];
      } catch {
        // non-configurable in strict mode: shadowed below
      }
    }
  }
  if (name in target && (target as Record<string, unknown>)[name] !== undefined) {
    try {
      Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false, enumerable: false });
    } catch {
      try {
        (target as Record<string, unknown>)[name] = undefined;
      } catch {
        // reported as failed
      }
    }
  }
  let still: unknown;
  try {
    still = (target as Record<string, unknown>)[name];
  } catch {
    still = undefined; // a getter that throws cannot be used either
  }
  return { present: true, gone: still === undefined };
}

/** Remove the network APIs from `scope` (the worker's global object, or a fake one in tests). */
export function lockdown(scope: object): LockdownResult {
  const removed: string[] = [];
  const failed: string[] = [];
  const note = (label: string, r: { present: boolean; gone: boolean }) => {
    if (!r.present) return;
    (r.gone ? removed : failed).push(label);
  };
  // Navigator members first: `navigator` itself stays (userAgent, hardwareConcurrency, locks).
  const nav = (scope as { navigator?: unknown }).navigator;
  if (nav && typeof nav === 'object') for (const n of NETWORK_NAVIGATOR) note(`navigator.${n}`, erase(nav, n));
  for (const n of NETWORK_GLOBALS) note(n, erase(scope, n));
  return { removed, failed };
}

/** True in a real worker (dedicated, shared or service), false in Node, jsdom or a window. */
export function isWorkerScope(scope: object): boolean {
  const WGS = (scope as { WorkerGlobalScope?: unknown }).WorkerGlobalScope;
  return typeof WGS === 'function' && scope instanceof (WGS as new () => object);
}

// The side effect, in a worker only: importing this module in Node (tests) or on the page leaves
// the host alone. Fail closed: a worker that kept a network API must not receive packets.
if (isWorkerScope(globalThis)) {
  const r = lockdown(globalThis);
  if (r.failed.length) throw new Error(`pcap-doctor: could not remove network APIs from the worker: ${r.failed.join(', ')}`);
}
