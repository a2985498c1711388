# SPDX-License-Identifier: GPL-2.0
#
#   make                 module for KVER, daemon and tools
#   make kmod KVER=...   the module against an installed kernel's headers,
#                        built in build/kmod-KVER/
#   make check           everything CI runs: host tests, then the VM
#                        selftests on every supported kernel
#   make soak            the long soak/load selftests (selftests/soak_*.sh),
#                        not part of check
#   make lint            checkpatch --strict and sparse on the module
#   make bench           lisp vs plain routing, bareudp, vxlan, geneve, by
#                        instruction counting; against bench/baseline.json
#   make bench-mapcache  lisp vs vxlan on the wall clock, 1 vs 1M entries
#   make bench-ms        lispd's Map-Server vs OOR's, 100k EIDs (bench/README.md)
#   make bench-tenants   1000 tenants on one xTR pair and Map-Server (bench/README.md)
#   make bench-ddt       DDT resolution, cold vs warm referral cache (bench/README.md)
#   make demo            the mission scenario live in a VM (Documentation/demo.rst)
#   make deb             Debian packages in build/deb/ (dpkg-buildpackage),
#                        lintian-checked: lisp-dkms, lispd, lispctl
#   make check-deb       install them in the VM on every supported kernel,
#                        DKMS build, lispd from its unit, purge

KVER ?= $(shell tools/kver default)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/build
KOUT := $(BUILD)/kmod-$(KVER)
CHECKPATCH ?= $(firstword $(wildcard /usr/src/linux-source-6.12/scripts/checkpatch.pl))

KSRC := $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild

.PHONY: all kmod kmod-all userspace check check-host soak lint checkpatch sparse \
	bench bench-mapcache bench-ms bench-tenants bench-ddt demo clean install deb check-deb

all: kmod userspace

# Each kernel gets its own copy of the sources so builds never mix.
kmod:
	@test -d $(KDIR) || { echo "no headers for $(KVER) in $(KDIR)"; exit 1; }
	@mkdir -p $(KOUT)/kmod $(KOUT)/uapi/linux
	@cp -p $(KSRC) $(KOUT)/kmod/
	@cp -p uapi/linux/lisp.h $(KOUT)/uapi/linux/
	@cp -p Kbuild $(KOUT)/
	$(MAKE) -C $(KDIR) M=$(KOUT) W=1 $(if $(C),C=$(C)) modules

kmod-all:
	@for k in $$(tools/kver all); do $(MAKE) kmod KVER=$$k || exit 1; done

userspace:
	$(MAKE) -C tools
	@if [ -f lispd/Makefile ]; then $(MAKE) -C lispd; fi
	$(MAKE) -C selftests all

check-host:
	$(MAKE) -C kmod/tests check-host
	$(MAKE) -C tools check-host
	$(MAKE) -C lispd check-host
	$(MAKE) -C lispd fuzz-smoke FUZZ_TIME=5

check:
	tools/check

soak:
	CHECK_SELFTESTS_TARGET=run_soak CHECK_SKIP_HOST=1 tools/check

checkpatch:
	@test -n "$(CHECKPATCH)" || { echo "checkpatch.pl not found: apt-get install linux-source-6.12"; exit 1; }
	perl $(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE \
		-f kmod/*.c kmod/*.h uapi/linux/lisp.h

sparse:
	@for k in $$(tools/kver all); do \
		$(MAKE) kmod KVER=$$k C=2 2>&1 | tee $(BUILD)/sparse-$$k.log; \
		! grep -E 'warning|error' $(BUILD)/sparse-$$k.log || exit 1; \
	done

lint: checkpatch sparse

# A benchmark, not a test: ratios against the other tunnels in one VM run
# timed by instruction counting; says which moved from bench/baseline.json
# (build/bench/peers.json holds this run's).  Not part of check.
bench: userspace
	$(MAKE) kmod KVER=$$(tools/kver 6.12)
	bench/peers

# lisp vs vxlan on the wall clock, 1 vs 1,000,000 map-cache entries.
bench-mapcache: kmod userspace
	bench/run $(if $(KVER),--kernel $(KVER))

# lispd's Map-Server against OOR's on the host, as root (bench/README.md).
bench-ms:
	bench/ms --write bench/RESULTS-ms.md

# DDT resolution latency and Map-Resolver throughput, cold and warm
# referral cache, in a --icount guest (bench/README.md).
bench-ddt: userspace
	$(MAKE) -C tools/lisp-loadgen
	bench/ddt

# 1000 tenants on one lispd per xTR, in a tools/vm guest (bench/README.md).
bench-tenants: userspace
	$(MAKE) kmod KVER=$$(tools/kver 6.12)
	bench/tenants --write bench/RESULTS-tenants.md

# The mission scenario: as root on a fresh Debian 12 it installs what it
# needs first; the newest 6.12 kernel boots the VM.
demo:
	@if [ "$$(id -u)" = 0 ]; then tools/deps; else tools/deps || \
		{ echo "make demo: run it as root to install the packages above"; exit 1; }; fi
	$(MAKE) userspace
	$(MAKE) kmod KVER=$$(tools/kver 6.12)
	tools/vm --kernel 6.12 --timeout 900 -- tools/demo/run $(DEMO_ARGS)

# The packages are built from a copy of the tree (what git tracks, and
# new files it does not ignore), versioned by tools/version; lintian
# errors fail the target; the overridden tags are explained in
# debian/*.lintian-overrides.
DEB_VERSION = $(shell tools/version)
DEB_DIR := $(BUILD)/deb

deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/lisp-$(DEB_VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		tar --null -T - --ignore-failed-read -cf - | \
		tar -C $(DEB_DIR)/lisp-$(DEB_VERSION) -xf -
	sed -i '1s/(.*)/($(DEB_VERSION))/' $(DEB_DIR)/lisp-$(DEB_VERSION)/debian/changelog
	cd $(DEB_DIR)/lisp-$(DEB_VERSION) && dpkg-buildpackage -us -uc
	@lintian --fail-on error --info --display-level '>=pedantic' \
		$(DEB_DIR)/lisp_$(DEB_VERSION)_*.changes >$(DEB_DIR)/lintian.log; \
		rc=$$?; grep '^[EWIPX]:' $(DEB_DIR)/lintian.log; \
		echo "lintian: exit $$rc, details in $(DEB_DIR)/lintian.log"; exit $$rc

# The packages in a VM per kernel (selftests/deb/install.sh).
check-deb: deb
	@rc=0; for k in $$(tools/kver all); do \
		tools/vm --kernel $$k --timeout 3600 -- selftests/deb/install.sh \
			$(DEB_DIR) || rc=1; \
	done; exit $$rc

install: all
	$(MAKE) -C $(KDIR) M=$(KOUT) modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools install
	$(MAKE) -C lispd install

clean:
	rm -rf $(BUILD)
	$(MAKE) -C tools clean || true
	$(MAKE) -C kmod/tests clean || true
	@if [ -f lispd/Makefile ]; then $(MAKE) -C lispd clean; fi
