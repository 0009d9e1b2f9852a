#!/usr/bin/env bash
# Make REAL captures of the incident with the running kernel (needs root, iproute2, nftables,
# ethtool, tcpdump, python3): two network namespaces joined by a veth ("physical" network), a
# VXLAN device on UDP 8472 in each (the overlay), a server behind the overlay, and SYNs lost for
# a while. Captured on every interface, including `-i any`, on both sides.
#
#   exp-csum: Linux exponential ladder (tcp_syn_linear_timeouts=0). For the first DROP_EXP seconds
#             nftables rewrites the sender's outer UDP checksum to 0xffff, exactly the bug; with tx
#             checksum offload off on the veth the receiving kernel verifies it and drops.
#   lin-drop: Linux >= 6.5 default linear-then-exponential ladder; the receiver's nftables drops
#             inner SYNs for DROP_LIN seconds. Offloads on (real partial/LCO checksums on the veth).
#
# Output: test/captures/netns/<scenario>-<side>-<iface>.pcap
set -euo pipefail
OUT=${OUT:-$(dirname "$0")/../test/captures/netns}
DROP_EXP=${DROP_EXP:-20}
DROP_LIN=${DROP_LIN:-8}
mkdir -p "$OUT"

cleanup() {
  for ns in pdA pdB; do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT

setup() { # $1 = offload on|off
  cleanup
  ip netns add pdA
  ip netns add pdB
  ip link add vA netns pdA type veth peer name vB netns pdB
  ip -n pdA addr add 192.168.77.1/24 dev vA
  ip -n pdB addr add 192.168.77.2/24 dev vB
  ip -n pdA link set vA up
  ip -n pdB link set vB up
  ip -n pdA link set lo up
  ip -n pdB link set lo up
  if [ "$1" = off ]; then
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
}

capture() { # $1 scenario
  local s=$1
  ip netns exec pdA tcpdump -U -s 0 -i vA -w "$OUT/$s-sender-phys.pcap" 2>/dev/null &
  ip netns exec pdA tcpdump -U -s 0 -i vx0 -w "$OUT/$s-sender-vxlan.pcap" 2>/dev/null &
  ip netns exec pdA tcpdump -U -s 0 -i any -w "$OUT/$s-sender-any.pcap" 'tcp port 9153 or udp port 8472' 2>/dev/null &
  ip netns exec pdB tcpdump -U -s 0 -i vB -w "$OUT/$s-receiver-phys.pcap" 2>/dev/null &
  sleep 1.5
}

serve_and_connect() {
  ip netns exec pdB python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.99.0.2', 9153)); s.listen(4)
c, _ = s.accept(); c.sendall(b'pcap-doctor\n'); c.close()" &
  sleep 0.5
  ip netns exec pdA python3 -c "
import socket, time
t = time.time(); s = socket.create_connection(('10.99.0.2', 9153), timeout=150)
print('connected after %.1f s' % (time.time() - t)); s.recv(64); s.close()"
  sleep 1
}

stop_captures() {
  ip netns pids pdA | xargs -r kill -INT 2>/dev/null || true
  ip netns pids pdB | xargs -r kill -INT 2>/dev/null || true
  sleep 1
}

echo "== exp-csum: exponential ladder, bad outer checksum for ${DROP_EXP}s"
setup off
ip netns exec pdA sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
ip netns exec pdA nft -f - <<NFT
table inet pd {
  chain post {
    type filter hook postrouting priority 100;
    oifname "vA" udp dport 8472 udp checksum set 0xffff
  }
}
NFT
capture exp-csum
( sleep "$DROP_EXP"; ip netns exec pdA nft delete table inet pd ) &
serve_and_connect
stop_captures

echo "== lin-drop: linear-then-exponential ladder, receiver drops SYNs for ${DROP_LIN}s"
setup on
ip netns exec pdB nft -f - <<NFT
table inet pd {
  chain in {
    type filter hook input priority 0;
    iifname "vx0" tcp dport 9153 tcp flags & (syn | ack) == syn drop
  }
}
NFT
capture lin-drop
( sleep "$DROP_LIN"; ip netns exec pdB nft delete table inet pd ) &
serve_and_connect
stop_captures
ls -la "$OUT"
