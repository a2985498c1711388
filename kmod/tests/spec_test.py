#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Host test: Documentation/netlink/specs/lisp.yaml, uapi/linux/lisp.h and
the kernel's genl policies and ops (kmod/*.c) say the same thing. The
header's values come from the C compiler, the policies from their
source text, their constant expressions again from the compiler.
Prints TAP version 13. Why the policies are not generated from the
spec: Documentation/netlink.rst ("The YNL spec").

  spec_test.py [SPEC HEADER KMOD_DIR]    (defaults: this tree's)

Also rt-link-lisp.yaml (RT_LINK_SPEC) against the header, and both specs
against the YNL schemas of the kernel tree KSRC (default
/usr/src/linux-source-6.12; those checks skip without it or jsonschema).
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SPEC, HEADER, KMOD = (sys.argv[1:4] if len(sys.argv) == 4 else
                      (os.path.join(TOP, 'Documentation/netlink/specs/lisp.yaml'),
                       os.path.join(TOP, 'uapi/linux/lisp.h'),
                       os.path.join(TOP, 'kmod')))
RT_LINK = os.environ.get('RT_LINK_SPEC', os.path.join(
    TOP, 'Documentation/netlink/specs/rt-link-lisp.yaml'))
# The kernel tree whose YNL schemas and rt_link.yaml the specs are
# checked against (skipped when absent).
KSRC = os.environ.get('KSRC', '/usr/src/linux-source-6.12')

# Where a kernel policy knowingly differs from the spec's checks: the
# kernel checks these in code, with an error message of its own.
# (policy, attribute) -> (the kernel's entry, the macro of kmod/*.h the
# code checks against, which must equal the spec's check, or None).
EXCEPTIONS = {
    # name_from_attrs(): "policy name longer than 31 characters"
    ('lisp_dyn_nl_policy', 'LISP_A_DYN_NAME'):
        (('NLA_NUL_STRING', None), 'DYN_NAME_MAX'),
    # lisp_nl_eid_from_attrs(): at most the address family's length
    ('lisp_dyn_nl_policy', 'LISP_A_EID_PLEN'): (('NLA_U8', None), None),
}

tap_n = 0
failed = 0


def tap(ok, what, why=()):
    global tap_n, failed
    tap_n += 1
    print('%sok %d - %s' % ('' if ok else 'not ', tap_n, what))
    for line in list(why)[:20]:
        print('# ' + line)
    if not ok:
        failed += 1


def cname(*parts):
    return '_'.join(p.replace('-', '_') for p in parts).upper()


def c_values(names, exprs=(), defines=''):
    """The values of C names and expressions, as the compiler sees them."""
    src = ['#include <stdio.h>', '#include <net/if.h>',
           '#include <netinet/in.h>', '#include "linux/lisp.h"', defines,
           'int main(void) {']
    for n in names:
        src.append('#ifdef %s\n printf("%s=%%s\\n", %s);\n#else' % (
            n, n, n) if n.endswith('_NAME') or n == 'LISP_MCGRP_EVENTS'
            else '#if 1')
        src.append(' printf("%s=%%lld\\n", (long long)(%s));\n#endif' % (n, n))
    for i, e in enumerate(exprs):
        src.append(' printf("expr%d=%%lld\\n", (long long)(%s));' % (i, e))
    src.append(' return 0; }')
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, 't.c')
        with open(c, 'w') as f:
            f.write('\n'.join(src) + '\n')
        r = subprocess.run(['cc', '-w', '-I', os.path.dirname(os.path.dirname(HEADER)),
                            '-o', os.path.join(d, 't'), c],
                           capture_output=True, text=True)
        if r.returncode:
            return None, r.stderr.splitlines()
        out = subprocess.run([os.path.join(d, 't')], capture_output=True,
                             text=True).stdout
    vals = {}
    for line in out.splitlines():
        k, v = line.split('=', 1)
        vals[k] = v if not re.fullmatch(r'-?\d+', v) else int(v)
    return vals, []


