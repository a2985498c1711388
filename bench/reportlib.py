# SPDX-License-Identifier: GPL-2.0
#
# bench/reportlib.py - what the report scripts of bench/ share.
import math


def clean(o):
    """o with every NaN turned into None, for json.dump."""
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o
