/**
 * connection-refused: the SYN was answered by a RST (nothing listens there) or by an ICMP
 * unreachable (a reject rule, a NetworkPolicy, or a host that is not there). The packets arrived:
 * the network works, the service or a rule refuses.
 */
import { fmtS, icmpName, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { pick } from './common';

declare module '../../../report' {
  interface CauseMap {
    'connection-refused': true;
  }
}

const T: Text<{
  rst(c: string, s: string, n: number, delay: number, more: number): string;
  icmp(c: string, s: string, n: number, delay: number, by: string, what: string, admin: boolean, more: number): string;
  listen(port: string): string;
  endpoints: string;
  policy: string;
  reject: string;
  fixListen: string;
  fixPolicy: string;
}> = {
  en: {
    rst: (c, s, n, delay, more) =>
      `The connection from ${c} to ${s} was refused: ${n > 1 ? `after ${n} SYN attempts ` : ''}the server's end answered with a RST ${fmtS(delay)} s after the first SYN. The packets arrived; nothing listens on that port there (the pod is not ready or listens elsewhere), or a firewall rejects with a TCP reset.${more ? ` ${more} other connection${more === 1 ? ' was' : 's were'} refused the same way.` : ''}`,
    icmp: (c, s, n, delay, by, what, admin, more) =>
      `The connection from ${c} to ${s} was refused: ${n > 1 ? `after ${n} SYN attempts ` : ''}${by} answered with ICMP ${what} ${fmtS(delay)} s after the first SYN. ${admin ? 'A firewall or NetworkPolicy rejects it (a reject rule, not a silent drop).' : 'The packets reached that host, which refused them.'}${more ? ` ${more} other connection${more === 1 ? ' was' : 's were'} refused the same way.` : ''}`,
    listen: (port) => `In the server pod, \`ss -ltnp\`: is anything listening on port ${port}, on the right address?`,
    endpoints: 'For a Service, `kubectl get endpoints SERVICE`: does it list ready pods, with the right targetPort?',
    policy:
      'List the policies that select the server pod: `kubectl get networkpolicy -A`, and reject rules on the nodes: `iptables-save | grep -i reject` or `nft list ruleset | grep reject`.',
    reject:
      'Find the rule that rejects: `iptables-save | grep -i reject`, `nft list ruleset | grep reject`, and the NetworkPolicies of the server pod.',
    fixListen:
      'Make the service listen where it is addressed: start or fix the pod (readiness), or correct the Service targetPort / container port.',
    fixPolicy: 'Allow the traffic: an ingress rule in the NetworkPolicy for this client and port, or remove the reject rule.',
  },
  zh: {
    rst: (c, s, n, delay, more) =>
      `${c} 到 ${s} 的连接被拒绝：${n > 1 ? `在 ${n} 次 SYN 尝试之后，` : ''}服务端在首个 SYN 之后 ${fmtS(delay)} 秒以 RST 作答。报文已经到达；那里没有进程监听该端口（Pod 未就绪或监听在别处），或防火墙以 TCP reset 拒绝。${more ? `另有 ${more} 个连接以同样方式被拒绝。` : ''}`,
    icmp: (c, s, n, delay, by, what, admin, more) =>
      `${c} 到 ${s} 的连接被拒绝：${n > 1 ? `在 ${n} 次 SYN 尝试之后，` : ''}${by} 在首个 SYN 之后 ${fmtS(delay)} 秒以 ICMP ${what} 作答。${admin ? '是防火墙或 NetworkPolicy 拒绝了它（reject 规则，而不是静默丢弃）。' : '报文已经到达该主机，并被拒绝。'}${more ? `另有 ${more} 个连接以同样方式被拒绝。` : ''}`,
    listen: (port) => `在服务端 Pod 中执行 \`ss -ltnp\`：端口 ${port} 上是否有进程在监听、地址是否正确？`,
    endpoints: '若是 Service，执行 `kubectl get endpoints SERVICE`：是否列出就绪的 Pod，targetPort 是否正确？',
    policy:
      '列出选中服务端 Pod 的策略：`kubectl get networkpolicy -A`，以及节点上的 reject 规则：`iptables-save | grep -i reject` 或 `nft list ruleset | grep reject`。',
    reject:
      '找出执行拒绝的规则：`iptables-save | grep -i reject`、`nft list ruleset | grep reject`，以及服务端 Pod 的 NetworkPolicy。',
    fixListen: '让服务在被访问的地址上监听：启动或修复 Pod（就绪探针），或更正 Service 的 targetPort / 容器端口。',
    fixPolicy: '放行该流量：在 NetworkPolicy 中为该客户端和端口添加 ingress 规则，或删除 reject 规则。',
  },
};

export const CONNECTION_REFUSED_CAUSE: CauseRule = {
  cause: 'connection-refused',
  wire: 4,
  diagnose(ctx) {
    const all = pick(ctx, 'connection-refused', (x) => -x.delaySec);
    const f = all[0];
    if (!f) return null;
    const L = T[ctx.lang];
    const more = new Set(all.filter((x) => x.capture === f.capture && x !== f).map((x) => `${x.client}>${x.server}`)).size;
    const port = f.server.replace(/^.*:/, '');
    const admin = f.answer === 'icmp-admin-prohibited';
    return {
      ...ctx.base,
      cause: 'connection-refused',
      confidence: 'high',
      summary:
        f.answer === 'rst'
          ? L.rst(f.client, f.server, f.attempts, f.delaySec, more)
          : L.icmp(
              f.client,
              f.server,
              f.attempts,
              f.delaySec,
              f.answeredBy,
              icmpName(ctx.lang, f.icmp!.type, f.icmp!.code, f.answeredBy.includes(':')),
              admin,
              more,
            ),
      evidence: f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      confirm: admin ? [L.reject] : [L.listen(port), L.endpoints, L.policy],
      remedies: admin ? [L.fixPolicy] : [L.fixListen, L.fixPolicy],
    };
  },
};
