/* TCP between two stacks: handshake, bulk transfers (clean and lossy),
 * close in both directions, RST cases, backlog, many connections,
 * retransmission backoff, zero windows, fast retransmit, RTT estimation
 * and API errors. */
#include <stdio.h>
#include <time.h>

#include "fake.h"
#include "tests.h"
#include "testutil.h"

#define MiB (1024u * 1024u)

static struct net_tcp_conn *conn_of(struct net_stack *s, int h) { return &s->tcp[h & 0xff]; }

struct xfer {
	struct pump a, b;
};

static bool xfer_app(struct sim *sim, void *ctx)
{
	struct xfer *x = ctx;

	(void)sim;
	pump_step(&x->a);
	pump_step(&x->b);
	return (pump_done(&x->a) && pump_done(&x->b)) || x->a.err || x->b.err;
}

/* Sends ab bytes A->B and ba bytes B->A at once; checks every byte. */
static void transfer(struct bed *t, int ha, int hb, uint64_t ab, uint64_t ba, uint64_t limit_ms)
{
	struct xfer x = {
		.a = {.s = t->A, .h = ha, .seed = 11, .total = ab, .rseed = 22, .expect = ba},
		.b = {.s = t->B, .h = hb, .seed = 22, .total = ba, .rseed = 11, .expect = ab},
	};
	ck_assert(sim_run(&t->sim, t->sim.now + limit_ms, xfer_app, &x));
	ck_assert_int_eq(x.a.err, 0);
	ck_assert_int_eq(x.b.err, 0);
	ck_assert(!x.a.mismatch && !x.b.mismatch);
	ck_assert_uint_eq(x.a.rcvd, ba);
	ck_assert_uint_eq(x.b.rcvd, ab);
}

START_TEST(tcp_handshake)
{
	struct bed t;
	bed_init(&t, 20);
	int lh = net_tcp_listen(t.B, 80, 4);
	ck_assert_int_gt(lh, 0);
	ck_assert_int_eq(net_tcp_state(t.B, lh), NET_TCP_LISTEN);
	int ha = net_tcp_connect(t.A, IP_B, 80);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_SYN_SENT);
	ck_assert_int_eq(net_tcp_status(t.A, ha), -EAGAIN);
	ck_assert_int_eq(net_poll(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_accept(t.B, lh, NULL, NULL), -EAGAIN);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_ESTABLISHED);
	ck_assert_int_eq(net_tcp_status(t.A, ha), 0);
	ck_assert_int_eq(net_poll(t.A, ha), NET_EV_OUT);
	ck_assert_int_eq(net_poll(t.B, lh), NET_EV_IN);
	struct net_event ev[8];
	int n = net_events(t.B, ev, 8), seen = 0;
	for (int i = 0; i < n; i++)
		seen |= ev[i].handle == lh && (ev[i].mask & NET_EV_IN);
	ck_assert(seen);
	uint32_t ip;
	uint16_t port;
	int hb = net_tcp_accept(t.B, lh, &ip, &port);
	ck_assert_int_gt(hb, 0);
	ck_assert_uint_eq(ip, IP_A);
	ck_assert_uint_eq(port, conn_of(t.A, ha)->lport);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_ESTABLISHED);
	ck_assert_int_eq(net_poll(t.B, lh), 0);
	/* MSS options were exchanged: both use full-size segments. */
	ck_assert_uint_eq(conn_of(t.A, ha)->mss, 1460);
	ck_assert_uint_eq(conn_of(t.B, hb)->mss, 1460);
	ck_assert_int_eq(net_tcp_send(t.A, ha, "ping", 4), 4);
	sim_run_for(&t.sim, 10);
	char buf[8];
	ck_assert_int_eq(net_tcp_recv(t.B, hb, buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "ping", 4), 0);
	ck_assert_int_eq(net_tcp_recv(t.B, hb, buf, sizeof(buf)), -EAGAIN);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_transfer_clean)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 21);
	bed_connect(&t, 5001, &ha, &hb);
	transfer(&t, ha, hb, 4 * MiB, 4 * MiB, 600000);
	ck_assert_uint_eq(net_stats(t.A)->tcp_retransmits, 0);
	ck_assert_uint_eq(net_stats(t.B)->tcp_retransmits, 0);
	ck_assert_uint_eq(net_stats(t.A)->tcp_bad_csum + net_stats(t.B)->tcp_bad_csum, 0);
	bed_free(&t);
}
END_TEST

