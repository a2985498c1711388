#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one EID-notify (a Map-Register with the E bit, RFC 9301 5.6 and
the LISP EID mobility draft) to a site gateway, well formed or not, for
selftests/mobility.sh.

    eid_notify.py GATEWAY KEY EID/LEN LOCATOR [--bad-key] [--no-auth]
                  [--truncate] [--ttl S] [--alg 1|2] [--register]

--bad-key signs with another key, --no-auth sends no authentication data
(key-id 0, algorithm 0, length 0), --truncate cuts the record short.
--register leaves the E bit out: a site gateway's own Map-Register, sent
to a Map-Server (--ttl 0 withdraws the EID).
"""

import argparse
import hashlib
import hmac
import os
import socket
import struct

ALGS = {1: (hashlib.sha1, 12), 2: (hashlib.sha256, 16)}


def record(eid, plen, loc, ttl):
    # one locator, A (authoritative) set, map-version 0, AFI 1
    rec = struct.pack("!IBBHHH", ttl, 1, plen, 0x1000, 0, 1) + \
        socket.inet_aton(eid)
    # priority 1, weight 100, multicast 255/0, flags L and R, AFI 1
    return rec + struct.pack("!BBBBHH", 1, 100, 255, 0, 0x5, 1) + \
        socket.inet_aton(loc)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("gateway")
    p.add_argument("key")
    p.add_argument("eid")
    p.add_argument("locator")
    p.add_argument("--bad-key", action="store_true")
    p.add_argument("--no-auth", action="store_true")
    p.add_argument("--truncate", action="store_true")
    p.add_argument("--ttl", type=int, default=1440)
    p.add_argument("--alg", type=int, default=2)
    p.add_argument("--register", action="store_true")
    a = p.parse_args()

    eid, plen = a.eid.split("/")
    flags = (3 << 28) | (1 << 8) | 1	# type 3, M, 1 record
    if not a.register:
        flags |= 1 << 12		# E
    nonce = os.urandom(8)
    if a.no_auth:
        alg, alen = 0, 0
    else:
        alg, alen = a.alg, ALGS[a.alg][1]
    head = struct.pack("!I", flags) + nonce + struct.pack("!BBH", 0, alg, alen)
    body = record(eid, int(plen), a.locator, a.ttl)
    msg = head + b"\0" * alen + body
    if alen:
        key = (a.key + "-wrong" if a.bad_key else a.key).encode()
        mac = hmac.new(key, msg, ALGS[alg][0]).digest()[:alen]
        msg = head + mac + body
    if a.truncate:
        msg = msg[:len(head) + alen + 6]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(msg, (a.gateway, 4342))


if __name__ == "__main__":
    main()
