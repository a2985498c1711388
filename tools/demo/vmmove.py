#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Move hosts between two switches the way a hypervisor finishes a live
migration: unplug the host's port from one bridge, plug it into the
other, then announce the host (a gratuitous ARP and a RARP, as qemu's
announce-self does).

    vmmove.py HOST,FROM_NS,TO_NS,PORT,BRIDGE,HOST_NS,HOST_DEV,MAC,IP ...

Everything that is slow (starting python, opening netlink sockets in the
switches' namespaces and packet sockets in the hosts') happens first;
then it prints "ready" and waits for a line on stdin.  The switch-over
itself is a few system calls.  It reports epoch times, one "key value" a
line: "move HOST" (unplugged), "up HOST" (plugged in again), "announce HOST", then "done".
"""

import ctypes
import os
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
RTM_NEWLINK, RTM_GETLINK = 16, 18
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
IFLA_IFNAME, IFLA_MASTER, IFLA_NET_NS_FD = 3, 10, 28
IFF_UP = 1
ETH_P_ARP, ETH_P_RARP = 0x0806, 0x8035

libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def in_netns(name, make):
    """Call make() inside namespace NAME (ip netns), then come back."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        setns(target)
        return make()
    finally:
        setns(home)
        os.close(home)
        os.close(target)


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


class Rtnl:
    def __init__(self, ns):
        self.sock = in_netns(ns, lambda: socket.socket(
            socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE))
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, kind, index, flags, change, attrs):
        self.seq += 1
        body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, index, flags,
                           change) + b"".join(attrs)
        hdr = struct.pack("=IHHII", 16 + len(body), kind,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(hdr + body)
        return self.answer()

    def answer(self):
        """The ack (0) or the link message of a GETLINK."""
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off < len(data):
                length, kind, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                if seq == self.seq:
                    if kind == NLMSG_ERROR:
                        err = struct.unpack_from("=i", data, off + 16)[0]
                        if err:
                            raise OSError(-err, os.strerror(-err))
                        return 0
                    if kind == RTM_NEWLINK:
                        return struct.unpack_from("=i", data, off + 20)[0]
                off += (length + 3) & ~3

    def ifindex(self, name):
        self.seq += 1
        body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + \
            attr(IFLA_IFNAME, name.encode() + b"\0")
        self.sock.send(struct.pack("=IHHII", 16 + len(body), RTM_GETLINK,
                                   NLM_F_REQUEST, self.seq, 0) + body)
        return self.answer()


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


class Host:
    def __init__(self, spec, links):
        (self.name, self.src, self.dst, self.port, self.bridge, ns, dev,
         mac, ip) = spec.split(",")
        for n in (self.src, self.dst):
            if n not in links:
                links[n] = Rtnl(n)
        self.from_nl, self.to_nl = links[self.src], links[self.dst]
        self.bridge_index = self.to_nl.ifindex(self.bridge)
        self.dst_fd = os.open("/run/netns/" + self.dst, os.O_RDONLY)
        self.pkt = in_netns(ns, lambda: socket.socket(
            socket.AF_PACKET, socket.SOCK_RAW))
        self.pkt.bind((dev, 0))
        m, a = mac_bytes(mac), socket.inet_aton(ip)
        bcast, zero4, zero6 = b"\xff" * 6, b"\0" * 4, b"\0" * 6
        arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
        self.garp = bcast + m + struct.pack("!H", ETH_P_ARP) + arp + \
            m + a + zero6 + a
        rarp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 3)
        self.rarp = bcast + m + struct.pack("!H", ETH_P_RARP) + rarp + \
            m + zero4 + m + zero4

    def switch_over(self):
        """One request: into the other namespace, into its bridge, up
        (the kernel applies them in that order, under one lock)."""
        self.from_nl.request(RTM_NEWLINK, 0, IFF_UP, IFF_UP, [
            attr(IFLA_IFNAME, self.port.encode() + b"\0"),
            attr(IFLA_NET_NS_FD, struct.pack("=I", self.dst_fd)),
            attr(IFLA_MASTER, struct.pack("=I", self.bridge_index))])

    def announce(self):
        pad = b"\0" * (60 - len(self.garp))
        self.pkt.send(self.garp + pad)
        self.pkt.send(self.rarp + b"\0" * (60 - len(self.rarp)))


def main():
    try:
        links = {}
        hosts = [Host(s, links) for s in sys.argv[1:]]
    except (OSError, ValueError) as e:
        print("error", e, flush=True)
        return 1
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        for h in hosts:
            print("move", h.name, "%.6f" % time.time())
            h.switch_over()
            print("up", h.name, "%.6f" % time.time())
        for h in hosts:
            h.announce()
            print("announce", h.name, "%.6f" % time.time())
    except OSError as e:
        print("error", e, flush=True)
        return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
