# FAT32 library: the sources the kernel and the file-system daemon compile,
# and the host tests. Included by the top-level Makefile; make runs from the
# repository root.
#
#   FAT32_SRCS / FAT32_INCLUDE   library sources and the directory for -I
#                                (it also needs -Ilib/include for tsubame/errno.h)
#   make fat32-host-test         unit tests (ASan/UBSan) + bounded fuzz run
#   make fat32-fuzz              a long fuzz run (FAT32_FUZZ_LONG seconds)

FAT32_DIR     := lib/fat32
FAT32_SRCS    := $(addprefix $(FAT32_DIR)/,cache.c dir.c fat.c file.c name.c node.c ops.c volume.c)
FAT32_INCLUDE := $(FAT32_DIR)

BUILD_HOST ?= build/host
FAT32_OUT       := $(BUILD_HOST)/fat32
FAT32_T         := $(FAT32_DIR)/tests
FAT32_HOST_CC   ?= gcc
FAT32_FUZZ_CC   ?= clang
FAT32_FUZZ_TIME ?= 25
FAT32_FUZZ_LONG ?= 14400   # a cap: make fuzz stops at FUZZ_RUNS executions first
FAT32_DEPS      := $(wildcard $(FAT32_DIR)/*.h $(FAT32_T)/*.h) lib/include/tsubame/errno.h
FAT32_WARN      := -std=c11 -Wall -Wextra -Werror
FAT32_SAN       := -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FAT32_CPPFLAGS  := -I$(FAT32_INCLUDE) -Ilib/include
FAT32_UNIT_SRCS := $(addprefix $(FAT32_T)/,hostdev.c harness.c test_main.c test_read.c test_write.c \
                     test_corrupt.c test_random.c)

$(FAT32_OUT)/unit: $(FAT32_SRCS) $(FAT32_UNIT_SRCS) $(FAT32_DEPS)
	@mkdir -p $(@D)
	$(FAT32_HOST_CC) $(FAT32_WARN) -Wno-format-truncation $(FAT32_SAN) -O1 $(FAT32_CPPFLAGS) \
		$(FAT32_SRCS) $(FAT32_UNIT_SRCS) $(shell pkg-config --cflags --libs check) -o $@

$(FAT32_OUT)/fuzz: $(FAT32_SRCS) $(FAT32_T)/hostdev.c $(FAT32_T)/fuzz.c $(FAT32_DEPS)
	@mkdir -p $(@D)
	$(FAT32_FUZZ_CC) $(FAT32_WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(FAT32_CPPFLAGS) $(FAT32_SRCS) $(FAT32_T)/hostdev.c $(FAT32_T)/fuzz.c -o $@

$(FAT32_OUT)/mkseed: $(FAT32_SRCS) $(FAT32_T)/hostdev.c $(FAT32_T)/mkseed.c $(FAT32_DEPS)
	@mkdir -p $(@D)
	$(FAT32_HOST_CC) $(FAT32_WARN) -O1 $(FAT32_CPPFLAGS) $(FAT32_SRCS) $(FAT32_T)/hostdev.c \
		$(FAT32_T)/mkseed.c -o $@

$(FAT32_OUT)/img/stamp: $(FAT32_T)/mkimages.sh
	bash $< $(@D)

# The library as the kernel and the daemon build it: freestanding, with no
# libc beyond lib/libc/include/string.h, warning-free under gcc and clang
# (and the riscv64 cross compiler when it is installed).
FAT32_RV_CC ?= riscv64-unknown-elf-gcc
FAT32_FREE  := $(FAT32_WARN) -O2 -ffreestanding -nostdinc -fno-builtin -Ilib/libc/include $(FAT32_CPPFLAGS)

$(FAT32_OUT)/freestanding.stamp: $(FAT32_SRCS) $(FAT32_DEPS)
	@mkdir -p $(@D)
	@set -e; for f in $(FAT32_SRCS); do \
		gcc $(FAT32_FREE) -isystem $$(gcc -print-file-name=include) -c $$f -o /dev/null; \
		clang $(FAT32_FREE) -isystem $$(clang -print-resource-dir)/include -c $$f -o /dev/null; \
		if command -v $(FAT32_RV_CC) >/dev/null; then \
			$(FAT32_RV_CC) $(FAT32_FREE) -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
				-isystem $$($(FAT32_RV_CC) -print-file-name=include) -c $$f -o /dev/null; \
		fi; \
	done
	@echo "fat32: library builds freestanding (gcc, clang$$(command -v $(FAT32_RV_CC) >/dev/null && echo ', riscv64'))"
	@touch $@

fat32-host-test: $(FAT32_OUT)/unit $(FAT32_OUT)/fuzz $(FAT32_OUT)/mkseed $(FAT32_OUT)/img/stamp \
		 $(FAT32_OUT)/freestanding.stamp
	bash $(FAT32_T)/run.sh $(FAT32_OUT) $(FAT32_FUZZ_TIME)

fat32-fuzz: $(FAT32_OUT)/fuzz $(FAT32_OUT)/mkseed
	FUZZ_RUNS=$(FUZZ_RUNS) bash $(FAT32_T)/run.sh --fuzz-only $(FAT32_OUT) $(FAT32_FUZZ_LONG)

.PHONY: fat32-host-test fat32-fuzz
