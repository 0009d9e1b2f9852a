#!/usr/bin/env bash
# Make REAL captures of common overlay-network faults (other than the 63-second checksum bug) with
# the running kernel. Needs root, iproute2, nftables, tcpdump, /usr/bin/python3 (glibc resolver).
#
# Topology (three network namespaces, flannel-like VXLAN overlay):
#
#   pdC (client node)              pdR (router)                    pdS (server node)
#   eth0 192.168.10.2/24 <-> toC 192.168.10.1   toS 192.168.20.1 <-> eth0 192.168.20.2/24
#   flannel.1 (vxlan id 1, dstport 8472, noudpcsum, MTU 1450)   flannel.1 (same)
#   pod 10.244.0.1/24  ------------------ VXLAN over the routed underlay ---------  pod 10.244.1.1/24
#
# Scenarios (captured on client eth0, client flannel.1, server eth0, server flannel.1):
#   refused-rst         nothing listens on 10.244.1.1:8080: the server kernel answers RST
#   refused-icmp        server node nftables: tcp dport 8081 reject with icmp type admin-prohibited
#   synack-lost         the router drops server-node -> client-node underlay traffic for SYNACK_DROP s
#   mtu-blackhole       router link toward the client has MTU 1400, tunnel packets carry DF, the
#                       router's ICMP "fragmentation needed" is dropped: full-size segments vanish
#   mtu-blackhole-icmp  same, but the ICMP "fragmentation needed" (mtu 1400) is let through
#   dns-delay           DNS server on the server node ignores the first AAAA query (glibc: ~5 s)
#   dns-ok              same DNS server answering everything (control)
#   healthy             plain connection and a small transfer (control)
#
# Output: $OUT/<scenario>-{client,server}-{eth0,flannel1}.pcap and $OUT/MANIFEST.json
# Usage:  sudo scripts/make-netns-faults.sh      (OUT=/some/dir to write elsewhere)
set -euo pipefail
OUT=${OUT:-$(cd "$(dirname "$0")/.." && pwd)/test/captures/netns/faults}
PY=${PY:-/usr/bin/python3}            # system python: getaddrinfo goes through glibc
SYNACK_DROP=${SYNACK_DROP:-8}         # seconds the router drops the return path in synack-lost
MTU_TIMEOUT=${MTU_TIMEOUT:-20}        # client's overall deadline in the mtu scenarios
ROUTER_TX_CSUM=${ROUTER_TX_CSUM:-off}  # off: the router computes pending checksums (a real wire)
BIG=${BIG:-300000}                    # bytes served in the mtu scenarios
NS="pdC pdR pdS"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RES=$(mktemp -d)
CAPPIDS=()