struct eof_ctx {
	struct net_stack *s;
	int h;
};

static bool eof_app(struct sim *sim, void *ctx)
{
	struct eof_ctx *e = ctx;
	char b[64];

	(void)sim;
	return net_tcp_recv(e->s, e->h, b, sizeof(b)) == 0;
}

/* Several seeds and impairment mixes; every byte must arrive intact. */
static const struct {
	unsigned loss, dup, reorder, jitter;
} lossy[] = {
	{5, 3, 5, 2}, {5, 0, 0, 0}, {10, 5, 10, 3}, {2, 10, 20, 5}, {20, 2, 5, 1},
};

START_TEST(tcp_transfer_lossy)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 220 + (uint64_t)_i);
	bed_connect(&t, 5002, &ha, &hb);
	t.sim.loss_pct = lossy[_i].loss;
	t.sim.dup_pct = lossy[_i].dup;
	t.sim.reorder_pct = lossy[_i].reorder;
	t.sim.jitter_ms = lossy[_i].jitter;
	uint64_t size = _i == 0 ? 4 * MiB : MiB;
	transfer(&t, ha, hb, size, size, 3600000);
	const struct net_stats *a = net_stats(t.A), *b = net_stats(t.B);
	ck_assert_uint_gt(t.sim.lost, 20);
	ck_assert_uint_gt(a->tcp_retransmits, 0);
	ck_assert_uint_gt(b->tcp_retransmits, 0);
	ck_assert_uint_gt(a->tcp_fast_retransmits + b->tcp_fast_retransmits, 0);
	ck_assert_uint_gt(a->tcp_ooo_segs, 0);
	ck_assert_uint_gt(b->tcp_ooo_segs, 0);
	ck_assert_uint_gt(a->tcp_dup_data, 0);   /* duplicated by the link or resent */
	ck_assert_uint_gt(b->tcp_dup_data, 0);
	/* And it still closes cleanly. */
	ck_assert_int_eq(net_tcp_shutdown(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_shutdown(t.B, hb), 0);
	struct eof_ctx ea = {t.A, ha}, eb = {t.B, hb};
	ck_assert(sim_run(&t.sim, t.sim.now + 600000, eof_app, &ea));
	ck_assert(sim_run(&t.sim, t.sim.now + 600000, eof_app, &eb));
	sim_run_for(&t.sim, 600000);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_CLOSED);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_CLOSED);
	ck_assert_int_eq(net_tcp_status(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_status(t.B, hb), 0);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_close_both_ways)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 23);
	bed_connect(&t, 5003, &ha, &hb);
	transfer(&t, ha, hb, 100000, 50000, 10000);
	/* A closes first (and releases its handle), B reads EOF and closes. */
	ck_assert_int_eq(net_tcp_close(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_state(t.A, ha), -EBADF);
	struct eof_ctx e = {t.B, hb};
	ck_assert(sim_run(&t.sim, t.sim.now + 1000, eof_app, &e));
	sim_run_for(&t.sim, 10);   /* B's ACK of the FIN reaches A */
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_CLOSE_WAIT);
	ck_assert_int_eq(net_poll(t.B, hb), NET_EV_IN | NET_EV_HUP | NET_EV_OUT);
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_FIN_WAIT_2), 1);
	ck_assert_int_eq(net_tcp_shutdown(t.B, hb), 0);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_LAST_ACK);
	ck_assert_int_eq(net_tcp_send(t.B, hb, "x", 1), -EPIPE);
	sim_run_for(&t.sim, 100);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_CLOSED);
	ck_assert_int_eq(net_tcp_status(t.B, hb), 0);
	ck_assert_int_eq(net_tcp_recv(t.B, hb, (char[4]){0}, 4), 0);
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_TIME_WAIT), 1);
	/* TIME_WAIT lasts 2 MSL, then the slot is free. */
	sim_run_for(&t.sim, 2 * NET_TCP_MSL_MS - 1000);
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_TIME_WAIT), 1);
	sim_run_for(&t.sim, 2000);
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_TIME_WAIT), 0);
	ck_assert_int_eq(net_tcp_close(t.B, hb), 0);
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		ck_assert(!t.A->tcp[i].used);
		ck_assert(!t.B->tcp[i].used || t.B->tcp[i].state == NET_TCP_LISTEN);
	}
	ck_assert_uint_eq(net_next_deadline(t.A), UINT64_MAX);
	bed_free(&t);
}
END_TEST

