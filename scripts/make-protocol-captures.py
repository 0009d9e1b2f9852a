#!/usr/bin/env python3
"""Write the crafted encapsulation test captures into test/captures/protocols/.

Every byte is built here by hand (struct, no scapy), with fixed timestamps and fixed seeds, so two
runs write byte-identical files. Each frame's checksums are chosen on purpose: good, bad (the right
value plus 0x1234, never equivalent to it in one's complement), zero, or 'partial' (what a sending
host with transmit checksum offload leaves in the buffer tcpdump sees: the folded one's-complement
sum of the pseudo-header, not complemented). test/captures/protocols/README.md lists, frame by
frame, what each file holds and which checksum is deliberately wrong; tshark's verdicts are
snapshotted by scripts/make-tshark-oracle.py into test/oracles/tshark-protocols.json.

Files written (all crafted; the real WireGuard captures come from scripts/make-protocol-netns.sh):
  pppoe.pcap, gtpu.pcap, teredo.pcap, wireguard.pcap, chdlc.pcap (link type 104),
  modified.pcap + modified-be.pcap (Kuznetsov "modified" pcap, magic 0xa1b2cd34), ipv4-csum-offload.pcap

Usage: python3 scripts/make-protocol-captures.py [OUTDIR]
"""
import hashlib
import os
import socket
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'captures', 'protocols')

LINKTYPE_ETHERNET = 1
LINKTYPE_C_HDLC = 104


# ---------------------------------------------------------------------------------------------
# Deterministic filler bytes (no random module: identical on every Python version).

def fill(seed, n):
    out = b''
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f'{seed}/{i}'.encode()).digest()
        i += 1
    return out[:n]


# ---------------------------------------------------------------------------------------------
# Checksums

def ones_sum(data):
    """Folded 16-bit one's-complement sum (not complemented)."""
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def inet_csum(data):
    return ~ones_sum(data) & 0xffff


def bad_of(good):
    """A value that never verifies: good + 0x1234 modulo 0xffff (one's-complement arithmetic
    treats 0x0000 and 0xffff alike, so the residue mod 0xffff is what a verifier sees)."""
    v = (good + 0x1234) % 0xffff
    return v if v != 0 else 0x1234


def pick(mode, good, partial=None):
    if mode == 'good':
        return good
    if mode == 'bad':
        return bad_of(good)
    if mode == 'zero':
        return 0
    if mode == 'partial':
        assert partial is not None
        return partial
    assert isinstance(mode, int), mode
    return mode


def ip_bytes(a):
    return socket.inet_pton(socket.AF_INET6 if ':' in a else socket.AF_INET, a)


def pseudo(src, dst, proto, length):
    s, d = ip_bytes(src), ip_bytes(dst)
    if len(s) == 4:
        return s + d + struct.pack('!BBH', 0, proto, length)
    return s + d + struct.pack('!IxxxB', length, proto)


# ---------------------------------------------------------------------------------------------
# Layer 4

def l4_with_csum(proto, src, dst, seg, off, mode, csum_seg=None):
    """Fill the checksum at seg[off:off+2]. csum_seg, when given, is the segment the checksum is
    computed over (same length), to model a checksum valid for other bytes than those captured."""
    basis = seg if csum_seg is None else csum_seg
    ph = pseudo(src, dst, proto, len(basis))
    good = inet_csum(ph + basis)
    if proto == 17 and good == 0:
        good = 0xffff
    partial = ones_sum(ph)
    v = pick(mode, good, partial)
    return seg[:off] + struct.pack('!H', v) + seg[off + 2:]


TCP_FLAGS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10, 'U': 0x20, 'E': 0x40, 'C': 0x80}


def tcp(src, dst, sport, dport, seq, ack, flags, win=64240, opts=b'', payload=b'', csum='good'):
    fl = 0
    for c in flags:
        fl |= TCP_FLAGS[c]
    assert len(opts) % 4 == 0
    doff = (20 + len(opts)) // 4
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, fl, win, 0, 0) + opts + payload
    return l4_with_csum(6, src, dst, seg, 16, csum)


def syn_opts(mss, ts_val, ts_ecr=0, wscale=7):
    """MSS, SACK-permitted, timestamps, NOP, window scale: Linux's SYN option layout."""
    return (struct.pack('!BBH', 2, 4, mss) + b'\x04\x02' + struct.pack('!BBII', 8, 10, ts_val, ts_ecr)
            + b'\x01' + struct.pack('!BBB', 3, 3, wscale))


def ts_opts(ts_val, ts_ecr):
    return b'\x01\x01' + struct.pack('!BBII', 8, 10, ts_val, ts_ecr)


def udp(src, dst, sport, dport, payload, csum='good', csum_payload=None):
    seg = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    basis = None if csum_payload is None else struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + csum_payload
    return l4_with_csum(17, src, dst, seg, 6, csum, basis)


def icmp4(typ, code, ident, seq, payload, csum='good'):
    msg = struct.pack('!BBHHH', typ, code, 0, ident, seq) + payload
    v = pick(csum, inet_csum(msg))
    return msg[:2] + struct.pack('!H', v) + msg[4:]


def icmp6(src, dst, typ, code, body, csum='good'):
    msg = struct.pack('!BBH', typ, code, 0) + body
    return l4_with_csum(58, src, dst, msg, 2, csum)


def echo6(src, dst, request, ident, seq, payload, csum='good'):
    return icmp6(src, dst, 128 if request else 129, 0, struct.pack('!HH', ident, seq) + payload, csum)


# ---------------------------------------------------------------------------------------------
# Layer 3

def ipv4(src, dst, proto, payload, ident, ttl=64, df=True, csum='good', tos=0):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, tos, 20 + len(payload), ident, 0x4000 if df else 0, ttl, proto, 0,
                      ip_bytes(src), ip_bytes(dst))
    v = pick(csum, inet_csum(hdr))
    return hdr[:10] + struct.pack('!H', v) + hdr[12:] + payload


def ipv6(src, dst, nh, payload, hlim=64, flow=0, tc=0):
    return struct.pack('!IHBB16s16s', (6 << 28) | (tc << 20) | flow, len(payload), nh, hlim,
                       ip_bytes(src), ip_bytes(dst)) + payload