def spec_names(spec):
    """Every C name the spec defines, with its value."""
    want = {}
    fam = spec['name']
    for d in spec.get('definitions', []):
        prefix = d.get('name-prefix', fam + '-' + d['name'] + '-')
        if d['type'] == 'const':
            want[cname(fam, d['name'])] = d['value']
        elif d['type'] in ('enum', 'flags'):
            v = 0
            for e in d['entries']:
                e = e if isinstance(e, dict) else {'name': e}
                v = e.get('value', v)
                want[cname(prefix + e['name'])] = (1 << v if d['type'] == 'flags'
                                                   else v)
                v += 1
    for s in spec['attribute-sets']:
        v = 0
        for a in s['attributes']:
            v = a.get('value', v)
            want[cname(s['name-prefix'] + a['name'])] = v
            v += 1
    v = 1
    for op in spec['operations']['list']:
        v = op.get('value', v)
        want[cname(spec['operations']['name-prefix'] + op['name'])] = v
        v += 1
    return want


def header_enum_names(text):
    """Members of the header's named enums, without the __X_MAX/X_MAX ends."""
    names = set()
    for body in re.findall(r'enum\s+lisp_\w+\s*\{(.*?)\};', text, re.S):
        body = re.sub(r'/\*.*?\*/', '', body, flags=re.S)
        for m in re.finditer(r'^\s*(\w+)', body, re.M):
            n = m.group(1)
            # YNL numbers commands from 1: LISP_CMD_UNSPEC is implied.
            if not n.startswith('__') and not n.endswith('_MAX') and \
               n != 'LISP_CMD_UNSPEC':
                names.add(n)
    for m in re.finditer(r'#define\s+(LISP_(?:MAP|RLOC)_F_\w+)\s', text):
        names.add(m.group(1))
    return names


def strip_comments(text):
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)


def kernel_policies(src):
    """{policy name: {attribute: entry text}} of every nla_policy table."""
    pols = {}
    for m in re.finditer(r'struct nla_policy\s+(\w+)\s*\[[^]]*\]\s*=\s*\{(.*?)\n\};',
                         src, re.S):
        ents = {}
        for e in re.finditer(r'\[(\w+)\]\s*=\s*(.*?),\s*(?=\[|$)',
                             m.group(2).strip() + '\n', re.S):
            ents[e.group(1)] = ' '.join(e.group(2).split())
        pols[m.group(1)] = ents
    return pols


def parse_entry(text):
    """An entry as (kind, argument expression or None)."""
    m = re.fullmatch(r'\{ \.type = (NLA_\w+)(?:, \.len = (.*?))? \}', text)
    if m:
        return m.group(1), m.group(2)
    m = re.fullmatch(r'NLA_POLICY_EXACT_LEN\((.*)\)', text)
    if m:
        return 'EXACT_LEN', m.group(1)
    m = re.fullmatch(r'NLA_POLICY_(MAX|MASK|MIN)\((NLA_\w+), (.*)\)', text)
    if m:
        return '%s(%s)' % (m.group(1), m.group(2)), m.group(3)
    m = re.fullmatch(r'NLA_POLICY_NESTED_ARRAY\((\w+)\)', text)
    if m:
        return 'NESTED_ARRAY', m.group(1)
    return 'UNKNOWN ' + text, None


def expected_entry(spec, attr, nested_policy):
    """What the kernel's policy entry for a spec attribute must be."""
    t = attr['type']
    checks = attr.get('checks', {})
    if t in ('u8', 'u16', 'u32', 'u64'):
        nla = 'NLA_' + t.upper()
        if attr.get('byte-order') == 'big-endian':
            nla = 'NLA_BE' + t[1:]
        if 'min' in checks:
            return 'MIN(%s)' % nla, checks['min']
        if 'max' in checks:
            return 'MAX(%s)' % nla, checks['max']
        if 'enum' in attr:
            d = next(d for d in spec['definitions'] if d['name'] == attr['enum'])
            n = len(d['entries'])
            if attr.get('enum-as-flags'):
                return 'MASK(%s)' % nla, (1 << n) - 1
            return 'MAX(%s)' % nla, n - 1
        return nla, None
    if t == 'binary' and 'exact-len' in checks:
        return 'EXACT_LEN', checks['exact-len']
    if t == 'binary' and 'max-len' in checks:
        return 'NLA_BINARY', checks['max-len']
    if t == 'string':
        return 'NLA_NUL_STRING', checks.get('max-len')
    if t == 'flag':
        return 'NLA_FLAG', None
    if t == 'indexed-array' and attr.get('sub-type') == 'nest':
        return 'NESTED_ARRAY', nested_policy.get(attr['nested-attributes'])
    if t == 'indexed-array':
        return 'NLA_NESTED', None		# each entry is checked in code
    if t == 'nest':
        return 'NLA_NESTED', None
    return 'UNSUPPORTED ' + t, None