/* Both ends close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both. */
START_TEST(tcp_simultaneous_close)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 24);
	t.sim.delay_ms = 20;
	bed_connect(&t, 5004, &ha, &hb);
	ck_assert_int_eq(net_tcp_shutdown(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_shutdown(t.B, hb), 0);
	sim_run_for(&t.sim, 30);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_CLOSING);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_CLOSING);
	sim_run_for(&t.sim, 30);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_TIME_WAIT);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_TIME_WAIT);
	sim_run_for(&t.sim, 2 * NET_TCP_MSL_MS + 100);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_CLOSED);
	ck_assert_int_eq(net_tcp_state(t.B, hb), NET_TCP_CLOSED);
	ck_assert_int_eq(net_tcp_status(t.A, ha), 0);
	bed_free(&t);
}
END_TEST

/* Half close: A stops sending, B goes on, A reads it all. */
START_TEST(tcp_half_close)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 25);
	bed_connect(&t, 5005, &ha, &hb);
	ck_assert_int_eq(net_tcp_shutdown(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_send(t.A, ha, "x", 1), -EPIPE);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_FIN_WAIT_2);
	transfer(&t, ha, hb, 0, 300000, 10000);
	ck_assert_int_eq(net_tcp_close(t.B, hb), 0);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_TIME_WAIT);
	ck_assert_int_eq(net_tcp_recv(t.A, ha, (char[4]){0}, 4), 0);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_rst_closed_port)
{
	struct bed t;
	bed_init(&t, 26);
	int h = net_tcp_connect(t.A, IP_B, 4444);
	ck_assert_int_gt(h, 0);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_status(t.A, h), -ECONNREFUSED);
	ck_assert_int_eq(net_tcp_state(t.A, h), NET_TCP_CLOSED);
	ck_assert_int_eq(net_poll(t.A, h), NET_EV_IN | NET_EV_HUP | NET_EV_ERR);
	ck_assert_int_eq(net_tcp_recv(t.A, h, (char[4]){0}, 4), -ECONNREFUSED);
	ck_assert_int_eq(net_tcp_send(t.A, h, "x", 1), -ECONNREFUSED);
	ck_assert_uint_eq(net_stats(t.B)->tcp_no_socket, 1);
	ck_assert_uint_eq(net_stats(t.B)->tcp_rst_tx, 1);
	ck_assert_int_eq(net_tcp_close(t.A, h), 0);
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_CLOSED), 0);
	bed_free(&t);
}
END_TEST

/* A reset of an open connection, and the RST that close() sends when
 * unread data would otherwise be lost (RFC 2525 2.17). */
