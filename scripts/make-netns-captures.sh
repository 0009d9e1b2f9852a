#!/usr/bin/env bash
# Make REAL captures of the incident with the running kernel (needs root, iproute2, nftables,
# ethtool, tcpdump, python3): two network namespaces joined by a veth ("physical" network), a
# VXLAN device on UDP 8472 in each (the overlay), a server behind the overlay, and SYNs lost for
# a while. Captured on every interface, including `-i any`, on both sides.
#
#   pdA (sender / client node)                         pdB (receiver / server node)
#   vA 192.168.77.1/24  <------ veth ("phys") ------>  vB 192.168.77.2/24
#   vx0 10.99.0.1/24 (vxlan id 1, dstport 8472, udpcsum)  vx0 10.99.0.2/24
#
#   exp-csum: Linux exponential ladder (tcp_syn_linear_timeouts=0). For the first DROP_EXP seconds
#             nftables rewrites the sender's outer UDP checksum to 0xffff, exactly the bug; with tx
#             checksum offload off on the veth the receiving kernel verifies it and drops.
#   lin-drop: Linux >= 6.5 default linear-then-exponential ladder; the receiver's nftables drops
#             inner SYNs for DROP_LIN seconds. Offloads on (real partial/LCO checksums on the veth).
#   corrupt:  random single-bit corruption "on the wire", sender -> receiver direction only, in
#             CORRUPT_PCT % of the frames. This kernel has no sch_netem, so the wire is a third
#             namespace pdW between vA and vB (vA <-> wA | wB <-> vB, no addresses) where a small
#             AF_PACKET program forwards frames both ways and, like netem's corrupt, flips one random
#             bit of a random byte of the frame. The sender's vA capture is therefore taken before
#             the corruption and the receiver's vB capture after it. Tx offloads off on vA and vB
#             (checksums complete: any bad one is genuinely bad). Traffic: a paced TCP upload of
#             CORRUPT_BYTES over ~CORRUPT_SECS s plus 25 DNS-style UDP queries (1 s timeout, 3 tries).
#   giveup:   exponential ladder (tcp_syn_linear_timeouts=0, tcp_syn_retries=6) and the receiver's
#             nftables drops every inner SYN for the whole run: the client gives up (ETIMEDOUT)
#             after ~127 s; captured until GIVEUP_HOLD s after the first SYN.
#
# Output: $OUT/<scenario>-<sender|receiver>-<phys|vxlan|any>.pcap and $OUT/MANIFEST.json
#   (the MANIFEST is written only when all four scenarios ran; ONLY="corrupt giveup" for a subset).
# Usage:  sudo scripts/make-netns-captures.sh
set -euo pipefail
OUT=${OUT:-$(cd "$(dirname "$0")/.." && pwd)/test/captures/netns}
PY=${PY:-/usr/bin/python3}
DROP_EXP=${DROP_EXP:-20}
DROP_LIN=${DROP_LIN:-8}
CORRUPT_PCT=${CORRUPT_PCT:-5}
CORRUPT_BYTES=${CORRUPT_BYTES:-204800}
CORRUPT_SECS=${CORRUPT_SECS:-10}
CORRUPT_SEED=${CORRUPT_SEED:-$RANDOM$RANDOM}
GIVEUP_HOLD=${GIVEUP_HOLD:-135}
ALL="exp-csum lin-drop corrupt giveup"
ONLY=${ONLY:-$ALL}
NS="pdA pdB pdW"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RES=$(mktemp -d)
CAPPIDS=()

cleanup() {
  local ns
  for ns in $NS; do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 0.3
  for ns in $NS; do ip netns del $ns 2>/dev/null || true; done
  CAPPIDS=()
}
final() { cleanup; rm -rf "$RES"; }
trap final EXIT
trap 'exit 130' INT TERM

setup() { # $1 = offload on|off, $2 = ipv6 on|off, $3 = direct|wire
  local offload=$1 ipv6=${2:-on} link=${3:-direct} ns
  cleanup
  ip netns add pdA
  ip netns add pdB
  if [ "$ipv6" = off ]; then
    for ns in pdA pdB; do
      ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
  fi
  if [ "$link" = wire ]; then
    ip netns add pdW
    ip netns exec pdW sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip link add vA netns pdA type veth peer name wA netns pdW
    ip link add vB netns pdB type veth peer name wB netns pdW
    for ns in wA wB; do
      ip netns exec pdW ethtool -K $ns tx off rx off >/dev/null
      ip -n pdW link set $ns promisc on up
    done
  else
    ip link add vA netns pdA type veth peer name vB netns pdB
  fi
  ip -n pdA addr add 192.168.77.1/24 dev vA
  ip -n pdB addr add 192.168.77.2/24 dev vB
  ip -n pdA link set vA up
  ip -n pdB link set vB up
  ip -n pdA link set lo up
  ip -n pdB link set lo up
  if [ "$offload" = off ]; then
    ip netns exec pdA ethtool -K vA tx off rx off >/dev/null
    ip netns exec pdB ethtool -K vB tx off rx off >/dev/null
  fi
  ip -n pdA link add vx0 type vxlan id 1 dstport 8472 local 192.168.77.1 remote 192.168.77.2 dev vA udpcsum
  ip -n pdB link add vx0 type vxlan id 1 dstport 8472 local 192.168.77.2 remote 192.168.77.1 dev vB udpcsum
  ip -n pdA addr add 10.99.0.1/24 dev vx0
  ip -n pdB addr add 10.99.0.2/24 dev vx0
  ip -n pdA link set vx0 up
  ip -n pdB link set vx0 up
  # Permanent neighbours on the overlay: no ARP inside the tunnel while packets are being lost.
  ip -n pdA neigh replace 10.99.0.2 lladdr "$(ip -n pdB -br link show vx0 | awk '{print $3}')" dev vx0 nud permanent
  ip -n pdB neigh replace 10.99.0.1 lladdr "$(ip -n pdA -br link show vx0 | awk '{print $3}')" dev vx0 nud permanent
  [ -s "$RES/sysctls.txt" ] || ip netns exec pdA sysctl net.ipv4.tcp_syn_linear_timeouts net.ipv4.tcp_syn_retries \
    net.ipv4.tcp_synack_retries > "$RES/sysctls.txt" 2>/dev/null || true
}