def main():
    print('TAP version 13')
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    with open(HEADER) as f:
        htext = f.read()
    src = ''
    macros = {}
    for n in sorted(os.listdir(KMOD)):
        if n.endswith('.h'):
            with open(os.path.join(KMOD, n)) as f:
                for m in re.finditer(r'^#define\s+(\w+)\s+(\d+)\b', f.read(),
                                     re.M):
                    macros[m.group(1)] = int(m.group(2))
        if n.endswith('.c'):
            with open(os.path.join(KMOD, n)) as f:
                src += strip_comments(f.read()) + '\n'

    # 1. uapi/linux/lisp.h
    want = spec_names(spec)
    want['LISP_GENL_NAME'] = spec['name']
    want['LISP_GENL_VERSION'] = spec['version']
    for g in spec['mcast-groups']['list']:
        want[cname(g['c-define-name'])] = g['name']
    hnames = header_enum_names(htext)
    vals, err = c_values(sorted(set(want) | hnames))
    if vals is None:
        missing = [n for n in sorted(want) if not re.search(r'\b%s\b' % n, htext)]
        tap(False, 'every name of the spec is in uapi/linux/lisp.h',
            ['missing: ' + ', '.join(missing)] + err)
    else:
        tap(True, 'every name of the spec is in uapi/linux/lisp.h')
        bad = ['%s: spec %r, header %r' % (n, v, vals[n])
               for n, v in sorted(want.items()) if vals[n] != v]
        tap(not bad, 'the header gives every name the spec\'s value', bad)
    extra = sorted(hnames - set(want))
    tap(not extra, 'every attribute, command, enum and flag of the header is in the spec',
        ['not in the spec: ' + ', '.join(extra)] if extra else [])

    # 2. The kernel's policies against each operation's request.
    pols = kernel_policies(src)
    sets = {s['name']: s for s in spec['attribute-sets']}
    fam_policy = re.search(r'struct genl_family lisp_genl_family.*?\.policy\s*=\s*(\w+)',
                           src, re.S).group(1)
    ops = {}
    for m in re.finditer(r'\{\s*(\.cmd\s*=\s*LISP_CMD_\w+.*?)\}', src, re.S):
        fields = dict(re.findall(r'\.(\w+)\s*=\s*([^,\n]+)', m.group(1)))
        ops[fields['cmd'].strip()] = {k: v.strip() for k, v in fields.items()}
    nested_policy = {}
    for name, ents in pols.items():
        for text in ents.values():
            kind, arg = parse_entry(text)
            if kind == 'NESTED_ARRAY':
                for s in sets.values():
                    for a in s['attributes']:
                        if a.get('nested-attributes') and \
                           pols.get(arg) is not None and \
                           cname(s['name-prefix'] + a['name']) in ents:
                            nested_policy[a['nested-attributes']] = arg

    bad_ops = []
    accepted = {}		# policy -> attributes some request may carry
    for op in spec['operations']['list']:
        c = cname(spec['operations']['name-prefix'] + op['name'])
        if 'event' in op:
            if c in ops:
                bad_ops.append('%s: an event, but in the genl ops table' % c)
            continue
        k = ops.get(c)
        if not k:
            bad_ops.append('%s: not in the genl ops table' % c)
            continue
        for how, fn in (('do', 'doit'), ('dump', 'dumpit')):
            if (how in op) != (fn in k):
                bad_ops.append('%s: spec %s %s, kernel .%s %s' % (
                    c, how, 'yes' if how in op else 'no', fn,
                    'yes' if fn in k else 'no'))
        perm = 'uns-admin-perm' in op.get('flags', [])
        if perm != ('GENL_UNS_ADMIN_PERM' in k.get('flags', '')):
            bad_ops.append('%s: uns-admin-perm differs' % c)
        perm = 'admin-perm' in op.get('flags', [])
        if perm != bool(re.search(r'\bGENL_ADMIN_PERM\b', k.get('flags', ''))):
            bad_ops.append('%s: admin-perm differs' % c)
        pol = k.get('policy', fam_policy)
        for how in ('do', 'dump'):
            req = op.get(how, {}).get('request', {}).get('attributes', [])
            accepted.setdefault(pol, set()).update(
                (op['attribute-set'], a) for a in req)
    unknown = sorted(set(ops) - {cname(spec['operations']['name-prefix'] + o['name'])
                                 for o in spec['operations']['list']})
    bad_ops += ['%s: in the genl ops table, not in the spec' % c for c in unknown]
    tap(not bad_ops, 'the genl ops table has the spec\'s commands, do/dump and flags',
        bad_ops)

    checks = []		# (policy, attribute, want kind, want arg, entry)
    bad = []
    for pol, reqs in sorted(accepted.items()):
        ents = pols.get(pol, {})
        names = set()
        for sname, aname in sorted(reqs):
            s = sets[sname]
            c = cname(s['name-prefix'] + aname)
            names.add(c)
            attr = next(a for a in s['attributes'] if a['name'] == aname)
            if c not in ents:
                bad.append('%s: %s is in a request, not in the policy' % (pol, c))
                continue
            checks.append((pol, c, expected_entry(spec, attr, nested_policy), ents[c]))
        for c, text in sorted(ents.items()):
            if c not in names and parse_entry(text)[0] != 'NLA_REJECT':
                bad.append('%s: accepts %s, which no request of the spec carries'
                           % (pol, c))
    for sname, pol in sorted(nested_policy.items()):
        ents = pols[pol]
        s = sets[sname]
        for attr in s['attributes']:
            if attr['type'] in ('unused', 'pad'):
                continue
            c = cname(s['name-prefix'] + attr['name'])
            if c not in ents:
                bad.append('%s: no entry for %s (accept or NLA_REJECT it)' % (pol, c))
            elif parse_entry(ents[c])[0] != 'NLA_REJECT':
                checks.append((pol, c, expected_entry(spec, attr, nested_policy),
                               ents[c]))
        for c in ents:
            if not any(cname(s['name-prefix'] + a['name']) == c
                       for a in s['attributes']):
                bad.append('%s: %s is not in attribute set %s' % (pol, c, sname))

    # The entries' arguments, evaluated by the compiler.
    defines = '\n'.join(m.group(0) for m in re.finditer(
        r'#define\s+LISP_\w+\s+\((?:[^()\n\\]|\\\n)*\)', src))
    exprs = []
    for pol, c, (kind, arg), text in checks:
        k, a = parse_entry(text)
        if a is not None and k != 'NESTED_ARRAY':
            exprs.append(a)
    vals, err = c_values([], exprs, defines.replace('\\\n', ' '))
    if vals is None:
        bad += ['cannot evaluate the policies\' expressions:'] + err
    else:
        i = 0
        for pol, c, (kind, arg), text in checks:
            k, a = parse_entry(text)
            if a is not None and k != 'NESTED_ARRAY':
                a = vals['expr%d' % i]
                i += 1
            exc = EXCEPTIONS.get((pol, c))
            if exc is not None:
                if (k, a) != exc[0]:
                    bad.append('%s: %s is %s now; drop its exception'
                               % (pol, c, text))
                elif exc[1] and macros.get(exc[1]) != arg:
                    bad.append('%s: %s is checked in code against %s = %s, '
                               'the spec says %s' % (pol, c, exc[1],
                                                     macros.get(exc[1]), arg))
                continue
            if (k, a) != (kind, arg):
                bad.append('%s: %s is "%s", the spec wants %s %s'
                           % (pol, c, text, kind, '' if arg is None else arg))
    tap(not bad and len(checks) > 20,
        'each policy accepts what the spec\'s requests carry, with the '
        'spec\'s types and checks (%d entries)' % len(checks), bad)
    stale = [k for k in EXCEPTIONS if k[0] not in pols or k[1] not in pols[k[0]]]
    tap(not stale, 'every exception names a policy entry that exists',
        ['%s %s' % k for k in stale])
    protocol_checks(spec)
    rt_link_checks()
    print('1..%d' % tap_n)
    return 1 if failed else 0


