#!/usr/bin/env bash
# Make REAL WireGuard captures with the running kernel's networking and Debian's userspace
# WireGuard (wireguard-go over /dev/net/tun; the kernel here has no wireguard module) plus
# wireguard-tools. Needs root, iproute2, ethtool, tcpdump, python3.
#   apt-get install wireguard-go wireguard-tools ethtool tcpdump
#
# Two network namespaces joined by a veth (the "underlay", 192.168.78.0/24); a WireGuard device in
# each (overlay 10.200.0.0/24); captured on the veth of side A, so both directions are in one file.
#
#   wireguard-real-51820.pcap          UDP 51820 both ends, tx/rx checksum offload OFF on the veth:
#                                      every outer UDP checksum is complete and correct.
#   wireguard-real-51871-offload.pcap  UDP 51871 both ends (Cilium's port), offload ON (veth default):
#                                      tcpdump sees the sender's CHECKSUM_PARTIAL outer UDP checksums
#                                      (pseudo-header sum only) in both directions, as on a real host.
#
# Traffic per scenario: handshake initiation (type 1) + response (type 2), 3 UDP datagrams echoed
# back and a short TCP exchange (transport data, type 4), then ~3 s idle with persistent-keepalive 1 s (keepalives:
# type 4, 32 bytes). Cookie replies (type 3) only appear under handshake load: see the crafted
# wireguard.pcap. Keys are fixed (below), but ephemeral keys, counters and timestamps are not, so
# the files differ from run to run; frame counts and checksum verdicts are stable.
set -euo pipefail
OUT=${OUT:-$(dirname "$0")/../test/captures/protocols}
mkdir -p "$OUT"
A=pcwgA
B=pcwgB

# Fixed keys (any 32 bytes; WireGuard clamps the private key).
key() { python3 -c "import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode())" "$1"; }
PRIV_A=$(key pcap-doctor-wg-A)
PRIV_B=$(key pcap-doctor-wg-B)
PUB_A=$(echo "$PRIV_A" | wg pubkey)
PUB_B=$(echo "$PRIV_B" | wg pubkey)

WGPIDS=()
cleanup() {
  for p in "${WGPIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for ns in $A $B; do
    ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del $ns 2>/dev/null || true
  done
  rm -f /var/run/wireguard/wgpa.sock /var/run/wireguard/wgpb.sock
  WGPIDS=()
}
trap cleanup EXIT

setup() { # $1 = port, $2 = offload on|off
  cleanup
  ip netns add $A
  ip netns add $B
  ip link add vA netns $A type veth peer name vB netns $B
  ip -n $A addr add 192.168.78.1/24 dev vA
  ip -n $B addr add 192.168.78.2/24 dev vB
  ip -n $A link set vA address 02:00:5e:10:00:01
  ip -n $B link set vB address 02:00:5e:10:00:02
  for ns in $A $B; do ip -n $ns link set lo up; done
  ip -n $A link set vA up
  ip -n $B link set vB up
  if [ "$2" = off ]; then
    ip netns exec $A ethtool -K vA tx off rx off >/dev/null
    ip netns exec $B ethtool -K vB tx off rx off >/dev/null
  fi
  # Userspace WireGuard; distinct names, as the UAPI sockets in /var/run/wireguard are shared.
  WG_PROCESS_FOREGROUND=1 ip netns exec $A wireguard-go wgpa >/dev/null 2>&1 &
  WGPIDS+=($!)
  WG_PROCESS_FOREGROUND=1 ip netns exec $B wireguard-go wgpb >/dev/null 2>&1 &
  WGPIDS+=($!)
  for i in $(seq 50); do
    ip -n $A link show wgpa >/dev/null 2>&1 && ip -n $B link show wgpb >/dev/null 2>&1 && break
    sleep 0.1
  done
}

peers() { # $1 = port. Configured after tcpdump has started: the handshake goes out at once.
  # B first, without an endpoint (it learns A's from the handshake), so that only A initiates.
  local port=$1
  ip netns exec $B wg set wgpb listen-port "$port" private-key <(echo "$PRIV_B") \
    peer "$PUB_A" allowed-ips 10.200.0.1/32 persistent-keepalive 1
  ip -n $B addr add 10.200.0.2/24 dev wgpb
  ip -n $B link set wgpb mtu 1420 up
  ip netns exec $A wg set wgpa listen-port "$port" private-key <(echo "$PRIV_A") \
    peer "$PUB_B" endpoint 192.168.78.2:"$port" allowed-ips 10.200.0.2/32 persistent-keepalive 1
  ip -n $A addr add 10.200.0.1/24 dev wgpa
  ip -n $A link set wgpa mtu 1420 up
}

run() { # $1 = port, $2 = offload, $3 = output file
  setup "$1" "$2"
  ip netns exec $A tcpdump -U -s 0 -i vA -w "$OUT/$3" "udp port $1" 2>/dev/null &
  local tcpd=$!
  sleep 1.5
  peers "$1"
  sleep 0.5
  ip netns exec $B python3 -c "
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('10.200.0.2', 9154))
for _ in range(3):
    d, a = u.recvfrom(256); u.sendto(d, a)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.200.0.2', 9153)); s.listen(1)
c, _ = s.accept(); c.recv(64); c.sendall(b'pcap-doctor over wireguard\n'); c.close()" &
  local srv=$!
  sleep 0.3
  ip netns exec $A python3 -c "
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
for i in range(3):
    u.sendto(b'echo %d' % i, ('10.200.0.2', 9154)); u.recvfrom(256); time.sleep(0.2)
time.sleep(0.2)
s = socket.create_connection(('10.200.0.2', 9153), timeout=5); s.sendall(b'hello\n'); s.recv(64); s.close()"
  wait $srv || true
  sleep 3.2              # idle: persistent keepalives (32-byte transport messages) both ways
  kill -INT $tcpd; wait $tcpd 2>/dev/null || true
  echo "$3: $(tcpdump -r "$OUT/$3" 2>/dev/null | wc -l) frames"
}

run 51820 off wireguard-real-51820.pcap
run 51871 on wireguard-real-51871-offload.pcap