# ---------------------------------------------------------------------------------------------
# Layer 2

def mac(s):
    return bytes.fromhex(s.replace(':', ''))


def ether(dst, src, etype, payload, pad=True):
    f = mac(dst) + mac(src) + struct.pack('!H', etype) + payload
    if pad and len(f) < 60:
        f += b'\0' * (60 - len(f))  # Ethernet minimum frame (without FCS); receivers see the pad
    return f


# ---------------------------------------------------------------------------------------------
# Application payloads

def dns_name(name):
    return b''.join(bytes([len(p)]) + p.encode() for p in name.split('.')) + b'\0'


def dns_query(txid, name, qtype=1):
    return struct.pack('!HHHHHH', txid, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack('!HH', qtype, 1)


def dns_answer_a(txid, name, addr, ttl=300):
    q = dns_name(name) + struct.pack('!HH', 1, 1)
    return (struct.pack('!HHHHHH', txid, 0x8180, 1, 1, 0, 0) + q
            + struct.pack('!HHHIH', 0xc00c, 1, 1, ttl, 4) + ip_bytes(addr))


def dns_answer_aaaa(txid, name, addr, ttl=300):
    q = dns_name(name) + struct.pack('!HH', 28, 1)
    return (struct.pack('!HHHHHH', txid, 0x8180, 1, 1, 0, 0) + q
            + struct.pack('!HHHIH', 0xc00c, 28, 1, ttl, 16) + ip_bytes(addr))


HTTP_GET = b'GET / HTTP/1.1\r\nHost: www.example.net\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n'
# iputils ping's 48-byte payload: an 8-byte timestamp, then the pattern 0x10, 0x11, ... 0x37
PING_PAYLOAD = struct.pack('!II', 0x6553f100, 0x000c3a4d) + bytes(range(0x10, 0x38))
TLS_APPDATA = b'\x17\x03\x03\x00\x13' + fill('tls-appdata', 19)  # a TLS 1.3 application_data record


# ---------------------------------------------------------------------------------------------
# pcap writers

def write_pcap(name, linktype, frames, snaplen=262144):
    """frames: list of (ts_seconds_float_as_(sec, usec), bytes)."""
    path = os.path.join(OUT, name)
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype))
        for (sec, usec), data in frames:
            f.write(struct.pack('<IIII', sec, usec, len(data), len(data)))
            f.write(data)
    print(f'{name}: {len(frames)} frames', file=sys.stderr)


def write_modified_pcap(name, frames, endian='<', snaplen=262144):
    """Alexey Kuznetsov's patched-libpcap format: magic 0xa1b2cd34, the usual 24-byte file header,
    24-byte record headers (ts_sec, ts_usec, caplen, len, ifindex, protocol, pkt_type, pad).
    frames: list of ((sec, usec), bytes, ifindex, pkt_type). 'protocol' is skb->protocol, which the
    kernel keeps in network byte order, so its two bytes are the ethertype big-endian in either
    variant."""
    path = os.path.join(OUT, name)
    with open(path, 'wb') as f:
        f.write(struct.pack(endian + 'IHHiIII', 0xa1b2cd34, 2, 4, 0, 0, snaplen, LINKTYPE_ETHERNET))
        for (sec, usec), data, ifindex, pkt_type in frames:
            f.write(struct.pack(endian + 'IIIIi', sec, usec, len(data), len(data), ifindex))
            f.write(data[12:14])  # skb->protocol (network byte order) = the frame's ethertype
            f.write(struct.pack('BB', pkt_type, 0))
            f.write(data)
    print(f'{name}: {len(frames)} frames', file=sys.stderr)


def clock(base_sec, step_usec):
    """Timestamps base, base+step, ... as (sec, usec)."""
    state = {'t': base_sec * 1000000}

    def tick(extra=0):
        state['t'] += step_usec + extra
        return divmod(state['t'], 1000000)
    return tick


# =============================================================================================
# 1. PPPoE