START_TEST(tcp_reset_established)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 27);
	bed_connect(&t, 5007, &ha, &hb);
	ck_assert_int_eq(net_tcp_abort(t.B, hb), 0);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_status(t.A, ha), -ECONNRESET);
	ck_assert_int_eq(net_tcp_recv(t.A, ha, (char[4]){0}, 4), -ECONNRESET);
	ck_assert_int_eq(net_tcp_close(t.A, ha), 0);

	bed_connect(&t, 5008, &ha, &hb);
	ck_assert_int_eq(net_tcp_send(t.A, ha, "unread", 6), 6);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_close(t.B, hb), 0);   /* with 6 bytes unread */
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_status(t.A, ha), -ECONNRESET);
	ck_assert_int_eq(net_tcp_close(t.A, ha), 0);

	/* Data arriving after close is answered with a RST (RFC 1122 4.2.2.13). */
	bed_connect(&t, 5009, &ha, &hb);
	ck_assert_int_eq(net_tcp_close(t.B, hb), 0);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_send(t.A, ha, "late", 4), 4);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_status(t.A, ha), -ECONNRESET);
	ck_assert_int_eq(net_tcp_count(t.B, NET_TCP_FIN_WAIT_2), 0);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_backlog_full)
{
	struct bed t;
	bed_init(&t, 28);
	int lh = net_tcp_listen(t.B, 6000, 2), h[4];
	ck_assert_int_eq(net_tcp_listen(t.B, 6000, 2), -EADDRINUSE);
	for (int i = 0; i < 4; i++)
		ck_assert_int_gt(h[i] = net_tcp_connect(t.A, IP_B, 6000), 0);
	sim_run_for(&t.sim, 500);
	int est = 0;
	for (int i = 0; i < 4; i++)
		est += net_tcp_state(t.A, h[i]) == NET_TCP_ESTABLISHED;
	ck_assert_int_eq(est, 2);
	ck_assert_uint_ge(net_stats(t.B)->tcp_backlog_full, 2);
	/* Accepting makes room; the others' SYN retries get in. */
	ck_assert_int_gt(net_tcp_accept(t.B, lh, NULL, NULL), 0);
	ck_assert_int_gt(net_tcp_accept(t.B, lh, NULL, NULL), 0);
	ck_assert_int_eq(net_tcp_accept(t.B, lh, NULL, NULL), -EAGAIN);
	sim_run_for(&t.sim, 4000);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(net_tcp_state(t.A, h[i]), NET_TCP_ESTABLISHED);
	ck_assert_int_gt(net_tcp_accept(t.B, lh, NULL, NULL), 0);
	ck_assert_int_gt(net_tcp_accept(t.B, lh, NULL, NULL), 0);
	/* Closing the listener resets what it had not handed out. */
	int h5 = net_tcp_connect(t.A, IP_B, 6000);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_state(t.A, h5), NET_TCP_ESTABLISHED);
	ck_assert_int_eq(net_tcp_close(t.B, lh), 0);
	sim_run_for(&t.sim, 10);
	ck_assert_int_eq(net_tcp_status(t.A, h5), -ECONNRESET);
	bed_free(&t);
}
END_TEST

#define MANY 24

struct many {
	struct bed *t;
	int lh, na;
	struct pump a[MANY], b[MANY];
};

static bool many_app(struct sim *sim, void *ctx)
{
	struct many *m = ctx;
	bool done = true;

	(void)sim;
	for (;;) {
		int h = net_tcp_accept(m->t->B, m->lh, NULL, NULL);
		if (h < 0)
			break;
		/* Which client is it? The first bytes name the stream. */
		m->b[m->na].s = m->t->B;
		m->b[m->na].h = h;
		m->na++;
	}
	for (int i = 0; i < MANY; i++) {
		pump_step(&m->a[i]);
		done &= pump_done(&m->a[i]);
	}
	for (int i = 0; i < m->na; i++)
		pump_step(&m->b[i]);
	return done;
}

/* MANY connections at once, each echoing a stream: B's side sends back
 * what it received (its pump's stream is the same seed). */
