# The host tests of a self-contained library (lib/fat32, lib/net), written
# once: each library's .mk sets a few variables and calls
#   $(eval $(call host_lib_tests,PREFIX,name))
# which defines
#   make name-host-test   unit tests (ASan/UBSan, Check) + bounded fuzz run,
#                         ending with "name: N passed, M failed"
#   make name-fuzz        a long fuzz run (FUZZ_RUNS executions, at most
#                         PREFIX_FUZZ_LONG seconds)
# and builds, under $(BUILD_HOST)/name/: unit, fuzz, mkseed and a check
# that the library compiles freestanding the way the kernel and daemons
# build it (gcc, clang, and the riscv64 cross compiler when installed).
#
# Variables a library sets (PREFIX_...):
#   SRCS CPPFLAGS DEPS   the library, its -I flags, headers it depends on
#   UNIT_SRCS            tests/suite.c (unit_runner) and the test cases
#   FUZZ_SRCS            the libFuzzer target and what it needs
#   SEED_SRCS            the seed generator (its main) and what it needs
#   FUZZ_DEFS            -D flags for fuzz and mkseed builds (optional)
#   UNIT_WARN FREE_FLAGS extra flags for the unit build / freestanding check
#   TEST_PREREQS         more prerequisites of name-host-test (optional)
#   UNIT_ENV             environment for the unit binary (optional)
#   FUZZ_TIME FUZZ_LONG  seconds of the bounded and the long fuzz run
# and tests/seeds.sh OUT SEEDDIR, which writes the fuzz seeds.

HOST_LIB_WARN := -std=c11 -Wall -Wextra -Werror
HOST_LIB_SAN  := -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_LIB_RV_CC ?= riscv64-unknown-elf-gcc
HOST_LIB_MAIN := lib/tests/unit_main.c

define host_lib_tests
$(1)_OUT := $$(BUILD_HOST)/$(2)
$(1)_FREE := $$(HOST_LIB_WARN) -O2 -ffreestanding -nostdinc -fno-builtin -Ilib/libc/include \
	$$($(1)_CPPFLAGS) $$($(1)_FREE_FLAGS)

$$($(1)_OUT)/unit: $$($(1)_SRCS) $$($(1)_UNIT_SRCS) $$(HOST_LIB_MAIN) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	gcc $$(HOST_LIB_WARN) $$($(1)_UNIT_WARN) $$(HOST_LIB_SAN) -O1 $$($(1)_CPPFLAGS) \
		-DUNIT_NAME='"$(2)-unit"' $$($(1)_SRCS) $$($(1)_UNIT_SRCS) $$(HOST_LIB_MAIN) \
		$$(shell pkg-config --cflags --libs check) -o $$@

$$($(1)_OUT)/fuzz: $$($(1)_SRCS) $$($(1)_FUZZ_SRCS) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	clang $$(HOST_LIB_WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$$($(1)_FUZZ_DEFS) $$($(1)_CPPFLAGS) $$($(1)_SRCS) $$($(1)_FUZZ_SRCS) -o $$@

$$($(1)_OUT)/mkseed: $$($(1)_SRCS) $$($(1)_SEED_SRCS) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	gcc $$(HOST_LIB_WARN) -O1 $$($(1)_FUZZ_DEFS) $$($(1)_CPPFLAGS) $$($(1)_SRCS) \
		$$($(1)_SEED_SRCS) -o $$@

$$($(1)_OUT)/freestanding.stamp: $$($(1)_SRCS) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	@set -e; for f in $$($(1)_SRCS); do \
		gcc $$($(1)_FREE) -isystem $$$$(gcc -print-file-name=include) -c $$$$f -o /dev/null; \
		clang $$($(1)_FREE) -isystem $$$$(clang -print-resource-dir)/include -c $$$$f -o /dev/null; \
		if command -v $$(HOST_LIB_RV_CC) >/dev/null; then \
			$$(HOST_LIB_RV_CC) $$(HOST_LIB_WARN) -O2 -ffreestanding -nostdinc -fno-builtin \
				-Ilib/libc/include $$($(1)_CPPFLAGS) \
				-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
				-isystem $$$$($$(HOST_LIB_RV_CC) -print-file-name=include) -c $$$$f -o /dev/null; \
		fi; \
	done
	@echo "$(2): library builds freestanding (gcc, clang$$$$(command -v $$(HOST_LIB_RV_CC) >/dev/null && echo ', riscv64'))"
	@touch $$@

$(2)-host-test: $$($(1)_OUT)/unit $$($(1)_OUT)/fuzz $$($(1)_OUT)/mkseed $$($(1)_OUT)/freestanding.stamp \
		$$($(1)_TEST_PREREQS)
	$$($(1)_UNIT_ENV) bash scripts/host-lib-test.sh $(2) $$(dir $$(firstword $$($(1)_UNIT_SRCS))) \
		$$($(1)_OUT) $$($(1)_FUZZ_TIME)

$(2)-fuzz: $$($(1)_OUT)/fuzz $$($(1)_OUT)/mkseed
	FUZZ_RUNS=$$(FUZZ_RUNS) bash scripts/host-lib-test.sh --fuzz-only $(2) $$(dir $$(firstword $$($(1)_UNIT_SRCS))) \
		$$($(1)_OUT) $$($(1)_FUZZ_LONG)

.PHONY: $(2)-host-test $(2)-fuzz
endef
