#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lisp_ctrl.py - hand-made LISP control messages (RFC 9301) for the selftests.

  lisp_ctrl.py register --to MS --key KEY --eid PREFIX --rloc ADDR [options]
      Send one Map-Register (IPv4 EIDs and RLOCs) signed with KEY
      (--alg sha256|sha1, --key-id N), nonce --nonce (hex or decimal),
      record TTL --ttl minutes, asking for a Map-Notify (M bit) unless
      --no-notify.  --bad-auth flips a bit of the signature after signing.
      With --wait S waits that long for the Map-Notify: prints
      "map-notify 0xNONCE" and exits 0, or exits 3 when none came.
      --again-rloc ADDR then sends a second Map-Register with the same
      nonce and ADDR as locator (a replay with other content) and waits
      for its Map-Notify the same way.
  lisp_ctrl.py smr --to ITR --seid EID --eid EID [--itr-rloc ADDR] [--iid N]
      Send a Solicit-Map-Request (S and D bits) to ITR port 4342: source
      EID --seid (the EID that moved), record --eid (the ITR's EID); with
      --iid both EIDs in instance-id N (the Instance-ID LCAF, RFC 8060).

Python standard library only.
"""

import argparse
import hashlib
import hmac
import os
import select
import socket
import struct
import sys

MSG_REQUEST, MSG_REGISTER, MSG_NOTIFY = 1, 3, 4
MREQ_S, MREQ_D = 1 << 24, 1 << 13
MREG_M = 1 << 8
MREG_P = 1 << 27    # proxy Map-Reply
ALGS = {"sha1": (1, hashlib.sha1, 12), "sha256": (2, hashlib.sha256, 16)}
PORT = 4342


def v4(addr):
    return struct.pack("!H", 1) + socket.inet_aton(addr)


def v4_iid(addr, iid):
    """addr in instance-id iid: LCAF type 2, IID mask length 0."""
    if not iid:
        return v4(addr)
    inner = struct.pack("!I", iid) + v4(addr)
    return struct.pack("!HBBBBH", 16387, 0, 0, 2, 0, len(inner)) + inner


def record(prefix, rloc, ttl):
    eid, plen = prefix.split("/")
    rec = struct.pack("!IBBHH", ttl, 1, int(plen), 1 << 12, 0) + v4(eid)
    # one locator: priority 1, weight 100, L and R bits
    rec += struct.pack("!BBBBH", 1, 100, 255, 0, 0x5) + v4(rloc)
    return rec


def map_register(a, rloc):
    alg, digest, alen = ALGS[a.alg]
    flags = 0 if a.no_notify else MREG_M
    if a.proxy:
        flags |= MREG_P
    hdr = struct.pack("!IQBBH", (MSG_REGISTER << 28) | flags | 1, a.nonce,
                      a.key_id, alg, alen)
    body = record(a.eid, rloc, a.ttl)
    mac = hmac.new(a.key.encode(), hdr + bytes(alen) + body, digest).digest()
    auth = bytearray(mac[:alen])
    if a.bad_auth:
        auth[0] ^= 1
    return hdr + bytes(auth) + body


def register(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 0))
    rc = send_wait(s, a, map_register(a, a.rloc))
    if rc == 0 and a.again_rloc:
        rc = send_wait(s, a, map_register(a, a.again_rloc))
    return rc


def send_wait(s, a, msg):
    s.sendto(msg, (a.to, PORT))
    if not a.wait:
        return 0
    end = a.wait
    while end > 0:
        r, _, _ = select.select([s], [], [], end)
        if not r:
            break
        data, _ = s.recvfrom(9216)
        if len(data) >= 12 and data[0] >> 4 == MSG_NOTIFY:
            nonce = struct.unpack("!Q", data[4:12])[0]
            if nonce == a.nonce:
                print("map-notify 0x%016x" % nonce)
                return 0
        end -= 0.1
    return 3


def smr(a):
    itr_rloc = a.itr_rloc or "0.0.0.0"
    if not a.itr_rloc:
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.connect((a.to, PORT))
        itr_rloc = probe.getsockname()[0]
    msg = struct.pack("!IQ", (MSG_REQUEST << 28) | MREQ_S | MREQ_D | 1,
                      int.from_bytes(os.urandom(8), "big"))
    msg += v4_iid(a.seid, a.iid) + v4(itr_rloc)
    msg += struct.pack("!BB", 0, 32) + v4_iid(a.eid, a.iid)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(msg, (a.to, PORT))
    return 0


def main():
    p = argparse.ArgumentParser(description="hand-made LISP control messages")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("register")
    r.add_argument("--to", required=True)
    r.add_argument("--key", required=True)
    r.add_argument("--alg", choices=sorted(ALGS), default="sha256")
    r.add_argument("--key-id", type=int, default=0)
    r.add_argument("--nonce", type=lambda x: int(x, 0), required=True)
    r.add_argument("--eid", required=True)
    r.add_argument("--rloc", required=True)
    r.add_argument("--ttl", type=int, default=1440)
    r.add_argument("--no-notify", action="store_true")
    r.add_argument("--proxy", action="store_true")
    r.add_argument("--bad-auth", action="store_true")
    r.add_argument("--wait", type=float, default=0)
    r.add_argument("--again-rloc")
    m = sub.add_parser("smr")
    m.add_argument("--to", required=True)
    m.add_argument("--seid", required=True)
    m.add_argument("--eid", required=True)
    m.add_argument("--itr-rloc")
    m.add_argument("--iid", type=int, default=0)
    a = p.parse_args()
    return register(a) if a.cmd == "register" else smr(a)


if __name__ == "__main__":
    sys.exit(main())