# capture <scenario> <point>...   point = <sender|receiver>-<phys|vxlan|any>
capture() {
  local s=$1 p ns dev log i
  shift
  for p in "$@"; do
    ns=pdA; [ "${p%%-*}" = receiver ] && ns=pdB
    case ${p#*-} in phys) dev=vA; [ $ns = pdB ] && dev=vB ;; vxlan) dev=vx0 ;; any) dev=any ;; esac
    log=$RES/$s-$p.tcpdump.log
    if [ "$dev" = any ]; then
      ip netns exec $ns tcpdump -Z root -U -s 0 -i any -w "$OUT/$s-$p.pcap" 'tcp port 9153 or udp port 8472' 2>"$log" &
    else
      ip netns exec $ns tcpdump -Z root -U -s 0 -i $dev -w "$OUT/$s-$p.pcap" 2>"$log" &
    fi
    CAPPIDS+=($!)
    for i in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
    ip -n $ns -o link show > "$RES/$s-$ns.links"
  done
  sleep 1
}

stop_captures() {
  sleep 1
  kill -INT "${CAPPIDS[@]}" 2>/dev/null || true
  wait "${CAPPIDS[@]}" 2>/dev/null || true
  CAPPIDS=()
}

counters() { # $1 scenario: kernel counters on both hosts (for the MANIFEST)
  ip netns exec pdA nstat -asz > "$RES/$1.sender-nstat.txt" 2>/dev/null || true
  ip netns exec pdB nstat -asz > "$RES/$1.receiver-nstat.txt" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# TCP client: binds 10.99.0.1:<sport> (the key connection, printed from getsockname()), connects,
# reads the server's greeting. Prints a human line on stderr and a JSON line on stdout.
# argv: sport connect_timeout(s|none) hold(s: stay alive until this long after the start, or 0)
CLIENT_PY='
import errno, json, socket, sys, time
sport, ctimeout, hold = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("10.99.0.1", sport))
r = {"client": "%s:%d" % s.getsockname(), "server": "10.99.0.2:9153"}
s.settimeout(None if ctimeout == "none" else float(ctimeout))
t0 = time.time()
r["startEpoch"] = round(t0, 6)
try:
    s.connect(("10.99.0.2", 9153))
except OSError as e:
    dt = time.time() - t0
    if e.errno is None:   # Python socket timeout, not the kernel
        r.update(result="client-timeout", afterSec=round(dt, 3))
        print("client gave up (socket timeout %s s) after %.1f s" % (ctimeout, dt), file=sys.stderr)
    else:
        r.update(result="error", error=type(e).__name__, errno=errno.errorcode.get(e.errno), strerror=e.strerror,
                 afterSec=round(dt, 3))
        print("error %s (%s) after %.1f s" % (r["errno"], e.strerror, dt), file=sys.stderr)
else:
    dt = time.time() - t0
    r.update(result="connected", afterSec=round(dt, 3))
    print("connected after %.1f s" % dt, file=sys.stderr)
    s.settimeout(10)
    r["received"] = s.recv(64).decode(errors="replace")
s.close()
print(json.dumps(r), flush=True)
time.sleep(max(0.0, t0 + hold - time.time()))
'

SERVER_PY='
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.2", 9153)); s.listen(4)
c, _ = s.accept(); c.sendall(b"pcap-doctor\n"); c.close()
'

wait_listen() { # ns proto(t|u) port
  local i
  for i in $(seq 50); do ip netns exec "$1" ss -Hl"$2"n "sport = :$3" | grep -q . && return; sleep 0.1; done
  echo "nothing listens on $3/$2 in $1" >&2; exit 1
}

serve_and_connect() { # scenario sport connect_timeout hold
  ip netns exec pdB $PY -c "$SERVER_PY" &
  wait_listen pdB t 9153
  ip netns exec pdA $PY -c "$CLIENT_PY" "$2" "$3" "$4" > "$RES/$1.client.json"
  cat "$RES/$1.client.json"
  sleep 1
}

# ---------------------------------------------------------------------------------------------
# corrupt: the wire. Forwards frames between wA and wB; A->B frames are corrupted (one random bit
# of one random byte, anywhere in the frame, as netem corrupt does) with probability pct % once
# SIGUSR1 arrives. Each corruption is logged with the region of the frame it hit.
# argv: pct seed logfile
WIRE_PY='
import json, random, select, signal, socket, struct, sys, time
pct, seed, logf = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
state = {"on": False, "ab": 0, "ba": 0, "hit": 0}
def enable(*_):
    state["on"] = True
signal.signal(signal.SIGUSR1, enable)
def sock(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((ifname, 3))
    return s
def region(f, off):
    """Which header field/area byte off of frame f belongs to (decoded from the original frame)."""
    if off < 14:
        return "eth dst" if off < 6 else "eth src" if off < 12 else "eth type"
    et = struct.unpack(">H", f[12:14])[0]
    if et == 0x0806:
        return "arp"
    if et != 0x0800:
        return "ethertype 0x%04x" % et
    ip = 14; ihl = (f[ip] & 15) * 4
    if off < ip + ihl:
        return "outer ipv4 checksum" if off - ip in (10, 11) else "outer ipv4 header"
    l4 = ip + ihl
    if f[ip + 9] != 17 or struct.unpack(">H", f[l4 + 2:l4 + 4])[0] != 8472:
        return "outer ipv4 payload (not vxlan)"
    if off < l4 + 8:
        return "outer udp checksum" if off - l4 in (6, 7) else "outer udp header"
    if off < l4 + 16:
        return "vxlan header"
    ie = l4 + 16
    if off < ie + 14:
        return "inner eth"
    ii = ie + 14; iihl = (f[ii] & 15) * 4
    if off < ii + iihl:
        return "inner ipv4 checksum" if off - ii in (10, 11) else "inner ipv4 header"
    il = ii + iihl; proto = f[ii + 9]
    if proto == 6:
        doff = (f[il + 12] >> 4) * 4
        if off < il + doff:
            return "inner tcp checksum" if off - il in (16, 17) else "inner tcp header"
        return "inner tcp payload"
    if proto == 17:
        if off < il + 8:
            return "inner udp checksum" if off - il in (6, 7) else "inner udp header"
        return "inner udp payload"
    return "inner ipv4 payload (proto %d)" % proto
sa, sb = sock("wA"), sock("wB")
log = open(logf, "w")
while True:
    for s in select.select([sa, sb], [], [])[0]:
        frame, addr = s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if s is sa:
            state["ab"] += 1
            if state["on"] and rng.random() * 100 < pct:
                off, bit = rng.randrange(len(frame)), rng.randrange(8)
                b = bytearray(frame); old = b[off]; b[off] ^= 1 << bit
                state["hit"] += 1
                log.write(json.dumps({"t": round(time.time(), 6), "abFrame": state["ab"], "len": len(frame),
                                      "offset": off, "bit": bit, "byte": "0x%02x->0x%02x" % (old, b[off]),
                                      "region": region(frame, off)}) + "\n")
                log.flush()
                frame = bytes(b)
            sb.send(frame)
        else:
            state["ba"] += 1
            sa.send(frame)
'

# corrupt: server on 10.99.0.2: TCP 9153 receives the upload, answers "<bytes> <sha256>"; UDP 53
# answers DNS A queries for svc.cluster.local (10.96.0.10). argv: dns log file
CORRUPT_SERVER_PY='
import hashlib, json, socket, struct, sys, threading, time
log = open(sys.argv[1], "w")
def dns():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.99.0.2", 53))
    while True:
        data, addr = u.recvfrom(4096)
        qid, flags = struct.unpack(">HH", data[:4])
        i = 12
        while data[i]:
            i += 1 + data[i]
        question = data[12:i + 5]
        ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 30, 4) + socket.inet_aton("10.96.0.10")
        u.sendto(struct.pack(">HHHHHH", qid, 0x8580, 1, 1, 0, 0) + question + ans, addr)
        log.write(json.dumps({"t": round(time.time(), 6), "from": "%s:%d" % addr, "id": qid}) + "\n"); log.flush()
threading.Thread(target=dns, daemon=True).start()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.2", 9153)); s.listen(4)
c, _ = s.accept()
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(65536)
    if not b:
        break
    h.update(b); n += len(b)
c.sendall(b"%d %s\n" % (n, h.hexdigest().encode()))
c.close()
time.sleep(3600)
'

# corrupt: client on 10.99.0.1: paced TCP upload from 10.99.0.1:40003 and DNS queries from
# 10.99.0.1:40053 (after every 2nd chunk: 25 queries; 1 s timeout, up to 3 tries). argv: bytes seconds
CORRUPT_CLIENT_PY='
import hashlib, json, socket, struct, sys, time
nbytes, secs = int(sys.argv[1]), float(sys.argv[2])
data = bytes((i * 7 + 13) % 251 for i in range(nbytes))
chunks = 50; size = -(-nbytes // chunks)
s = socket.socket(); s.bind(("10.99.0.1", 40003))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.99.0.1", 40053)); u.settimeout(1.0)
r = {"client": "%s:%d" % s.getsockname(), "server": "10.99.0.2:9153",
     "dnsClient": "%s:%d" % u.getsockname(), "dnsServer": "10.99.0.2:53"}
t0 = time.time(); r["startEpoch"] = round(t0, 6)
s.settimeout(30)
s.connect(("10.99.0.2", 9153))
r["connectedAfterSec"] = round(time.time() - t0, 3)
qname = b"".join(bytes([len(p)]) + p for p in b"svc.cluster.local".split(b".")) + b"\x00"
dns = []
for i in range(chunks):
    s.sendall(data[i * size:(i + 1) * size])
    if i % 2 == 1:
        qid = 0x4000 + i
        q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", 1, 1)
        e = {"id": qid, "tries": 0, "answered": False}
        for attempt in range(3):
            e["tries"] += 1
            ts = time.time()
            u.sendto(q, ("10.99.0.2", 53))
            try:
                while True:
                    a = u.recv(4096)
                    if struct.unpack(">H", a[:2])[0] == qid:
                        e.update(answered=True, rttMs=round((time.time() - ts) * 1000, 2))
                        break
            except socket.timeout:
                continue
            break
        dns.append(e)
    time.sleep(max(0.0, t0 + (i + 1) * secs / chunks - time.time()))
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    b = s.recv(256)
    if not b:
        break
    reply += b
n, digest = reply.decode().split()
r.update(result="complete", uploadBytes=nbytes, serverReceivedBytes=int(n),
         integrityOk=int(n) == nbytes and digest == hashlib.sha256(data).hexdigest(),
         endedAfterSec=round(time.time() - t0, 3), dns=dns)
print("upload of %d bytes done after %.1f s, server got %s bytes, sha256 %s; DNS: %d/%d answered, %d retries"
      % (nbytes, time.time() - t0, n, "match" if r["integrityOk"] else "MISMATCH",
         sum(e["answered"] for e in dns), len(dns), sum(e["tries"] - 1 for e in dns)), file=sys.stderr)
print(json.dumps(r), flush=True)
'

# One ARP request on an interface. argv: ifname sender_ip target_ip
ARP_PY='
import socket, sys
ifn, spa, tpa = sys.argv[1:4]
mac = bytes.fromhex(open("/sys/class/net/%s/address" % ifn).read().strip().replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind((ifn, 0))
s.send(b"\xff" * 6 + mac + b"\x08\x06" + bytes.fromhex("0001080006040001") + mac + socket.inet_aton(spa)
       + b"\x00" * 6 + socket.inet_aton(tpa))
'

ran() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

# ---------------------------------------------------------------------------------------------
if ran exp-csum; then
echo "== exp-csum: exponential ladder, bad outer checksum for ${DROP_EXP}s"
rm -f "$OUT"/exp-csum-*.pcap
setup off
ip netns exec pdA sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
ip netns exec pdA nft -f - <<NFT
table inet pd {
  chain post {
    type filter hook postrouting priority 100;
    oifname "vA" udp dport 8472 counter udp checksum set 0xffff
  }
}
NFT
capture exp-csum sender-phys sender-vxlan sender-any receiver-phys receiver-vxlan receiver-any
( sleep "$DROP_EXP"; ip netns exec pdA nft list table inet pd > "$RES/exp-csum.nft.txt"
  ip netns exec pdA nft delete table inet pd; date +%s.%N > "$RES/exp-csum.faultend" ) &
FAULTPID=$!
serve_and_connect exp-csum 40001 150 0
wait $FAULTPID
counters exp-csum
stop_captures
fi

if ran lin-drop; then
echo "== lin-drop: linear-then-exponential ladder, receiver drops SYNs for ${DROP_LIN}s"
rm -f "$OUT"/lin-drop-*.pcap
setup on
ip netns exec pdB nft -f - <<NFT
table inet pd {
  chain in {
    type filter hook input priority 0;
    iifname "vx0" tcp dport 9153 tcp flags & (syn | ack) == syn counter drop
  }
}
NFT
capture lin-drop sender-phys sender-vxlan sender-any receiver-phys receiver-vxlan receiver-any
( sleep "$DROP_LIN"; ip netns exec pdB nft list table inet pd > "$RES/lin-drop.nft.txt"
  ip netns exec pdB nft delete table inet pd; date +%s.%N > "$RES/lin-drop.faultend" ) &
FAULTPID=$!
serve_and_connect lin-drop 40002 150 0
wait $FAULTPID
counters lin-drop
stop_captures
fi

if ran corrupt; then
echo "== corrupt: ${CORRUPT_PCT}% of sender->receiver frames get one random bit flipped on the wire"
rm -f "$OUT"/corrupt-*.pcap
setup off off wire
ip netns exec pdW $PY -c "$WIRE_PY" "$CORRUPT_PCT" "$CORRUPT_SEED" "$RES/corrupt.wire.jsonl" &
WIREPID=$!
sleep 0.5
# Underlay ARP both ways before anything is captured or corrupted (a UDP datagram to the discard
# port each way; the answer is an ICMP port unreachable).
for d in pdA:192.168.77.2 pdB:192.168.77.1; do
  ip netns exec "${d%%:*}" $PY -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"warm-up", (sys.argv[1], 9))' "${d#*:}"
done
sleep 0.3
ip netns exec pdB $PY -c "$CORRUPT_SERVER_PY" "$RES/corrupt.dnslog.jsonl" &
wait_listen pdB t 9153
wait_listen pdB u 53
capture corrupt sender-phys receiver-phys
kill -USR1 $WIREPID
date +%s.%N > "$RES/corrupt.faultstart"
ip netns exec pdA $PY -c "$CORRUPT_CLIENT_PY" "$CORRUPT_BYTES" "$CORRUPT_SECS" > "$RES/corrupt.client.json"
cat "$RES/corrupt.client.json"
sleep 1
counters corrupt
stop_captures
fi

if ran giveup; then
echo "== giveup: exponential ladder, receiver drops every SYN; the client gives up (~127 s)"
rm -f "$OUT"/giveup-*.pcap
setup on off
ip netns exec pdA sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0 net.ipv4.tcp_syn_retries=6
ip netns exec pdB nft -f - <<NFT
table inet pd {
  chain in {
    type filter hook input priority 0;
    iifname "vx0" tcp dport 9153 tcp flags & (syn | ack) == syn counter drop
  }
}
NFT
capture giveup sender-phys receiver-phys
serve_and_connect giveup 40004 none "$GIVEUP_HOLD"
# A pcap file does not record when its capture stopped: mark the end with one underlay ARP exchange
# (who-has 192.168.77.2 from vA, answered by pdB's kernel), so the silence after the 7th SYN is visible.
ip netns exec pdA $PY -c "$ARP_PY" vA 192.168.77.1 192.168.77.2
date +%s.%N > "$RES/giveup.endmarker"
ip netns exec pdB nft list table inet pd > "$RES/giveup.nft.txt"
ip netns exec pdB ss -Htan "sport = :9153" > "$RES/giveup.ss.txt" || true
counters giveup
stop_captures
fi
cleanup

# ---------------------------------------------------------------------------------------------
for s in $ALL; do
  if ! ran "$s"; then echo "ONLY=$ONLY: MANIFEST.json not rewritten"; ls -la "$OUT"; exit 0; fi
done
echo "== MANIFEST.json"
KERNEL=$(uname -r) TCPDUMP_V=$(tcpdump --version 2>&1 | head -1) NFT_V=$(nft --version) IPROUTE_V=$(ip -V) \
DROP_EXP=$DROP_EXP DROP_LIN=$DROP_LIN CORRUPT_PCT=$CORRUPT_PCT CORRUPT_BYTES=$CORRUPT_BYTES \
CORRUPT_SECS=$CORRUPT_SECS CORRUPT_SEED=$CORRUPT_SEED GIVEUP_HOLD=$GIVEUP_HOLD \
$PY - "$OUT" "$RES" <<'PYEOF'
import collections, json, os, re, struct, subprocess, sys, time
out, res = sys.argv[1], sys.argv[2]
E = os.environ

def read(name):
    try:
        return open(os.path.join(res, name)).read().strip()
    except FileNotFoundError:
        return None

def frames(path):
    """(linktype, [(time, frame bytes)]) of a pcap file."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        e = "<" if struct.unpack("<I", hdr[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
        nano = struct.unpack(e + "I", hdr[:4])[0] in (0xa1b23c4d, 0x4d3cb2a1)
        lt = struct.unpack(e + "I", hdr[20:24])[0]
        out = []
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                break
            sec, frac, incl, _ = struct.unpack(e + "IIII", rh)
            out.append((sec + frac / (1e9 if nano else 1e6), f.read(incl)))
    return lt, out

def pcap_info(path):
    lt, fr = frames(path)
    return {"packets": len(fr), "bytes": os.path.getsize(path), "linktype": lt}

def links(scenario, ns):
    """ifindex -> name in a capture namespace (from ip -o link show, saved when the capture started)."""
    m = {}
    for line in (read("%s-%s.links" % (scenario, ns)) or "").splitlines():
        x = re.match(r"(\d+): ([^:@]+)", line)
        if x:
            m[int(x.group(1))] = x.group(2)
    return m

def decode(path, ifnames=None):
    """tcpdump -tt -nn -vv, one record per packet: [time, text, interface-or-None]. For SLL2 (-i any)
    files the interface comes from the ifindex stored in each frame, mapped with the capture
    namespace's own table (tcpdump -r would print the reading host's names for those indexes)."""
    txt = subprocess.run(["tcpdump", "-tt", "-nn", "-vv", "-r", path], capture_output=True, text=True).stdout
    recs = []
    for line in txt.splitlines():
        if re.match(r"\d+\.\d+ ", line):
            recs.append([float(line.split()[0]), line, None])
        elif recs:
            recs[-1][1] += "\n" + line
    lt, fr = frames(path)
    if lt == 276 and len(fr) == len(recs):
        for r, (_, b) in zip(recs, fr):
            idx = struct.unpack(">I", b[4:8])[0]
            r[2] = (ifnames or {}).get(idx, "ifindex%d" % idx)
    return recs

def outer_verdict(text):
    m = re.search(r"\.8472: \[(bad udp cksum 0x[0-9a-f]+ -> 0x[0-9a-f]+!|udp sum ok|no cksum)\]", text)
    if m:
        return m.group(1)
    return "no outer (inside the tunnel)" if ".8472:" not in text else "outer UDP checksum not verified by tcpdump"

def ladder(recs, t0):
    """SYNs (client -> server) and SYN-ACKs seen, per interface for -i any captures."""
    out = collections.defaultdict(list)
    for t, text, ifc in recs:
        for m in re.finditer(r"(\d+\.\d+\.\d+\.\d+\.\d+) > (\d+\.\d+\.\d+\.\d+\.9153): Flags \[S\]", text):
            out[(ifc + ":" if ifc else "") + "syn"].append({"t": round(t - t0, 3), "outer": outer_verdict(text)})
        if re.search(r"\.9153 > [\d.]+: Flags \[S\.\]", text):
            out[(ifc + ":" if ifc else "") + "synAck"].append(round(t - t0, 3))
    return out

def checksum_tally(recs):
    c = collections.Counter()
    diffs = []
    for t, text, ifc in recs:
        for m in re.finditer(r"\[bad udp cksum 0x([0-9a-f]+) -> 0x([0-9a-f]+)!\]", text):
            c["bad outer/inner udp checksum"] += 1
            diffs.append("udp stored 0x%s correct 0x%s" % m.groups())
        for m in re.finditer(r"cksum 0x([0-9a-f]+) \(incorrect -> 0x([0-9a-f]+)\)", text):
            c["bad tcp checksum (incorrect ->)"] += 1
            diffs.append("tcp stored 0x%s correct 0x%s" % m.groups())
        for m in re.finditer(r"bad cksum ([0-9a-f]+) \(->([0-9a-f]+)\)!", text):
            c["bad ipv4 header checksum"] += 1
            diffs.append("ipv4 stored 0x%s correct 0x%s" % m.groups())
        c["udp sum ok"] += text.count("[udp sum ok]")
        c["tcp cksum correct"] += len(re.findall(r"cksum 0x[0-9a-f]+ \(correct\)", text))
    return {k: v for k, v in c.items() if v}, diffs

def nstat(name, keys):
    t = read(name) or ""
    d = {}
    for line in t.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0] in keys:
            d[p[0]] = int(p[1])
    return d

def match_corruptions(sender, receiver, wire):
    """Receiver frames that are not byte-identical to a sender frame, paired with the sender frame of
    the same length that differs from it in exactly one bit (frame numbers are 1-based, as in Wireshark)."""
    _, sf = frames(sender)
    _, rf = frames(receiver)
    exact = {b for _, b in sf}
    res = []
    for i, (t, b) in enumerate(rf, 1):
        if b in exact:
            continue
        e = {"receiverFrame": i, "len": len(b)}
        rb = int.from_bytes(b, "big")
        for j, (_, c) in enumerate(sf, 1):
            if len(c) != len(b):
                continue
            x = rb ^ int.from_bytes(c, "big")
            if x and x & (x - 1) == 0:
                pos = len(b) * 8 - x.bit_length()
                e.update(senderFrame=j, offset=pos // 8, bit=7 - pos % 8)
                hit = [h for h in wire if h["offset"] == e["offset"] and h["bit"] == e["bit"] and h["len"] == len(b)]
                if hit:
                    e["region"] = hit[0]["region"]
                break
        else:
            e["senderFrame"] = None
        res.append(e)
    return res

def saw(name, cr):
    if cr.get("result") == "connected":
        return "connected after %.3f s" % cr["afterSec"]
    if cr.get("result") == "error":
        return "connect() failed: %s (%s) after %.3f s" % (cr["errno"], cr["strerror"], cr["afterSec"])
    if name == "corrupt":
        return ("connected after %.3f s; upload of %d bytes complete after %.3f s, server received %d bytes, sha256 %s; "
                "DNS: %d/%d answered, %d retries" % (cr["connectedAfterSec"], cr["uploadBytes"], cr["endedAfterSec"],
                cr["serverReceivedBytes"], "matches" if cr["integrityOk"] else "DOES NOT match",
                sum(e["answered"] for e in cr["dns"]), len(cr["dns"]), sum(e["tries"] - 1 for e in cr["dns"])))
    return json.dumps(cr)

def shows(f, lad, tally, name):
    parts = []
    for k, v in lad.items():
        if k.endswith("syn"):
            bad = sum(1 for a in v if a["outer"].startswith("bad udp cksum 0xffff"))
            parts.append("%s%d SYN(s) at +[%s] s%s" % (k[:-3].replace(":", " ") + ": " if ":" in k else "", len(v),
                         ", ".join("%.2f" % a["t"] for a in v),
                         " (%d with outer UDP checksum 0xffff, bad)" % bad if bad else ""))
        elif k.endswith("synAck"):
            parts.append("%sSYN-ACK at +[%s] s" % (k[:-6].replace(":", " ") + ": " if ":" in k else "", ", ".join("%.2f" % t for t in v)))
    if name == "corrupt":
        nbad = sum(v for k, v in tally.items() if k.startswith("bad"))
        parts.append("tcpdump -vv checksum errors: %s" % (", ".join("%s %d" % (k, v) for k, v in tally.items() if k.startswith("bad")) or "none"))
    return "; ".join(parts)

RECV_KEYS = ["UdpInCsumErrors", "UdpInErrors", "UdpInDatagrams", "IpInHdrErrors", "IpInAddrErrors", "IpInDiscards",
             "IpInReceives", "TcpInCsumErrors", "TcpInErrs", "TcpInSegs", "IpExtInCsumErrors"]
SEND_KEYS = ["TcpRetransSegs", "TcpExtTCPSynRetrans", "TcpExtTCPTimeouts", "TcpExtTCPLossProbes", "TcpOutSegs",
             "TcpAttemptFails", "TcpActiveOpens", "UdpOutDatagrams"]

points = {"sender-phys": ("sender", "pdA", "phys", "vA"), "sender-vxlan": ("sender", "pdA", "vxlan", "vx0"),
          "sender-any": ("sender", "pdA", "any", "any"), "receiver-phys": ("receiver", "pdB", "phys", "vB"),
          "receiver-vxlan": ("receiver", "pdB", "vxlan", "vx0"), "receiver-any": ("receiver", "pdB", "any", "any")}

exp_nft = 'table inet pd { chain post { type filter hook postrouting priority 100; oifname "vA" udp dport 8472 counter udp checksum set 0xffff } }'
drop_nft = 'table inet pd { chain in { type filter hook input priority 0; iifname "vx0" tcp dport 9153 tcp flags & (syn | ack) == syn counter drop } }'
scen = {
  "exp-csum": {
    "summary": "sender nftables sets the outer VXLAN UDP checksum to 0xffff for the first %s s; receiver drops those datagrams (UdpInCsumErrors)" % E["DROP_EXP"],
    "description": "The 63-second bug's mechanism with the Linux exponential SYN ladder: the sender's outer VXLAN UDP checksum is rewritten to 0xffff by nftables for the first %s s, the receiving kernel verifies it (tx/rx offload off on both veths) and drops the datagram; the first good attempt (at ~31 s) connects." % E["DROP_EXP"],
    "fault": {"where": "sender (pdA), nftables postrouting", "nft": exp_nft, "durationSec": float(E["DROP_EXP"]),
              "removedBy": "nft delete table inet pd, %s s after the captures started" % E["DROP_EXP"],
              "sysctl": "pdA net.ipv4.tcp_syn_linear_timeouts=0", "offloads": "ethtool -K vA tx off rx off; ethtool -K vB tx off rx off",
              "ipv6": "enabled (link-local DAD/MLD/RS chatter is tunnelled over vx0 during the first seconds, and gets the 0xffff checksum too)"},
    "points": ["sender-phys", "sender-vxlan", "sender-any", "receiver-phys", "receiver-vxlan", "receiver-any"]},
  "lin-drop": {
    "summary": "receiver nftables input hook drops inner SYNs to 10.99.0.2:9153 for the first %s s" % E["DROP_LIN"],
    "description": "Linux >= 6.5 default SYN ladder (tcp_syn_linear_timeouts=4: 1 s apart, then doubling): the receiver's nftables input hook drops the inner SYNs for the first %s s; the first SYN after that connects. Offloads on: captures on the sending side show real partial inner checksums and LCO outer checksums, which are not errors." % E["DROP_LIN"],
    "fault": {"where": "receiver (pdB), nftables input hook (after vx0: the SYNs are decapsulated and visible on vx0)", "nft": drop_nft,
              "durationSec": float(E["DROP_LIN"]), "removedBy": "nft delete table inet pd, %s s after the captures started" % E["DROP_LIN"],
              "sysctl": "kernel defaults", "offloads": "veth defaults (tx checksum/TSO on)", "ipv6": "enabled (chatter as in exp-csum)"},
    "points": ["sender-phys", "sender-vxlan", "sender-any", "receiver-phys", "receiver-vxlan", "receiver-any"]},
  "corrupt": {
    "summary": "%s %% of sender->receiver frames get one random bit flipped between vA and vB (user-space wire in namespace pdW)" % E["CORRUPT_PCT"],
    "description": "Random corruption on the wire: %s %% of the frames from the sender to the receiver get one random bit of one random byte flipped (anywhere in the frame, as netem corrupt does), the other direction is untouched. Traffic: a TCP upload of %s bytes paced over ~%s s (50 writes) plus 25 DNS-style A queries over UDP (1 s timeout, up to 3 tries), all through the VXLAN overlay with outer UDP checksums on (udpcsum) and tx offloads off on both veths, so every checksum on the wire is complete and any bad one is genuinely bad. The sender's capture (vA) is before the corruption, the receiver's (vB) after it." % (E["CORRUPT_PCT"], E["CORRUPT_BYTES"], E["CORRUPT_SECS"]),
    "fault": {"where": "the wire: namespace pdW between vA and vB (veth vA<->wA, wB<->vB; wA/wB no addresses, promisc, tx/rx offload off), a Python AF_PACKET forwarder (see WIRE_PY in the script)",
              "corruption": "A->B frames only, probability %s %% per frame, one bit flipped (random byte offset in the whole frame, random bit); enabled just before the client started, for the whole run" % E["CORRUPT_PCT"],
              "seed": int(E["CORRUPT_SEED"]),
              "whyNotNetem": "this kernel is built without CONFIG_NET_SCH_NETEM (tc qdisc add ... netem: 'Specified qdisc kind is unknown'), and netem on vA would in any case corrupt before tcpdump on vA sees the frame (packet taps run after the qdisc)",
              "offloads": "ethtool -K vA tx off rx off; ethtool -K vB tx off rx off", "ipv6": "disabled in all namespaces"},
    "points": ["sender-phys", "receiver-phys"]},
  "giveup": {
    "summary": "receiver nftables input hook drops every inner SYN to 10.99.0.2:9153 for the whole run",
    "description": "Exponential SYN ladder (tcp_syn_linear_timeouts=0, tcp_syn_retries=6) and the receiver's nftables input hook drops every inner SYN for the whole run: 7 SYNs (0, 1, 3, 7, 15, 31, 63 s), then the client's kernel gives up with ETIMEDOUT at ~127 s. Captured until %s s after the client started connecting (the client process sleeps until then), then one ARP exchange on the underlay marks the end of the capture: no 8th SYN, and nothing else, between the 7th SYN and that marker except the kernel's own ARP probes." % E["GIVEUP_HOLD"],
    "fault": {"where": "receiver (pdB), nftables input hook", "nft": drop_nft, "durationSec": "whole run (never removed)",
              "sysctl": "pdA net.ipv4.tcp_syn_linear_timeouts=0 net.ipv4.tcp_syn_retries=6", "offloads": "veth defaults (tx checksum/TSO on)",
              "ipv6": "disabled in both namespaces", "clientConnectTimeout": "none (blocking connect: the error is the kernel's)"},
    "points": ["sender-phys", "receiver-phys"]},
}

files, scenarios = [], []
for name, d in scen.items():
    cr = json.loads(read(name + ".client.json"))
    t0 = cr.get("startEpoch")
    key = {"client": cr.pop("client"), "server": cr.pop("server"), "protocol": "tcp", "source": "python client bind() + getsockname()"}
    sd = {"name": name, "description": d["description"], "fault": d["fault"], "keyConnection": key, "clientResult": cr}
    if name == "corrupt":
        sd["otherConnections"] = [{"client": cr.pop("dnsClient"), "server": cr.pop("dnsServer"), "protocol": "udp (DNS A svc.cluster.local)"}]
    fe = read(name + ".faultend")
    if fe:
        sd["fault"]["removedAtSecAfterClientStart"] = round(float(fe) - t0, 3)
    ev = {}
    v = read(name + ".nft.txt")
    if v:
        ev["nftRulesetWithCountersAtRemoval" if fe else "nftRulesetWithCountersAtEnd"] = v
    ev["receiverCounters"] = nstat(name + ".receiver-nstat.txt", RECV_KEYS)
    ev["senderCounters"] = nstat(name + ".sender-nstat.txt", SEND_KEYS)
    v = read(name + ".ss.txt")
    if v is not None:
        ev["serverSocketAtEnd"] = v
    if name == "corrupt":
        w = [json.loads(l) for l in (read("corrupt.wire.jsonl") or "").splitlines() if l.strip()]
        for x in w:
            x["t"] = round(x["t"] - t0, 3)
        ev["wireCorruptions"] = w
        ev["wireCorruptionsByRegion"] = dict(collections.Counter(x["region"] for x in w))
        dl = [json.loads(l) for l in (read("corrupt.dnslog.jsonl") or "").splitlines() if l.strip()]
        ev["dnsServerAnswered"] = len(dl)
    em = read(name + ".endmarker")
    if em:
        ev["endMarker"] = {"what": "ARP who-has 192.168.77.2 tell 192.168.77.1 sent on vA by a Python AF_PACKET socket, answered by pdB's kernel; only there to show how long the capture ran (a pcap has no end time)",
                           "sentAtSecAfterClientStart": round(float(em) - t0, 3)}
    if name == "corrupt":
        ev["corruptedFramesInCaptures"] = match_corruptions(os.path.join(out, "corrupt-sender-phys.pcap"),
                                                            os.path.join(out, "corrupt-receiver-phys.pcap"), w)
    sd["evidence"] = ev
    sd["files"] = []
    for p in d["points"]:
        fn = "%s-%s.pcap" % (name, p)
        host, ns, kind, dev = points[p]
        path = os.path.join(out, fn)
        f = {"file": fn, "scenario": name, "host": host, "netns": ns, "interface": kind, "device": dev,
             "captureFilter": "tcp port 9153 or udp port 8472" if dev == "any" else None}
        f.update(pcap_info(path))
        ifn = links(name, ns)
        if dev == "any":
            f["ifindexes"] = {str(k): v for k, v in sorted(ifn.items())}
        recs = decode(path, ifn)
        lad = ladder(recs, t0)
        if lad:
            f["synLadder"] = {"timesRelativeToClientConnectCall": True}
            for k, v in lad.items():
                f["synLadder"][k] = v
        tally, diffs = checksum_tally(recs)
        f["tcpdumpChecksumVerdicts"] = tally
        if name == "corrupt" and diffs:
            f["badChecksums"] = diffs
        f["tcpdumpPackets"] = len(recs)
        f["faultSummary"] = d["summary"]
        f["keyConnection"] = "%s -> %s (tcp)" % (key["client"], key["server"])
        f["clientSaw"] = saw(name, cr)
        f["shows"] = shows(f, lad, tally, name)
        sd["files"].append(f["file"])
        files.append(f)
    scenarios.append(sd)

m = {
    "generatedBy": "scripts/make-netns-captures.sh",
    "generatedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "kernel": E["KERNEL"], "tcpdump": E["TCPDUMP_V"], "nft": E["NFT_V"], "iproute2": E["IPROUTE_V"],
    "captureCommand": "ip netns exec <pdA|pdB> tcpdump -Z root -U -s 0 -i <vA|vB|vx0|any> -w <file> [filter, -i any only]",
    "sysctlDefaults": dict(l.split(" = ", 1) for l in (read("sysctls.txt") or "").splitlines() if " = " in l),
    "topology": {
        "sender": {"netns": "pdA", "phys": "vA 192.168.77.1/24", "vxlan": "vx0 10.99.0.1/24"},
        "receiver": {"netns": "pdB", "phys": "vB 192.168.77.2/24", "vxlan": "vx0 10.99.0.2/24"},
        "link": "vA and vB are the two ends of one veth pair, except in 'corrupt' where each is paired with wA/wB in the wire namespace pdW",
        "vxlan": "ip link add vx0 type vxlan id 1 dstport 8472 local <own> remote <peer> dev <vA|vB> udpcsum (outer UDP checksum computed), MTU 1450, permanent neighbour for the peer's overlay address",
        "server": "10.99.0.2:9153 (TCP)",
    },
    "notes": [
        "synLadder times are seconds after the client's connect() call (clientResult.startEpoch); 'outer' is tcpdump -vv's verdict on the VXLAN outer UDP checksum of the packet carrying that SYN.",
        "-i any captures (Linux cooked SLL2) hold each tunnelled packet twice on the sender/receiver: once inside the tunnel (vx0) and once encapsulated (vA/vB); synLadder keys are prefixed by the interface there.",
        "With veth offloads on (lin-drop, giveup) the tunnel packets on vA AND on vB show partial inner TCP checksums ('incorrect ->' in tcpdump -vv) and LCO outer UDP checksums ('bad udp cksum'): offload artefacts, not errors. A veth hands the CHECKSUM_PARTIAL packet to its peer as is (a physical NIC would fill the checksums in), so the receiver's vB capture shows the same values as the sender's vA capture.",
        "vx0 keeps its default offloads in every scenario: packets sent on vx0 (either host) carry partial inner TCP checksums in the vxlan and any captures, also in exp-csum and corrupt, where only the veths have tx/rx offload off.",
        "IPv6 is enabled in exp-csum and lin-drop (as in the earlier version of these files): link-local DAD/MLD/RS chatter of vA/vB and vx0 appears in the first seconds, the vx0 part of it tunnelled (and given the 0xffff checksum in exp-csum). IPv6 is disabled in corrupt and giveup.",
    ],
    "scenarios": scenarios,
    "files": files,
}
json.dump(m, open(os.path.join(out, "MANIFEST.json"), "w"), indent=2)
print("wrote", os.path.join(out, "MANIFEST.json"))
PYEOF
ls -la "$OUT"
du -ch "$OUT"/*.pcap "$OUT"/MANIFEST.json | tail -1
