#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dyn_frames.py - host announcements and neighbour discovery, by hand.

  dyn_frames.py garp DEV IP          gratuitous ARP request (sender = target)
  dyn_frames.py rarp DEV             RARP request reverse for DEV's MAC
  dyn_frames.py ns DEV SRC TARGET    neighbour solicitation for TARGET from
                                     SRC, to TARGET's solicited-node group
  dyn_frames.py una DEV TARGET       unsolicited neighbour advertisement to
                                     all-nodes (ff02::1)
  dyn_frames.py na DEV DSTMAC SRC DST TARGET [hlim N] [badsum]
                                     solicited NA unicast to DST at DSTMAC,
                                     hop limit N (255), wrong checksum
  dyn_frames.py garp-burst DEV FIRST N
                                     N gratuitous ARPs for N addresses
                                     counted up from FIRST
  dyn_frames.py rarp-burst DEV N     N copies of the RARP request

Bursts go through one socket with sendmmsg (ctypes), 1024 frames a call,
as fast as the guest sends them.

Frames go out of DEV through an AF_PACKET socket with DEV's MAC as the
source. Python standard library only (no arping/ndisc6 in the guest).
"""

import ctypes
import ipaddress
import os
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


def icmp6(src, dst, body, hlim=255, badsum=False):
    """An IPv6 packet (hop limit 255) carrying the ICMPv6 message body."""
    ph = src + dst + struct.pack("!I3xB", len(body), 58)
    cs = csum(ph + body) ^ (0x5555 if badsum else 0)
    body = body[:2] + struct.pack("!H", cs) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, hlim) + src + dst
    return ip6 + body


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(IoVec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", MsgHdr), ("len", ctypes.c_uint)]


def burst(dev, frames, flen=60):
    """Send frames (a bytes of n frames of flen bytes) out of dev."""
    libc = ctypes.CDLL(None, use_errno=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    buf = ctypes.create_string_buffer(frames, len(frames))
    base = ctypes.addressof(buf)
    batch = 1024
    iov = (IoVec * batch)()
    msgs = (MMsgHdr * batch)()
    for i in range(batch):
        iov[i].len = flen
        msgs[i].hdr.iov = ctypes.pointer(iov[i])
        msgs[i].hdr.iovlen = 1
    n = len(frames) // flen
    done = 0
    while done < n:
        k = min(batch, n - done)
        for i in range(k):
            iov[i].base = base + (done + i) * flen
        r = libc.sendmmsg(s.fileno(), msgs, k, 0)
        if r < 0:
            e = ctypes.get_errno()
            if e in (105, 11):      # ENOBUFS, EAGAIN: the queue is full
                continue
            raise OSError(e, os.strerror(e))
        done += r
    s.close()
    return done


def pad(frame):
    return frame + b"\0" * max(0, 60 - len(frame))


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
    elif cmd == "rarp-burst":
        f = pad(BCAST + mac + struct.pack("!H", 0x8035) +
                arp(3, mac, b"\0" * 4, mac, b"\0" * 4))
        n = int(sys.argv[3])
        print(burst(dev, f * n))
    elif cmd == "garp-burst":
        first = int(ipaddress.IPv4Address(sys.argv[3]))
        n = int(sys.argv[4])
        head = BCAST + mac + struct.pack("!H", 0x0806) + \
            struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac
        mid = b"\0" * 6
        tail = b"\0" * 18
        frames = b"".join(head + ip + mid + ip + tail for ip in
                          (struct.pack("!I", first + i) for i in range(n)))
        print(burst(dev, frames))
    elif cmd == "na":
        dmac = bytes.fromhex(sys.argv[3].replace(":", ""))
        src = ipaddress.IPv6Address(sys.argv[4]).packed
        dst = ipaddress.IPv6Address(sys.argv[5]).packed
        tgt = ipaddress.IPv6Address(sys.argv[6]).packed
        args = sys.argv[7:]
        hlim = int(args[args.index("hlim") + 1]) if "hlim" in args else 255
        # Solicited and override flags; target link-layer option.
        body = struct.pack("!BBHI", 136, 0, 0, 0x60000000) + tgt + \
            b"\x02\x01" + mac
        send(dev, dmac, 0x86dd, icmp6(src, dst, body, hlim,
                                      "badsum" in args))
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
