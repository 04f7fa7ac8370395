/* See testutil.h. */
#include "testutil.h"

#include <string.h>

void bed_init(struct bed *t, uint64_t seed)
{
	sim_init(&t->sim, seed);
	t->a = sim_add_stack(&t->sim, IP_A);
	t->b = sim_add_stack(&t->sim, IP_B);
	t->A = sim_stack(&t->sim, t->a);
	t->B = sim_stack(&t->sim, t->b);
}

void bed_free(struct bed *t) { sim_free(&t->sim); }

uint8_t pat_byte(uint64_t seed, uint64_t off)
{
	uint64_t z = (off >> 3) * 0x9e3779b97f4a7c15ull + seed;

	z = (z ^ (z >> 29)) * 0xbf58476d1ce4e5b9ull;
	return (uint8_t)(z >> (8 * (off & 7)));
}

void pump_step(struct pump *p)
{
	uint8_t buf[8192];

	while (p->sent < p->total) {
		size_t n = sizeof(buf);
		if (p->total - p->sent < n)
			n = (size_t)(p->total - p->sent);
		for (size_t i = 0; i < n; i++)
			buf[i] = pat_byte(p->seed, p->sent + i);
		int rc = net_tcp_send(p->s, p->h, buf, n);
		if (rc < 0) {
			if (rc != -EAGAIN)
				p->err = rc;
			break;
		}
		p->sent += (uint64_t)rc;
	}
	if (p->close_when_done && p->sent == p->total && p->total)
		(void)net_tcp_shutdown(p->s, p->h);
	for (;;) {
		int rc = net_tcp_recv(p->s, p->h, buf, sizeof(buf));
		if (rc == 0)
			p->eof = true;
		if (rc <= 0) {
			if (rc < 0 && rc != -EAGAIN)
				p->err = rc;
			break;
		}
		for (int i = 0; i < rc; i++)
			if (buf[i] != pat_byte(p->rseed, p->rcvd + (uint64_t)i))
				p->mismatch = true;
		p->rcvd += (uint64_t)rc;
	}
}

bool pump_done(const struct pump *p)
{
	return p->sent == p->total && p->rcvd >= p->expect;
}

struct connect_ctx {
	struct bed *t;
	int lh, ha, hb;
};

static bool connect_app(struct sim *sim, void *ctx)
{
	struct connect_ctx *c = ctx;

	(void)sim;
	if (c->hb < 0) {
		int h = net_tcp_accept(c->t->B, c->lh, NULL, NULL);
		if (h > 0)
			c->hb = h;
	}
	return c->hb > 0 && net_tcp_state(c->t->A, c->ha) == NET_TCP_ESTABLISHED;
}

void bed_connect(struct bed *t, uint16_t port, int *ha, int *hb)
{
	struct connect_ctx c = {t, -1, -1, -1};

	c.lh = net_tcp_listen(t->B, port, 8);
	ck_assert_int_gt(c.lh, 0);
	c.ha = net_tcp_connect(t->A, IP_B, port);
	ck_assert_int_gt(c.ha, 0);
	ck_assert(sim_run(&t->sim, t->sim.now + 10000, connect_app, &c));
	*ha = c.ha;
	*hb = c.hb;
}