START_TEST(tcp_many_connections)
{
	struct bed t;
	struct many m = {.t = &t};
	bed_init(&t, 29);
	t.sim.loss_pct = 1;
	m.lh = net_tcp_listen(t.B, 7000, MANY);
	for (int i = 0; i < MANY; i++) {
		m.a[i] = (struct pump){.s = t.A, .seed = 100, .total = 64 * 1024, .rseed = 200, .expect = 64 * 1024};
		m.a[i].h = net_tcp_connect(t.A, IP_B, 7000);
		ck_assert_int_gt(m.a[i].h, 0);
	}
	for (int i = 0; i < MANY; i++)
		m.b[i] = (struct pump){.seed = 200, .total = 64 * 1024, .rseed = 100, .expect = 64 * 1024};
	ck_assert(sim_run(&t.sim, t.sim.now + 600000, many_app, &m));
	ck_assert_int_eq(m.na, MANY);
	for (int i = 0; i < MANY; i++) {
		ck_assert(!m.a[i].mismatch && !m.b[i].mismatch);
		ck_assert_uint_eq(m.b[i].rcvd, 64 * 1024);
	}
	ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_ESTABLISHED), MANY);
	/* The table is finite. */
	int extra = 0;
	while (net_tcp_connect(t.A, IP_B, 7000) > 0)
		extra++;
	ck_assert_int_eq(extra, NET_TCP_CONNS - MANY);
	ck_assert_int_eq(net_tcp_connect(t.A, IP_B, 7000), -EMFILE);
	bed_free(&t);
}
END_TEST

/* Times of A's TCP segments that carry data or SYN. */
struct times {
	uint64_t at[64];
	int n;
	int from;
};
static struct times *g_times;

static bool record_filter(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	struct fr_info fi;

	if (from == g_times->from && fr_parse(f, len, &fi) && fi.proto == IP_PROTO_TCP &&
	    (fi.len || (fi.flags & TCP_SYN)) && g_times->n < 64)
		g_times->at[g_times->n++] = sim->now;
	return false;
}

struct status_ctx {
	struct net_stack *s;
	int h;
};

static bool status_app(struct sim *sim, void *ctx)
{
	struct status_ctx *c = ctx;

	(void)sim;
	return net_tcp_status(c->s, c->h) != 0;
}

START_TEST(tcp_rto_backoff_peer_gone)
{
	struct bed t;
	int ha, hb;
	struct times tm = {.from = 0};
	bed_init(&t, 30);
	bed_connect(&t, 5010, &ha, &hb);
	transfer(&t, ha, hb, 10000, 10000, 1000);
	sim_run_for(&t.sim, 10);   /* the last ACKs arrive: nothing in flight */
	t.sim.node[t.b].down = true;
	g_times = &tm;
	tm.from = t.a;
	t.sim.filter = record_filter;
	uint64_t t0 = t.sim.now;
	ck_assert_int_eq(net_tcp_send(t.A, ha, "lost", 4), 4);
	struct status_ctx sc = {t.A, ha};
	ck_assert(sim_run(&t.sim, t.sim.now + 1000000, status_app, &sc));
	ck_assert_int_eq(net_tcp_status(t.A, ha), -ETIMEDOUT);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_CLOSED);
	/* Each retransmission interval doubles the last (from the 1 s floor)
	 * up to the 60 s cap; after NET_TCP_DATA_RETRIES the connection dies.
	 * Only the first retransmissions reach the wire: later ones wait for
	 * ARP once B's cache entry has expired, and B is gone. */
	uint64_t expect = NET_TCP_RTO_MIN_MS, total = 0;
	ck_assert_uint_eq(tm.at[0], t0);
	for (int i = 0; i <= NET_TCP_DATA_RETRIES; i++) {
		if (i + 1 < tm.n)
			ck_assert_uint_eq(tm.at[i + 1] - tm.at[i], expect);
		total += expect;
		expect = expect * 2 > NET_TCP_RTO_MAX_MS ? NET_TCP_RTO_MAX_MS : expect * 2;
	}
	ck_assert_int_ge(tm.n, 6);
	ck_assert_uint_eq(t.sim.now - t0, total);
	ck_assert_uint_eq(net_stats(t.A)->tcp_timeouts, NET_TCP_DATA_RETRIES + 1);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_connect_timeout)
{
	struct bed t;
	struct fake fk = {.dhcp_mode = FAKE_DHCP_SILENT};
	struct times tm = {.from = 0};
	bed_init(&t, 31);
	fake_add(&t.sim, &fk);   /* answers ARP for 10.0.2.2, ignores TCP */
	g_times = &tm;
	tm.from = t.a;
	t.sim.filter = record_filter;
	uint64_t t0 = t.sim.now;
	int h = net_tcp_connect(t.A, FAKE_ROUTER, 80);
	sim_run_for(&t.sim, 200000);
	ck_assert_int_eq(net_tcp_status(t.A, h), -ETIMEDOUT);
	ck_assert_int_eq(tm.n, 1 + NET_TCP_SYN_RETRIES);
	ck_assert_uint_eq(fk.tcp_segs, 1 + NET_TCP_SYN_RETRIES);
	/* The first SYN waited 2 ms for ARP; the timer started at connect. */
	ck_assert_uint_eq(tm.at[0], t0 + 2);
	for (int i = 1; i < tm.n; i++)
		ck_assert_uint_eq(tm.at[i] - t0, (uint64_t)NET_TCP_RTO_INIT_MS * ((1u << i) - 1));
	/* And to a host that does not even answer ARP. */
	h = net_tcp_connect(t.A, IP_C, 80);
	sim_run_for(&t.sim, 200000);
	ck_assert_int_eq(net_tcp_status(t.A, h), -ETIMEDOUT);
	bed_free(&t);
}
END_TEST