def make_pppoe():
    host = '00:1b:21:3a:4f:10'        # subscriber CPE (Intel NIC)
    bras = '00:90:1a:a2:5c:01'        # access concentrator
    sid = 0x1a2b
    host_uniq = bytes.fromhex('5c8f1e02')
    cookie = fill('pppoe-cookie', 16)
    me, srv, dns = '203.0.113.45', '198.51.100.10', '198.51.100.53'
    me6, srv6 = '2001:db8:4f10:1::45', '2001:db8:100::10'
    t = clock(1714560000, 1500)

    def tag(typ, val=b''):
        return struct.pack('!HH', typ, len(val)) + val

    def disc(dst, src, code, session, tags):
        return ether(dst, src, 0x8863, struct.pack('!BBHH', 0x11, code, session, len(tags)) + tags)

    def sess(dst, src, proto, payload, pad=True):
        ppp = struct.pack('!H', proto) + payload
        return ether(dst, src, 0x8864, struct.pack('!BBHH', 0x11, 0x00, sid, len(ppp)) + ppp, pad)

    up = lambda proto, p, pad=True: sess(bras, host, proto, p, pad)
    down = lambda proto, p, pad=True: sess(host, bras, proto, p, pad)
    lcp_opts = struct.pack('!BBH', 1, 4, 1492) + struct.pack('!BBI', 5, 6, 0x2f6b1d93)
    frames = [
        # 1 PADI (broadcast), padded to 60 bytes
        disc('ff:ff:ff:ff:ff:ff', host, 0x09, 0, tag(0x0101) + tag(0x0103, host_uniq)),
        # 2 PADO
        disc(host, bras, 0x07, 0, tag(0x0102, b'bras-fra-01') + tag(0x0101) + tag(0x0103, host_uniq) + tag(0x0104, cookie)),
        # 3 PADR
        disc(bras, host, 0x19, 0, tag(0x0101) + tag(0x0103, host_uniq) + tag(0x0104, cookie)),
        # 4 PADS: session 0x1a2b
        disc(host, bras, 0x65, sid, tag(0x0101) + tag(0x0103, host_uniq)),
        # 5 LCP Configure-Request (MRU 1492, magic number)
        up(0xc021, struct.pack('!BBH', 1, 1, 4 + len(lcp_opts)) + lcp_opts),
        # 6 IPv4 TCP SYN: all good
        up(0x0021, ipv4(me, srv, 6, tcp(me, srv, 50312, 443, 0x3c1a77e0, 0, 'S', 64240, syn_opts(1452, 2813307511)), 0x6d21)),
        # 7 IPv4 TCP SYN-ACK: inner TCP checksum BAD
        down(0x0021, ipv4(srv, me, 6, tcp(srv, me, 443, 50312, 0x8be0417c, 0x3c1a77e1, 'SA', 65160,
                                          syn_opts(1452, 1049227661, 2813307511), csum='bad'), 0, ttl=57)),
        # 8 IPv4 UDP DNS query: all good
        up(0x0021, ipv4(me, dns, 17, udp(me, dns, 41877, 53, dns_query(0x8a4c, 'www.example.net')), 0x6d22, df=False)),
        # 9 IPv4 UDP DNS answer: IPv4 header checksum BAD (UDP good)
        down(0x0021, ipv4(dns, me, 17, udp(dns, me, 53, 41877, dns_answer_a(0x8a4c, 'www.example.net', '198.51.100.10')),
                          0x1f03, ttl=61, df=False, csum='bad')),
        # 10 IPv4 UDP with UDP checksum 0 (none, legal in IPv4); 4-byte payload, frame padded to 60
        up(0x0021, ipv4(me, srv, 17, udp(me, srv, 33434, 33435, b'\x00\x01\x02\x03', csum='zero'), 0x6d23, ttl=1, df=False)),
        # 11 IPv4 ICMP echo request: all good
        up(0x0021, ipv4(me, srv, 1, icmp4(8, 0, 0x1d2e, 1, PING_PAYLOAD), 0x6d24)),
        # 12 IPv6 TCP SYN: good
        up(0x0057, ipv6(me6, srv6, 6, tcp(me6, srv6, 50314, 443, 0x71b0c2d5, 0, 'S', 64800, syn_opts(1432, 2813307630)), flow=0x3a5e1)),
        # 13 IPv6 TCP SYN-ACK: TCP checksum BAD
        down(0x0057, ipv6(srv6, me6, 6, tcp(srv6, me6, 443, 50314, 0x0c44e819, 0x71b0c2d6, 'SA', 64260,
                                           syn_opts(1432, 1049227790, 2813307630), csum='bad'), hlim=57)),
        # 14 IPv6 ICMPv6 echo request: good
        up(0x0057, ipv6(me6, srv6, 58, echo6(me6, srv6, True, 0x2b01, 1, PING_PAYLOAD), flow=0x0bd3f)),
        # 15 IPv6 ICMPv6 echo reply: ICMPv6 checksum BAD
        down(0x0057, ipv6(srv6, me6, 58, echo6(srv6, me6, False, 0x2b01, 1, PING_PAYLOAD, csum='bad'), hlim=57)),
        # 16 LCP Echo-Request (magic number), padded
        down(0xc021, struct.pack('!BBHI', 9, 7, 8, 0x51c0ffee)),
        # 17 PADT
        disc(bras, host, 0xa7, sid, b''),
    ]
    write_pcap('pppoe.pcap', LINKTYPE_ETHERNET, [(t(), f) for f in frames])


# =============================================================================================
# 2. GTP-U

