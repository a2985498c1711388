#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# inner_ttl.py IFACE: open a packet socket on IFACE (the underlay), print
# "ready", wait for a line on stdin and only then read what it queued:
# for every LISP data packet (UDP port 4341) print the TTL or hop limit
# of the inner header, one a line.  The frames are read late on purpose:
# they are clones of the packets the stack went on to decapsulate, and
# must show the inner header as it arrived, not as the ETR rewrote it.
import socket
import struct
import sys

ETH_P_ALL = 0x0003


def inner_ttl(frame):
    if len(frame) < 14:
        return None
    proto = struct.unpack("!H", frame[12:14])[0]
    p = frame[14:]
    if proto == 0x0800 and len(p) >= 20 and p[9] == 17:
        off = (p[0] & 0x0F) * 4
    elif proto == 0x86DD and len(p) >= 40 and p[6] == 17:
        off = 40
    else:
        return None
    udp = p[off:off + 8]
    if len(udp) < 8 or struct.unpack("!H", udp[2:4])[0] != 4341:
        return None
    inner = p[off + 16:]
    if len(inner) >= 20 and inner[0] >> 4 == 4:
        return "4 %d" % inner[8]
    if len(inner) >= 40 and inner[0] >> 4 == 6:
        return "6 %d" % inner[7]
    return None


def main():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((sys.argv[1], 0))
    print("ready", flush=True)
    sys.stdin.readline()
    s.setblocking(False)
    while True:
        try:
            frame, addr = s.recvfrom(65535)
        except BlockingIOError:
            break
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        t = inner_ttl(frame)
        if t:
            print(t, flush=True)


main()
