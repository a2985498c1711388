#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dyn_frames.py - host announcements and neighbour discovery, by hand.

  dyn_frames.py garp DEV IP          gratuitous ARP request (sender = target)
  dyn_frames.py rarp DEV             RARP request reverse for DEV's MAC
  dyn_frames.py ns DEV SRC TARGET    neighbour solicitation for TARGET from
                                     SRC, to TARGET's solicited-node group
  dyn_frames.py una DEV TARGET       unsolicited neighbour advertisement to
                                     all-nodes (ff02::1)

Frames go out of DEV through an AF_PACKET socket with DEV's MAC as the
source. Python standard library only (no arping/ndisc6 in the guest).
"""

import ipaddress
import socket
import struct
import sys

from lisp_craft import csum

BCAST = b"\xff" * 6


def dev_mac(dev):
    with open("/sys/class/net/%s/address" % dev) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def send(dev, dst, ethertype, payload):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    frame = dst + dev_mac(dev) + struct.pack("!H", ethertype) + payload
    s.send(frame + b"\0" * max(0, 60 - len(frame)))
    s.close()


def arp(op, sha, sip, tha, tip):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + sip + tha + tip


def icmp6(src, dst, body):
    """An IPv6 packet (hop limit 255) carrying the ICMPv6 message body."""
    ph = src + dst + struct.pack("!I3xB", len(body), 58)
    body = body[:2] + struct.pack("!H", csum(ph + body)) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + src + dst
    return ip6 + body


def mcast_mac(addr):
    return b"\x33\x33" + addr[-4:]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, dev = sys.argv[1], sys.argv[2]
    mac = dev_mac(dev)
    if cmd == "garp":
        ip = socket.inet_aton(sys.argv[3])
        send(dev, BCAST, 0x0806, arp(1, mac, ip, b"\0" * 6, ip))
    elif cmd == "rarp":
        send(dev, BCAST, 0x8035, arp(3, mac, b"\0" * 4, mac, b"\0" * 4))
    elif cmd == "ns":
        src = ipaddress.IPv6Address(sys.argv[3]).packed
        tgt = ipaddress.IPv6Address(sys.argv[4]).packed
        dst = bytes.fromhex("ff0200000000000000000001ff") + tgt[-3:]
        body = struct.pack("!BBHI", 135, 0, 0, 0) + tgt + b"\x01\x01" + mac
        send(dev, mcast_mac(dst), 0x86dd, icmp6(src, dst, body))
    elif cmd == "una":
        tgt = ipaddress.IPv6Address(sys.argv[3]).packed
        dst = ipaddress.IPv6Address("ff02::1").packed
        src = tgt
        # Override flag set, not solicited; target link-layer option.
        body = struct.pack("!BBHI", 136, 0, 0, 0x20000000) + tgt + \
            b"\x02\x01" + mac
        send(dev, mcast_mac(dst), 0x86dd, icmp6(src, dst, body))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