/* Drops the first window update B sends after advertising a zero window. */
static bool g_zero_seen, g_update_dropped;
static int g_b_node;

static bool zero_filter(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	struct fr_info fi;

	(void)sim;
	if (from != g_b_node || !fr_parse(f, len, &fi) || fi.proto != IP_PROTO_TCP)
		return false;
	if (fi.wnd == 0)
		g_zero_seen = true;
	else if (g_zero_seen && !g_update_dropped) {
		g_update_dropped = true;
		return true;
	}
	return false;
}

START_TEST(tcp_zero_window_persist)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 32);
	bed_connect(&t, 5011, &ha, &hb);
	g_b_node = t.b;
	t.sim.filter = zero_filter;
	struct pump a = {.s = t.A, .h = ha, .seed = 5, .total = 200000};
	pump_step(&a);
	sim_run_for(&t.sim, 100);
	pump_step(&a);
	/* B reads nothing: its window closes, A's buffer fills. */
	ck_assert(g_zero_seen);
	ck_assert_uint_eq(a.sent, NET_TCP_SNDBUF + NET_TCP_RCVBUF);
	ck_assert_int_eq(net_tcp_send(t.A, ha, "x", 1), -EAGAIN);
	ck_assert_int_eq(net_poll(t.A, ha) & NET_EV_OUT, 0);
	/* A keeps probing, backing off, and does not give up. */
	sim_run_for(&t.sim, 30000);
	uint32_t probes = net_stats(t.A)->tcp_persist_probes;
	ck_assert_uint_ge(probes, 3);
	ck_assert_uint_le(probes, 6);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_ESTABLISHED);
	sim_run_for(&t.sim, 600000);
	ck_assert_int_eq(net_tcp_state(t.A, ha), NET_TCP_ESTABLISHED);
	/* B reads; its window update is lost; a probe finds the open window. */
	struct xfer x = {
		.a = a,
		.b = {.s = t.B, .h = hb, .rseed = 5, .expect = 200000},
	};
	uint64_t t0 = t.sim.now;
	ck_assert(sim_run(&t.sim, t.sim.now + 200000, xfer_app, &x));
	ck_assert(g_update_dropped);
	ck_assert(!x.b.mismatch);
	ck_assert_uint_le(t.sim.now - t0, NET_TCP_RTO_MAX_MS + 1000);
	bed_free(&t);
}
END_TEST

/* Drops the 20th data segment from A, once. */
static int g_data_count, g_a_node;

static bool drop_one_filter(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	struct fr_info fi;

	(void)sim;
	return from == g_a_node && fr_parse(f, len, &fi) && fi.proto == IP_PROTO_TCP && fi.len &&
	       ++g_data_count == 20;
}

