/* Shared pieces of the Check tests: a two-stack test bed, deterministic
 * data streams and TCP transfer pumps. */
#ifndef NET_TEST_UTIL_H
#define NET_TEST_UTIL_H

#include <check.h>

#include "frames.h"
#include "net_int.h"
#include "sim.h"

#define IP_A NET_IP4(10, 0, 2, 15)
#define IP_B NET_IP4(10, 0, 2, 16)
#define IP_C NET_IP4(10, 0, 2, 17)

struct bed {
	struct sim sim;
	int a, b;
	struct net_stack *A, *B;
};

/* Two stacks A (10.0.2.15) and B (10.0.2.16) on a clean 1 ms link. */
void bed_init(struct bed *t, uint64_t seed);
void bed_free(struct bed *t);

/* Byte off of the stream named seed. */
uint8_t pat_byte(uint64_t seed, uint64_t off);

/* One direction of a TCP transfer: sends `total` bytes of stream seed
 * through h, and/or receives and checks `expect` bytes of stream rseed. */
struct pump {
	struct net_stack *s;
	int h;
	uint64_t seed, total, sent;
	uint64_t rseed, expect, rcvd;
	bool mismatch, eof, close_when_done;
	int err;
};
void pump_step(struct pump *p);
bool pump_done(const struct pump *p);

/* Connects A to B's port (listening there with the given backlog); runs
 * until both ends are established. Handles go to *ha (A) and *hb (B). */
void bed_connect(struct bed *t, uint16_t port, int *ha, int *hb);

#endif
