#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-built request to the "lisp" generic netlink family and
print the kernel's answer: "ok" or "error ERRNO: EXTACK-MESSAGE".

Lets tests send requests lispctl would refuse to build, to check that the
kernel's own validation rejects them with a clear reason.

  genl_raw.py CMD ATTR=VALUE...
  ATTR is a LISP_A_* name without the prefix (ifname, eid_inet, eid_plen,
  action, rlocs...), VALUE is typed by the attribute: str, u8, u32, ip
  address, flag (no value), or for rlocs a list like
  "inet=192.0.2.2,priority=1;inet6=2001:db8::1" (one RLOC per ';'), for
  dyn_ifindexes a list like "3,4"; packet=SRC,DST,HEX is an inner IPv4
  or IPv6 UDP packet SRC:4342 -> DST:4342 around the bytes HEX (both
  checksums right), as lispd hands a control message to ctrl_send.
"""
import errno
import ipaddress
import os
import socket
import struct
import sys

from lisp_craft import csum

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
NLA_F_NESTED = 0x8000

CMDS = {"map_add": 1, "map_replace": 2, "map_del": 3, "map_get": 4,
        "map_flush": 5, "db_add": 6, "db_del": 7, "db_get": 8,
        "stats_get": 9, "dyn_add": 11, "dyn_del": 12, "host_del": 15,
        "ctrl_send": 21}
# name: (type, kind)
ATTRS = {"ifindex": (2, "u32"), "ifname": (3, "str"), "iid": (4, "u32"),
         "eid_inet": (5, "ip4"), "eid_inet6": (6, "ip6"),
         "eid_plen": (7, "u8"), "seid_inet": (8, "ip4"),
         "action": (10, "u8"), "ttl": (11, "u32"), "flags": (12, "u32"),
         "rlocs": (13, "rlocs"), "lookup": (18, "flag"),
         "dyn_name": (20, "str"), "dyn_ifindexes": (21, "u32nest"),
         "dyn_timeout": (22, "u32"), "packet": (41, "pkt"),
         "raw": (None, "raw")}
RLOC = {"inet": (2, "ip4"), "inet6": (3, "ip6"), "priority": (4, "u8"),
        "weight": (5, "u8"), "flags": (6, "u32"), "packets": (7, "u64"),
        "port": (9, "be16")}


def nla(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def encode(kind, value):
    if kind == "u8":
        return struct.pack("B", int(value, 0))
    if kind == "u32":
        return struct.pack("I", int(value, 0))
    if kind == "be16":
        return struct.pack("!H", int(value, 0))
    if kind == "u64":
        return struct.pack("Q", int(value, 0))
    if kind == "str":
        return value.encode() + b"\0"
    if kind == "flag":
        return b""
    if kind in ("ip4", "ip6"):
        return ipaddress.ip_address(value).packed
    raise ValueError(kind)


def udp_packet(value):
    src, dst, hx = value.split(",")
    s = ipaddress.ip_address(src).packed
    d = ipaddress.ip_address(dst).packed
    udp = struct.pack("!HHHH", 4342, 4342, 8 + len(hx) // 2, 0)
    udp += bytes.fromhex(hx)
    if len(s) == 4:
        pseudo = s + d + struct.pack("!BBH", 0, 17, len(udp))
    else:
        pseudo = s + d + struct.pack("!I3xB", len(udp), 17)
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
    if len(s) == 16:
        return struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + s + d + udp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17,
                     0, s, d)
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + udp


def rlocs(spec):
    out = b""
    for i, one in enumerate(spec.split(";"), 1):
        inner = b""
        for kv in one.split(","):
            k, v = kv.split("=")
            atype, kind = RLOC[k]
            inner += nla(atype, encode(kind, v))
        out += nla(i | NLA_F_NESTED, inner)
    return out


def request(sock, family, cmd, payload, seq, ack=True):
    genl = struct.pack("BBH", cmd, 1, 0)
    body = genl + payload
    flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
    hdr = struct.pack("IHHII", 16 + len(body), family, flags, seq, 0)
    sock.send(hdr + body)
    return sock.recv(65536)


def parse_error(data):
    ln, typ, flags, _, _ = struct.unpack_from("IHHII", data)
    if typ != NLMSG_ERROR:		# a reply, the ACK follows
        return 0, ""
    err, = struct.unpack_from("i", data, 16)
    msg = ""
    # extack TLVs follow the echoed header (capped: NLM_F_CAPPED).
    olen, = struct.unpack_from("I", data, 20)
    off = 20 + (16 if flags & 0x100 else olen)
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("HH", data, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            msg = data[off + 4:off + alen].split(b"\0")[0].decode()
        off += (alen + 3) & ~3
    return err, msg


def family_id(sock):
    data = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                   nla(CTRL_ATTR_FAMILY_NAME, b"lisp\0"), 1, ack=False)
    off = 20
    ln, = struct.unpack_from("I", data)
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("HH", data, off)
        if atype == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("H", data, off + 4)[0]
        off += (alen + 3) & ~3
    sys.exit("lisp family not found")


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in CMDS:
        sys.exit(__doc__)
    payload = b""
    for arg in sys.argv[2:]:
        name, _, value = arg.partition("=")
        atype, kind = ATTRS[name]
        if kind == "rlocs":
            payload += nla(atype | NLA_F_NESTED, rlocs(value))
        elif kind == "u32nest":		# dyn_ifindexes=1,2,3
            inner = b"".join(nla(i, encode("u32", v)) for i, v in
                             enumerate(value.split(","), 1))
            payload += nla(atype | NLA_F_NESTED, inner)
        elif kind == "pkt":
            payload += nla(atype, udp_packet(value))
        elif kind == "raw":		# raw=TYPE:HEXBYTES
            t, _, hx = value.partition(":")
            payload += nla(int(t), bytes.fromhex(hx))
        else:
            payload += nla(atype, encode(kind, value))
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    fam = family_id(sock)
    err, msg = parse_error(request(sock, fam, CMDS[sys.argv[1]], payload, 2))
    if err:
        print("error %s: %s" % (errno.errorcode.get(-err, str(-err)), msg))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