def make_gtpu():
    gnb_mac, upf_mac = '3c:fd:fe:a5:10:22', '0c:42:a1:7e:31:08'
    gnb, upf = '172.16.10.11', '172.16.20.5'
    ue, srv, dns = '10.45.0.7', '198.51.100.10', '198.51.100.53'
    ue6, srv6 = '2001:db8:45::7', '2001:db8:100::10'
    t = clock(1714563600, 800)

    def gtp(msg_type, teid, payload, seq=None, npdu=None, exts=()):
        """exts: list of (type, content) with content padded so that 2 + len is a multiple of 4."""
        e, s, pn = bool(exts), seq is not None, npdu is not None
        flags = 0x30 | (0x04 if e else 0) | (0x02 if s else 0) | (0x01 if pn else 0)
        opt = b''
        if e or s or pn:
            opt = struct.pack('!HBB', seq or 0, npdu or 0, exts[0][0] if exts else 0)
            for i, (typ, content) in enumerate(exts):
                assert (len(content) + 2) % 4 == 0
                nxt = exts[i + 1][0] if i + 1 < len(exts) else 0
                opt += bytes([(len(content) + 2) // 4]) + content + bytes([nxt])
        body = opt + payload
        return struct.pack('!BBHI', flags, msg_type, len(body), teid) + body

    # PDU Session Container (TS 38.415): UL PDU SESSION INFORMATION (type 1) / DL (type 0), QFI 9
    psc_ul = (0x85, bytes([0x10, 0x09]))
    psc_dl = (0x85, bytes([0x00, 0x09]))
    pdcp = (0xc0, struct.pack('!H', 0x0a3c))  # PDCP PDU Number extension (length 1)

    def outer(src, dst, src_mac, dst_mac, g, csum, ident, csum_g=None):
        u = udp(src, dst, 2152, 2152, g, csum, csum_payload=csum_g)
        return ether(dst_mac, src_mac, 0x0800, ipv4(src, dst, 17, u, ident, ttl=64, df=True))

    ul = lambda g, csum, ident, csum_g=None: outer(gnb, upf, gnb_mac, upf_mac, g, csum, ident, csum_g)
    dl = lambda g, csum, ident, csum_g=None: outer(upf, gnb, upf_mac, gnb_mac, g, csum, ident, csum_g)
    teid_ul, teid_dl = 0x0000a1c3, 0x40020017

    # frame 14: an LCO-style frame (sender with inner TCP offload): outer UDP checksum computed for the
    # packet as it will leave the NIC (inner TCP filled in), but the captured inner TCP holds the partial value.
    lco_args = (ue, srv, 50110, 80, 0x2210fe01, 0x91aa0001, 'PA', 502)
    lco_good = ipv4(ue, srv, 6, tcp(*lco_args, opts=ts_opts(3011, 4022), payload=HTTP_GET), 0x51a0)
    lco_part = ipv4(ue, srv, 6, tcp(*lco_args, opts=ts_opts(3011, 4022), payload=HTTP_GET, csum='partial'), 0x51a0)

    frames = [
        # 1 Echo Request (type 1): S flag, sequence number, no IEs; outer UDP good
        ul(gtp(1, 0, b'', seq=0x0101), 'good', 0x0e01),
        # 2 Echo Response (type 2): S flag, Recovery IE (14) = 0; outer UDP 0
        dl(gtp(2, 0, bytes([14, 0]), seq=0x0101), 'zero', 0x7c01),
        # 3 G-PDU, no optional fields: IPv4 TCP SYN all good; outer UDP 0
        ul(gtp(0xff, teid_ul, ipv4(ue, srv, 6, tcp(ue, srv, 50100, 443, 0x1b2c3d4e, 0, 'S', 64240, syn_opts(1360, 1000)), 0x5101)), 'zero', 0x0e02),
        # 4 G-PDU, E flag + PDU Session Container (UL, QFI 9): IPv4 UDP DNS query good; outer good
        ul(gtp(0xff, teid_ul, ipv4(ue, dns, 17, udp(ue, dns, 38211, 53, dns_query(0x4f21, 'www.example.net')), 0x5102, df=False),
               exts=[psc_ul]), 'good', 0x0e03),
        # 5 G-PDU, E flag + PDU Session Container (DL): IPv4 TCP SYN-ACK with BAD inner TCP checksum; outer good
        dl(gtp(0xff, teid_dl, ipv4(srv, ue, 6, tcp(srv, ue, 443, 50100, 0x5e6f7a8b, 0x1b2c3d4f, 'SA', 65160, syn_opts(1360, 2000, 1000),
                                                   csum='bad'), 0, ttl=55), exts=[psc_dl]), 'good', 0x7c02),
        # 6 G-PDU: IPv4 ICMP echo request with BAD ICMP checksum; outer UDP 0
        ul(gtp(0xff, teid_ul, ipv4(ue, srv, 1, icmp4(8, 0, 0x0031, 7, PING_PAYLOAD, csum='bad'), 0x5103)), 'zero', 0x0e04),
        # 7 G-PDU, E flag, chain of two extension headers (PDCP PDU Number -> PDU Session Container):
        #   IPv6 TCP SYN good; outer UDP BAD
        ul(gtp(0xff, teid_ul, ipv6(ue6, srv6, 6, tcp(ue6, srv6, 50102, 443, 0x2c3d4e5f, 0, 'S', 64800, syn_opts(1340, 1100)), flow=0x71c2a),
               exts=[pdcp, psc_ul]), 'bad', 0x0e05),
        # 8 G-PDU, S flag: IPv6 ICMPv6 echo request good; outer good
        ul(gtp(0xff, teid_ul, ipv6(ue6, srv6, 58, echo6(ue6, srv6, True, 0x0032, 1, PING_PAYLOAD)), seq=0x0007), 'good', 0x0e06),
        # 9 G-PDU, PN flag: IPv4 UDP with BAD inner IPv4 header checksum (inner UDP good); outer good
        dl(gtp(0xff, teid_dl, ipv4(dns, ue, 17, udp(dns, ue, 53, 38211, dns_answer_a(0x4f21, 'www.example.net', srv)), 0x9d11,
                                   ttl=60, df=False, csum='bad'), npdu=0x2a), 'good', 0x7c03),
        # 10 G-PDU: IPv6 UDP with inner UDP checksum 0 (illegal in IPv6); outer good
        dl(gtp(0xff, teid_dl, ipv6(srv6, ue6, 17, udp(srv6, ue6, 4500, 4500, fill('gtp-ipsec', 48), csum='zero'), hlim=55)), 'good', 0x7c04),
        # 11 G-PDU, E + S flags, two extension headers: IPv4 UDP with BAD inner UDP checksum; outer UDP 0
        ul(gtp(0xff, teid_ul, ipv4(ue, dns, 17, udp(ue, dns, 38212, 53, dns_query(0x4f22, 'www.example.net', 28), csum='bad'), 0x5104, df=False),
               seq=0x0008, exts=[pdcp, psc_ul]), 'zero', 0x0e07),
        # 12 G-PDU, E flag + PSC (DL): IPv6 ICMPv6 echo reply with BAD ICMPv6 checksum; outer good
        dl(gtp(0xff, teid_dl, ipv6(srv6, ue6, 58, echo6(srv6, ue6, False, 0x0032, 1, PING_PAYLOAD, csum='bad'), hlim=55),
               exts=[psc_dl]), 'good', 0x7c05),
        # 13 G-PDU: IPv4 ICMP echo reply good; outer UDP 'partial' (sender's transmit offload)
        dl(gtp(0xff, teid_dl, ipv4(srv, ue, 1, icmp4(0, 0, 0x0031, 7, PING_PAYLOAD), 0x33f0, ttl=55)), 'partial', 0x7c06),
        # 14 G-PDU, E + PSC: inner IPv4 TCP with 'partial' TCP checksum; outer UDP computed LCO-style for the
        #    packet the NIC will send (inner filled in), so it does not verify over the captured bytes
        ul(gtp(0xff, teid_ul, lco_part, exts=[psc_ul]), 'good', 0x0e08, csum_g=gtp(0xff, teid_ul, lco_good, exts=[psc_ul])),
        # 15 G-PDU, S flag: IPv6 TCP ACK good; outer good
        dl(gtp(0xff, teid_dl, ipv6(srv6, ue6, 6, tcp(srv6, ue6, 443, 50102, 0x7f00aa01, 0x2c3d4e60, 'A', 509, ts_opts(2100, 1100)), hlim=55),
               seq=0x0009), 'good', 0x7c07),
    ]
    write_pcap('gtpu.pcap', LINKTYPE_ETHERNET, [(t(), f) for f in frames])


# =============================================================================================
# 3. Teredo (captured on the client's LAN, before its NAT)

def make_teredo():
    cl_mac, gw_mac = 'f4:8e:38:9a:11:c2', 'e8:de:27:51:40:0a'
    client = '192.168.1.23'           # Teredo client, private side of a NAT
    server = '198.51.100.1'           # Teredo server (UDP 3544)
    relay = '203.0.113.77'            # Teredo relay (UDP 3544)
    cport = 51413
    mapped_ip, mapped_port = '203.0.113.45', 40000

    def obf(ip_, port):
        a = bytes(b ^ 0xff for b in ip_bytes(ip_))
        return port ^ 0xffff, a

    mp, ma = obf(mapped_ip, mapped_port)
    # 2001:0:<server>:<flags 0x8000 cone>:<obfuscated port>:<obfuscated address>
    sv = ip_bytes(server)
    t6 = socket.inet_ntop(socket.AF_INET6, b'\x20\x01\x00\x00' + sv + struct.pack('!HH', 0x8000, mp) + ma)
    ll_client, ll_server = 'fe80::8000:ffff:ffff:fffe', 'fe80::ffff:ffff:ffff'
    native = '2001:db8:1::10'
    peer6 = socket.inet_ntop(socket.AF_INET6, b'\x20\x01\x00\x00' + sv + struct.pack('!H', 0) + struct.pack('!H', 3544 ^ 0xffff) + obf(relay, 0)[1])
    t = clock(1714567200, 25000)

    def auth(nonce, client_id=b'', auth_val=b'', confirm=0):
        return struct.pack('!HBB', 1, len(client_id), len(auth_val)) + client_id + auth_val + nonce + bytes([confirm])

    def origin(ip_, port):
        p, a = obf(ip_, port)
        return struct.pack('!HH', 0, p) + a

    def frame(src, sport, dst, dport, inner, csum, ident, up):
        u = udp(src, dst, sport, dport, inner, csum)
        f = ipv4(src, dst, 17, u, ident, ttl=64 if up else 52, df=False)
        return ether(gw_mac, cl_mac, 0x0800, f) if up else ether(cl_mac, gw_mac, 0x0800, f)

    nonce1, nonce2 = bytes.fromhex('8a1f22c0945e3d71'), bytes.fromhex('0b77e6d1a2c4f913')
    rs = ipv6(ll_client, 'ff02::2', 58, icmp6(ll_client, 'ff02::2', 133, 0, b'\0' * 4), hlim=255)
    pio = struct.pack('!BBBBIII', 3, 4, 64, 0x00, 0xffffffff, 0xffffffff, 0) + ip_bytes('2001:0:c633:6401::')
    mtu = struct.pack('!BBHI', 5, 1, 0, 1280)
    ra_body = struct.pack('!BBHII', 0, 0, 0, 0, 0) + pio + mtu
    ra = ipv6(ll_server, ll_client, 58, icmp6(ll_server, ll_client, 134, 0, ra_body), hlim=255)
    rs_bad = ipv6(ll_client, 'ff02::2', 58, icmp6(ll_client, 'ff02::2', 133, 0, b'\0' * 4, csum='bad'), hlim=255)
    bubble_direct = ipv6(t6, peer6, 59, b'', hlim=21)
    bubble_indirect = ipv6(peer6, t6, 59, b'', hlim=21)
    ping = lambda csum='good': ipv6(t6, native, 58, echo6(t6, native, True, 0x5e01, 1, PING_PAYLOAD, csum), hlim=64)
    pong = lambda csum='good': ipv6(native, t6, 58, echo6(native, t6, False, 0x5e01, 1, PING_PAYLOAD, csum), hlim=56)

    frames = [
        # 1 RS with authentication indicator (id-len 0, auth-len 0, nonce, confirmation 0); all good
        frame(client, cport, server, 3544, auth(nonce1) + rs, 'good', 0x2a01, True),
        # 2 RA: authentication (nonce echoed) THEN origin indication (mapped 203.0.113.45:40000); all good
        frame(server, 3544, client, cport, auth(nonce1) + origin(mapped_ip, mapped_port) + ra, 'good', 0x0c11, False),
        # 3 bubble (IPv6, next header 59, no payload) to the relay; outer UDP 0
        frame(client, cport, relay, 3544, bubble_direct, 'zero', 0x2a02, True),
        # 4 indirect bubble from the server: origin indication (relay 203.0.113.77:3544) + bubble; all good
        frame(server, 3544, client, cport, origin(relay, 3544) + bubble_indirect, 'good', 0x0c12, False),
        # 5 ICMPv6 echo request via the relay: all good
        frame(client, cport, relay, 3544, ping(), 'good', 0x2a03, True),
        # 6 ICMPv6 echo reply: ICMPv6 checksum BAD; outer good
        frame(relay, 3544, client, cport, pong('bad'), 'good', 0x91d4, False),
        # 7 IPv6 TCP SYN: inner good, outer UDP BAD
        frame(client, cport, relay, 3544, ipv6(t6, native, 6, tcp(t6, native, 49731, 80, 0x0d15ea5e, 0, 'S', 65535, syn_opts(1220, 70001))),
              'bad', 0x2a04, True),
        # 8 IPv6 TCP SYN-ACK: inner TCP BAD, outer UDP 0
        frame(relay, 3544, client, cport, ipv6(native, t6, 6, tcp(native, t6, 80, 49731, 0xfeedf00d, 0x0d15ea5f, 'SA', 64260,
                                                                   syn_opts(1220, 90001, 70001), csum='bad'), hlim=56),
              'zero', 0x91d5, False),
        # 9 IPv6 UDP DNS query (AAAA): all good
        frame(client, cport, relay, 3544, ipv6(t6, native, 17, udp(t6, native, 53112, 53, dns_query(0x7b3a, 'www.example.net', 28))),
              'good', 0x2a05, True),
        # 10 IPv6 UDP DNS answer: inner UDP BAD; outer good
        frame(relay, 3544, client, cport, ipv6(native, t6, 17, udp(native, t6, 53, 53112,
                                                                   dns_answer_aaaa(0x7b3a, 'www.example.net', native), csum='bad'), hlim=56),
              'good', 0x91d6, False),
        # 11 RS with authentication indicator carrying a client identifier (6) and an auth value (20),
        #    confirmation 0; inner ICMPv6 checksum BAD, outer good
        frame(client, cport, server, 3544, auth(nonce2, b'mydev1', fill('teredo-hmac', 20)) + rs_bad, 'good', 0x2a06, True),
        # 12 origin indication alone + ICMPv6 echo reply relayed by the server; all good
        frame(server, 3544, client, cport, origin(relay, 3544) + pong(), 'good', 0x0c13, False),
        # 13 IPv6 UDP: inner UDP checksum 0 (illegal in IPv6); outer good
        frame(client, cport, relay, 3544, ipv6(t6, native, 17, udp(t6, native, 53113, 123, fill('ntp', 48), csum='zero')),
              'good', 0x2a07, True),
        # 14 bubble with both indicators (auth first, then origin); outer UDP BAD
        frame(server, 3544, client, cport, auth(nonce2, confirm=1) + origin(relay, 3544) + bubble_indirect, 'bad', 0x0c14, False),
    ]
    write_pcap('teredo.pcap', LINKTYPE_ETHERNET, [(t(), f) for f in frames])


# =============================================================================================
# 4. WireGuard (crafted; see make-protocol-netns.sh for real ones)

def make_wireguard():
    a_mac, b_mac = '52:54:00:3e:8d:01', '52:54:00:7a:19:02'
    cli, srv = '192.0.2.50', '203.0.113.5'          # road warrior -> VPN gateway on 51820
    n1, n2 = '10.0.1.15', '10.0.2.27'                # Cilium nodes, WireGuard on 51871
    cli6, srv6 = '2001:db8:50::2', '2001:db8:5::1'
    t = clock(1714570800, 3000)
    i_cli, i_srv, i_n1, i_n2 = 0x3d1f7a02, 0x9b44e6c1, 0x000a11f3, 0x5c2e08d7

    def init(sender, seed, mac2=b'\0' * 16):
        m = struct.pack('<B3xI', 1, sender) + fill(seed + 'e', 32) + fill(seed + 's', 48) + fill(seed + 't', 28) + fill(seed + 'm', 16) + mac2
        assert len(m) == 148
        return m

    def resp(sender, receiver, seed):
        m = struct.pack('<B3xII', 2, sender, receiver) + fill(seed + 'e', 32) + fill(seed + 'n', 16) + fill(seed + 'm', 16) + b'\0' * 16
        assert len(m) == 92
        return m

    def cookie(receiver, seed):
        m = struct.pack('<B3xI', 3, receiver) + fill(seed + 'n', 24) + fill(seed + 'c', 32)
        assert len(m) == 64
        return m

    def data(receiver, counter, plen, seed):
        assert plen % 16 == 0
        m = struct.pack('<B3xIQ', 4, receiver, counter) + fill(seed, plen + 16)
        assert len(m) >= 32
        return m

    def f4(src, dst, smac, dmac, sport, dport, msg, csum, ident):
        return ether(dmac, smac, 0x0800, ipv4(src, dst, 17, udp(src, dst, sport, dport, msg, csum), ident, df=False))

    def f6(src, dst, smac, dmac, sport, dport, msg, csum):
        return ether(dmac, smac, 0x86dd, ipv6(src, dst, 17, udp(src, dst, sport, dport, msg, csum)))

    up = lambda msg, csum, ident: f4(cli, srv, a_mac, b_mac, 39114, 51820, msg, csum, ident)
    down = lambda msg, csum, ident: f4(srv, cli, b_mac, a_mac, 51820, 39114, msg, csum, ident)
    n12 = lambda msg, csum, ident: f4(n1, n2, a_mac, b_mac, 51871, 51871, msg, csum, ident)
    n21 = lambda msg, csum, ident: f4(n2, n1, b_mac, a_mac, 51871, 51871, msg, csum, ident)
    frames = [
        # --- UDP 51820
        up(init(i_cli, 'wg-i1'), 'good', 0x1101),                        # 1 initiation (148)
        down(cookie(i_cli, 'wg-c1'), 'good', 0x2201),                    # 2 cookie reply (64): gateway under load
        up(init(i_cli, 'wg-i2', fill('wg-mac2', 16)), 'good', 0x1102),   # 3 initiation again, with mac2
        down(resp(i_srv, i_cli, 'wg-r1'), 'good', 0x2202),               # 4 response (92)
        up(data(i_srv, 0, 0, 'wg-d0'), 'good', 0x1103),                  # 5 keepalive (32), confirms the session
        up(data(i_srv, 1, 96, 'wg-d1'), 'good', 0x1104),                 # 6 transport data (128)
        down(data(i_cli, 0, 96, 'wg-d2'), 'bad', 0x2203),                # 7 transport data, outer UDP checksum BAD
        up(data(i_srv, 2, 1280, 'wg-d3'), 'partial', 0x1105),           # 8 transport data (1312), UDP 'partial' (tx offload)
        down(data(i_cli, 1, 0, 'wg-d4'), 'zero', 0x2204),                # 9 keepalive, outer UDP checksum 0
        # --- UDP 51871 (Cilium's port), both ends 51871
        n12(init(i_n1, 'wg-i3'), 'good', 0x3301),                        # 10 initiation
        n21(resp(i_n2, i_n1, 'wg-r2'), 'good', 0x4401),                  # 11 response
        n12(data(i_n2, 0, 0, 'wg-d5'), 'good', 0x3302),                  # 12 keepalive
        n12(data(i_n2, 1, 64, 'wg-d6'), 'good', 0x3303),                 # 13 transport data (96)
        n21(data(i_n1, 0, 64, 'wg-d7'), 'good', 0x4402),                 # 14 transport data
        n21(cookie(i_n1, 'wg-c2'), 'good', 0x4403),                      # 15 cookie reply
        # --- IPv6 outer, UDP 51820
        f6(cli6, srv6, a_mac, b_mac, 39115, 51820, data(i_srv, 3, 48, 'wg-d8'), 'good'),  # 16 transport data over IPv6
        f6(srv6, cli6, b_mac, a_mac, 51820, 39115, data(i_cli, 2, 0, 'wg-d9'), 'bad'),    # 17 keepalive over IPv6, UDP BAD
    ]
    write_pcap('wireguard.pcap', LINKTYPE_ETHERNET, [(t(), f) for f in frames])


# =============================================================================================
# 5. Cisco HDLC (link type 104)

def make_chdlc():
    r1, r2 = '10.0.0.1', '10.0.0.2'          # the serial link's /30
    lan, host = '192.168.10.5', '172.16.8.20'
    r1v6, r2v6 = '2001:db8:ffff::1', '2001:db8:ffff::2'
    t = clock(1714574400, 10000)

    def hdlc(addr, proto, payload):
        return struct.pack('!BBH', addr, 0x00, proto) + payload

    def slarp(code, a, b, reliability=0xffff, t1=0, t2=0):
        return struct.pack('!IIIHHH', code, a, b, reliability, t1, t2)

    def addr(s):
        return struct.unpack('!I', ip_bytes(s))[0]

    frames = [
        # 1 SLARP request (broadcast 0x8f)
        hdlc(0x8f, 0x8035, slarp(0, 0, 0, 0, 0, 0)),
        # 2 SLARP reply: 10.0.0.1/255.255.255.252
        hdlc(0x8f, 0x8035, slarp(1, addr(r1), addr('255.255.255.252'), 0, 0, 0)),
        # 3 SLARP keepalive (line check)
        hdlc(0x8f, 0x8035, slarp(2, 0x00000011, 0x00000010, 0xffff, 0x0001, 0xa2c4)),
        # 4 IPv4 TCP SYN: good
        hdlc(0x0f, 0x0800, ipv4(lan, host, 6, tcp(lan, host, 51022, 22, 0x13572468, 0, 'S', 29200, syn_opts(1460, 4001)), 0x0a01, ttl=63)),
        # 5 IPv4 TCP SYN-ACK: TCP checksum BAD
        hdlc(0x0f, 0x0800, ipv4(host, lan, 6, tcp(host, lan, 22, 51022, 0x24681357, 0x13572469, 'SA', 28960,
                                                  syn_opts(1460, 5001, 4001), csum='bad'), 0, ttl=63)),
        # 6 IPv4 UDP (NTP): good
        hdlc(0x0f, 0x0800, ipv4(lan, host, 17, udp(lan, host, 123, 123, fill('ntp-chdlc', 48)), 0x0a02, ttl=63, df=False)),
        # 7 IPv4 ICMP echo request: good
        hdlc(0x0f, 0x0800, ipv4(lan, host, 1, icmp4(8, 0, 0x0b01, 1, PING_PAYLOAD), 0x0a03, ttl=63)),
        # 8 IPv4 ICMP echo reply: ICMP checksum BAD
        hdlc(0x0f, 0x0800, ipv4(host, lan, 1, icmp4(0, 0, 0x0b01, 1, PING_PAYLOAD, csum='bad'), 0x7e41, ttl=63, df=False)),
        # 9 IPv4 UDP: IPv4 header checksum BAD
        hdlc(0x0f, 0x0800, ipv4(host, lan, 17, udp(host, lan, 514, 514, b'<189>Jan  1 00:00:00 rtr: %LINK-3-UPDOWN'), 0x7e42, ttl=63, df=False, csum='bad')),
        # 10 IPv4 RIPv2 to 224.0.0.9 on the broadcast address 0x8f, UDP checksum 0
        hdlc(0x8f, 0x0800, ipv4(r1, '224.0.0.9', 17, udp(r1, '224.0.0.9', 520, 520,
                                                          struct.pack('!BBH', 2, 2, 0) + struct.pack('!HH4s4s4sI', 2, 0, ip_bytes('192.168.10.0'),
                                                                                                      ip_bytes('255.255.255.0'), b'\0' * 4, 1),
                                                          csum='zero'), 0x0001, ttl=2, df=False, tos=0xc0)),
        # 11 IPv6 ICMPv6 echo request: good
        hdlc(0x0f, 0x86dd, ipv6(r1v6, r2v6, 58, echo6(r1v6, r2v6, True, 0x0c01, 1, PING_PAYLOAD))),
        # 12 IPv6 TCP SYN (BGP): good
        hdlc(0x0f, 0x86dd, ipv6(r2v6, r1v6, 6, tcp(r2v6, r1v6, 179, 35001, 0x55aa55aa, 0, 'S', 16384, struct.pack('!BBH', 2, 4, 1440)), hlim=1)),
        # 13 IPv6 ICMPv6 echo reply: ICMPv6 checksum BAD
        hdlc(0x0f, 0x86dd, ipv6(r2v6, r1v6, 58, echo6(r2v6, r1v6, False, 0x0c01, 1, PING_PAYLOAD, csum='bad'))),
    ]
    write_pcap('chdlc.pcap', LINKTYPE_C_HDLC, [(t(), f) for f in frames])


# =============================================================================================
# 6. "modified" pcap (Kuznetsov), little- and big-endian

def modified_frames():
    h_mac, g_mac = '00:16:3e:4c:72:a9', '00:25:90:d1:0e:33'
    me, srv, dns = '192.168.122.41', '198.51.100.10', '192.168.122.1'
    t = clock(1714578000, 2000)
    OUT_, HOST = 4, 0   # PACKET_OUTGOING, PACKET_HOST
    tx = lambda p: ether(g_mac, h_mac, 0x0800, p)
    rx = lambda p: ether(h_mac, g_mac, 0x0800, p)
    frames = [
        (tx(ipv4(me, dns, 17, udp(me, dns, 44561, 53, dns_query(0x1c01, 'www.example.net')), 0x3a01, df=False)), OUT_),   # 1 good
        (rx(ipv4(dns, me, 17, udp(dns, me, 53, 44561, dns_answer_a(0x1c01, 'www.example.net', srv)), 0xe201, df=False)), HOST),  # 2 good
        (tx(ipv4(me, srv, 6, tcp(me, srv, 40112, 80, 0x0a0b0c0d, 0, 'S', 64240, syn_opts(1460, 101)), 0x3a02)), OUT_),     # 3 good
        (rx(ipv4(srv, me, 6, tcp(srv, me, 80, 40112, 0x66778899, 0x0a0b0c0e, 'SA', 65160, syn_opts(1460, 201, 101), csum='bad'), 0, ttl=54)), HOST),  # 4 TCP BAD
        (tx(ipv4(me, srv, 6, tcp(me, srv, 40112, 80, 0x0a0b0c0e, 0x6677889a, 'A', 502, ts_opts(102, 201)), 0x3a03)), OUT_),  # 5 good
        (tx(ipv4(me, srv, 6, tcp(me, srv, 40112, 80, 0x0a0b0c0e, 0x6677889a, 'PA', 502, ts_opts(102, 201), HTTP_GET), 0x3a04, csum='bad')), OUT_),  # 6 IPv4 BAD
        (rx(ipv4(srv, me, 6, tcp(srv, me, 80, 40112, 0x6677889a, 0x0a0b0c0e + len(HTTP_GET), 'A', 509, ts_opts(202, 102)), 0xb1c0, ttl=54)), HOST),  # 7 good
        (tx(ipv4(me, srv, 1, icmp4(8, 0, 0x4d01, 1, PING_PAYLOAD), 0x3a05)), OUT_),                                           # 8 good
        (rx(ipv4(srv, me, 1, icmp4(0, 0, 0x4d01, 1, PING_PAYLOAD, csum='bad'), 0x0d0e, ttl=54, df=False)), HOST),            # 9 ICMP BAD
        (tx(ipv4(me, dns, 17, udp(me, dns, 44562, 53, dns_query(0x1c02, 'mail.example.net'), csum='bad'), 0x3a06, df=False)), OUT_),  # 10 UDP BAD
        (tx(ipv4(me, dns, 17, udp(me, dns, 44563, 53, dns_query(0x1c03, 'ntp.example.net'), csum='zero'), 0x3a07, df=False)), OUT_),  # 11 UDP 0
        (tx(ipv4(me, srv, 6, tcp(me, srv, 40112, 80, 0x0a0b0c0e + len(HTTP_GET), 0x6677889a, 'FA', 502, ts_opts(103, 202), csum='partial'), 0x3a08)), OUT_),  # 12 TCP partial
    ]
    return [(t(), f, 2, pt) for f, pt in frames]


def make_modified():
    fr = modified_frames()
    write_modified_pcap('modified.pcap', fr, '<')
    write_modified_pcap('modified-be.pcap', fr, '>')


# =============================================================================================
# 7. IPv4 header + L4 transmit checksum offload, as captured on the sender

def make_ipv4_offload():
    me_mac, gw_mac = '00:e0:4c:68:1a:7f', '00:1c:73:00:00:99'
    me, srv, dns = '192.0.2.10', '198.51.100.20', '192.0.2.1'
    t = clock(1714581600, 700)
    tx = lambda p: ether(gw_mac, me_mac, 0x0800, p)
    rx = lambda p: ether(me_mac, gw_mac, 0x0800, p)
    body = fill('offload-body', 1200)
    frames = [
        # 1 TCP SYN: IPv4 checksum 0 + TCP partial (both offloaded)
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffee, 0, 'S', 64240, syn_opts(1460, 7001), csum='partial'), 0x8a01, csum='zero')),
        # 2 TCP SYN-ACK received: all good (control)
        rx(ipv4(srv, me, 6, tcp(srv, me, 443, 46210, 0xabad1dea, 0x00c0ffef, 'SA', 65160, syn_opts(1460, 9001, 7001)), 0, ttl=53)),
        # 3 TCP ACK: IPv4 0 + TCP partial
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffef, 0xabad1deb, 'A', 502, ts_opts(7002, 9001), csum='partial'), 0x8a02, csum='zero')),
        # 4 TCP data 1200 bytes: IPv4 0 + TCP partial (pseudo length includes the payload)
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffef, 0xabad1deb, 'PA', 502, ts_opts(7003, 9001), body, csum='partial'), 0x8a03, csum='zero')),
        # 5 UDP DNS query: IPv4 0 + UDP partial
        tx(ipv4(me, dns, 17, udp(me, dns, 52001, 53, dns_query(0x2468, 'www.example.net'), csum='partial'), 0x8a04, df=False, csum='zero')),
        # 6 CONTROL: IPv4 checksum 0 but TCP fully correct -> the IPv4 checksum is genuinely bad
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffef + 1200, 0xabad1deb, 'A', 502, ts_opts(7004, 9001)), 0x8a05, csum='zero')),
        # 7 CONTROL: IPv4 good, TCP partial (the common Linux case: only L4 offloaded)
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffef + 1200, 0xabad1deb, 'PA', 502, ts_opts(7005, 9001), TLS_APPDATA, csum='partial'), 0x8a06)),
        # 8 CONTROL: all good (UDP reply)
        rx(ipv4(dns, me, 17, udp(dns, me, 53, 52001, dns_answer_a(0x2468, 'www.example.net', srv)), 0x5501, df=False)),
        # 9 CONTROL: all good (TCP from the sender, offload off)
        tx(ipv4(me, srv, 6, tcp(me, srv, 46210, 443, 0x00c0ffef + 1200 + len(TLS_APPDATA), 0xabad1deb, 'FA', 502, ts_opts(7006, 9001)), 0x8a07)),
        # 10 UDP: IPv4 0 + UDP partial, larger datagram (QUIC-sized)
        tx(ipv4(me, srv, 17, udp(me, srv, 52002, 443, fill('quic', 1200), csum='partial'), 0x8a08, df=True, csum='zero')),
        # 11 CONTROL: IPv4 checksum 0 and UDP checksum 0 ("no checksum"): IPv4 genuinely bad, UDP none
        tx(ipv4(me, dns, 17, udp(me, dns, 52003, 53, dns_query(0x2469, 'example.net'), csum='zero'), 0x8a09, df=False, csum='zero')),
    ]
    write_pcap('ipv4-csum-offload.pcap', LINKTYPE_ETHERNET, [(t(), f) for f in frames])


def main():
    os.makedirs(OUT, exist_ok=True)
    make_pppoe()
    make_gtpu()
    make_teredo()
    make_wireguard()
    make_chdlc()
    make_modified()
    make_ipv4_offload()


if __name__ == '__main__':
    main()
