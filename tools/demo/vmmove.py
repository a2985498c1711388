#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Move hosts between two data centres' switches the way a hypervisor
finishes a live migration: the host's port now sends to the other site's
switch, and the host is announced (a gratuitous ARP and a RARP, as
qemu's announce-self does).

The hypervisor is a namespace (HV_NS) holding, for each host, the peer of
its link (v-HOST) and one uplink to each site's switch (HOST-1, HOST-2),
joined by tc: what the host sends is redirected to the uplink of the site
where it runs (a matchall filter on v-HOST's ingress), what that uplink
receives is redirected to the host, and the other uplink drops what it
receives.  The switch-over adds filters ahead of those (a lower pref):
the new uplink delivers to the host, the host sends to the new uplink;
then the host is announced, and only then the old uplink drops (frames
the old site's switch still sent to the old port before the
announcement reached it are delivered, as they are in flight).  The
host never stops receiving, its sending switches in one request, no
frame can loop, nobody sees a carrier change, and nothing waits for
RCU.

    vmmove.py HOST,HV_NS,OLD,NEW,PREF,HOST_NS,HOST_DEV,MAC,IP ...

OLD and NEW are the site numbers, PREF the pref of the filters in place
(the new ones get PREF - 1; the old ones are deleted afterwards).
Everything slow (starting python, opening a netlink socket in the
hypervisor's namespace and packet sockets in the hosts) happens first;
then it prints "ready" and waits for a line on stdin.  It reports epoch
times, "key HOST time" a line: "move" (before the first request), "up"
(the host sends to the new site), "announce", "closed" (the old uplink
drops), then "done".
"""

import ctypes
import os
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
RTM_NEWLINK, RTM_GETLINK = 16, 18
RTM_NEWTFILTER, RTM_DELTFILTER = 44, 45
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
TC_INGRESS, TC_EGRESS = 0xFFFFFFF2, 0xFFFFFFF3	# clsact's two hooks
TCA_KIND, TCA_OPTIONS, TCA_MATCHALL_ACT = 1, 2, 2
TCA_ACT_KIND, TCA_ACT_OPTIONS, TCA_GACT_PARMS = 1, 2, 2
TCA_MIRRED_PARMS, TCA_EGRESS_REDIR = 2, 1
TC_ACT_SHOT, TC_ACT_STOLEN = 2, 4
ETH_P_ALL_BE = 0x0300
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
IFLA_IFNAME = 3
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

    def send(self, kind, flags, body):
        self.seq += 1
        self.sock.send(struct.pack("=IHHII", 16 + len(body), kind,
                                   NLM_F_REQUEST | NLM_F_ACK | flags,
                                   self.seq, 0) + body)
        return self.answer()

    def filter(self, index, pref, redirect_to=None, delete=False):
        """On INDEX's clsact ingress: tc filter add pref PREF protocol
        all matchall action (mirred egress redirect dev REDIRECT_TO |
        drop), or tc filter del pref PREF."""
        body = struct.pack("=BxxxiIII", socket.AF_UNSPEC, index, 0,
                           TC_INGRESS, (pref << 16) | ETH_P_ALL_BE)
        if delete:
            return self.send(RTM_DELTFILTER, 0, body)
        if redirect_to is None:
            act = attr(TCA_ACT_KIND, b"gact\0") + attr(
                TCA_ACT_OPTIONS, attr(TCA_GACT_PARMS, struct.pack(
                    "=IIiii", 0, 0, TC_ACT_SHOT, 0, 0)))
        else:
            act = attr(TCA_ACT_KIND, b"mirred\0") + attr(
                TCA_ACT_OPTIONS, attr(TCA_MIRRED_PARMS, struct.pack(
                    "=IIiiiiI", 0, 0, TC_ACT_STOLEN, 0, 0,
                    TCA_EGRESS_REDIR, redirect_to)))
        body += attr(TCA_KIND, b"matchall\0") + attr(
            TCA_OPTIONS, attr(TCA_MATCHALL_ACT, attr(1, act)))
        return self.send(RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, body)

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
        (self.name, hv, old, new, pref, ns, dev, mac, ip) = spec.split(",")
        if hv not in links:
            links[hv] = Rtnl(hv)
        self.nl = links[hv]
        self.vif = self.nl.ifindex("v-" + self.name)
        self.old = self.nl.ifindex("%s-%s" % (self.name, old))
        self.new = self.nl.ifindex("%s-%s" % (self.name, new))
        self.pref = int(pref)
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
        p = self.pref - 1
        self.nl.filter(self.new, p, redirect_to=self.vif)
        self.nl.filter(self.vif, p, redirect_to=self.new)

    def close_old(self):
        """Once the announcement has re-pointed the old site's switch."""
        self.nl.filter(self.old, self.pref - 1)
        for index in (self.new, self.vif, self.old):
            self.nl.filter(index, self.pref, delete=True)

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
        for h in hosts:
            h.close_old()
            print("closed", h.name, "%.6f" % time.time())
    except OSError as e:
        print("error", e, flush=True)
        return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
