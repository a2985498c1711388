#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak_pmtu_router: pmtu_router.sh with every case on the second port too
# (make check runs four of its eight there).
PMTU_ROUTER_FULL=1 exec "$(dirname "$0")/pmtu_router.sh"
