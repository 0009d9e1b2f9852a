/**
 * Where the capture points are, from the traffic alone (never from file names or their order).
 *
 * One capture: which end of the conversations it is closer to.
 *   - TTL: a host's own packets leave with an initial TTL (64, 128, 255); packets that crossed a
 *     router arrive lower. The client's packets at their initial TTL and the server's lower: the
 *     capture is on the client's host (and the reverse). The outer (tunnel) header tells the
 *     same for the nodes of an overlay, where inner TTLs are often untouched.
 *   - Handshake timing: on the client's host the SYN-ACK comes a round trip after the SYN and the
 *     ACK follows at once; on the server's host the SYN-ACK follows the SYN at once and the ACK
 *     comes a round trip later. Used only when one gap is several times the other.
 *
 * Two captures (domain.md, "in either order"): for a request seen at both points A and B and its
 * answer seen at both, D = (tB(req) - tA(req)) + (tA(ans) - tB(ans)) is the sum of the one-way
 * delays between the points when A is on the client side and its negative otherwise; clock
 * offsets cancel. An answer seen at one point only was sent past the server-side point and lost
 * before the other. Tunnel headers say outside or inside the tunnel.
 */
import type { Trackers } from './trackers';

export type Side = 'client' | 'server' | 'unknown';
export type TunnelPos = 'outer' | 'inner' | 'none';

export interface Points {
  sides: Side[];
  tunnels: TunnelPos[];
  /** Two captures: the index of the one closer to the client, -1 when unknown or one capture. */
  upstream: number;
  /** Both captures on the same end (e.g. flannel.1 and eth0 of the sending node). */
  sameHost: boolean;
}

const INITIAL_TTL = new Set([64, 128, 255, 32, 30, 60]);

/** -1 server side, +1 client side, 0 no evidence: from a pair of TTLs (client's, server's). */
function ttlVote(client: number, server: number): number {
  if (client < 0 || server < 0) return 0;
  const ci = INITIAL_TTL.has(client);
  const si = INITIAL_TTL.has(server);
  return ci && !si ? 1 : si && !ci ? -1 : 0;
}

/** Votes of one capture: positive means the client's end. */
function singleVotes(t: Trackers): { ttl: number; timing: number } {
  let ttl = 0;
  let timing = 0;
  for (const s of t.tcp.connections(true)) {
    if (!s.sawSyn) continue;
    let v = ttlVote(s.c2s.outerTtl, s.s2c.outerTtl) || ttlVote(s.c2s.ttl, s.s2c.ttl);
    // Refused by an ICMP error and nothing else came back: the error's TTL stands for the
    // server's (it comes from the server's host or a router on the way).
    const e = s.icmp[0];
    if (!v && e && s.s2c.ttl < 0) v = ttlVote(s.c2s.outerTtl, e.outerTtl) || ttlVote(s.c2s.ttl, e.ttl);
    ttl += v;
    const a = s.synAckDelay;
    const b = s.ackDelay;
    if (a > 0 && b > 0) timing += a >= 4 * b ? 1 : b >= 4 * a ? -1 : 0;
  }
  for (const g of t.dns.groups.values()) ttl += ttlVote(g.outerTtl[0], g.outerTtl[1]) || ttlVote(g.ttl[0], g.ttl[1]);
  return { ttl, timing };
}

function sideOf(v: { ttl: number; timing: number }): Side {
  const x = v.ttl !== 0 ? v.ttl : v.timing;
  return x > 0 ? 'client' : x < 0 ? 'server' : 'unknown';
}

/** Is traffic of this capture tunnelled (tunnel headers around the conversations)? */
function tunnelled(t: Trackers): boolean {
  for (const s of t.tcp.connections(true)) if (s.c2s.outerTtl >= 0 || s.s2c.outerTtl >= 0) return true;
  for (const g of t.dns.groups.values()) if (g.outerTtl[0] >= 0 || g.outerTtl[1] >= 0) return true;
  return false;
}

