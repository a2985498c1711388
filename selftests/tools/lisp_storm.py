#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lisp_storm.py - a storm of random and mutated LISP control messages.

  lisp_storm.py --target HOST[@SOCKET] [--target ...] --count N [--seed S]
                [--eid PREFIX ...] [--port 4342] [--window W]

Sends N messages to UDP port 4342 of the targets, in turn: random bytes;
each message type 1-8 with a plausible first word and a random body; and
Map-Requests (plain, SMR, ECM-encapsulated), Map-Replies, Map-Registers
(signed with a key nobody has), Map-Notifies and Map-Notify-Acks built
valid, then left so or mutated: bits flipped, truncated, bytes appended,
the record count raised past what the packet holds, a length field lied
about, an EID as an LCAF of a random type.  Records name EIDs inside the
--eid prefixes half of the time, so that some messages reach the roles
rather than only the decoders; Map-Requests name this host as ITR-RLOC.

With HOST@SOCKET the target's lispd is asked ("show statistics" on its
control socket) how many messages it has read, and the storm waits while
more than W (--window, 100) are in flight to it, so that the socket's
queue does not overflow and every message sent is one lispd read.
(--window 100: the default socket buffer holds a few hundred.)

The same --seed sends the same messages.  At the end it prints one line
per kind, per mutation and per target, "sent KIND N", "mutation NAME N"
and "target HOST N", then "answers N" (datagrams that came back),
"stalls N" (times lispd stopped reading: messages lost), "seconds S" and
"total N".

