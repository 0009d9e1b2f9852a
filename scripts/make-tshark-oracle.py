#!/usr/bin/env python3
"""Snapshot tshark's verdicts over ../shared/captures into test/oracles/tshark.json.

For every capture tshark reads: its frame count, and per frame the checksum statuses tshark
reports (ip, udp, tcp, icmp; 0 bad, 1 good, 2 unverified, 3 not present) and whether tshark
calls the frame malformed. The unit tests compare our verdicts against this snapshot, so they
run without tshark; re-run this script (Debian's tshark) when the corpus changes.

It also snapshots this repo's own encapsulation captures, test/captures/protocols/*.pcap(ng), into
test/oracles/tshark-protocols.json (keys "protocols/<name>"), with the same per-file structure plus an
"icmpv6" column (icmpv6.checksum.status). Same tshark options, plus Decode-As for the ports tshark 4.0
does not dissect by default: WireGuard on UDP 51820 and 51871 (Cilium) has no registered port, only a
heuristic. GTP-U (2152) and Teredo (3544) are registered ports and need nothing.
"""
import json, os, subprocess, sys

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'captures')
out = {}
for sub in ('real', 'scenarios'):
    d = os.path.join(ROOT, sub)
    for name in sorted(os.listdir(d)):
        if not (name.endswith('.pcap') or name.endswith('.pcapng')):
            continue
        p = subprocess.run(['tshark', '-r', os.path.join(d, name), '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
                            '-o', 'tcp.check_checksum:TRUE', '-d', 'udp.port==8472,vxlan', '-T', 'fields',
                            '-e', 'frame.number', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'tcp.checksum.status',
                            '-e', 'icmp.checksum.status', '-e', '_ws.malformed'], capture_output=True, text=True)
        frames = []
        for line in p.stdout.splitlines():
            c = line.split('\t') + [''] * 6
            frames.append({'n': int(c[0]), 'ipv4': c[1], 'udp': c[2], 'tcp': c[3], 'icmp': c[4], 'malformed': bool(c[5])})
        out[f'{sub}/{name}'] = {'tsharkError': p.returncode != 0 and 'appears to be damaged' in p.stderr or 'doesn\'t support' in p.stderr,
                                'frames': frames}
json.dump(out, open(os.path.join(os.path.dirname(__file__), '..', 'test', 'oracles', 'tshark.json'), 'w'), indent=0)
print(f'{len(out)} captures', file=sys.stderr)

# --- test/captures/protocols -> test/oracles/tshark-protocols.json
HERE = os.path.dirname(__file__)
PROTO = os.path.join(HERE, '..', 'test', 'captures', 'protocols')
FIELDS = ['frame.number', 'ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status',
          'icmpv6.checksum.status', '_ws.malformed']
proto_out = {}
for name in sorted(os.listdir(PROTO)):
    if not (name.endswith('.pcap') or name.endswith('.pcapng')):
        continue
    p = subprocess.run(['tshark', '-r', os.path.join(PROTO, name), '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
                        '-o', 'tcp.check_checksum:TRUE', '-d', 'udp.port==8472,vxlan',
                        '-d', 'udp.port==51820,wg', '-d', 'udp.port==51871,wg', '-T', 'fields']
                       + [a for f in FIELDS for a in ('-e', f)], capture_output=True, text=True)
    frames = []
    for line in p.stdout.splitlines():
        c = line.split('\t') + [''] * 7
        frames.append({'n': int(c[0]), 'ipv4': c[1], 'udp': c[2], 'tcp': c[3], 'icmp': c[4], 'icmpv6': c[5], 'malformed': bool(c[6])})
    proto_out[f'protocols/{name}'] = {'tsharkError': p.returncode != 0 and 'appears to be damaged' in p.stderr or 'doesn\'t support' in p.stderr,
                                      'frames': frames}
json.dump(proto_out, open(os.path.join(HERE, '..', 'test', 'oracles', 'tshark-protocols.json'), 'w'), indent=0)
print(f'{len(proto_out)} protocol captures', file=sys.stderr)