/** Request/answer signature pairs of one capture. */
function pairs(t: Trackers): [number, number][] {
  const out: [number, number][] = [];
  for (const h of t.tcp.allHandshakes()) {
    const acks = h.synacks.list;
    const syns = h.attempts.list;
    const ans = acks[0] ?? (h.rst ? { ts: h.rst.ts, sig: h.rst.sig } : (h.icmp[0] ?? null));
    if (!ans) continue;
    let req = syns[0];
    for (const x of syns) if (x.ts <= ans.ts) req = x;
    if (req) out.push([req.sig, ans.sig]);
    for (const a of acks.slice(1, 8)) {
      let r = syns[0]!;
      for (const x of syns) if (x.ts <= a.ts) r = x;
      out.push([r.sig, a.sig]);
    }
    if (out.length > 2000) break;
  }
  for (const g of t.dns.groups.values()) {
    for (const [, a] of g.answers) {
      const q = g.queries.list.filter((x) => x.ts <= a.ts).pop();
      if (q) out.push([q.sig, a.sig]);
    }
    if (out.length > 4000) break;
  }
  return out;
}

/** +1 when capture a is upstream (client side) of b, -1 when downstream, 0 when unknown. */
function order(a: Trackers, b: Trackers): number {
  const ds: number[] = [];
  let oneSided = 0;
  for (const [rq, an] of pairs(a)) {
    const tAr = a.sigs.ts.get(rq);
    const tBr = b.sigs.ts.get(rq);
    const tAa = a.sigs.ts.get(an);
    const tBa = b.sigs.ts.get(an);
    if (tAr === undefined || tBr === undefined || tAa === undefined) continue;
    if (tBa === undefined) {
      // The answer passed A and never reached B: A is on the server side of B.
      oneSided--;
      continue;
    }
    ds.push(tBr - tAr + (tAa - tBa));
  }
  for (const [rq, an] of pairs(b)) {
    if (a.sigs.ts.has(rq) && b.sigs.ts.has(an) && !a.sigs.ts.has(an)) oneSided++;
  }
  if (ds.length) {
    ds.sort((x, y) => x - y);
    const med = ds[ds.length >> 1]!;
    if (med > 0) return 1;
    if (med < 0) return -1;
  }
  return Math.sign(oneSided);
}

/** Locate one or two capture points. */
export function locate(trackers: Trackers[], overlap: number): Points {
  const votes = trackers.map(singleVotes);
  const sides = votes.map(sideOf);
  const tunnels: TunnelPos[] = trackers.map((t) => (tunnelled(t) ? 'outer' : 'none'));
  if (trackers.length !== 2 || overlap <= 0) return { sides, tunnels, upstream: -1, sameHost: false };
  const [a, b] = trackers as [Trackers, Trackers];
  const o = order(a, b);
  const upstream =
    o > 0
      ? 0
      : o < 0
        ? 1
        : sides[0] === 'client' && sides[1] !== 'client'
          ? 0
          : sides[1] === 'client' && sides[0] !== 'client'
            ? 1
            : -1;
  // One point inside the tunnel of the other: the same transmissions, without tunnel headers.
  for (const i of [0, 1]) if (tunnels[i] === 'none' && tunnels[1 - i] === 'outer') tunnels[i] = 'inner';
  const sameHost = sides[0] !== 'unknown' && sides[0] === sides[1];
  if (upstream >= 0 && !sameHost) {
    // Fill in what a single point could not tell from where its partner is.
    const up = upstream;
    const down = 1 - upstream;
    if (sides[up] === 'unknown' && sides[down] === 'unknown') {
      sides[up] = 'client';
      sides[down] = 'server';
    } else if (sides[up] === 'unknown') sides[up] = 'client';
    else if (sides[down] === 'unknown') sides[down] = 'server';
  }
  return { sides, tunnels, upstream, sameHost: sides[0] !== 'unknown' && sides[0] === sides[1] };
}
