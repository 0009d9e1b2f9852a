#!/usr/bin/env python3
"""Snapshot tshark's verdicts over ../shared/captures into test/oracles/tshark.json.

For every capture tshark reads: its frame count, and per frame the checksum statuses tshark
reports (ip, udp, tcp, icmp; 0 bad, 1 good, 2 unverified, 3 not present) and whether tshark
calls the frame malformed. The unit tests compare our verdicts against this snapshot, so they
run without tshark; re-run this script (Debian's tshark) when the corpus changes.
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
