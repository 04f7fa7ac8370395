# Tsubame top-level Makefile.
#   make [ARCH=riscv64|x86_64]   build the kernel (default riscv64)
#   make run                     boot it in QEMU on this terminal
#   make selftest                boot with the in-guest selftest, exit with its verdict
#   make test                    host unit tests + selftest on both arches
#   make debug / make gdb        QEMU waiting for gdb / gdb-multiarch attached to it
#   make clean                   remove build/
#   V=1 shows full command lines.

ARCH ?= riscv64
ifeq ($(filter $(ARCH),riscv64 x86_64),)
$(error ARCH must be riscv64 or x86_64, not '$(ARCH)')
endif

BUILD := build/$(ARCH)
# The Python test scripts import each other: no __pycache__ in the tree.
export PYTHONDONTWRITEBYTECODE := 1
BUILD_HOST := build/host
Q := $(if $(V:0=),,@)
MSG = $(if $(Q),@printf '  %-8s %s\n' $(1) $(2),@true)

.DEFAULT_GOAL := all
include arch/$(ARCH)/arch.mk

# ---- Dependencies: install what is missing before anything else runs ----
DEPS_STAMP := build/.deps-checked
$(DEPS_STAMP): scripts/install-deps.sh
	$(Q)mkdir -p $(@D)
	$(Q)scripts/install-deps.sh
	$(Q)touch $@

# ---- Kernel ----
include lib/host-lib.mk    # host_lib_tests: the host-test rules of fat32 and net
include lib/fat32/fat32.mk # FAT32_SRCS: one library for kernel, fat32d and host tests
include lib/net/net.mk     # NET_SRCS: the TCP/IP stack for netd, and its host tests
KERNEL_SRCS := $(wildcard kernel/*.c kernel/*/*.c) \
               $(wildcard drivers/*/*.c) \
               lib/libc/string.c lib/fmt/fmt.c lib/fdt/fdt.c lib/fdt/fdt_pci.c lib/path/path.c lib/time/civil.c lib/utf8/utf8.c $(FAT32_SRCS) \
               $(ARCH_SRCS)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))

# Asked of the compiler lazily (once, at first use): on a fresh machine the
# tools appear only once the DEPS_STAMP rule has run install-deps.sh.
GCC_INCLUDE = $(eval GCC_INCLUDE := $(shell $(CC) -print-file-name=include 2>/dev/null))$(GCC_INCLUDE)

KERNEL_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -nostdinc -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-Ikernel/include -Iarch/$(ARCH)/include -Ilib/include -Ilib/libc/include -Ilib -Idrivers \
	$(ARCH_CFLAGS) -MMD -MP
KERNEL_CFLAGS += -isystem $(GCC_INCLUDE)

# Objects are rebuilt when the flags they were compiled with change, not
# only their sources (e.g. the user ABI moving to hardware floating point):
# each stamp file is rewritten only when its text differs.
define flags_stamp
$(shell mkdir -p $(dir $(1)) && printf '%s\n' '$(2)' | cmp -s - $(1) || printf '%s\n' '$(2)' > $(1))$(1)
endef
KERNEL_FLAGS_STAMP := $(call flags_stamp,$(BUILD)/.kernel-flags,$(CC) $(value KERNEL_CFLAGS) $(ARCH_CFLAGS))

.PHONY: run-gui screenshot gui-test ipc-test http-test shell-test shell-image-check init-test bench bench-smoke all user-programs run selftest selftest-fat32d-first selftest-64m selftest-uboot fault-test image-check images hostfs-update test debug gdb clean
all: $(ARCH_BOOTABLE) user-programs

$(BUILD)/%.o: %.c $(KERNEL_FLAGS_STAMP) | $(DEPS_STAMP)
	$(call MSG,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S $(KERNEL_FLAGS_STAMP) | $(DEPS_STAMP)
	$(call MSG,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) arch/$(ARCH)/kernel.ld
	$(call MSG,LD,$@)
	$(Q)$(LD) $(ARCH_LDFLAGS) -o $@ $(KERNEL_OBJS)

-include $(KERNEL_OBJS:.o=.d)

# ---- User programs: lib/libc plus one directory per program under user/ ----
USER_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -nostdinc -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-pic -fno-pie \
	-Ilib/libc/include -Ilib/include -Ilib -I$(NET_INCLUDE) $(USER_ARCH_CFLAGS) -MMD -MP \
	-isystem $(GCC_INCLUDE)
USER_FLAGS_STAMP := $(call flags_stamp,$(BUILD)/.user-flags,$(CC) $(value USER_CFLAGS) $(USER_ARCH_CFLAGS))
LIBC_SRCS := lib/libc/start.c lib/libc/sys.c lib/libc/stdio.c lib/libc/stdlib.c \
	lib/libc/strerror.c lib/libc/malloc.c lib/libc/string.c lib/libc/socket.c lib/libc/inet.c \
	lib/libc/proc.c lib/libc/gui.c lib/libc/rand.c \
	lib/fmt/fmt.c lib/path/path.c lib/time/civil.c lib/utf8/utf8.c \
	$(filter-out %/probe.S,$(wildcard arch/$(ARCH)/user/*.S))
LIBC_OBJS := $(patsubst %,$(BUILD)/u/%.o,$(basename $(LIBC_SRCS)))
USER_PROGS := $(notdir $(patsubst %/,%,$(dir $(wildcard user/*/*.c))))
# Sources a program needs beyond its own directory and lib/libc.
EXTRA_SRCS_utest := arch/$(ARCH)/user/probe.S
EXTRA_SRCS_fat32d := $(FAT32_SRCS)
EXTRA_SRCS_netd := $(NET_SRCS)
EXTRA_SRCS_telnetd := lib/telnet/telnet.c
USER_ELFS := $(foreach p,$(sort $(USER_PROGS)),$(BUILD)/user/$(p).elf)
user-programs: $(USER_ELFS)

