#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Run YNL requests given one per line on stdin, in one process, with the
kernel tree's own YNL library (YnlFamily of tools/net/ynl), so that each
spec is read (and checked against its schema) once, not once a request.

  ynl_steps.py KERNEL_YNL_DIR      (e.g. $KSRC/tools/net/ynl)

Each input line is a JSON object, a step; each step prints one compact
JSON line, "errno" first and "reply" last (a shell can split it without
a parser): {"errno":0,"reply":...} when it worked, {"errno":E,"error":
TEXT} when the kernel refused the request (E its errno, TEXT strerror
and the extack message), {"errno":-1,"error":TEXT} when the step itself
could not be run (a spec failing its schema, an unknown operation).

  {"load": F, "spec": PATH, "schema": PATH}   read a spec as family F;
                                              schema "" skips the check
  {"load": F, "spec": OUT, "merge": {"kernel": SPEC, "fragment": FRAG},
   "schema": PATH}                            the same, OUT first written
                                              by rt_link_lisp.py's merge
  {"family": F, "list-ops": true}             reply: the operations' names
  {"family": F, "do": OP, "attrs": {...}, "flags": ["create", "excl"]}
  {"family": F, "dump": OP, "attrs": {...}}
  {"family": F, "subscribe": GROUP}           join a multicast group
  {"family": F, "ntf": SECONDS}               reply: the notifications
                                              queued so far, waiting up
                                              to SECONDS for a first one

Replies are what the kernel's cli.py --output-json prints (binary in
hex). An indexed array of nests (rlocs) is given as a list of objects,
which the library decodes but cannot encode: the driver encodes it,
numbering the elements from 1 as the kernel's replies do. The library's own diagnostics go to stderr: stdout is the steps'.
"""
import json
import os
import queue
import select
import socket
import struct
import sys
import time
import traceback

# Both before the first step: a missing one stops the driver at once,
# and the test says which (the library imports jsonschema only when a
# schema is checked).
import jsonschema  # noqa: F401
import yaml

import rt_link_lisp


def fast_yaml():
    # The library reads specs and schemas with yaml.safe_load, PyYAML's
    # pure Python parser: with libyaml the same safe loader in C parses
    # them several times faster (seconds under TCG).
    if getattr(yaml, '__with_libyaml__', False):
        def safe_load(stream):
            return yaml.load(stream, Loader=yaml.CSafeLoader)
        yaml.safe_load = safe_load


def import_ynl(ynl_dir):
    # 6.12 keeps the library in tools/net/ynl/lib, later trees in
    # tools/net/ynl/pyynl/lib; cli.py imports it as the package "lib".
    for sub in ('pyynl', '.'):
        top = os.path.normpath(os.path.join(ynl_dir, sub))
        if os.path.isfile(os.path.join(top, 'lib', 'ynl.py')):
            sys.path.insert(0, top)
            import lib
            return lib
    raise SystemExit('%s: no YNL library (lib/ynl.py or pyynl/lib/ynl.py)'
                     % ynl_dir)


NLA_F_NESTED = 0x8000


def nla(atype, payload):
    pad = b'\0' * ((4 - len(payload) % 4) % 4)
    return struct.pack('HH', 4 + len(payload), atype) + payload + pad


def encode_indexed_arrays(lib):
    """YnlFamily._add_attr, taught the indexed array of nests."""
    add = lib.YnlFamily._add_attr

    def _add_attr(self, space, name, value, *rest):
        attr = self.attr_sets[space][name]
        if attr['type'] != 'indexed-array' or \
           attr.yaml.get('sub-type') != 'nest':
            return add(self, space, name, value, *rest)
        sub = attr['nested-attributes']
        elems = b''
        for i, elem in enumerate(value, 1):
            inner = b''.join(_add_attr(self, sub, k, v, *rest)
                             for k, v in elem.items())
            elems += nla(i | NLA_F_NESTED, inner)
        return nla(attr.value | NLA_F_NESTED, elems)

    lib.YnlFamily._add_attr = _add_attr


def keep_extack_of_replyless_ops(lib):
    """6.12's library names the attribute an error blames by decoding
    the request as its reply; an operation without one (ctrl-send) made
    it raise and lose the kernel's message: keep the offset instead."""
    decode = lib.YnlFamily._decode_extack

    def _decode_extack(self, request, op, extack):
        try:
            decode(self, request, op, extack)
        except (AttributeError, KeyError):
            pass

    lib.YnlFamily._decode_extack = _decode_extack


