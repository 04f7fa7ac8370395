/* The simulated link: see sim.h. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t sim_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static bool chance(struct sim *sim, unsigned pct)
{
	return pct && sim_rand(&sim->rng) % 100 < pct;
}

void sim_init(struct sim *sim, uint64_t seed)
{
	memset(sim, 0, sizeof(*sim));
	sim->rng = seed;
	sim->delay_ms = 1;
	sim->reorder_ms = 5;
	sim->now = 1000;   /* not 0: 0 means "no timer" inside the stack */
}

void sim_free(struct sim *sim)
{
	for (size_t i = 0; i < sim->qlen; i++)
		free(sim->q[i]);
	free(sim->q);
	for (int i = 0; i < sim->n; i++)
		free(sim->node[i].s);
	memset(sim, 0, sizeof(*sim));
}

static bool frame_before(const struct sim_frame *a, const struct sim_frame *b)
{
	return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void enqueue(struct sim *sim, int from, const uint8_t *f, size_t len, uint64_t at)
{
	struct sim_frame *fr = malloc(sizeof(*fr));

	if (!fr)
		abort();
	fr->at = at;
	fr->order = sim->order++;
	fr->from = from;
	fr->len = len;
	memcpy(fr->data, f, len);
	if (sim->qlen == sim->qcap) {
		sim->qcap = sim->qcap ? 2 * sim->qcap : 256;
		sim->q = realloc(sim->q, sim->qcap * sizeof(*sim->q));
		if (!sim->q)
			abort();
	}
	size_t i = sim->qlen++;
	while (i > 0 && frame_before(fr, sim->q[i - 1])) {
		sim->q[i] = sim->q[i - 1];
		i--;
	}
	sim->q[i] = fr;
}

void sim_send(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	if (len > NET_FRAME_MAX + 4) {
		fprintf(stderr, "sim: node %d sent an oversize frame (%zu)\n", from, len);
		abort();
	}
	sim->sent++;
	if (sim->node[from].down)
		return;
	if (sim->filter && sim->filter(sim, from, f, len)) {
		sim->lost++;
		return;
	}
	int copies = 1 + chance(sim, sim->dup_pct);
	sim->duped += (uint64_t)(copies - 1);
	for (int k = 0; k < copies; k++) {
		if (chance(sim, sim->loss_pct)) {
			sim->lost++;
			continue;
		}
		uint64_t at = sim->now + sim->delay_ms;
		if (sim->jitter_ms)
			at += sim_rand(&sim->rng) % (sim->jitter_ms + 1);
		if (chance(sim, sim->reorder_pct))
			at += 1 + sim_rand(&sim->rng) % sim->reorder_ms;
		enqueue(sim, from, f, len, at);
	}
}

static void stack_tx(void *ctx, const uint8_t *f, size_t len)
{
	struct sim_node *nd = ctx;

	sim_send(nd->sim, (int)(nd - nd->sim->node), f, len);
}

int sim_add_stack(struct sim *sim, uint32_t ip)
{
	int i = sim->n++;
	struct sim_node *nd = &sim->node[i];
	struct net_config cfg = {
		.mac = {0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x50 + i)},
		.tx = stack_tx, .tx_ctx = nd, .seed = sim_rand(&sim->rng) | ((uint64_t)i << 40),
		.now_ms = sim->now,
	};
	memset(nd, 0, sizeof(*nd));
	nd->sim = sim;
	memcpy(nd->mac, cfg.mac, 6);
	nd->s = malloc(sizeof(struct net_stack));
	if (!nd->s)
		abort();
	net_init(nd->s, &cfg);
	if (ip) {
		struct net_ifconfig c = {ip, NET_IP4(255, 255, 255, 0), NET_IP4(10, 0, 2, 2), NET_IP4(10, 0, 2, 3)};
		net_set_ifconfig(nd->s, &c);
	}
	return i;
}

int sim_add_raw(struct sim *sim, const uint8_t mac[6], sim_raw_rx rx, void *ctx)
{
	int i = sim->n++;

	memset(&sim->node[i], 0, sizeof(sim->node[i]));
	sim->node[i].sim = sim;
	memcpy(sim->node[i].mac, mac, 6);
	sim->node[i].raw = rx;
	sim->node[i].raw_ctx = ctx;
	return i;
}

struct net_stack *sim_stack(struct sim *sim, int node) { return sim->node[node].s; }

static void tick_all(struct sim *sim)
{
	for (int i = 0; i < sim->n; i++)
		if (sim->node[i].s)
			net_tick(sim->node[i].s, sim->now);
}

static void deliver(struct sim *sim, struct sim_frame *fr)
{
	for (int i = 0; i < sim->n; i++) {
		struct sim_node *nd = &sim->node[i];
		if (i == fr->from || nd->down)
			continue;
		sim->delivered++;
		if (sim->tap)
			sim->tap(sim, i, fr->data, fr->len);
		if (nd->s)
			net_input(nd->s, fr->data, fr->len);
		else if (nd->raw)
			nd->raw(sim, i, fr->data, fr->len);
	}
}

bool sim_run(struct sim *sim, uint64_t until, sim_app app, void *ctx)
{
	unsigned stuck = 0;

	for (;;) {
		if (app && app(sim, ctx))
			return true;
		uint64_t next = sim->qlen ? sim->q[0]->at : UINT64_MAX;
		for (int i = 0; i < sim->n; i++)
			if (sim->node[i].s) {
				uint64_t d = net_next_deadline(sim->node[i].s);
				if (d < next)
					next = d;
			}
		if (next > until) {
			sim->now = until;
			tick_all(sim);
			return app ? app(sim, ctx) : false;
		}
		if (next <= sim->now) {
			if (++stuck > 100000) {
				fprintf(stderr, "sim: a timer stays due at %llu\n", (unsigned long long)sim->now);
				abort();
			}
		} else {
			stuck = 0;
			sim->now = next;
		}
		tick_all(sim);
		while (sim->qlen && sim->q[0]->at <= sim->now) {
			struct sim_frame *fr = sim->q[0];
			memmove(sim->q, sim->q + 1, (sim->qlen - 1) * sizeof(*sim->q));
			sim->qlen--;
			deliver(sim, fr);
			free(fr);
		}
	}
}

void sim_run_for(struct sim *sim, uint64_t ms)
{
	sim_run(sim, sim->now + ms, NULL, NULL);
}