$(BUILD)/u/%.o: %.c $(USER_FLAGS_STAMP) | $(DEPS_STAMP)
	$(call MSG,UCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/u/%.o: %.S $(USER_FLAGS_STAMP) | $(DEPS_STAMP)
	$(call MSG,UAS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/libc.a: $(LIBC_OBJS)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/user/%.elf: $$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(basename $$(wildcard user/$$*/*.c)))) \
		$$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(basename $$(EXTRA_SRCS_$$*)))) \
		$(BUILD)/user/libc.a lib/libc/user.ld
	$(call MSG,ULD,$@)
	$(Q)$(LD) -static -T lib/libc/user.ld -o $@ $(filter %.o,$^) $(BUILD)/user/libc.a $(USER_LIBGCC)

-include $(wildcard $(BUILD)/u/*/*.d $(BUILD)/u/*/*/*.d $(BUILD)/u/*/*/*/*.d)

# ---- newlib for portable programs, and tsubame-cc's settings ----
include lib/posix/posix.mk

# ---- Disk images (build outputs; layout in lib/include/tsubame/disklayout.h) ----
DISK_MB     ?= 64
CLUSTER_SECTORS ?= 1   # FAT32 needs >= 65525 clusters: 512 B clusters at 64 MiB
DISK_IMG    := $(BUILD)/disk.img
HOSTFS_IMG  := $(BUILD)/hostfs.img
DISK_FILES  := $(wildcard scripts/image/disk/*)
HOSTFS_DIR_FILES := $(wildcard scripts/image/hostfs/*)

# A 4 MiB file of seeded pseudo-random bytes for the HTTP download test
# (generated, so the tree holds no large binary).
BIG_FILE    := $(BUILD)/BIG.BIN
$(BIG_FILE):
	$(Q)mkdir -p $(@D)
	$(Q)python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(4).randbytes(4 << 20))' > $@

$(DISK_IMG): $(ARCH_BOOTABLE) $(USER_ELFS) scripts/mkimages.sh scripts/extlinux.sh $(DISK_FILES) $(BIG_FILE)
	$(call MSG,IMAGE,$@)
	$(Q)scripts/mkimages.sh $@ TSUBAME 0x11 $(DISK_MB) $(CLUSTER_SECTORS) \
		$(ARCH_BOOTABLE)=/$(notdir $(ARCH_BOOTABLE)) $(foreach f,$(DISK_FILES),$(f)=/$(notdir $(f))) \
		$(BIG_FILE)=/BIG.BIN \
		$(foreach f,$(USER_ELFS),$(f)=/bin/$(notdir $(f)))
	$(Q)scripts/extlinux.sh $@ /$(notdir $(ARCH_BOOTABLE)) "$(CMDLINE)"

$(HOSTFS_IMG): scripts/mkimages.sh $(HOSTFS_DIR_FILES)
	$(call MSG,IMAGE,$@)
	$(Q)scripts/mkimages.sh $@ HOSTFS 0x22 $(DISK_MB) $(CLUSTER_SECTORS) \
		$(foreach f,$(HOSTFS_DIR_FILES),$(f)=/$(notdir $(f)))

images: $(DISK_IMG) $(HOSTFS_IMG)

# Copies HOSTFS_FILES into hostfs.img without rebuilding it.
hostfs-update: $(HOSTFS_IMG)
	$(if $(HOSTFS_FILES),,$(error usage: make hostfs-update HOSTFS_FILES="file ..."))
	$(Q)for f in $(HOSTFS_FILES); do mcopy -o -i $(HOSTFS_IMG)@@1M "$$f" ::/ && echo "copied $$f"; done

# Each disk's role comes from its serial, not from where the bus finds it.
# dev 0 is listed first (U-Boot boots from its first virtio disk); the
# direct-boot selftest lists them the other way round (third argument) to
# prove the order does not matter.
qemu_disk = -drive file=$(1),format=raw,if=none,id=disk$(2) \
	-device $(VIRTIO_BLK_DEV),drive=disk$(2),serial=tsubame-disk$(2)
qemu_disks = $(if $(3),$(call qemu_disk,$(2),1) $(call qemu_disk,$(1),0),\
	$(call qemu_disk,$(1),0) $(call qemu_disk,$(2),1))

# Integration tests that read service messages from QEMU's output keep the
# console at every level (loglevel=7): once booted, the console otherwise
# shows only warnings and worse, the rest going to the kernel log (dmesg).
TEST_LOGLEVEL = $(QEMU_CMDLINE_FLAG) "loglevel=7"

# ---- Running ----
# QEMU's user network: the guest is 10.0.2.15, the gateway 10.0.2.2. Only
# `make run` forwards a host port (tests pick free ones, so that several
# runs can share the machine).
HTTP_PORT ?= 8080
TELNET_PORT ?= 2323
QEMU_NET = -netdev user,id=net0$(NET_FWD) -device $(VIRTIO_NET_DEV),netdev=net0
run: NET_FWD = ,hostfwd=tcp:127.0.0.1:$(HTTP_PORT)-:8080,hostfwd=tcp:127.0.0.1:$(TELNET_PORT)-:2323
QEMU_RUN = $(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) $(QEMU_NET)

run: $(ARCH_BOOTABLE) images
	@echo "httpd will be at http://127.0.0.1:$(HTTP_PORT)/ and telnetd at 127.0.0.1 port $(TELNET_PORT)" \
		"(telnet 127.0.0.1 $(TELNET_PORT); HTTP_PORT=/TELNET_PORT= to change); Ctrl-A X quits"
	$(QEMU_RUN) $(call qemu_disks,$(DISK_IMG),$(HOSTFS_IMG)) \
		$(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

# The selftest runs on fresh copies, so the images `make run` uses keep
# the user's files, and every test run starts from the same bytes.
TEST_DISK   := $(BUILD)/test-disk.img
TEST_HOSTFS := $(BUILD)/test-hostfs.img
TEST_SCRATCH := $(BUILD)/test-scratch.img
# A third, blank disk always on virtio-pci (on riscv too, where the system
# disks use virtio-mmio) so that both transports run the same tests.
TEST_EXTRA_DISK = -drive file=$(TEST_SCRATCH),format=raw,if=none,id=disk2 \
	-device virtio-blk-pci,disable-legacy=on,drive=disk2,serial=tsubame-disk2
define fresh_test_images
	$(Q)rm -f $(TEST_SCRATCH) && truncate -s 1M $(TEST_SCRATCH)
	$(Q)cp --sparse=always $(DISK_IMG) $(TEST_DISK)
	$(Q)cp --sparse=always $(HOSTFS_IMG) $(TEST_HOSTFS)
	$(Q)scripts/extlinux.sh $(TEST_DISK) /$(notdir $(ARCH_BOOTABLE)) "$(1)"
endef

selftest: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,selftest $(CMDLINE))
	$(Q)scripts/run-selftest.sh "$(ARCH)" "$(BUILD)" $(QEMU_RUN) \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS),$(if $(BOOT),,reversed)) $(TEST_EXTRA_DISK) \
		$(if $(filter uboot,$(BOOT)),,$(QEMU_CMDLINE_FLAG) "selftest $(CMDLINE)")

# The same selftest with fat32d serving / from the start.
selftest-fat32d-first:
	$(Q)$(MAKE) --no-print-directory selftest CMDLINE="fat32d=first $(CMDLINE)"

# The whole selftest in a 64 MiB machine: the kernel and services stay small.
selftest-64m:
	$(Q)$(MAKE) --no-print-directory selftest QEMU_MEM=64M

# The same selftest, booted by OpenSBI -> U-Boot -> extlinux.conf -> booti.
selftest-uboot:
	$(Q)$(MAKE) --no-print-directory selftest BOOT=uboot

# Speed and memory figures, side by side in one run (never pass/fail on
# ratios: the step fails only if the benchmark cannot run). BENCH_QUICK=1
# is the short version make test runs.
bench: $(ARCH_BOOTABLE) images
	$(Q)VIRTIO_BLK_DEV="$(VIRTIO_BLK_DEV)" scripts/bench.sh "$(ARCH)" "$(BUILD)" "$(BENCH_QUICK)" $(QEMU_RUN)

# Long fuzzing runs of the parsers that take hostile input (make test runs
# each for a bounded time): the FAT32 library and the network stack (each
# until FUZZ_RUNS executions; the corpora stay in build/host/*/fuzz-corpus),
# and the services behind IPC (IPC_FUZZ_LONG messages per arch, in a booted
# guest; docs/RELIABILITY.md).
FUZZ_RUNS ?= 10000000
.PHONY: fuzz ipc-fuzz
fuzz: fat32-fuzz net-fuzz ipc-fuzz
IPC_FUZZ_LONG ?= 3000000
IPC_FUZZ_SEED ?= $(shell date +%s)
ipc-fuzz:
	$(Q)for a in riscv64 x86_64; do \
		IPC_TEST_ONLY=fuzz IPC_FUZZ_COUNT=$(IPC_FUZZ_LONG) IPC_FUZZ_SEED=$(IPC_FUZZ_SEED) \
		$(MAKE) --no-print-directory ARCH=$$a ipc-test || exit 1; done

bench-smoke:
	$(Q)$(MAKE) --no-print-directory bench BENCH_QUICK=1

# Host-side checks of what the last selftest wrote to its images.
image-check:
	$(Q)scripts/tests/check-images.sh "$(ARCH)" $(TEST_DISK) $(TEST_HOSTFS)

fault-test: $(ARCH_BOOTABLE) images
	$(Q)scripts/tests/kernel-fault.sh "$(ARCH)" "$(BUILD)" $(QEMU_CMDLINE_FLAG) $(QEMU_RUN) \
		$(call qemu_disks,$(DISK_IMG),$(HOSTFS_IMG))

# A portable program built the way a user builds one: its own plain
# Makefile with CC=tsubame-cc, out of tree. shell-test runs it as
# /host/porttest.
PORTTEST := $(BUILD)/porttest/porttest
$(PORTTEST): $(wildcard scripts/tests/porttest/*) scripts/tsubame-cc $(SYSROOT_FILES)
	$(call MSG,PORT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(MAKE) --no-print-directory -s -C $(@D) -f $(CURDIR)/scripts/tests/porttest/Makefile \
		VPATH=$(CURDIR)/scripts/tests/porttest CC=$(CURDIR)/scripts/tsubame-cc ARCH=$(ARCH) -B

# The shell used the way a person does: typed at the serial console of the
# same machine as `make run`, on fresh copies of its images; then what the
# shell wrote is checked on those images from the host.
shell-test: $(ARCH_BOOTABLE) images $(PORTTEST)
	$(call fresh_test_images,$(CMDLINE))
	$(Q)mcopy -o -i $(TEST_HOSTFS)@@1M $(PORTTEST) ::/porttest
	$(Q)scripts/tests/shell-session.py "$(ARCH)" "$(BUILD)" -- $(QEMU_RUN) \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) \
		$(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

shell-image-check:
	$(Q)scripts/tests/check-shell-images.sh "$(ARCH)" $(TEST_DISK) $(TEST_HOSTFS)

# httpd through netd, from the host with curl (a free port is picked).
http-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	scripts/tests/http-test.sh "$(ARCH)" "$(BUILD)" "$$port" $(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) \
		-netdev user,id=net0,hostfwd=tcp:127.0.0.1:$$port-:8080 -device $(VIRTIO_NET_DEV),netdev=net0 \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) $(TEST_LOGLEVEL)

# telnetd from the host: two shell sessions at once (a free port is picked).
telnet-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	scripts/tests/telnet-test.py "$(ARCH)" "$(BUILD)" "$$port" -- $(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) \
		-netdev user,id=net0,hostfwd=tcp:127.0.0.1:$$port-:2323 -device $(VIRTIO_NET_DEV),netdev=net0 \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) $(TEST_LOGLEVEL)

# The guest reaches the host: HTTP download, DNS, ping, refused and timed
# out connections, a killed client (the script adds the user network).
net-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)VIRTIO_NET_DEV=$(VIRTIO_NET_DEV) scripts/tests/net-test.py "$(ARCH)" "$(BUILD)" -- \
		$(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) $(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) $(TEST_LOGLEVEL)

# Malformed frames from a script that replaces the user network; netd must
# survive and still answer ARP and ping.
net-hostile: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)VIRTIO_NET_DEV=$(VIRTIO_NET_DEV) scripts/tests/net-hostile.py "$(ARCH)" "$(BUILD)" -- \
		$(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) $(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) $(TEST_LOGLEVEL)

# Hostile IPC from unprivileged programs (ipcfuzz): orphans, junk, a client
# that never reads, floods and the bounded IPC fuzzer, with the desktop's
# devices so that the gui is a target too (the script adds the network).
ipc-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)VIRTIO_NET_DEV=$(VIRTIO_NET_DEV) scripts/tests/ipc-test.py "$(ARCH)" "$(BUILD)" -- \
		$(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) $(GUI_DEVICES) $(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS))

# Reliability campaigns (docs/RELIABILITY.md): scripts/tests/campaign-NAME.py
# on fresh images, with host ports forwarded to httpd and telnetd. make test
# runs the bounded versions; CAMPAIGN_SCALE=long (make soak) the long ones.
CAMPAIGN_SCALE ?= bounded
CAMPAIGNS := sysfuzz exhaust diskfull corrupt kills soak
free_port = $$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.PHONY: $(addprefix campaign-,$(CAMPAIGNS)) soak
$(addprefix campaign-,$(CAMPAIGNS)): campaign-%: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)export HTTP_PORT=$(free_port) TELNET_PORT=$(free_port) CAMPAIGN_SCALE=$(CAMPAIGN_SCALE); \
	scripts/tests/campaign-$*.py "$(ARCH)" "$(BUILD)" -- $(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) \
		-netdev user,id=net0,hostfwd=tcp:127.0.0.1:$$HTTP_PORT-:8080,hostfwd=tcp:127.0.0.1:$$TELNET_PORT-:2323 \
		-device $(VIRTIO_NET_DEV),netdev=net0 $(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS))

# The long campaigns, one at a time, on both arches; all of them run, and
# the step fails at the end if any did.
soak:
	$(Q)failed=; for a in riscv64 x86_64; do for c in $(CAMPAIGNS); do \
		$(MAKE) --no-print-directory ARCH=$$a CAMPAIGN_SCALE=long campaign-$$c || failed="$$failed $$a-$$c"; \
	done; done; if [ -n "$$failed" ]; then echo "soak: failed:$$failed"; exit 1; fi

init-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)scripts/tests/init-supervision.sh "$(ARCH)" "$(BUILD)" $(QEMU_CMDLINE_FLAG) $(QEMU_RUN) \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS))

# ---- The desktop: the same machine plus a GPU, a keyboard and a tablet ----
# run-gui shows it in a GTK or SDL window when DISPLAY is set and QEMU has
# one, else on VNC at 127.0.0.1 (the port is printed).
run-gui: $(ARCH_BOOTABLE) images
	$(Q)if [ -n "$$DISPLAY" ] && $(QEMU) -display help 2>/dev/null | grep -qx gtk; then disp="-display gtk"; \
	elif [ -n "$$DISPLAY" ] && $(QEMU) -display help 2>/dev/null | grep -qx sdl; then disp="-display sdl"; \
	else n=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	     while [ $$n -lt 5900 ]; do n=$$((n + 1000)); done; \
	     disp="-display vnc=127.0.0.1:$$((n - 5900))"; echo "VNC display at 127.0.0.1:$$n (vncviewer 127.0.0.1::$$n)"; fi; \
	echo "Ctrl-A X quits"; \
	$(MAKE) --no-print-directory QEMU_DISPLAY="$$disp $(GUI_SERIAL)" run-gui-qemu

run-gui-qemu:
	$(QEMU_RUN) $(GUI_DEVICES) $(call qemu_disks,$(DISK_IMG),$(HOSTFS_IMG)) \
		$(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

# A PNG of the desktop with a few apps open, from a headless run on fresh
# images.
SCREENSHOT := $(BUILD)/screenshot.png
screenshot: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)scripts/screenshot.py $(SCREENSHOT) $(BUILD) -- $(QEMU_RUN) $(GUI_DEVICES) \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS))

# The desktop used through QMP: screendumps and injected pointer and keys.
gui-test: $(ARCH_BOOTABLE) images
	$(call fresh_test_images,)
	$(Q)scripts/tests/gui-test.py "$(ARCH)" "$(BUILD)" -- $(QEMU_RUN) $(GUI_DEVICES) \
		$(call qemu_disks,$(TEST_DISK),$(TEST_HOSTFS)) $(TEST_LOGLEVEL)

debug: $(ARCH_BOOTABLE) images
	@echo "QEMU waits for gdb on :1234. In another terminal: make ARCH=$(ARCH) gdb"
	$(QEMU_RUN) $(call qemu_disks,$(DISK_IMG),$(HOSTFS_IMG)) -s -S \
		$(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

gdb: $(BUILD)/kernel.elf
	gdb-multiarch -q -ex "set architecture $(GDB_ARCH)" -ex "file $(BUILD)/kernel.elf" \
		-ex "target remote :1234"

# ---- Host unit tests (ASan/UBSan, Check) ----
include lib/host-tests.mk

# ---- Everything, both arches ----
test: | $(DEPS_STAMP)
	$(Q)scripts/test-all.sh

clean:
	rm -rf build