cleanup() {
  local ns
  for ns in $NS; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 0.3
  for ns in $NS; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf /etc/netns/pdC
  rmdir /etc/netns 2>/dev/null || true
  CAPPIDS=()
}
final() { cleanup; rm -rf "$RES"; }
trap final EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
setup() { # $1 = vxlan df (unset|set), $2 = MTU of the router's link toward the client node
  local df=${1:-unset} rmtu=${2:-1500}
  cleanup
  for ns in $NS; do
    ip netns add "$ns"
    # No IPv6: with a "remote" on flannel.1 the link-local MLD/RS/NS chatter would be tunnelled
    # (real flannel has no default remote, so it never is) and clutter the captures.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  ip link add eth0 netns pdC type veth peer name toC netns pdR
  ip link add eth0 netns pdS type veth peer name toS netns pdR
  ip -n pdC addr add 192.168.10.2/24 dev eth0
  ip -n pdR addr add 192.168.10.1/24 dev toC
  ip -n pdR addr add 192.168.20.1/24 dev toS
  ip -n pdS addr add 192.168.20.2/24 dev eth0
  ip -n pdC link set eth0 up
  ip -n pdS link set eth0 up
  ip -n pdR link set toC mtu "$rmtu" up
  ip -n pdR link set toS up
  ip netns exec pdR sysctl -qw net.ipv4.ip_forward=1
  [ -s "$RES/sysctls.txt" ] || ip netns exec pdC sysctl net.ipv4.tcp_syn_linear_timeouts net.ipv4.tcp_syn_retries \
    net.ipv4.tcp_synack_retries net.ipv4.tcp_mtu_probing net.ipv4.tcp_congestion_control \
    net.ipv4.ip_no_pmtu_disc net.ipv4.icmp_ratelimit > "$RES/sysctls.txt" 2>/dev/null || true
  # The router stands for the physical network: packets leave it with every checksum computed
  # (a veth would otherwise pass the sender's CHECKSUM_PARTIAL and GSO skbs straight through to the
  # receiving node, which no physical NIC does). The nodes' own veths keep their default offloads.
  ip netns exec pdR ethtool -K toC tx "$ROUTER_TX_CSUM" >/dev/null
  ip netns exec pdR ethtool -K toS tx "$ROUTER_TX_CSUM" >/dev/null
  ip -n pdC route add 192.168.20.0/24 via 192.168.10.1
  ip -n pdS route add 192.168.10.0/24 via 192.168.20.1
  # The overlay, as flannel's vxlan backend makes it: VNI 1, port 8472, outer UDP checksum 0.
  ip -n pdC link add flannel.1 type vxlan id 1 dstport 8472 local 192.168.10.2 remote 192.168.20.2 \
    dev eth0 noudpcsum df "$df"
  ip -n pdS link add flannel.1 type vxlan id 1 dstport 8472 local 192.168.20.2 remote 192.168.10.2 \
    dev eth0 noudpcsum df "$df"
  ip -n pdC link set flannel.1 mtu 1450 up
  ip -n pdS link set flannel.1 mtu 1450 up
  ip -n pdC addr add 10.244.0.1/24 dev flannel.1
  ip -n pdS addr add 10.244.1.1/24 dev flannel.1
  ip -n pdC route add 10.244.1.0/24 dev flannel.1
  ip -n pdS route add 10.244.0.0/24 dev flannel.1
  # Permanent neighbours on the overlay: no ARP inside the tunnel while packets are being lost.
  ip -n pdC neigh replace 10.244.1.1 lladdr "$(ip -n pdS -br link show flannel.1 | awk '{print $3}')" dev flannel.1 nud permanent
  ip -n pdS neigh replace 10.244.0.1 lladdr "$(ip -n pdC -br link show flannel.1 | awk '{print $3}')" dev flannel.1 nud permanent
  # Warm the underlay (ARP on both hops) before any capture starts.
  # (a UDP datagram to the discard port each way; the answer is an ICMP port unreachable).
  local ns dst
  for ns in pdC:192.168.20.2 pdS:192.168.10.2; do
    dst=${ns#*:}
    ip netns exec "${ns%%:*}" $PY -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"warm-up", (sys.argv[1], 9))' "$dst"
  done
  sleep 0.3
}

capture() { # $1 scenario, $2 capture filter on flannel.1
  local s=$1 f=$2 host ns iface name log i
  for host in client server; do
    ns=pdC; [ $host = server ] && ns=pdS
    for iface in eth0 flannel.1; do
      name=$s-$host-${iface/./}
      log=$RES/$name.tcpdump.log
      if [ $iface = eth0 ]; then
        ip netns exec $ns tcpdump -Z root -U -s 0 -i $iface -w "$OUT/$name.pcap" 'udp port 8472 or icmp' 2>"$log" &
      else
        ip netns exec $ns tcpdump -Z root -U -s 0 -i $iface -w "$OUT/$name.pcap" "$f" 2>"$log" &
      fi
      CAPPIDS+=($!)
      for i in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
    done
  done
  sleep 0.5
}

stop_captures() {
  sleep 1
  kill -INT "${CAPPIDS[@]}" 2>/dev/null || true
  wait "${CAPPIDS[@]}" 2>/dev/null || true
  CAPPIDS=()
}

# Record a scenario's description, the fault and notes: meta <scenario> <description> [key=value...]
meta() {
  $PY - "$RES/$1.meta.json" "${@:2}" <<'PYEOF'
import json, sys
d = {"description": sys.argv[2]}
fault = {}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    if k == "note":
        d.setdefault("notes", []).append(v)
    else:
        fault[k] = v
d["fault"] = fault or None
json.dump(d, open(sys.argv[1], "w"))
PYEOF
}

# ---------------------------------------------------------------------------------------------
# TCP client: binds 10.244.0.1 to an ephemeral port (printed: the key connection), connects with a
# timeout, optionally sends a request line and reads until EOF or an overall deadline.
# argv: host port connect_timeout read(0|1) deadline
CLIENT_PY='
import errno, json, socket, sys, time
host, port, ctimeout, read, deadline = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1", float(sys.argv[5])
r = {}
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("10.244.0.1", 0))
r["client"] = "%s:%d" % s.getsockname()
r["server"] = "%s:%d" % (host, port)
s.settimeout(ctimeout)
t0 = time.time()
try:
    s.connect((host, port))
except socket.timeout:
    r.update(result="timeout", phase="connect", afterSec=round(time.time() - t0, 6))