def schema_errors(doc, schema_name):
    """The YNL schema's complaints about doc, or None without jsonschema."""
    try:
        import jsonschema
    except ImportError:
        return None
    with open(os.path.join(KSRC, 'Documentation/netlink', schema_name)) as f:
        schema = yaml.safe_load(f)
    return ['%s: %s' % ('/'.join(str(p) for p in e.path), e.message[:160])
            for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]


def skip(what, why):
    global tap_n
    tap_n += 1
    print('ok %d - %s # SKIP %s' % (tap_n, what, why))


def protocol_checks(spec):
    """genetlink-legacy is the lowest level the family fits: the only
    construct of the spec genetlink-c lacks is the uns-admin-perm flag
    (plus version and kernel-policy, legacy-only keys that follow from
    the protocol), and genetlink lacks genetlink-c's C names."""
    what = 'the spec needs genetlink-legacy only for uns-admin-perm'
    if not os.path.isdir(os.path.join(KSRC, 'Documentation/netlink')):
        skip(what, 'no kernel tree at ' + KSRC)
        return
    if schema_errors(spec, 'genetlink-legacy.yaml') is None:
        skip(what, 'python3 jsonschema is not installed')
        return
    bad = ['genetlink-legacy: ' + e
           for e in schema_errors(spec, 'genetlink-legacy.yaml')]
    lowered = dict(spec, protocol='genetlink-c')
    lowered.pop('version', None)
    lowered.pop('kernel-policy', None)
    for key in ('operations', 'mcast-groups'):
        lowered[key] = dict(spec[key], list=[
            dict(op, flags=['admin-perm' if f == 'uns-admin-perm' else f
                            for f in op['flags']]) if 'flags' in op else op
            for op in spec[key]['list']])
    bad += ['genetlink-c with admin-perm: ' + e
            for e in schema_errors(lowered, 'genetlink-c.yaml')]
    if not any('uns-admin-perm' in op.get('flags', ())
               for op in spec['operations']['list']):
        bad.append('no command has uns-admin-perm: the spec can be '
                   'genetlink-c (Documentation/netlink.rst)')
    tap(not bad, what, bad)


