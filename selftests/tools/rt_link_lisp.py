#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Write the kernel's rt-link YNL spec with the lisp link kind added, so
that the kernel's ynl CLI can create and dump lisp devices.

  rt_link_lisp.py KERNEL_RT_LINK_YAML OUT [FRAGMENT]

FRAGMENT (default: this tree's Documentation/netlink/specs/rt-link-lisp.yaml)
holds the lisp kind's definitions, attribute set and linkinfo-data-msg
format; they are appended to the kernel spec's lists of the same name.
Nothing of the kernel's spec is kept in this tree.
"""
import os
import sys

import yaml

# libyaml's safe loader and dumper when PyYAML has them: the pure Python
# ones take seconds on rt_link.yaml under TCG.
LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
DUMPER = getattr(yaml, 'CSafeDumper', yaml.SafeDumper)
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def merge(base, frag):
    for key in ('definitions', 'attribute-sets'):
        have = {d['name'] for d in base.get(key, [])}
        for d in frag.get(key, []):
            if d['name'] in have:
                raise SystemExit('%s: the kernel spec has %s already'
                                 % (key, d['name']))
            base.setdefault(key, []).append(d)
    msgs = {m['name']: m for m in base.get('sub-messages', [])}
    for m in frag.get('sub-messages', []):
        if m['name'] not in msgs:
            raise SystemExit('the kernel spec has no sub-message %s'
                             % m['name'])
        msgs[m['name']]['formats'] += m['formats']
    return base


def write(kernel_spec, out, frag_path=None):
    frag_path = frag_path or os.path.join(
        TOP, 'Documentation/netlink/specs/rt-link-lisp.yaml')
    with open(kernel_spec) as f:
        text = f.read()
    base = yaml.load(text, Loader=LOADER)
    with open(frag_path) as f:
        frag = yaml.load(f, Loader=LOADER)
    with open(out, 'w') as f:
        # The output is the kernel's spec: its license line, which YNL
        # requires first, stays first.
        f.write(text.splitlines()[0] + '\n')
        yaml.dump(merge(base, frag), f, Dumper=DUMPER, sort_keys=False)


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__.strip())
    write(*sys.argv[1:])
    return 0


if __name__ == '__main__':
    sys.exit(main())
