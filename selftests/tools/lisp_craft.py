#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lisp_craft.py - hand-made LISP data packets for the selftests.

  lisp_craft.py udp DST [options]
      Send COUNT UDP datagrams to DST (IPv4 or IPv6 RLOC), port 4341,
      each holding an 8-byte LISP header and an inner packet.
  lisp_craft.py pkt DEV [options]
      Send COUNT frames through an AF_PACKET socket bound to DEV (e.g. a
      lisp device, to see what it does with a packet that is not IP).
  lisp_craft.py serve
      Read one "udp ..." or "pkt ..." command per line from stdin and
      answer each with a line "ok" or "error: REASON" once it is sent:
      one python start for a whole test.

The header is --flags (one byte), --w1 (the 24 bits after it: nonce or
map-version) and --w2 (the second word: instance-id << 8 | LSBs).
--inner picks the payload:
  icmp4   IPv4 ICMP echo request --src -> --eid (inner --tos)
  icmp6   IPv6 ICMPv6 echo request --src -> --eid (inner traffic class --tos)
  ver5    a 20-byte "IP" header whose version nibble is 5
  trunc4  the first 12 bytes of an IPv4 header (version 4, cut short)
  arp     a 28-byte ARP request (for pkt with --proto 0x0806)
  none    nothing after the LISP header
--truncate N cuts the whole UDP payload to N bytes.
--saddr ADDR and --sport N bind the outer source (udp mode), as a
packet from a given RLOC and port (a NAT's binding) would come.
Python standard library only.
"""

import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def icmp4(src, dst, tos, ident, seq, size):
    payload = bytes((i & 0xff for i in range(size)))
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    tot = 20 + len(icmp)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, tot, ident, 0x4000, 64,
                      socket.IPPROTO_ICMP, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + icmp


def icmp6(src, dst, tclass, ident, seq, size):
    s = socket.inet_pton(socket.AF_INET6, src)
    d = socket.inet_pton(socket.AF_INET6, dst)
    payload = bytes((i & 0xff for i in range(size)))
    icmp = struct.pack("!BBHHH", 128, 0, 0, ident, seq) + payload
    pseudo = s + d + struct.pack("!I3xB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    vtf = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB", vtf, len(icmp), 58, 64) + s + d + icmp


def inner(args, seq):
    if args.inner == "icmp4":
        return icmp4(args.src or "10.2.0.1", args.eid or "10.1.0.1",
                     args.tos, args.ident, seq, args.size)
    if args.inner == "icmp6":
        return icmp6(args.src or "fd02::1", args.eid or "fd01::1",
                     args.tos, args.ident, seq, args.size)
    if args.inner == "ver5":
        p = icmp4(args.src or "10.2.0.1", args.eid or "10.1.0.1",
                  args.tos, args.ident, seq, args.size)
        return bytes([0x55]) + p[1:]
    if args.inner == "trunc4":
        return icmp4(args.src or "10.2.0.1", args.eid or "10.1.0.1",
                     args.tos, args.ident, seq, 0)[:12]
    if args.inner == "arp":
        return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
                           b"\x02\0\0\0\0\1", socket.inet_aton("10.1.0.254"),
                           b"\0" * 6, socket.inet_aton("10.1.0.1"))
    return b""


class Args:
    """Options, parsed by hand: argparse costs seconds on an emulated CPU."""
    port = 4341
    count = 1
    flags = 0x80
    w1 = 0x123456
    w2 = 0
    inner = "icmp4"
    src = None
    eid = None
    tos = 0
    outer_tos = 0
    ident = 0x4c53
    size = 32
    truncate = None
    proto = 0x0806
    saddr = ""
    sport = 0


INT_OPTS = ("port", "count", "flags", "w1", "w2", "tos", "outer_tos",
            "ident", "size", "truncate", "proto", "sport")
STR_OPTS = ("inner", "src", "eid", "saddr")
INNERS = ("icmp4", "icmp6", "ver5", "trunc4", "arp", "none")


class UsageError(Exception):
    pass


def usage(msg=None):
    raise UsageError(msg or "usage: see lisp_craft.py's docstring")


def parse(argv):
    args = Args()
    if len(argv) < 2 or argv[0] not in ("udp", "pkt"):
        usage()
    args.mode, args.target = argv[0], argv[1]
    rest = argv[2:]
    while rest:
        opt = rest.pop(0)
        name = opt.lstrip("-").replace("-", "_")
        if not opt.startswith("--") or not rest or \
           name not in INT_OPTS + STR_OPTS:
            usage("bad option " + opt)
        val = rest.pop(0)
        if name in INT_OPTS:
            val = int(val, 0)
        setattr(args, name, val)
    if args.inner not in INNERS:
        usage("unknown --inner " + args.inner)
    return args


def send(args):
    if args.mode == "pkt":
        s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                          socket.htons(args.proto))
        s.bind((args.target, args.proto))
        for i in range(args.count):
            data = inner(args, i + 1)
            s.sendto(data, (args.target, args.proto))
        s.close()
        return 0

    family = socket.AF_INET6 if ":" in args.target else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    if args.saddr or args.sport:
        s.bind((args.saddr, args.sport))
    if args.outer_tos:
        if family == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, args.outer_tos)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS,
                         args.outer_tos)
    for i in range(args.count):
        hdr = struct.pack("!I", (args.flags << 24) | (args.w1 & 0xffffff))
        hdr += struct.pack("!I", args.w2 & 0xffffffff)
        data = hdr + inner(args, i + 1)
        if args.truncate is not None:
            data = data[:args.truncate]
        s.sendto(data, (args.target, args.port))
    s.close()
    return 0


def serve():
    for line in sys.stdin:
        try:
            send(parse(line.split()))
            reply = "ok"
        except (UsageError, OSError, ValueError) as e:
            reply = "error: %s" % e
        print(reply, flush=True)
    return 0


def main():
    if sys.argv[1:] == ["serve"]:
        return serve()
    try:
        return send(parse(sys.argv[1:]))
    except UsageError as e:
        print("lisp_craft.py: %s" % e, file=sys.stderr)
        print(__doc__, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