START_TEST(tcp_fast_retransmit)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 33);
	bed_connect(&t, 5012, &ha, &hb);
	g_a_node = t.a;
	g_data_count = 0;
	t.sim.filter = drop_one_filter;
	transfer(&t, ha, hb, 300000, 0, 5000);
	ck_assert_uint_eq(net_stats(t.A)->tcp_fast_retransmits, 1);
	ck_assert_uint_eq(net_stats(t.A)->tcp_timeouts, 0);
	ck_assert_uint_gt(net_stats(t.B)->tcp_ooo_segs, 0);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_rtt_estimation)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 34);
	t.sim.delay_ms = 700;
	t.sim.jitter_ms = 20;
	bed_connect(&t, 5013, &ha, &hb);
	transfer(&t, ha, hb, 200000, 0, 120000);
	struct net_tcp_conn *c = conn_of(t.A, ha);
	uint32_t srtt = c->srtt8 / 8;
	ck_assert_uint_ge(srtt, 1400);
	ck_assert_uint_le(srtt, 1440);
	/* RTO = SRTT + 4 RTTVAR, with RTTVAR bounded by the 40 ms spread. */
	ck_assert_uint_gt(c->rto, srtt);
	ck_assert_uint_le(c->rto, srtt + 4 * 40);
	bed_free(&t);
}
END_TEST

START_TEST(tcp_nagle)
{
	struct bed t;
	int ha, hb;
	bed_init(&t, 35);
	t.sim.delay_ms = 10;
	bed_connect(&t, 5014, &ha, &hb);
	uint32_t before = net_stats(t.A)->tcp_tx_segs;
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(net_tcp_send(t.A, ha, "x", 1), 1);
	uint32_t nagle = net_stats(t.A)->tcp_tx_segs - before;
	ck_assert_uint_eq(nagle, 1);   /* the rest waits for the ACK */
	transfer(&t, ha, hb, 0, 0, 1000);
	sim_run_for(&t.sim, 100);
	char buf[200];
	ck_assert_int_eq(net_tcp_recv(t.B, hb, buf, sizeof(buf)), 100);
	ck_assert_int_eq(net_tcp_set_nodelay(t.A, ha, true), 0);
	before = net_stats(t.A)->tcp_tx_segs;
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(net_tcp_send(t.A, ha, "x", 1), 1);
	ck_assert_uint_eq(net_stats(t.A)->tcp_tx_segs - before, 100);
	bed_free(&t);
}
END_TEST

/* A table full of TIME_WAIT leftovers: a new connection takes the oldest. */
START_TEST(tcp_time_wait_reuse)
{
	struct bed t;
	bed_init(&t, 37);
	int lh = net_tcp_listen(t.B, 8000, 4);
	for (int i = 0; i < NET_TCP_CONNS + 3; i++) {
		int ha = net_tcp_connect(t.A, IP_B, 8000);
		ck_assert_int_gt(ha, 0);
		sim_run_for(&t.sim, 10);
		int hb = net_tcp_accept(t.B, lh, NULL, NULL);
		ck_assert_int_gt(hb, 0);
		ck_assert_int_eq(net_tcp_close(t.A, ha), 0);   /* A closes first: A keeps TIME_WAIT */
		sim_run_for(&t.sim, 10);
		ck_assert_int_eq(net_tcp_close(t.B, hb), 0);
		sim_run_for(&t.sim, 10);
		ck_assert_int_eq(net_tcp_count(t.A, NET_TCP_TIME_WAIT), i < NET_TCP_CONNS ? i + 1 : NET_TCP_CONNS);
		ck_assert_int_eq(net_tcp_count(t.B, NET_TCP_CLOSED), 0);
	}
	bed_free(&t);
}
END_TEST

