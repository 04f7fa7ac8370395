# TCP/IP stack library: the sources the network daemon compiles, and the
# host tests (lib/host-lib.mk). Included by the top-level Makefile; make
# runs from the repository root.
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
NET_T          := $(NET_DIR)/tests
NET_FUZZ_TIME  ?= 20
NET_FUZZ_LONG  ?= 14400 # a cap: make fuzz stops at FUZZ_RUNS executions first
NET_DEPS       := $(wildcard $(NET_DIR)/*.h $(NET_T)/*.h) lib/include/tsubame/errno.h
NET_CPPFLAGS   := -I$(NET_INCLUDE) -Ilib/include -I$(NET_T)
# The fuzz build shrinks the tables so that a snapshot copy per input is cheap.
NET_FUZZ_DEFS  := -DNET_TCP_CONNS=8 -DNET_TCP_SNDBUF=4096 -DNET_TCP_RCVBUF=4096 -DNET_UDP_RXBUF=2048
NET_UNIT_SRCS  := $(addprefix $(NET_T)/,suite.c sim.c frames.c fake.c testutil.c test_link.c \
                    test_tcp.c test_dhcp_dns.c test_malformed.c)
NET_FUZZ_SRCS  := $(addprefix $(NET_T)/,sim.c fuzz_world.c fuzz.c)
NET_SEED_SRCS  := $(addprefix $(NET_T)/,sim.c fuzz_world.c frames.c mkseed.c)
# netd has no floating point: the freestanding check forbids it.
NET_FREE_FLAGS := -mno-sse -mno-sse2 -mno-mmx -mno-80387

$(eval $(call host_lib_tests,NET,net))
