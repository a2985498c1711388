#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""genl_fuzz.py - a bounded random walk of requests to the "lisp" family.

  genl_fuzz.py [-n ITERATIONS] [-s SEED] [--model DEV] [--target DEV]
               [--unprivileged]

Each step is one of:
  - a model step on DEV (--model): MAP_ADD, MAP_REPLACE or MAP_DEL of one
    of 64 prefixes; the kernel's answer must be what the model says
    (EEXIST for a second add, ENOENT for deleting what is not there);
  - a random request: a random command number (known, unknown and the
    event-only ones), random flags (a dump now and then), and up to six
    attributes of random types, lengths and contents, sometimes nested,
    sometimes well-typed; one that names a device names --target (or a
    random index or name), never the model's device.
Every refusal must carry an extended-ack message, except those the
generic netlink core gives before our code runs: EOPNOTSUPP (no such
operation) and EPERM (not allowed).  At the end the model device's
map-cache is dumped and must hold exactly the prefixes the model has.
With --unprivileged every request must be refused (EPERM), model steps
included, and nothing is compared.

Prints one JSON object; exits 1 when a check failed.
"""
import argparse
import errno
import json
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl_raw import (NETLINK_GENERIC, NETLINK_EXT_ACK, SOL_NETLINK,  # noqa: E402
                      NLA_F_NESTED, NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR,
                      NLMSGERR_ATTR_MSG, CMDS, nla, family_id)

NLM_F_DUMP = 0x300
NLMSG_DONE = 3
A_IFINDEX, A_IFNAME = 2, 3
A_EID_INET, A_EID_PLEN, A_RLOCS = 5, 7, 13
RLOC_A_INET = 2
ATTR_MAX = 42		# beyond LISP_A_MAX: unknown types too
CMD_MAX = 23		# beyond LISP_CMD_MAX: unknown commands too
CORE_REFUSALS = (errno.EOPNOTSUPP, errno.EPERM)


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((0, 0))
        self.sock.settimeout(30)
        self.fam = family_id(self.sock)
        self.seq = 100

    def call(self, cmd, payload, dump=False):
        """(errno, extack message, [reply payloads])."""
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack("BBH", cmd, 1, 0) + payload
        self.sock.send(struct.pack("IHHII", 16 + len(body), self.fam, flags,
                                   self.seq, 0) + body)
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, seq, _ = struct.unpack_from("IHHII", data, off)
                if ln < 16:
                    return -1, "bad netlink length", replies
                msg = data[off:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if typ == NLMSG_ERROR:
                    err, = struct.unpack_from("i", msg, 16)
                    return -err, extack(msg, fl), replies
                if typ == NLMSG_DONE:
                    err = struct.unpack_from("i", msg, 16)[0] if ln >= 20 else 0
                    return -err, extack(msg, fl) if err else "", replies
                replies.append(msg[20:])


def extack(msg, flags):
    ln = len(msg)
    if ln < 20:
        return ""
    typ = struct.unpack_from("H", msg, 4)[0]
    if typ == NLMSG_ERROR:
        olen, = struct.unpack_from("I", msg, 20)
        off = 20 + (16 if flags & 0x100 else olen)
    else:
        off = 20
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("HH", msg, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            return msg[off + 4:off + alen].split(b"\0")[0].decode(
                errors="replace")
        off += (alen + 3) & ~3
    return ""


def attrs(payload):
    out, off = {}, 0
    while off + 4 <= len(payload):
        alen, atype = struct.unpack_from("HH", payload, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = payload[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def ifindex(name):
    try:
        with open("/sys/class/net/%s/ifindex" % name) as f:
            return int(f.read())
    except OSError:
        return 0


class Walk:
    def __init__(self, args):
        self.args = args
        self.rnd = random.Random(args.seed)
        self.g = Genl()
        self.model = set()
        self.pool = ["10.200.%d.0" % i for i in range(64)]
        self.stats = {"iterations": 0, "model_steps": 0, "random_steps": 0,
                      "accepted": 0, "refused": {}, "unexplained": [],
                      "model_mismatch": [], "state": "not compared"}

    def dev_attr(self, name):
        if name:
            return nla(A_IFNAME, name.encode() + b"\0")
        return b""

    def refused(self, cmd, err, msg):
        name = errno.errorcode.get(err, str(err))
        self.stats["refused"][name] = self.stats["refused"].get(name, 0) + 1
        if not msg and err not in CORE_REFUSALS and \
                len(self.stats["unexplained"]) < 20:
            self.stats["unexplained"].append({"cmd": cmd, "errno": name})

    def model_step(self):
        self.stats["model_steps"] += 1
        p = self.rnd.choice(self.pool)
        op = self.rnd.choice(("map_add", "map_replace", "map_del"))
        payload = self.dev_attr(self.args.model) + \
            nla(A_EID_INET, socket.inet_aton(p)) + nla(A_EID_PLEN, b"\x18")
        if op != "map_del":
            rloc = nla(RLOC_A_INET, socket.inet_aton(
                "192.0.2.%d" % self.rnd.randint(1, 254)))
            payload += nla(A_RLOCS | NLA_F_NESTED, nla(1 | NLA_F_NESTED, rloc))
        err, msg, _ = self.g.call(CMDS[op], payload)
        if self.args.unprivileged:
            want = errno.EPERM
        elif op == "map_add":
            want = errno.EEXIST if p in self.model else 0
        elif op == "map_del":
            want = 0 if p in self.model else errno.ENOENT
        else:
            want = 0
        if err != want and len(self.stats["model_mismatch"]) < 20:
            self.stats["model_mismatch"].append(
                {"op": op, "prefix": p, "errno": err, "want": want,
                 "msg": msg})
        if err == 0:
            self.stats["accepted"] += 1
            if op == "map_del":
                self.model.discard(p)
            else:
                self.model.add(p)
        else:
            self.refused(CMDS[op], err, msg)

    def random_value(self, atype):
        r = self.rnd
        kind = r.randrange(6)
        if atype == A_IFINDEX and kind < 4:
            return struct.pack("I", r.choice(
                (ifindex(self.args.target) if self.args.target else 0,
                 r.getrandbits(32) | 0x10000000)))
        if atype == A_IFNAME and kind < 4:
            name = self.args.target if self.args.target and r.random() < .6 \
                else "".join(r.choice("abcxyz019") for _ in
                             range(r.randrange(0, 20)))
            return name.encode() + b"\0" * r.randrange(0, 2)
        if kind == 0:
            return b""
        if kind == 1:
            return struct.pack("B", r.getrandbits(8))
        if kind == 2:
            return struct.pack("I", r.getrandbits(32))
        if kind == 3:
            return bytes(r.getrandbits(8) for _ in range(16))
        return bytes(r.getrandbits(8) for _ in range(r.randrange(0, 48)))

    def random_attrs(self, depth=0):
        out = b""
        for _ in range(self.rnd.randrange(0, 7)):
            atype = self.rnd.randrange(0, ATTR_MAX)
            if atype in (A_IFINDEX, A_IFNAME) or self.rnd.random() < .7 or \
                    depth > 1:
                out += nla(atype, self.random_value(atype))
            else:
                out += nla(atype | NLA_F_NESTED, self.random_attrs(depth + 1))
        return out

    def random_step(self):
        self.stats["random_steps"] += 1
        cmd = self.rnd.randrange(0, CMD_MAX)
        payload = self.random_attrs()
        # A request naming the model device would change what the model
        # cannot know; it goes elsewhere.
        if self.args.model:
            a = attrs(payload)
            mi = ifindex(self.args.model)
            if (A_IFNAME in a and a[A_IFNAME].split(b"\0")[0] ==
                    self.args.model.encode()) or \
               (A_IFINDEX in a and len(a[A_IFINDEX]) >= 4 and
                    struct.unpack_from("I", a[A_IFINDEX])[0] == mi):
                return
        err, msg, _ = self.g.call(cmd, payload, dump=self.rnd.random() < .15)
        if err == 0:
            self.stats["accepted"] += 1
            if self.args.unprivileged:
                self.stats["unexplained"].append(
                    {"cmd": cmd, "errno": "accepted unprivileged"})
        else:
            self.refused(cmd, err, msg)

    def compare(self):
        err, msg, replies = self.g.call(CMDS["map_get"],
                                        self.dev_attr(self.args.model),
                                        dump=True)
        if err:
            self.stats["state"] = "dump failed: %s %s" % (
                errno.errorcode.get(err, err), msg)
            return False
        have = set()
        for r in replies:
            a = attrs(r)
            if A_EID_INET in a:
                have.add(socket.inet_ntoa(a[A_EID_INET][:4]))
        ok = have == self.model
        self.stats["state"] = "match (%d entries)" % len(have) if ok else \
            "differ: kernel only %s, model only %s" % (
                sorted(have - self.model)[:5], sorted(self.model - have)[:5])
        return ok

    def run(self):
        for _ in range(self.args.iterations):
            self.stats["iterations"] += 1
            if self.args.model and self.rnd.random() < .3:
                self.model_step()
            else:
                self.random_step()
        ok = not self.stats["unexplained"] and not self.stats["model_mismatch"]
        if self.args.model and not self.args.unprivileged:
            ok = self.compare() and ok
        print(json.dumps(self.stats, sort_keys=True))
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--iterations", type=int, default=1000)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("--model", help="device whose map-cache is modelled")
    ap.add_argument("--target", help="device random requests name")
    ap.add_argument("--unprivileged", action="store_true")
    return Walk(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
