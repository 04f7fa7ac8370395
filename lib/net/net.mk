# TCP/IP stack library: the sources the network daemon compiles, and the
# host tests. Included by the top-level Makefile; make runs from the
# repository root. Only NET_-prefixed variables (and BUILD_HOST) are used.
#
#   NET_SRCS / NET_INCLUDE   library sources and the directory for -I
#                            (it also needs -Ilib/include for tsubame/errno.h)
#   make net-host-test       unit tests (ASan/UBSan) + bounded fuzz run,
#                            ending with "net: N passed, M failed"
#   make net-fuzz            a long fuzz run (NET_FUZZ_LONG seconds)

NET_DIR     := lib/net
NET_SRCS    := $(addprefix $(NET_DIR)/,arp.c checksum.c dhcp.c dns.c eth.c icmp.c ipv4.c rand.c ring.c \
                 stack.c tcp_api.c tcp_conn.c tcp_input.c tcp_output.c tcp_timer.c udp.c)
NET_INCLUDE := $(NET_DIR)

BUILD_HOST ?= build/host
NET_OUT       := $(BUILD_HOST)/net
NET_T         := $(NET_DIR)/tests
NET_HOST_CC   ?= gcc
NET_FUZZ_CC   ?= clang
NET_FUZZ_TIME ?= 20
NET_FUZZ_LONG ?= 14400   # a cap: make fuzz stops at FUZZ_RUNS executions first
NET_DEPS      := $(wildcard $(NET_DIR)/*.h $(NET_T)/*.h) lib/include/tsubame/errno.h
NET_WARN      := -std=c11 -Wall -Wextra -Werror
NET_SAN       := -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
NET_CPPFLAGS  := -I$(NET_INCLUDE) -Ilib/include
# The fuzz build shrinks the tables so that a snapshot copy per input is cheap.
NET_FUZZ_SIZES := -DNET_TCP_CONNS=8 -DNET_TCP_SNDBUF=4096 -DNET_TCP_RCVBUF=4096 -DNET_UDP_RXBUF=2048
NET_UNIT_SRCS  := $(addprefix $(NET_T)/,sim.c frames.c fake.c testutil.c test_main.c test_link.c \
                    test_tcp.c test_dhcp_dns.c test_malformed.c)
NET_WORLD_SRCS := $(addprefix $(NET_T)/,sim.c fuzz_world.c)

$(NET_OUT)/unit: $(NET_SRCS) $(NET_UNIT_SRCS) $(NET_DEPS)
	@mkdir -p $(@D)
	$(NET_HOST_CC) $(NET_WARN) $(NET_SAN) -O1 $(NET_CPPFLAGS) -I$(NET_T) $(NET_SRCS) $(NET_UNIT_SRCS) \
		$(shell pkg-config --cflags --libs check) -o $@

$(NET_OUT)/fuzz: $(NET_SRCS) $(NET_WORLD_SRCS) $(NET_T)/fuzz.c $(NET_DEPS)
	@mkdir -p $(@D)
	$(NET_FUZZ_CC) $(NET_WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(NET_FUZZ_SIZES) $(NET_CPPFLAGS) -I$(NET_T) $(NET_SRCS) $(NET_WORLD_SRCS) $(NET_T)/fuzz.c -o $@

$(NET_OUT)/mkseed: $(NET_SRCS) $(NET_WORLD_SRCS) $(NET_T)/frames.c $(NET_T)/mkseed.c $(NET_DEPS)
	@mkdir -p $(@D)
	$(NET_HOST_CC) $(NET_WARN) -O1 $(NET_FUZZ_SIZES) $(NET_CPPFLAGS) -I$(NET_T) $(NET_SRCS) \
		$(NET_WORLD_SRCS) $(NET_T)/frames.c $(NET_T)/mkseed.c -o $@

# The library as the daemon builds it: freestanding, with no libc beyond
# lib/libc/include/string.h, no floating point, warning-free under gcc and
# clang (and the riscv64 cross compiler when it is installed).
NET_RV_CC  ?= riscv64-unknown-elf-gcc
NET_FREE   := $(NET_WARN) -O2 -ffreestanding -nostdinc -fno-builtin -Ilib/libc/include $(NET_CPPFLAGS)
NET_NOFP   := -mno-sse -mno-sse2 -mno-mmx -mno-80387

$(NET_OUT)/freestanding.stamp: $(NET_SRCS) $(NET_DEPS)
	@mkdir -p $(@D)
	@set -e; for f in $(NET_SRCS); do \
		gcc $(NET_FREE) $(NET_NOFP) -isystem $$(gcc -print-file-name=include) -c $$f -o /dev/null; \
		clang $(NET_FREE) $(NET_NOFP) -isystem $$(clang -print-resource-dir)/include -c $$f -o /dev/null; \
		if command -v $(NET_RV_CC) >/dev/null; then \
			$(NET_RV_CC) $(NET_FREE) -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
				-isystem $$($(NET_RV_CC) -print-file-name=include) -c $$f -o /dev/null; \
		fi; \
	done
	@echo "net: library builds freestanding (gcc, clang$$(command -v $(NET_RV_CC) >/dev/null && echo ', riscv64'))"
	@touch $@

net-host-test: $(NET_OUT)/unit $(NET_OUT)/fuzz $(NET_OUT)/mkseed $(NET_OUT)/freestanding.stamp
	bash $(NET_T)/run.sh $(NET_OUT) $(NET_FUZZ_TIME)

net-fuzz: $(NET_OUT)/fuzz $(NET_OUT)/mkseed
	FUZZ_RUNS=$(FUZZ_RUNS) bash $(NET_T)/run.sh --fuzz-only $(NET_OUT) $(NET_FUZZ_LONG)

.PHONY: net-host-test net-fuzz