Python standard library only.
"""

import argparse
import hashlib
import hmac
import ipaddress
import json
import random
import socket
import struct
import sys
import time

PORT = 4342
AFI_IP, AFI_IP6, AFI_LCAF = 1, 2, 16387
MREQ_S, MREQ_P, MREQ_SMR_INV = 1 << 24, 1 << 25, 1 << 22
MREG_M = 1 << 8
KEY = b"not-the-key"

MUTATIONS = ("none", "flip", "truncate", "append", "count", "length",
             "lcaf")


def addr(ip):
    if ip.version == 4:
        return struct.pack("!H", AFI_IP) + ip.packed
    return struct.pack("!H", AFI_IP6) + ip.packed


class Storm:
    def __init__(self, a):
        self.r = random.Random(a.seed)
        self.eids = [ipaddress.ip_network(p, strict=False) for p in a.eid]
        self.targets = []
        for t in a.target:
            host, _, sock = t.partition("@")
            ip = ipaddress.ip_address(host)
            fam = socket.AF_INET if ip.version == 4 else socket.AF_INET6
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.setblocking(False)
            s.connect((host, a.port))
            me = ipaddress.ip_address(s.getsockname()[0])
            self.targets.append({"ip": ip, "sock": s, "me": me,
                                 "ctl": sock or None, "sent": 0,
                                 "name": t})
        self.kinds = {}
        self.muts = dict.fromkeys(MUTATIONS, 0)
        self.answers = 0
        self.stalls = 0
        self.builders = [
            ("random", self.b_random),
            ("type-1", self.b_type), ("type-2", self.b_type),
            ("type-3", self.b_type), ("type-4", self.b_type),
            ("type-5", self.b_type), ("type-6", self.b_type),
            ("type-7", self.b_type), ("type-8", self.b_type),
            ("map-request", self.b_mreq), ("smr", self.b_smr),
            ("rloc-probe", self.b_probe), ("ecm-map-request", self.b_ecm),
            ("map-reply", self.b_mreply), ("map-register", self.b_mreg),
            ("map-notify", self.b_mnotify),
            ("map-notify-ack", self.b_mnack),
        ]

    # ---- pieces; each returns bytes and the offsets of 16-bit lengths

    def eid(self, t, lcaf):
        """An EID (one of --eid half of the time) and its mask-len."""
        r = self.r
        nets = [n for n in self.eids if n.version == t["ip"].version]
        if nets and r.random() < 0.5:
            n = r.choice(nets)
            ip = n[r.randrange(n.num_addresses)]
            mlen = r.choice((n.prefixlen, ip.max_prefixlen))
        elif t["ip"].version == 4 or r.random() < 0.5:
            ip = ipaddress.IPv4Address(r.getrandbits(32))
            mlen = r.choice((8, 16, 24, 32))
        else:
            ip = ipaddress.IPv6Address(r.getrandbits(128))
            mlen = r.choice((32, 48, 64, 128))
        a = addr(ip)
        if not lcaf:
            return a, mlen, []
        # An LCAF of any type around it: IID (2) and AFI-list (1) are
        # parsed, the others refused; its length may lie too.
        ltype = r.choice((1, 2, 2, r.randrange(256)))
        body = (struct.pack("!I", r.getrandbits(24)) + a if ltype == 2
                else a)
        hdr = struct.pack("!HBBBBH", AFI_LCAF, 0, 0, ltype,
                          r.choice((0, 32)) if ltype == 2 else 0, len(body))
        return hdr + body, mlen, [6]

    def record(self, t, lcaf, nloc=1):
        r = self.r
        e, mlen, lens = self.eid(t, lcaf)
        rec = struct.pack("!IBBHH", r.choice((1, 15, 1440)), nloc, mlen,
                          r.choice((0, 1 << 12, 3 << 13)), 0) + e
        lens = [12 + o for o in lens]
        for _ in range(nloc):
            rec += struct.pack("!BBBBH", 1, 100, 255, 0, 0x5)
            rec += addr(t["me"])
        return rec, lens

    def b_random(self, t, mut):
        return self.r.randbytes(self.r.randrange(0, 160)), []

    def b_type(self, t, mut):
        r = self.r
        typ = int(self.kind[5:])
        w = (typ << 28) | r.getrandbits(20) << 8 | r.randrange(0, 4)
        return struct.pack("!I", w) + r.randbytes(r.randrange(0, 120)), []

    def mreq(self, t, mut, flags):
        r = self.r
        nrec = r.choice((1, 1, 1, 2))
        hdr = struct.pack("!IQ", (1 << 28) | flags | nrec,
                          r.getrandbits(64))
        body = struct.pack("!H", 0)              # no source EID
        if flags & MREQ_S:
            body = self.eid(t, False)[0]
        body += addr(t["me"])                    # ITR-RLOC: us
        lens = []
        for _ in range(nrec):
            e, mlen, el = self.eid(t, mut == "lcaf")
            lens += [12 + len(body) + 2 + o for o in el]
            body += struct.pack("!BB", 0, mlen) + e
        return hdr + body, lens

    def b_mreq(self, t, mut):
        return self.mreq(t, mut, self.r.choice((0, MREQ_SMR_INV)))

    def b_smr(self, t, mut):
        return self.mreq(t, mut, MREQ_S)

    def b_probe(self, t, mut):
        return self.mreq(t, mut, MREQ_P)

    def b_ecm(self, t, mut):
        inner, lens = self.mreq(t, mut if mut != "length" else "none", 0)
        src, dst = t["me"], t["ip"]
        sport = self.r.randrange(1024, 65536)
        udp_len = 8 + len(inner)
        if src.version == 4:
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0,
                             64, 17, 0, src.packed, dst.packed)
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, 17,
                                                           udp_len)
            iplens = [4 + 2]
        else:
            ip = struct.pack("!IHBB16s16s", 6 << 28, udp_len, 17, 64,
                             src.packed, dst.packed)
            pseudo = src.packed + dst.packed + struct.pack("!IxxxB",
                                                           udp_len, 17)
            iplens = [4 + 4]
        udp = struct.pack("!HHHH", sport, PORT, udp_len, 0)
        c = csum(pseudo + udp + inner) or 0xffff
        udp = udp[:6] + struct.pack("!H", c)
        off = 4 + len(ip)
        lens = iplens + [off + 4] + [off + 8 + o for o in lens]
        return struct.pack("!I", 8 << 28) + ip + udp + inner, lens

    def b_mreply(self, t, mut):
        r = self.r
        rec, lens = self.record(t, mut == "lcaf", r.randrange(0, 3))
        flags = r.choice((0, 1 << 27))           # P: a probe reply
        hdr = struct.pack("!IQ", (2 << 28) | flags | 1, r.getrandbits(64))
        return hdr + rec, [12 + o for o in lens]

    def regish(self, t, mut, typ):
        r = self.r
        # HMAC-SHA-1-96 and HMAC-SHA-256-128: the right lengths.
        alg, digest, alen = r.choice(((1, hashlib.sha1, 12),
                                      (2, hashlib.sha256, 16)))
        flags = MREG_M if typ == 3 else 0
        rec, lens = self.record(t, mut == "lcaf")
        hdr = struct.pack("!IQBBH", (typ << 28) | flags | 1,
                          r.getrandbits(64), 0, alg, alen)
        mac = hmac.new(KEY, hdr + bytes(alen) + rec, digest).digest()
        off = len(hdr) + alen
        return hdr + mac[:alen] + rec, [14] + [off + o for o in lens]

    def b_mreg(self, t, mut):
        return self.regish(t, mut, 3)

    def b_mnotify(self, t, mut):
        return self.regish(t, mut, 4)

    def b_mnack(self, t, mut):
        return self.regish(t, mut, 5)

    # ---- mutations

    def mutate(self, m, lens, mut):
        r = self.r
        if mut == "flip" and m:
            m = bytearray(m)
            for _ in range(r.randrange(1, 5)):
                i = r.randrange(len(m))
                m[i] ^= 1 << r.randrange(8)
            return bytes(m)
        if mut == "truncate" and m:
            return m[:r.randrange(len(m))]
        if mut == "append":
            return m + r.randbytes(r.randrange(1, 64))
        if mut == "count" and len(m) >= 4:
            # The first word's low byte is the record count of every
            # type but the ECM: more records than the packet holds.
            return m[:3] + bytes([r.randrange(m[3] + 1, 256)]) + m[4:]
        if mut == "length" and lens:
            o = r.choice(lens)
            if o + 2 <= len(m):
                v = struct.unpack("!H", m[o:o + 2])[0]
                v = r.choice((0, v + 1, max(v - 1, 0), v + 200,
                              r.randrange(65536)))
                return m[:o] + struct.pack("!H", v & 0xffff) + m[o + 2:]
        return m

    # ---- pacing on the target's own count of messages read

    def rx(self, path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        try:
            s.connect(path)
            s.sendall(b'{"show":"statistics"}\n')
            data = b""
            while True:
                c = s.recv(65536)
                if not c:
                    break
                data += c
        finally:
            s.close()
        return json.loads(data)["data"]["rx"]

    def drain(self):
        for t in self.targets:
            while True:
                try:
                    t["sock"].recv(65536)
                    self.answers += 1
                except (BlockingIOError, ConnectionRefusedError, OSError):
                    break

    def run(self, count, window):
        ctl = {}
        for t in self.targets:
            if t["ctl"] and t["ctl"] not in ctl:
                ctl[t["ctl"]] = {"base": self.rx(t["ctl"]), "sent": 0}
        r = self.r
        for i in range(count):
            t = self.targets[i % len(self.targets)]
            kind, build = self.builders[r.randrange(len(self.builders))]
            self.kind = kind
            mut = ("none" if kind == "random" or kind.startswith("type-")
                   else r.choice(MUTATIONS))
            m, lens = build(t, mut)
            m = self.mutate(m, lens, mut)
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            t["sent"] += 1
            self.muts[mut] += 1
            while True:
                try:
                    t["sock"].send(m)
                    break
                except BlockingIOError:
                    time.sleep(0.001)
                except OSError:
                    # ICMP port unreachable of an earlier one: a target
                    # without lispd is the test's to notice, go on.
                    pass
            if t["ctl"]:
                c = ctl[t["ctl"]]
                c["sent"] += 1
                if c["sent"] % max(window // 2, 1) == 0:
                    self.pace(t["ctl"], c, window)
            if i % 256 == 0:
                self.drain()
        self.drain()

    def pace(self, path, c, window):
        """Wait for lispd to read all but window/2; what it has not read
        after 2 s without progress the kernel dropped: go on."""
        last, since = None, time.monotonic()
        while True:
            rx = self.rx(path) - c["base"]
            if c["sent"] - rx <= window // 2:
                return
            if rx != last:
                last, since = rx, time.monotonic()
            elif time.monotonic() - since > 2:
                self.stalls += 1
                c["base"] -= c["sent"] - rx
                return
            time.sleep(0.005)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--target", action="append", required=True,
                   help="HOST or HOST@CONTROL-SOCKET, repeatable")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, default=4342)
    p.add_argument("--eid", action="append", default=[])
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--window", type=int, default=100)
    a = p.parse_args()
    st = Storm(a)
    t0 = time.monotonic()
    st.run(a.count, a.window)
    for k, _ in st.builders:
        print("sent %s %d" % (k, st.kinds.get(k, 0)))
    for m in MUTATIONS:
        print("mutation %s %d" % (m, st.muts[m]))
    for t in st.targets:
        print("target %s %d" % (t["ip"], t["sent"]))
    print("answers %d" % st.answers)
    print("stalls %d" % st.stalls)
    print("seconds %.1f" % (time.monotonic() - t0))
    print("total %d" % a.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