class Steps:
    def __init__(self, lib):
        self.lib = lib
        encode_indexed_arrays(lib)
        keep_extack_of_replyless_ops(lib)
        self.families = {}
        self.flags = {
            'create': lib.Netlink.NLM_F_CREATE,
            'excl': lib.Netlink.NLM_F_EXCL,
            'replace': lib.Netlink.NLM_F_REPLACE,
            'append': lib.Netlink.NLM_F_APPEND,
        }

    def run(self, step):
        if 'load' in step:
            if 'merge' in step:
                rt_link_lisp.write(step['merge']['kernel'], step['spec'],
                                   step['merge'].get('fragment'))
            self.families[step['load']] = self.lib.YnlFamily(
                step['spec'], step.get('schema', ''))
            return None
        ynl = self.families[step['family']]
        attrs = step.get('attrs', {})
        if 'do' in step:
            flags = [self.flags[f] for f in step.get('flags', [])]
            return ynl.do(step['do'], attrs, flags)
        if 'dump' in step:
            return ynl.dump(step['dump'], attrs)
        if step.get('list-ops'):
            return list(ynl.ops)
        if 'subscribe' in step:
            ynl.ntf_subscribe(step['subscribe'])
            return None
        if 'ntf' in step:
            return self.notifications(ynl, float(step['ntf']))
        raise ValueError('no request in the step')

    def drain_socket(self, step):
        # A request that failed halfway (a reply it could not decode)
        # leaves the rest of its reply queued, where the next request of
        # the family would read it: drop it (reading runs a dump on).
        ynl = step.get('family') if isinstance(step, dict) else None
        if ynl not in self.families:
            return
        ynl = self.families[ynl]
        while True:
            try:
                ynl.sock.recv(65536, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return

    def notifications(self, ynl, wait):
        end = time.monotonic() + wait
        while True:
            ynl.check_ntf()
            got = self.drain(ynl.async_msg_queue)
            left = end - time.monotonic()
            if got or left <= 0:
                return got
            select.select([ynl.sock], [], [], left)

    @staticmethod
    def drain(q):
        # A list in 6.12's library, a queue.Queue in later ones.
        if isinstance(q, list):
            got = q[:]
            del q[:]
            return got
        got = []
        while True:
            try:
                got.append(q.get_nowait())
            except queue.Empty:
                return got


def encode(obj):
    if isinstance(obj, bytes):
        return obj.hex()
    if isinstance(obj, set):
        return sorted(obj)
    return repr(obj)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip())
    fast_yaml()
    steps = Steps(import_ynl(sys.argv[1]))
    out = os.fdopen(os.dup(sys.stdout.fileno()), 'w')
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        step = None
        try:
            step = json.loads(line)
            res = {'errno': 0, 'reply': steps.run(step)}
        except steps.lib.NlError as e:
            text = os.strerror(e.error)
            ext = e.nl_msg.extack or {}
            if 'msg' in ext:
                text += ': ' + ext['msg']
            res = {'errno': e.error, 'error': text}
        except (Exception, SystemExit) as e:
            traceback.print_exc()
            steps.drain_socket(step)
            res = {'errno': -1, 'error': '%s: %s' % (type(e).__name__, e)}
        out.write(json.dumps(res, default=encode, separators=(',', ':'))
                  + '\n')
        out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
