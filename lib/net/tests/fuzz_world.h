/* The world the fuzz harness starts every input from, shared with the
 * seed generator so that seeds hit live state: stack A (10.0.2.15) with a
 * listener on 80, a connection accepted from B, a connection to B:81, a
 * UDP socket on 5353, a DNS query and a ping waiting for answers; stack C
 * in DHCP SELECTING. Built deterministically on the simulated link. */
#ifndef NET_FUZZ_WORLD_H
#define NET_FUZZ_WORLD_H

#include "sim.h"

struct fuzz_world {
	struct sim sim;
	int a, b, c;
	struct net_stack *A, *B, *C;
	int a_listen, a_passive, a_active, a_udp, a_dns, a_ping;
	int b_passive, b_active, b_listen;
};

void fuzz_world_init(struct fuzz_world *w);

/* Input records: op byte, then
 *   op % 4 == 0 / 1: u16 length, a frame for A / C; with FUZZ_FIX_CSUM
 *                    set in op, its checksums are made valid first
 *   op % 4 == 2:     u16 milliseconds to advance the clock
 *   op % 4 == 3:     u16 arguments (handle index << 8 | value) of one API
 *                    call, chosen by op / 4 (see fuzz.c) */
#define FUZZ_OP_FRAME_A 0
#define FUZZ_OP_FRAME_C 1
#define FUZZ_OP_TIME    2
#define FUZZ_OP_API     3
#define FUZZ_FIX_CSUM   0x10

#endif
