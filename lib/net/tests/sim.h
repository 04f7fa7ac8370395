/* A simulated Ethernet segment for the host tests: a hub joining stacks
 * (and raw nodes such as the fake DHCP/DNS server), with loss,
 * duplication, reordering and delay drawn from a seeded PRNG, and a
 * simulated clock that jumps from event to event. */
#ifndef NET_TEST_SIM_H
#define NET_TEST_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define SIM_MAX_NODES 6

struct sim;
typedef void (*sim_raw_rx)(struct sim *sim, int node, const uint8_t *f, size_t len);
/* Sees every transmitted frame; returning true drops it. */
typedef bool (*sim_filter)(struct sim *sim, int from, const uint8_t *f, size_t len);
/* Sees every frame as it is delivered to a node. */
typedef void (*sim_tap)(struct sim *sim, int to, const uint8_t *f, size_t len);
/* Called after every event: the test's application logic. true = done. */
typedef bool (*sim_app)(struct sim *sim, void *ctx);

struct sim_node {
	struct sim *sim;
	struct net_stack *s;    /* NULL for a raw node */
	sim_raw_rx raw;
	void *raw_ctx;
	uint8_t mac[6];
	bool down;              /* unplugged: sends and receives nothing */
};

struct sim_frame {
	uint64_t at, order;
	int from, to;
	size_t len;
	uint8_t data[NET_FRAME_MAX + 4];
};

struct sim {
	uint64_t now, rng, order;
	unsigned loss_pct, dup_pct, reorder_pct;   /* per frame, 0-100 */
	uint32_t delay_ms, jitter_ms, reorder_ms;
	int n;
	struct sim_node node[SIM_MAX_NODES];
	struct sim_frame **q;
	size_t qlen, qcap;
	sim_filter filter;
	sim_tap tap;
	uint64_t sent, lost, duped, delivered;
};

void sim_init(struct sim *sim, uint64_t seed);
void sim_free(struct sim *sim);
/* Adds a stack node (allocated, initialised, static address if ip != 0). */
int sim_add_stack(struct sim *sim, uint32_t ip);
int sim_add_raw(struct sim *sim, const uint8_t mac[6], sim_raw_rx rx, void *ctx);
struct net_stack *sim_stack(struct sim *sim, int node);
/* A raw node transmits. */
void sim_send(struct sim *sim, int from, const uint8_t *f, size_t len);
/* Runs events until app returns true (then true) or the clock reaches
 * until (then false). app may be NULL. */
bool sim_run(struct sim *sim, uint64_t until, sim_app app, void *ctx);
/* Runs for ms of simulated time. */
void sim_run_for(struct sim *sim, uint64_t ms);

uint32_t sim_rand(uint64_t *state);

#endif