def rt_link_checks():
    """rt-link-lisp.yaml: the lisp kind's link attributes, against the
    header and, merged into the kernel's rt_link.yaml, its schema."""
    with open(RT_LINK) as f:
        frag = yaml.safe_load(f)
    with open(HEADER) as f:
        htext = f.read()
    sets = {a['name']: a for a in frag['attribute-sets']}
    lisp = sets['linkinfo-lisp-attrs']
    want = {}
    for i, a in enumerate(lisp['attributes']):
        want[cname(lisp['name-prefix'] + a['name'])] = a.get('value', i + 1)
    for d in frag['definitions']:
        for i, e in enumerate(d['entries']):
            want[cname(d['name'], e['name'])] = i
    body = re.search(r'enum\s*\{\s*IFLA_LISP_UNSPEC,(.*?)\};', htext, re.S)
    hnames = set(re.findall(r'^\s*(IFLA_LISP_\w+)', strip_comments(
        body.group(1)), re.M)) if body else set()
    hnames = {n for n in hnames if not n.startswith('__')}
    hnames |= {n for n in header_enum_names(htext) if n.startswith('LISP_DF_')}
    vals, err = c_values(sorted(set(want) | hnames))
    if vals is None:
        tap(False, 'rt-link-lisp.yaml: every name is in uapi/linux/lisp.h',
            err)
    else:
        bad = ['%s: spec %r, header %r' % (n, v, vals[n])
               for n, v in sorted(want.items()) if vals[n] != v]
        bad += ['not in rt-link-lisp.yaml: ' + n
                for n in sorted(hnames - set(want))]
        tap(not bad, 'rt-link-lisp.yaml names every IFLA_LISP_* and '
            'LISP_DF_* with the header\'s value', bad)
    fmts = [f for m in frag['sub-messages'] for f in m['formats']]
    tap([(f['value'], f['attribute-set']) for f in fmts] ==
        [('lisp', 'linkinfo-lisp-attrs')],
        'rt-link-lisp.yaml adds the kind "lisp" to linkinfo-data-msg')
    what = 'rt-link-lisp.yaml merged into the kernel\'s rt_link.yaml fits its schema'
    base_path = os.path.join(KSRC, 'Documentation/netlink/specs/rt_link.yaml')
    if not os.path.exists(base_path):
        skip(what, 'no ' + base_path)
        return
    sys.path.insert(0, os.path.join(TOP, 'selftests', 'tools'))
    import rt_link_lisp
    with open(base_path) as f:
        merged = rt_link_lisp.merge(yaml.safe_load(f), frag)
    errs = schema_errors(merged, 'netlink-raw.yaml')
    if errs is None:
        skip(what, 'python3 jsonschema is not installed')
    else:
        tap(not errs, what, errs)


if __name__ == '__main__':
    sys.exit(main())
