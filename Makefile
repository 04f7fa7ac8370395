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
BUILD_HOST := build/host
Q := $(if $(V:0=),,@)
MSG = $(if $(Q),@printf '  %-8s %s\n' $(1) $(2),@true)

include arch/$(ARCH)/arch.mk

# ---- Dependencies: install what is missing before anything else runs ----
DEPS_STAMP := build/.deps-checked
$(DEPS_STAMP): scripts/install-deps.sh
	$(Q)mkdir -p $(@D)
	$(Q)scripts/install-deps.sh
	$(Q)touch $@

# ---- Kernel ----
KERNEL_SRCS := $(wildcard kernel/*.c kernel/tests/*.c) \
               $(wildcard drivers/*/*.c) \
               lib/libc/string.c lib/fmt/fmt.c lib/fdt/fdt.c \
               $(ARCH_SRCS)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))

KERNEL_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -nostdinc -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-Ikernel/include -Iarch/$(ARCH)/include -Ilib/include -Ilib/libc/include -Ilib -Idrivers \
	$(ARCH_CFLAGS) -MMD -MP
KERNEL_CFLAGS += -isystem $(shell $(CC) -print-file-name=include 2>/dev/null)

.PHONY: all run selftest fault-test test debug gdb clean
all: $(ARCH_BOOTABLE)

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	$(call MSG,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S | $(DEPS_STAMP)
	$(call MSG,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) arch/$(ARCH)/kernel.ld
	$(call MSG,LD,$@)
	$(Q)$(LD) $(ARCH_LDFLAGS) -o $@ $(KERNEL_OBJS)

-include $(KERNEL_OBJS:.o=.d)

# ---- Running ----
QEMU_RUN = $(QEMU) $(QEMU_BASE) $(QEMU_KERNEL) $(QEMU_DEVICES)

run: $(ARCH_BOOTABLE)
	$(QEMU_RUN) $(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

selftest: $(ARCH_BOOTABLE)
	$(Q)scripts/run-selftest.sh "$(ARCH)" "$(BUILD)" $(QEMU_RUN) $(QEMU_CMDLINE_FLAG) "selftest $(CMDLINE)"

fault-test: $(ARCH_BOOTABLE)
	$(Q)scripts/tests/kernel-fault.sh "$(ARCH)" "$(BUILD)" $(QEMU_RUN) $(QEMU_CMDLINE_FLAG) "faulttest"

debug: $(ARCH_BOOTABLE)
	@echo "QEMU waits for gdb on :1234. In another terminal: make ARCH=$(ARCH) gdb"
	$(QEMU_RUN) -s -S $(if $(CMDLINE),$(QEMU_CMDLINE_FLAG) "$(CMDLINE)")

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