except OSError as e:
    r.update(result="refused" if e.errno == errno.ECONNREFUSED else "error", error=type(e).__name__,
             errno=errno.errorcode.get(e.errno), strerror=e.strerror, afterSec=round(time.time() - t0, 6))
else:
    r.update(result="connected", afterSec=round(time.time() - t0, 6))
    if read:
        s.sendall(b"GET /big\n")
        got, first, last = 0, None, None
        end = t0 + deadline
        try:
            while True:
                left = end - time.time()
                if left <= 0:
                    raise socket.timeout
                s.settimeout(left)
                b = s.recv(65536)
                if not b:
                    r.update(result="complete")
                    break
                now = time.time() - t0
                first = first if first is not None else now
                last = now
                got += len(b)
        except socket.timeout:
            r.update(result="timeout", phase="read")
        r.update(bytesReceived=got, firstByteAfterSec=first and round(first, 3),
                 lastByteAfterSec=last and round(last, 3), endedAfterSec=round(time.time() - t0, 6))
    s.close()
print(json.dumps(r))
'

# TCP server on 10.244.1.1: accepts one connection, reads the request line, sends a small header
# line then <size> bytes, closes. argv: port size
SERVER_PY='
import socket, sys, time
port, size = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.244.1.1", port)); s.listen(8)
c, _ = s.accept()
c.recv(64)
c.sendall(b"HTTP/1.0 200 OK size=%d\n" % size)
if size:
    time.sleep(0.2)
    c.sendall(bytes(i % 251 for i in range(size)))
c.close()
time.sleep(60)
'

# DNS server on 10.244.1.1:53 (UDP). Answers A/AAAA for svc.cluster.local, NXDOMAIN otherwise.
# argv: mode (ok | ignore-first-aaaa) logfile
DNS_PY='
import json, socket, struct, sys, time
mode, logf = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.244.1.1", 53))
ignored = False
log = open(logf, "w")
while True:
    data, addr = s.recvfrom(4096)
    qid, flags = struct.unpack(">HH", data[:4])
    i, labels = 12, []
    while data[i]:
        labels.append(data[i + 1:i + 1 + data[i]].decode()); i += 1 + data[i]
    qtype, = struct.unpack(">H", data[i + 1:i + 3])
    question, name = data[12:i + 5], ".".join(labels).lower()
    ev = {"t": time.time(), "from": "%s:%d" % addr, "id": qid, "qname": name, "qtype": qtype}
    if mode == "ignore-first-aaaa" and qtype == 28 and not ignored:
        ignored = True
        ev["action"] = "ignored"; log.write(json.dumps(ev) + "\n"); log.flush()
        continue
    rflags = 0x8480 | (flags & 0x7900)      # QR AA RA, copy opcode and RD
    ans = b""
    if name == "svc.cluster.local" and qtype in (1, 28):
        rdata = socket.inet_aton("10.96.0.10") if qtype == 1 else socket.inet_pton(socket.AF_INET6, "fd00:10:96::a")
        ans = b"\xc0\x0c" + struct.pack(">HHIH", qtype, 1, 30, len(rdata)) + rdata
    elif name != "svc.cluster.local":
        rflags |= 3                           # NXDOMAIN
    s.sendto(struct.pack(">HHHHHH", qid, rflags, 1, 1 if ans else 0, 0, 0) + question + ans, addr)
    ev["action"] = "answered"; log.write(json.dumps(ev) + "\n"); log.flush()
'

# The lookup, exactly as the brief asks (glibc getaddrinfo, A and AAAA in parallel on one socket).
LOOKUP_PY='
import json, socket, time
t = time.time()
try:
    ai = socket.getaddrinfo("svc.cluster.local", 80, proto=socket.IPPROTO_TCP)
    r = {"result": "resolved", "afterSec": round(time.time() - t, 6), "addresses": sorted({a[4][0] for a in ai})}
except socket.gaierror as e:
    r = {"result": "failed", "error": str(e), "afterSec": round(time.time() - t, 6)}
print(json.dumps(r))
'

start_server() { # port size
  ip netns exec pdS $PY -c "$SERVER_PY" "$1" "$2" &
  for _ in $(seq 50); do ip netns exec pdS ss -Hltn "sport = :$1" | grep -q . && return; sleep 0.1; done
  echo "server on port $1 did not start" >&2; exit 1
}

run_client() { # scenario host port connect_timeout read deadline
  local s=$1; shift
  ip netns exec pdC $PY -c "$CLIENT_PY" "$@" | tee "$RES/$s.client.json"
}