START_TEST(tcp_api_errors)
{
	struct bed t;
	bed_init(&t, 36);
	int lh = net_tcp_listen(t.B, 80, 1);
	char b[4];
	ck_assert_int_eq(net_tcp_listen(t.B, 0, 1), -EINVAL);
	ck_assert_int_eq(net_tcp_listen(t.B, 81, 0), -EINVAL);
	ck_assert_int_eq(net_tcp_send(t.B, lh, "x", 1), -ENOTCONN);
	ck_assert_int_eq(net_tcp_recv(t.B, lh, b, 4), -ENOTCONN);
	ck_assert_int_eq(net_tcp_shutdown(t.B, lh), -ENOTCONN);
	ck_assert_int_eq(net_tcp_connect(t.A, IP_B, 0), -EINVAL);
	ck_assert_int_eq(net_tcp_connect(t.A, 0, 80), -EINVAL);
	ck_assert_int_eq(net_tcp_connect(t.A, IP_BROADCAST, 80), -EINVAL);
	ck_assert_int_eq(net_tcp_send(t.A, 0, "x", 1), -EBADF);
	ck_assert_int_eq(net_tcp_send(t.A, lh, "x", 1), -EBADF);   /* B's handle */
	ck_assert_int_eq(net_tcp_accept(t.B, lh + 0x100, NULL, NULL), -EBADF);   /* wrong generation */
	int udp = net_udp_open(t.A, 0);
	ck_assert_int_eq(net_tcp_send(t.A, udp, "x", 1), -EBADF);   /* wrong kind */
	int ha = net_tcp_connect(t.A, IP_B, 80);
	ck_assert_int_eq(net_tcp_accept(t.A, ha, NULL, NULL), -EINVAL);
	ck_assert_int_eq(net_tcp_recv(t.A, ha, NULL, 4), -EINVAL);
	ck_assert_int_eq(net_tcp_recv(t.A, ha, b, 4), -EAGAIN);
	/* Data queued while connecting goes out once established. */
	ck_assert_int_eq(net_tcp_send(t.A, ha, "early", 5), 5);
	sim_run_for(&t.sim, 10);
	int hb = net_tcp_accept(t.B, lh, NULL, NULL);
	ck_assert_int_eq(net_tcp_recv(t.B, hb, b, 4), 4);
	ck_assert_int_eq(memcmp(b, "earl", 4), 0);
	ck_assert_int_eq(net_tcp_close(t.A, ha), 0);
	ck_assert_int_eq(net_tcp_close(t.A, ha), -EBADF);
	struct net_ifconfig none = {0};
	net_set_ifconfig(t.A, &none);
	ck_assert_int_eq(net_tcp_connect(t.A, IP_B, 80), -ENETDOWN);
	ck_assert_int_eq(net_get_ifconfig(t.A, NULL), NET_ADDR_NONE);
	bed_free(&t);
}
END_TEST

void add_tcp_tests(Suite *s)
{
	TCase *tc = tcase_create("tcp");
	tcase_add_test(tc, tcp_handshake);
	tcase_add_test(tc, tcp_transfer_clean);
	tcase_add_loop_test(tc, tcp_transfer_lossy, 0, (int)(sizeof(lossy) / sizeof(lossy[0])));
	tcase_add_test(tc, tcp_close_both_ways);
	tcase_add_test(tc, tcp_simultaneous_close);
	tcase_add_test(tc, tcp_half_close);
	tcase_add_test(tc, tcp_rst_closed_port);
	tcase_add_test(tc, tcp_reset_established);
	tcase_add_test(tc, tcp_backlog_full);
	tcase_add_test(tc, tcp_many_connections);
	tcase_add_test(tc, tcp_rto_backoff_peer_gone);
	tcase_add_test(tc, tcp_connect_timeout);
	tcase_add_test(tc, tcp_zero_window_persist);
	tcase_add_test(tc, tcp_fast_retransmit);
	tcase_add_test(tc, tcp_rtt_estimation);
	tcase_add_test(tc, tcp_nagle);
	tcase_add_test(tc, tcp_time_wait_reuse);
	tcase_add_test(tc, tcp_api_errors);
	suite_add_tcase(s, tc);
}
