/**
 * The landing page's "How to capture" panel (issue 11): per CNI, which points to capture, the
 * exact tcpdump commands (each with a copy button), how long to run them, and which counters to
 * note on the receiver before and after. All of its strings live here, in English and Chinese.
 */
import { Fragment, useEffect, useId, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import type { Lang } from '../core/analysis/i18n';
import { useApp } from './store';
import './howto.css';

type CniId = 'flannel' | 'calico' | 'cilium' | 'geneve' | 'plain';

interface Device {
  /** Interface name on the node. */
  dev: string;
  /** Used in the pcap file name. */
  file: string;
  /** Who creates it, when a tab covers several CNIs. */
  who?: string;
}

interface Cni {
  id: CniId;
  /** UDP ports of the tunnel (empty: no overlay). */
  ports: number[];
  /** Overlay devices on the node (empty: no overlay). */
  devices: Device[];
}

const CNIS: readonly Cni[] = [
  { id: 'flannel', ports: [8472], devices: [{ dev: 'flannel.1', file: 'flannel1' }] },
  { id: 'calico', ports: [4789], devices: [{ dev: 'vxlan.calico', file: 'vxlan-calico' }] },
  { id: 'cilium', ports: [8472, 4789], devices: [{ dev: 'cilium_vxlan', file: 'cilium-vxlan' }] },
  {
    id: 'geneve',
    ports: [6081],
    devices: [
      { dev: 'cilium_geneve', file: 'cilium-geneve', who: 'Cilium' },
      { dev: 'genev_sys_6081', file: 'genev-sys-6081', who: 'OVN-Kubernetes' },
    ],
  },
  { id: 'plain', ports: [], devices: [] },
];

/** What the physical NICs are filtered on: the tunnel (and ICMP, for MTU problems), or the pod. */
function nicFilter(c: Cni): string {
  return c.ports.length ? `${c.ports.map((p) => `udp port ${p}`).join(' or ')} or icmp` : 'host POD_IP or icmp';
}

const tcpdump = (iface: string, file: string, filter: string) => `tcpdump -i ${iface} -nn -s 0 -w ${file}.pcap ${filter}`;

interface Command {
  /** Where to run it (a label). */
  where: string;
  cmd: string;
}

interface Counter {
  cmd: string;
  what: string;
}

interface Texts {
  title: string;
  intro: string;
  privacy: string;
  cniLabel: string;
  tabName: Record<CniId, string>;
  tabSub: Record<CniId, string>;
  note: Record<CniId, string>;
  pointsTitle: string;
  pointClientNic: (overlay: boolean) => string;
  pointClientDev: (devs: string) => string;
  /** An overlay device and who creates it, and how a list of them is joined. */
  devLabel: (dev: string, who?: string) => string;
  sep: string;
  pointServerNic: (overlay: boolean) => string;
  pointPodVeth: string;
  why: (overlay: boolean) => string;
  commandsTitle: string;
  checkPort: (dev: string) => string;
  clientNic: string;
  clientDev: (who?: string) => string;
  serverNic: string;
  anyOneFile: string;
  flags: string;
  anyNote: string;
  durationTitle: string;
  duration: string;
  countersTitle: string;
  countersIntro: string;
  csum: string;
  conntrack: string;
  link: string;
  nic: string;
  offload: string;
  versions: string;
  kernel: string;
  kubeProxy: string;
  copy: string;
  copied: string;
  selected: string;
}

/**
 * Text with `backticked` parts shown as code. Kept to plain strings so both languages stay
 * side by side and easy to compare.
 */
const T: Record<Lang, Texts> = {
  en: {
    title: 'How to capture',
    intro:
      'Take the captures on the nodes, then drop them here. Pick the network plugin (CNI) of your cluster: the commands below follow it.',
    privacy: 'The file stays in your browser: it is analysed on this page and never uploaded.',
    cniLabel: 'Network plugin (CNI)',
    tabName: { flannel: 'flannel', calico: 'Calico', cilium: 'Cilium', geneve: 'Geneve', plain: 'No overlay' },
    tabSub: {
      flannel: 'VXLAN 8472',
      calico: 'VXLAN 4789',
      cilium: 'VXLAN 8472 / 4789',
      geneve: '6081 · Cilium, OVN',
      plain: 'BGP, native routing',
    },
    note: {
      flannel:
        "flannel's VXLAN backend uses the Linux kernel's default port 8472 (not the IANA port 4789) unless `Port` is set in its net-conf.json; on Windows nodes it must be 4789. Its device is `flannel.1`.",
      calico:
        'Calico in VXLAN mode (`vxlanMode: Always` or `CrossSubnet`) uses the IANA port 4789 (`vxlanPort` in FelixConfiguration) and the device `vxlan.calico` (`vxlan-v6.calico` for IPv6). With CrossSubnet only traffic between subnets is wrapped. In IPIP mode there is no UDP at all: filter on `ip proto 4` and use `tunl0`.',
      cilium:
        "Cilium's VXLAN port is 8472 by default (the Linux kernel's port). It is set by the `tunnel-port` option (`tunnelPort` in Helm), and some installations use 4789, so the filters below catch both. The device is `cilium_vxlan`.",
      geneve:
        'Geneve uses UDP port 6081: Cilium with `tunnel-protocol: geneve` (device `cilium_geneve`) and OVN-Kubernetes (device `genev_sys_6081`). A Geneve header adds 50 bytes plus its options, so MTU problems show up here too.',
      plain:
        'Without an overlay (Calico BGP without encapsulation, Cilium native routing, cloud VPC routing, host network) packets travel unwrapped: filter on the pod address. There is no tunnel checksum to get wrong, but refused connections, lost SYN-ACKs, MTU black holes and the 5-second DNS delay all show.',
    },
    pointsTitle: 'Where to capture',
    pointClientNic: (overlay) =>
      overlay
        ? 'Client node, physical NIC (`eth0`; on some machines `ens5`, `enp1s0`…: `ip route get SERVER_NODE_IP` names it). The packets as they leave, wrapped, with the outer UDP checksum that decides whether the other node accepts them.'
        : 'Client node, physical NIC (`eth0`; on some machines `ens5`, `enp1s0`…: `ip route get SERVER_NODE_IP` names it). The packets as they leave the node.',
    devLabel: (dev, who) => `\`${dev}\`${who ? ` (${who})` : ''}`,
    sep: ', ',
    pointClientDev: (devs) =>
      `Client node, overlay device (${devs}). The same packets before they are wrapped: the inner TCP or DNS, easy to filter by pod address.`,
    pointServerNic: (overlay) =>
      overlay
        ? "Server node, physical NIC. What actually arrived. tcpdump sees packets before the kernel checks them, so a packet seen here that never reaches the pod was dropped by the server's kernel."
        : "Server node, physical NIC. What actually arrived, before the server's kernel and firewall handle it.",
    pointPodVeth:
      "Optionally, the server pod's own interface on its node (`ip route get POD_IP` there names it: `cali…`, `lxc…`, `veth…`): what reached the pod.",
    why: (overlay) =>
      `Why two nodes: a packet that leaves the client but never reaches the server's NIC was lost in the network between them; one that reaches the server's NIC and still gets no answer was dropped on the server (${overlay ? 'a bad outer UDP checksum, ' : ''}a firewall, conntrack). One capture alone cannot tell these apart. ${overlay ? "A capture on the server's overlay device sees only packets that survived decapsulation. " : ''}Drop both files here together; the clocks of the two nodes need not agree.`,
    commandsTitle: 'Commands (as root)',
    checkPort: (dev) => `Check the port (\`dstport\`) of ${dev}`,
    clientNic: 'Client node, physical NIC',
    clientDev: (who) => `Client node, overlay device${who ? ` (${who})` : ''}`,
    serverNic: 'Server node, physical NIC',
    anyOneFile: 'Or, on each node, every interface in one file',
    flags:
      "`-nn` skips name lookups, `-s 0` keeps whole packets (needed to verify checksums), `-w` writes a pcap file to drop here. Replace `eth0` with the node's NIC and `POD_IP` with the server pod's address (`kubectl get pod -o wide`).",
    anyNote:
      '`-i any` records every interface in one file (Linux cooked capture). It sees each tunnelled packet twice, wrapped on the NIC and unwrapped on the overlay device: pcap-doctor counts that as one attempt, not two.',
    durationTitle: 'How long',
    duration:
      'Start the captures first, then reproduce the problem once (one request, one lookup). Keep them running for at least 70 s after that: Linux retries a lost SYN at about 0, 1, 3, 7, 15, 31 and 63 s, and real timers drift a little past 63 s. For the 5-second DNS delay, 15 s is enough. Stop with Ctrl+C (or put `timeout 90` before `tcpdump`).',
    countersTitle: 'Counters to note, before and after',
    countersIntro:
      'On the server node (the receiver), run these before you start the captures and again after you stop them, and keep both outputs. A capture cannot show them, and a counter that grows while the problem happens confirms what the capture suggests.',
    csum: 'UDP datagrams the kernel dropped for a bad checksum: grows by one for each tunnel packet discarded.',
    conntrack: '`insert_failed` and `drop`: the conntrack race behind the 5-second DNS delay.',
    link: 'Errors and drops per interface, the overlay device included.',
    nic: "The NIC's own counters (names vary by driver: look for drop, error, csum).",
    offload:
      'On the client node: whether transmit checksum offload is on for the overlay device (`tx-checksum-ip-generic: on` is the setting the checksum bug needs).',
    versions: 'Also note the versions, which say whether the known fixes apply:',
    kernel: 'Kernel: the checksum bug is fixed in 5.7 and in 5.6.13, 5.4.41, 4.19.123, 4.14.181.',
    kubeProxy:
      'kube-proxy (IMAGES column): the double SNAT is fixed in v1.16.13, v1.17.9, v1.18.6 and later. Where Cilium replaces kube-proxy there is none: note the Cilium version.',
    copy: 'Copy',
    copied: 'Copied',
    selected: 'Selected: press Ctrl+C',
  },
  zh: {
    title: '如何抓包',
    intro: '先在节点上抓包，再把文件拖到这里。请选择集群所用的网络插件（CNI），下面的命令会随之变化。',
    privacy: '文件只留在你的浏览器里：分析在本页面内完成，不会上传到任何地方。',
    cniLabel: '网络插件（CNI）',
    tabName: { flannel: 'flannel', calico: 'Calico', cilium: 'Cilium', geneve: 'Geneve', plain: '无 overlay' },
    tabSub: {
      flannel: 'VXLAN 8472',
      calico: 'VXLAN 4789',
      cilium: 'VXLAN 8472 / 4789',
      geneve: '6081 · Cilium、OVN',
      plain: 'BGP、直接路由',
    },
    note: {
      flannel:
        'flannel 的 VXLAN 后端默认使用 Linux 内核的端口 8472（而不是 IANA 分配的 4789），除非在 net-conf.json 里设置了 `Port`；Windows 节点上必须是 4789。它的设备是 `flannel.1`。',
      calico:
        'Calico 的 VXLAN 模式（`vxlanMode: Always` 或 `CrossSubnet`）使用 IANA 端口 4789（FelixConfiguration 中的 `vxlanPort`），设备是 `vxlan.calico`（IPv6 为 `vxlan-v6.calico`）。CrossSubnet 模式下只有跨子网的流量才会封装。IPIP 模式下根本没有 UDP：请用 `ip proto 4` 过滤，并在 `tunl0` 上抓包。',
      cilium:
        'Cilium 的 VXLAN 端口默认是 8472（即 Linux 内核的默认端口），由 `tunnel-port` 选项（Helm 中为 `tunnelPort`）决定，有些安装用的是 4789，所以下面的过滤条件两个端口都包含。设备是 `cilium_vxlan`。',
      geneve:
        'Geneve 使用 UDP 端口 6081：Cilium 设置 `tunnel-protocol: geneve` 时（设备 `cilium_geneve`），以及 OVN-Kubernetes（设备 `genev_sys_6081`）。Geneve 头部占 50 字节再加上选项，所以这里同样会出现 MTU 问题。',
      plain:
        '没有 overlay 时（Calico BGP 不封装、Cilium 直接路由、云厂商 VPC 路由、hostNetwork），数据包不经封装直接传输：按 Pod 地址过滤即可。这里不存在隧道校验和出错的问题，但连接被拒、SYN-ACK 丢失、MTU 黑洞和 DNS 5 秒延迟都能看出来。',
    },
    pointsTitle: '在哪里抓',
    pointClientNic: (overlay) =>
      overlay
        ? '客户端节点的物理网卡（`eth0`；有的机器上叫 `ens5`、`enp1s0` 等，`ip route get SERVER_NODE_IP` 会告诉你是哪一块）。这里看到的是离开节点时已封装的数据包，以及决定对端是否接收它们的外层 UDP 校验和。'
        : '客户端节点的物理网卡（`eth0`；有的机器上叫 `ens5`、`enp1s0` 等，`ip route get SERVER_NODE_IP` 会告诉你是哪一块）。这里看到的是离开节点时的数据包。',
    devLabel: (dev, who) => `\`${dev}\`${who ? `（${who}）` : ''}`,
    sep: '、',
    pointClientDev: (devs) =>
      `客户端节点的 overlay 设备（${devs}）。同一批数据包封装之前的样子：内层的 TCP 或 DNS，便于按 Pod 地址过滤。`,
    pointServerNic: (overlay) =>
      overlay
        ? '服务端节点的物理网卡。这里是真正到达的数据包。tcpdump 在内核校验之前就能看到它们，所以在这里出现、却始终没到 Pod 的包，是被服务端节点的内核丢掉的。'
        : '服务端节点的物理网卡。这里是真正到达的数据包，此时服务端的内核和防火墙还没有处理它们。',
    pointPodVeth:
      '可选：服务端 Pod 在其节点上的网卡（在该节点上运行 `ip route get POD_IP` 可以查到，如 `cali…`、`lxc…`、`veth…`），即真正到达 Pod 的流量。',
    why: (overlay) =>
      `为什么要在两个节点上抓：从客户端发出、却没到达服务端网卡的包，丢在了两者之间的网络里；到达了服务端网卡却得不到回应的包，是在服务端被丢掉的（${overlay ? '外层 UDP 校验和错误、' : ''}防火墙、conntrack）。只靠一个抓包文件无法区分这两种情况。${overlay ? '在服务端的 overlay 设备上抓包，只能看到解封装后幸存的包。' : ''}把两个文件一起拖到这里即可，两台节点的时钟不必一致。`,
    commandsTitle: '命令（需 root 权限）',
    checkPort: (dev) => `查看 ${dev} 的端口（\`dstport\`）`,
    clientNic: '客户端节点，物理网卡',
    clientDev: (who) => `客户端节点，overlay 设备${who ? `（${who}）` : ''}`,
    serverNic: '服务端节点，物理网卡',
    anyOneFile: '或者：在每个节点上把所有网卡抓进一个文件',
    flags:
      '`-nn` 不解析主机名和端口名，`-s 0` 抓取完整数据包（校验和验证需要），`-w` 写入 pcap 文件，供拖到这里。请把 `eth0` 换成节点的实际网卡，把 `POD_IP` 换成服务端 Pod 的地址（`kubectl get pod -o wide`）。',
    anyNote:
      '`-i any` 把所有网卡的流量记录在一个文件里（Linux cooked 格式）。每个经过隧道的包会出现两次：网卡上一次是封装后的，overlay 设备上一次是解封装后的。pcap-doctor 会把它算作一次尝试，而不是两次。',
    durationTitle: '抓多久',
    duration:
      '先启动抓包，再复现一次问题（发一次请求、做一次解析）。复现之后至少再抓 70 秒：Linux 会在大约 0、1、3、7、15、31、63 秒时重传丢失的 SYN，而实际的定时器还会比 63 秒稍晚一些。如果是 DNS 5 秒延迟，抓 15 秒就够了。按 Ctrl+C 停止（或在 `tcpdump` 前加上 `timeout 90`）。',
    countersTitle: '抓包前后要记录的计数器',
    countersIntro:
      '在服务端节点（接收方）上，抓包开始前运行一遍，抓包结束后再运行一遍，两次的输出都保存下来。抓包文件里看不到这些计数器；问题发生期间增长的计数器，能印证抓包所显示的情况。',
    csum: '内核因校验和错误而丢弃的 UDP 数据报：每丢一个隧道包就加一。',
    conntrack: '`insert_failed` 和 `drop`：DNS 5 秒延迟背后的 conntrack 竞争。',
    link: '每个网卡（包括 overlay 设备）的错误和丢包数。',
    nic: '网卡自身的计数器（名称因驱动而异：留意 drop、error、csum 之类）。',
    offload: '在客户端节点上：overlay 设备是否开启了发送校验和卸载（`tx-checksum-ip-generic: on` 正是触发该校验和 bug 的设置）。',
    versions: '另外记下版本号，据此判断已知的修复是否适用：',
    kernel: '内核：该校验和 bug 已在 5.7 以及 5.6.13、5.4.41、4.19.123、4.14.181 中修复。',
    kubeProxy:
      'kube-proxy（看 IMAGES 一列）：二次 SNAT 问题已在 v1.16.13、v1.17.9、v1.18.6 及之后的版本中修复。如果由 Cilium 取代了 kube-proxy，则没有这一项，请记下 Cilium 的版本。',
    copy: '复制',
    copied: '已复制',
    selected: '已选中，请按 Ctrl+C',
  },
};

/** Render `backticked` parts as code. */
function Rich({ text }: { text: string }): JSX.Element {
  return (
    <>
      {text.split(/`([^`]+)`/).map((p, i) =>
        i % 2 ? (
          <code key={i} translate="no">
            {p}
          </code>
        ) : (
          p
        ),
      )}
    </>
  );
}

/** One command with its copy button. Where the clipboard is unavailable, the command is selected instead. */
function Cmd({ cmd, t }: { cmd: string; t: Texts }): JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const code = useRef<HTMLElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = (s: 'copied' | 'selected') => {
    setState(s);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };
  const select = () => {
    const sel = window.getSelection();
    if (sel && code.current) sel.selectAllChildren(code.current);
    show('selected');
  };
  const copy = () => {
    const p = navigator.clipboard?.writeText(cmd);
    if (p) p.then(() => show('copied'), select);
    else select();
  };
  const label = state === 'copied' ? t.copied : t.copy;
  return (
    <div className="howto-cmd">
      <code ref={code} data-testid="howto-cmd" translate="no">
        {/* Each word wraps as a whole (never "-" then "w" on the next line) unless it is wider than the line. */}
        {cmd.split(' ').map((w, i) => (
          <Fragment key={i}>
            {i ? ' ' : ''}
            <span className="howto-tok">{w}</span>
          </Fragment>
        ))}
      </code>
      <button type="button" className="howto-copy" data-testid="howto-copy" aria-label={`${label}: ${cmd}`} onClick={copy}>
        {label}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? t.copied : state === 'selected' ? t.selected : ''}
      </span>
    </div>
  );
}

function commandsFor(c: Cni, t: Texts): Command[] {
  const nic = nicFilter(c);
  const out: Command[] = c.devices.map((d) => ({ where: t.checkPort(d.dev), cmd: `ip -d link show ${d.dev}` }));
  out.push({ where: t.clientNic, cmd: tcpdump('eth0', 'client-eth0', nic) });
  for (const d of c.devices) out.push({ where: t.clientDev(d.who), cmd: tcpdump(d.dev, `client-${d.file}`, 'host POD_IP') });
  out.push({ where: t.serverNic, cmd: tcpdump('eth0', 'server-eth0', nic) });
  const any = c.ports.length
    ? `${c.ports.map((p) => `udp port ${p}`).join(' or ')} or host POD_IP or icmp`
    : 'host POD_IP or icmp';
  out.push({ where: t.anyOneFile, cmd: tcpdump('any', 'client-any', any) });
  return out;
}

function countersFor(c: Cni, t: Texts): Counter[] {
  const out: Counter[] = [
    { cmd: 'nstat -az UdpInCsumErrors', what: t.csum },
    { cmd: 'conntrack -S', what: t.conntrack },
    { cmd: 'ip -s link', what: t.link },
    { cmd: 'ethtool -S eth0', what: t.nic },
  ];
  for (const d of c.devices) out.push({ cmd: `ethtool -k ${d.dev} | grep tx-checksum`, what: t.offload });
  return out;
}

function Panel({ c, t }: { c: Cni; t: Texts }): JSX.Element {
  const overlay = c.devices.length > 0;
  const devs = c.devices.map((d) => t.devLabel(d.dev, d.who)).join(t.sep);
  return (
    <>
      <p className="howto-note">
        <Rich text={t.note[c.id]} />
      </p>

      <h3>{t.pointsTitle}</h3>
      <ol className="howto-points">
        <li>
          <Rich text={t.pointClientNic(overlay)} />
        </li>
        {overlay && (
          <li>
            <Rich text={t.pointClientDev(devs)} />
          </li>
        )}
        <li>
          <Rich text={t.pointServerNic(overlay)} />
        </li>
        {!overlay && (
          <li>
            <Rich text={t.pointPodVeth} />
          </li>
        )}
      </ol>
      <p>
        <Rich text={t.why(overlay)} />
      </p>

      <h3>{t.commandsTitle}</h3>
      <ul className="howto-cmds">
        {commandsFor(c, t).map((k) => (
          <li key={k.cmd}>
            <span className="howto-where">
              <Rich text={k.where} />
            </span>
            <Cmd cmd={k.cmd} t={t} />
          </li>
        ))}
      </ul>
      <p className="muted">
        <Rich text={t.flags} />
      </p>
      <p className="muted">
        <Rich text={t.anyNote} />
      </p>

      <h3>{t.durationTitle}</h3>
      <p>
        <Rich text={t.duration} />
      </p>

      <h3>{t.countersTitle}</h3>
      <p>{t.countersIntro}</p>
      <ul className="howto-cmds">
        {countersFor(c, t).map((k) => (
          <li key={k.cmd}>
            <Cmd cmd={k.cmd} t={t} />
            <span className="howto-what">
              <Rich text={k.what} />
            </span>
          </li>
        ))}
      </ul>
      <p>{t.versions}</p>
      <ul className="howto-cmds">
        <li>
          <Cmd cmd="uname -r" t={t} />
          <span className="howto-what">{t.kernel}</span>
        </li>
        <li>
          <Cmd cmd="kubectl -n kube-system get daemonset kube-proxy -o wide" t={t} />
          <span className="howto-what">{t.kubeProxy}</span>
        </li>
      </ul>
    </>
  );
}

export function HowTo(): JSX.Element {
  const lang = useApp((s) => s.lang);
  const t = T[lang];
  const [cni, setCni] = useState<CniId>('flannel');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();
  const current = CNIS.find((c) => c.id === cni) ?? CNIS[0]!;

  // Tabs with automatic activation: arrows, Home and End move focus and select.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = CNIS.findIndex((c) => c.id === cni);
    const n = CNIS.length;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? (i + 1) % n
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? (i - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    setCni(CNIS[next]!.id);
    tabs.current[next]?.focus();
  };

  return (
    <details className="howto" data-testid="howto">
      <summary>{t.title}</summary>
      <div className="howto-body">
        <p>{t.intro}</p>
        <p className="howto-privacy">{t.privacy}</p>
        <div role="tablist" aria-label={t.cniLabel} className="howto-tabs" onKeyDown={onKeyDown}>
          {CNIS.map((c, i) => {
            const selected = c.id === cni;
            return (
              <button
                key={c.id}
                ref={(el) => {
                  tabs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`${base}-tab-${c.id}`}
                aria-selected={selected}
                aria-controls={`${base}-panel`}
                tabIndex={selected ? 0 : -1}
                className="howto-tab"
                data-testid={`howto-tab-${c.id}`}
                onClick={() => setCni(c.id)}
              >
                <span className="howto-tab-name">{t.tabName[c.id]}</span> <span className="howto-tab-sub">{t.tabSub[c.id]}</span>
              </button>
            );
          })}
        </div>
        <div
          role="tabpanel"
          id={`${base}-panel`}
          aria-labelledby={`${base}-tab-${current.id}`}
          className="howto-panel"
          data-testid="howto-panel"
          data-cni={current.id}
        >
          <Panel c={current} t={t} />
        </div>
      </div>
    </details>
  );
}