# ---------------------------------------------------------------------------------------------
rm -f "$OUT"/*.pcap "$OUT"/MANIFEST.json

echo "== healthy: control, connection and a 4000-byte transfer"
setup
meta healthy "Control: a plain successful TCP connection from the client pod address to a server on the server node over the VXLAN overlay, request line and a 4000-byte response (plus a header line), clean close. No fault."
capture healthy 'tcp port 7000 or icmp'
start_server 7000 4000
run_client healthy 10.244.1.1 7000 10 1 10
stop_captures

echo "== refused-rst: nothing listens on 10.244.1.1:8080"
setup
meta refused-rst "Connection refused by RST: nothing listens on 10.244.1.1:8080, the server kernel answers the SYN with RST/ACK. One SYN, one answer, no retries." \
  "where=server node" "what=no listener on 10.244.1.1:8080 (no nftables rules anywhere)"
capture refused-rst 'tcp port 8080 or icmp'
run_client refused-rst 10.244.1.1 8080 10 0 0
stop_captures

echo "== refused-icmp: server node rejects tcp dport 8081 with icmp admin-prohibited"
setup
RULE_ICMP='tcp dport 8081 counter reject with icmp type admin-prohibited'
ip netns exec pdS nft -f - <<NFT
table inet pd {
  chain in {
    type filter hook input priority 0;
    $RULE_ICMP
  }
}
NFT
start_server 8081 0   # a listener exists: the firewall, not the missing socket, refuses
meta refused-icmp "Connection refused by a firewall reject rule on the server node: the SYN to 10.244.1.1:8081 is answered with ICMP destination unreachable, type 3 code 13 (communication administratively prohibited), sent inside the tunnel from 10.244.1.1. A listener does exist on 8081. One SYN, one answer, no retries." \
  "where=server node (pdS), nftables table inet pd, chain in (type filter hook input priority 0)" \
  "nft=$RULE_ICMP"
capture refused-icmp 'tcp port 8081 or icmp'
run_client refused-icmp 10.244.1.1 8081 10 0 0
stop_captures
ip netns exec pdS nft list table inet pd > "$RES/refused-icmp.nft.txt"

echo "== synack-lost: router drops server-node -> client-node underlay traffic for ${SYNACK_DROP}s"
setup
RULE_SYNACK='ip saddr 192.168.20.2 ip daddr 192.168.10.2 counter drop'
ip netns exec pdR nft -f - <<NFT
table inet pd {
  chain pdfwd {
    type filter hook forward priority 0;
    $RULE_SYNACK
  }
}
NFT
start_server 9153 12
meta synack-lost "SYN-ACKs lost on the way back: the router drops every underlay packet from the server node (192.168.20.2) to the client node (192.168.10.2), i.e. all tunnelled return traffic, for the first ${SYNACK_DROP} s after the client starts. The server answers every SYN with a SYN-ACK (and retransmits it); the client keeps retrying its SYN as if unanswered; the rule is then deleted and the handshake completes, followed by a 12-byte response." \
  "where=router (pdR), nftables table inet pd, chain pdfwd (type filter hook forward priority 0)" \
  "nft=$RULE_SYNACK" "durationSec=$SYNACK_DROP" "removal=nft delete table inet pd, ${SYNACK_DROP} s after the client started"
capture synack-lost 'tcp port 9153 or icmp'
( sleep "$SYNACK_DROP"; ip netns exec pdR nft list table inet pd > "$RES/synack-lost.nft.txt"; ip netns exec pdR nft delete table inet pd ) &
run_client synack-lost 10.244.1.1 9153 60 1 70
wait $! 2>/dev/null || true
stop_captures

mtu_scenario() { # $1 scenario, $2 drop-icmp (1|0)
  local s=$1 drop=$2
  setup set 1400
  # A real NIC segments VXLAN TSO packets before the wire; a veth would hand the router the whole
  # GSO skb (and its ICMP would quote a 7 KB outer packet). Segment in software on the server
  # node's eth0 instead: its capture then shows wire-sized outer packets (flannel.1 still shows
  # the TSO super-packets, as on a real host).
  ip netns exec pdS ethtool -K eth0 tx-udp_tnl-segmentation off tx-udp_tnl-csum-segmentation off >/dev/null
  RULE_MTU='icmp type destination-unreachable icmp code frag-needed counter drop'
  if [ "$drop" = 1 ]; then
    ip netns exec pdR nft -f - <<NFT
table inet pd {
  chain out {
    type filter hook output priority 0;
    $RULE_MTU
  }
}
NFT
  fi
  start_server 8000 "$BIG"
  # Counter baselines (nstat then prints increments since here, not since namespace creation).
  NSTAT_HISTORY=$RES/$s.pdS.nstat ip netns exec pdS nstat -n
  NSTAT_HISTORY=$RES/$s.pdR.nstat ip netns exec pdR nstat -n
  capture "$s" 'tcp port 8000 or icmp'
  # Server-side evidence just before the client gives up: socket state and the underlay route.
  ( sleep $((MTU_TIMEOUT - 2))
    ip netns exec pdS ss -tin "sport = :8000" > "$RES/$s.ss.txt" 2>&1
    ip -n pdS route get 192.168.10.2 > "$RES/$s.route.txt" 2>&1
    ip -n pdS route get 10.244.0.1 >> "$RES/$s.route.txt" 2>&1
    NSTAT_HISTORY=$RES/$s.pdS.nstat ip netns exec pdS nstat -sz TcpRetransSegs IcmpInDestUnreachs IcmpOutDestUnreachs > "$RES/$s.nstat.txt" 2>&1 ) &
  local snap=$!
  run_client "$s" 10.244.1.1 8000 10 1 "$MTU_TIMEOUT"
  wait $snap 2>/dev/null || true
  stop_captures
  NSTAT_HISTORY=$RES/$s.pdR.nstat ip netns exec pdR nstat -sz IcmpOutDestUnreachs IcmpOutMsgs > "$RES/$s.router-nstat.txt" 2>&1 || true
  if [ "$drop" = 1 ]; then ip netns exec pdR nft list table inet pd > "$RES/$s.nft.txt"; fi
}

echo "== mtu-blackhole: router MTU 1400 toward client, DF on tunnel, ICMP frag-needed dropped"
meta mtu-blackhole "MTU / PMTUD black hole: the router's link toward the client node has MTU 1400 while flannel.1 has MTU 1450 and the underlay eth0s 1500, the VXLAN devices set DF on the outer header, and the router's ICMP 'fragmentation needed' is dropped in its output hook. The handshake, the request and the small header line pass; the server's full-size segments (1398-byte payload = MSS 1410 less 12 bytes of TCP timestamps, 1450-byte inner and 1500-byte outer packets) are dropped at the router; the server retransmits them at doubling intervals; the client stalls until its ${MTU_TIMEOUT} s deadline. Response size ${BIG} bytes." \
  "where=router (pdR) link toC (toward the client node) and router nftables table inet pd, chain out (type filter hook output priority 0)" \
  "routerMtuTowardClient=1400" "flannelMtu=1450" "underlayEth0Mtu=1500" "vxlanDf=set (ip link add ... type vxlan ... df set, both nodes)" \
  "serverEth0Offload=ethtool -K eth0 tx-udp_tnl-segmentation off tx-udp_tnl-csum-segmentation off (server node; so tunnel packets are segmented before the router, as a NIC would)" \
  "nft=icmp type destination-unreachable icmp code frag-needed counter drop"
mtu_scenario mtu-blackhole 1

echo "== mtu-blackhole-icmp: same, ICMP frag-needed let through"
meta mtu-blackhole-icmp "Same MTU mismatch as mtu-blackhole (router link toward the client MTU 1400, flannel.1 1450, underlay 1500, DF set on the tunnel) but the router's ICMP 'fragmentation needed' (type 3 code 4, next-hop MTU 1400) is NOT filtered: it reaches the server node's eth0. Response size ${BIG} bytes, client deadline ${MTU_TIMEOUT} s." \
  "where=router (pdR) link toC (toward the client node); no nftables rules" \
  "routerMtuTowardClient=1400" "flannelMtu=1450" "underlayEth0Mtu=1500" "vxlanDf=set (ip link add ... type vxlan ... df set, both nodes)" \
  "serverEth0Offload=ethtool -K eth0 tx-udp_tnl-segmentation off tx-udp_tnl-csum-segmentation off (server node; so tunnel packets are segmented before the router, as a NIC would)"
mtu_scenario mtu-blackhole-icmp 0

dns_scenario() { # $1 scenario, $2 server mode
  local s=$1
  setup
  mkdir -p /etc/netns/pdC
  printf 'nameserver 10.244.1.1\n' > /etc/netns/pdC/resolv.conf
  printf 'hosts: files dns\n' > /etc/netns/pdC/nsswitch.conf   # no mdns4_minimal for .local names
  ip netns exec pdS $PY -c "$DNS_PY" "$2" "$RES/$s.dnslog.jsonl" &
  for _ in $(seq 50); do ip netns exec pdS ss -Hlun "sport = :53" | grep -q . && break; sleep 0.1; done
  capture "$s" 'udp port 53 or icmp'
  ip netns exec pdC $PY -c "$LOOKUP_PY" | tee "$RES/$s.client.json"
  stop_captures
}

echo "== dns-delay: DNS server ignores the first AAAA query"
meta dns-delay "The 5-second DNS delay: a DNS server on the server node (UDP 10.244.1.1:53) answers A and AAAA for svc.cluster.local but ignores the first AAAA query it receives. The client node runs a glibc lookup (/usr/bin/python3 socket.getaddrinfo('svc.cluster.local', 80)) with resolv.conf 'nameserver 10.244.1.1': glibc sends A and AAAA in parallel from one socket, gets only the A answer, waits its 5 s timeout, then retries." \
  "where=DNS server process on the server node (not the network): first AAAA query deliberately not answered" \
  "resolvConf=nameserver 10.244.1.1 (/etc/netns/pdC/resolv.conf)" "nsswitch=hosts: files dns (/etc/netns/pdC/nsswitch.conf)"
dns_scenario dns-delay ignore-first-aaaa

echo "== dns-ok: same DNS setup, everything answered (control)"
meta dns-ok "Control for dns-delay: the same DNS server answers every query; the glibc lookup (A and AAAA in parallel from one socket) completes at once." \
  "resolvConf=nameserver 10.244.1.1 (/etc/netns/pdC/resolv.conf)" "nsswitch=hosts: files dns (/etc/netns/pdC/nsswitch.conf)"
dns_scenario dns-ok ok

cleanup

# ---------------------------------------------------------------------------------------------
echo "== MANIFEST.json"
KERNEL=$(uname -r) TCPDUMP_V=$(tcpdump --version 2>&1 | head -1) BIG=$BIG ROUTER_TX_CSUM=$ROUTER_TX_CSUM \
GLIBC=$(ldd --version 2>&1 | head -1) $PY - "$OUT" "$RES" <<'PYEOF'
import json, os, re, struct, subprocess, sys, time
out, res = sys.argv[1], sys.argv[2]
order = ["healthy", "refused-rst", "refused-icmp", "synack-lost", "mtu-blackhole", "mtu-blackhole-icmp", "dns-delay", "dns-ok"]

def pcap_info(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
        linktype = struct.unpack(e + "I", hdr[20:24])[0]
        n = 0
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                break
            incl = struct.unpack(e + "IIII", rh)[2]
            f.seek(incl, 1)
            n += 1
    return {"packets": n, "bytes": os.path.getsize(path), "linktype": linktype}

def summary(path):
    """Counts from tcpdump's own decoding (it decodes VXLAN on 8472, so eth0 files count inner packets)."""
    txt = subprocess.run(["tcpdump", "-nn", "-r", path], capture_output=True, text=True).stdout
    c = {"syn": 0, "synAck": 0, "rst": 0, "icmp": [], "dnsQueries": 0, "dnsResponses": 0, "maxTcpPayload": 0}
    for line in txt.splitlines():
        if "Flags [S]" in line: c["syn"] += 1
        if "Flags [S.]" in line: c["synAck"] += 1
        if "Flags [R" in line: c["rst"] += 1
        m = re.search(r"ICMP (.*?)(, length \d+)?$", line)
        if m: c["icmp"].append(m.group(1))
        if re.search(r"\.53: \d+\+? (A|AAAA)\?", line): c["dnsQueries"] += 1
        if re.search(r"\.53 > .*: \d+\*? ", line): c["dnsResponses"] += 1
        m = re.search(r"Flags \[[^]]*\], seq \d+:\d+.*length (\d+)", line)
        if m: c["maxTcpPayload"] = max(c["maxTcpPayload"], int(m.group(1)))
    return {k: v for k, v in c.items() if v}

def times(path, pattern, lines=False):
    """Absolute timestamps (and the matching lines) of the packets whose tcpdump line matches pattern."""
    txt = subprocess.run(["tcpdump", "-tt", "-nn", "-r", path], capture_output=True, text=True).stdout
    ts, cur = [], None
    for line in txt.splitlines():
        m = re.match(r"(\d+\.\d+) ", line)
        if m:
            cur = float(m.group(1))
        if re.search(pattern, line):
            ts.append((cur, line) if lines else cur)
    return ts

def read(p):
    try:
        return open(p).read().strip()
    except FileNotFoundError:
        return None

scen = []
for s in order:
    d = {"name": s}
    d.update(json.load(open(os.path.join(res, s + ".meta.json"))))
    c = os.path.join(res, s + ".client.json")
    d["clientResult"] = json.load(open(c)) if os.path.exists(c) else None
    if d["clientResult"] and "client" in d["clientResult"]:
        d["keyConnection"] = {"client": d["clientResult"].pop("client"), "server": d["clientResult"].pop("server"), "protocol": "tcp"}
    elif s.startswith("dns"):
        d["keyConnection"] = {"client": "10.244.0.1:<ephemeral, see captures>", "server": "10.244.1.1:53", "protocol": "udp"}
    ev = {}
    for key, suffix in [("nftRulesetWithCounters", ".nft.txt"), ("serverSocketBeforeDeadline", ".ss.txt"),
                        ("serverRoutes", ".route.txt"), ("serverNstat", ".nstat.txt"), ("routerNstat", ".router-nstat.txt")]:
        v = read(os.path.join(res, s + suffix))
        if v is not None:
            ev[key] = v
    dl = os.path.join(res, s + ".dnslog.jsonl")
    if os.path.exists(dl):
        ev["dnsServerLog"] = [json.loads(l) for l in open(dl) if l.strip()]
    if ev:
        d["evidence"] = ev
    files = []
    for host in ("client", "server"):
        for iface in ("eth0", "flannel.1"):
            fn = "%s-%s-%s.pcap" % (s, host, iface.replace(".", ""))
            p = os.path.join(out, fn)
            f = {"file": fn, "host": host, "iface": iface,
                 "captureFilter": "udp port 8472 or icmp" if iface == "eth0" else None}
            if iface != "eth0":
                f["captureFilter"] = {"healthy": "tcp port 7000 or icmp", "refused-rst": "tcp port 8080 or icmp",
                    "refused-icmp": "tcp port 8081 or icmp", "synack-lost": "tcp port 9153 or icmp",
                    "mtu-blackhole": "tcp port 8000 or icmp", "mtu-blackhole-icmp": "tcp port 8000 or icmp",
                    "dns-delay": "udp port 53 or icmp", "dns-ok": "udp port 53 or icmp"}[s]
            if os.path.exists(p):
                f.update(pcap_info(p))
                f["tcpdumpCounts"] = summary(p)
            files.append(f)
    d["files"] = files
    # Observations computed from this run's captures and logs (not assumptions).
    r, obs = d["clientResult"] or {}, []
    fp = lambda host, iface: os.path.join(out, "%s-%s-%s.pcap" % (s, host, iface))
    if s == "synack-lost":
        syns = times(fp("client", "flannel1"), r"Flags \[S\],")
        t0 = syns[0] if syns else 0
        rel = lambda ts: ", ".join("%.2f" % (t - t0) for t in ts)
        obs.append("client SYNs (client flannel.1) at +[%s] s" % rel(syns))
        obs.append("server SYN-ACKs (server eth0) at +[%s] s" % rel(times(fp("server", "eth0"), r"Flags \[S\.\]")))
        obs.append("SYN-ACKs reaching the client (client eth0) at +[%s] s" % rel(times(fp("client", "eth0"), r"Flags \[S\.\]")))
        if r.get("afterSec") is not None:
            obs.append("client connected after %.2f s; the drop was removed at %s s, so the handshake completed with the first SYN/SYN-ACK exchange after that, not at %s s"
                       % (r["afterSec"], d["fault"]["durationSec"], d["fault"]["durationSec"]))
    if s.startswith("mtu-blackhole"):
        expected = int(os.environ["BIG"]) + len("HTTP/1.0 200 OK size=%s\n" % os.environ["BIG"])
        obs.append("client %s with %d of %d response bytes, %.2f s after connecting"
                   % ("completed" if r.get("result") == "complete" else "timed out (%s)" % r.get("phase"),
                      r.get("bytesReceived", 0), expected, r.get("endedAfterSec", 0)))
        first = times(fp("server", "eth0"), r"seq 29:", True)
        if first:
            obs.append("server segments starting at seq 29 (server eth0), time and TCP payload length: %s"
                       % ", ".join("+%.2fs/%s" % (t - first[0][0], re.search(r"length (\d+)", l).group(1)) for t, l in first))
        icmps = [i for f in files for i in f.get("tcpdumpCounts", {}).get("icmp", []) if "need to frag" in i]
        obs.append("ICMP frag-needed in the captures: %d (%s)" % (len(icmps), "; ".join(sorted(set(icmps))) or "none"))
        if s == "mtu-blackhole-icmp":
            obs.append("recovered by PMTUD: the server node cached mtu 1400 toward 192.168.10.2 and the VXLAN driver passed a path MTU of 1350 on to the inner route/TCP connection, which re-segmented (see evidence.serverRoutes)"
                       if r.get("result") == "complete" else "did NOT recover although the ICMP frag-needed reached the server node")
    if s.startswith("dns"):
        log = ev.get("dnsServerLog", [])
        if log:
            t0 = log[0]["t"]
            obs.append("DNS server saw: " + "; ".join("+%.3fs %s %s id %d %s" % (e["t"] - t0, e["from"],
                       {1: "A", 28: "AAAA"}.get(e["qtype"], e["qtype"]), e["id"], e["action"]) for e in log))
            d["keyConnection"]["client"] = log[0]["from"]
            q = times(fp("client", "flannel1"), r"\.53: \d+\+? (A|AAAA)\?", True)
            a = times(fp("client", "flannel1"), r"\.53 > ", True)
            if len(q) >= 2:
                obs.append("client flannel.1: the first two queries (%s) left %.1f ms apart, %s the first answer arrived"
                           % (" + ".join(re.search(r"(AAAA|A)\?", l).group(1) for _, l in q[:2]), (q[1][0] - q[0][0]) * 1000,
                              "before" if not a or q[1][0] < a[0][0] else "after"))
            if len({e["from"] for e in log}) == 1:
                obs.append("all queries came from one socket (%s)" % log[0]["from"])
            if s == "dns-delay" and len(log) >= 4:
                obs.append("after the 5 s timeout glibc re-sent the A query, waited for its answer, then re-sent the AAAA query (its single-request fallback after a partial answer), same query ids")
        for e in log:
            e["t"] = round(e["t"], 6)
    if obs:
        d["observed"] = obs
    scen.append(d)

m = {
    "generatedBy": "scripts/make-netns-faults.sh",
    "generatedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "kernel": os.environ["KERNEL"],
    "tcpdump": os.environ["TCPDUMP_V"],
    "captureCommand": "ip netns exec <pdC|pdS> tcpdump -Z root -U -s 0 -i <iface> -w <file> <filter>",
    "glibc": os.environ["GLIBC"],
    "sysctls": dict(l.split(" = ", 1) for l in (read(os.path.join(res, "sysctls.txt")) or "").splitlines() if " = " in l),
    "sysctlsNote": "read inside a freshly created namespace (kernel defaults), identical on all three",
    "topology": {
        "client": {"netns": "pdC", "eth0": "192.168.10.2/24", "flannel.1": "10.244.0.1/24", "pod": "10.244.0.1",
                   "routes": ["192.168.20.0/24 via 192.168.10.1", "10.244.1.0/24 dev flannel.1"]},
        "router": {"netns": "pdR", "toC": "192.168.10.1/24", "toS": "192.168.20.1/24", "ip_forward": 1},
        "server": {"netns": "pdS", "eth0": "192.168.20.2/24", "flannel.1": "10.244.1.1/24", "pod": "10.244.1.1",
                   "routes": ["192.168.10.0/24 via 192.168.20.1", "10.244.0.0/24 dev flannel.1"]},
        "vxlan": "flannel.1: vxlan id 1 dstport 8472 local <own eth0> remote <peer eth0> dev eth0 noudpcsum (outer UDP checksum 0, flannel's default), MTU 1450, permanent neighbour entries for the peer pod address; df unset except in the mtu-* scenarios (df set)",
        "offloads": ("the nodes' veth eth0 and flannel.1 keep their default offloads (tx checksum offload, TSO/GSO on; GRO on flannel.1): "
                     "captures on the SENDING node show partial inner TCP/UDP checksums (tcpdump -vv prints them as 'incorrect -> 0x....' / 'bad udp cksum', "
                     "they are the pseudo-header sum, not corruption) and flannel.1 captures show TSO super-packets on the sender and GRO aggregates on the receiver, larger than the MTU. "
                     "The router's veths have tx checksumming %s (ethtool -K toC/toS tx %s): it plays the physical network, so the RECEIVING node's eth0 sees complete, correct "
                     "checksums and wire-sized packets. mtu-* scenarios also turn off tx-udp_tnl-segmentation on the server node's eth0 (see their fault)." % (os.environ["ROUTER_TX_CSUM"], os.environ["ROUTER_TX_CSUM"])),
        "ipv6": "disabled in all three namespaces (no link-local chatter tunnelled over flannel.1; the AAAA queries are ordinary IPv4 DNS traffic)",
        "outerUdpChecksum": "0 on every tunnel packet (noudpcsum); outer IPv4 DF only in mtu-* (df set)",
        "mtu": "eth0 1500 on both nodes, router links 1500 except toC = 1400 in the mtu-* scenarios, flannel.1 1450",
    },
    "scenarios": scen,
}
json.dump(m, open(os.path.join(out, "MANIFEST.json"), "w"), indent=2)
print("wrote", os.path.join(out, "MANIFEST.json"))
PYEOF
if [ -n "${SUDO_UID:-}" ]; then chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$OUT" "$OUT"/*.pcap "$OUT"/MANIFEST.json; fi
ls -la "$OUT"
du -sh "$OUT"
