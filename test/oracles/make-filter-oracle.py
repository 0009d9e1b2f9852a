#!/usr/bin/env python3
"""Regenerate tshark-filters.json: how many frames `tshark -Y EXPR` keeps, per capture and
expression (tshark decodes UDP 8472 as VXLAN, as pcap-doctor does). Run from the repo root:
    python3 test/oracles/make-filter-oracle.py   (needs tshark; the JSON is committed)"""
import json, subprocess, os
CAP = '../shared/captures'
FILES = [
    'scenarios/tke-63s-sender-eth0.pcap', 'scenarios/tke-63s-sender-flannel1.pcap', 'scenarios/dns-vxlan-bad-outer.pcap',
    'real/tcpdump__dns_udp.pcap', 'real/tcpdump__vxlan.pcap', 'real/tcpdump__geneve.pcap', 'real/zeek__ssh.pcap',
    'real/tcpdump__mpls-traceroute.pcap', 'real/libpcap__ipv6_ext_headers.pcap', 'real/tcpdump__various_gre.pcap',
    'real/filesamples__simple_http_sll2.pcap', 'real/tcpdump__accecn_handshake.pcap', 'real/zeek__fragmented-3.pcap',
]
EXPRS = [
    'tcp.flags.syn==1', 'tcp.flags.syn==1 && tcp.flags.ack==0', 'tcp.flags.syn==1 and not tcp.flags.ack==1',
    'udp', 'tcp', 'dns', 'icmp', 'ipv6', '!tcp', 'vxlan', 'geneve', 'gre', 'mpls',
    'dns.flags.response==1', 'dns.flags.response == 0 && dns.qry.type == 1', 'dns.qry.name contains "cluster"',
    'frame.len > 100', 'frame.len <= 60', 'frame.number >= 3 and frame.number < 9', 'ip.ttl < 64',
    'ip.addr==172.29.2.3', 'ip.src==10.0.0.0/8', 'ip.dst == 192.168.0.0/16', 'ip.flags.mf == 1',
    'tcp.port==9153', 'tcp.port in {22, 80, 443}', 'udp.port==53 || udp.port==8472', 'udp.length > 100',
    'tcp.len > 0', 'tcp.flags.reset==1', 'tcp.flags.fin==1', 'tcp.stream == 0', 'tcp.stream eq 1',
    'icmp.type == 11', 'eth.addr == ff:ff:ff:ff:ff:ff', 'ip.proto == 17', 'ipv6.nxt == 58', 'tcp.window_size_value > 1000',
    'tcp.analysis.retransmission', 'frame.time_relative > 1', 'frame.time_relative <= 0.5',
]
out = {'tshark': subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.splitlines()[0], 'counts': {}}
for f in FILES:
    out['counts'][f] = {}
    for e in EXPRS:
        p = subprocess.run(['tshark', '-n', '-r', os.path.join(CAP, f), '-d', 'udp.port==8472,vxlan', '-Y', e], capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f'{f} {e}: {p.stderr}')
        out['counts'][f][e] = len([l for l in p.stdout.splitlines() if l.strip()])
json.dump(out, open('test/oracles/tshark-filters.json', 'w'), indent=1, sort_keys=True)
print('wrote', sum(len(v) for v in out['counts'].values()), 'counts')
