/* Writes fuzz seeds into a directory: realistic record sequences replayed
 * against the fuzz_world snapshot. Each scenario starts from a fresh world,
 * lets B (or a hand-built server) talk to A or C on the simulated link and
 * records what arrives, with the clock steps in between, so that a seed
 * drives the snapshot down the same paths.
 *   mkseed DIR */
#include <stdio.h>
#include <stdlib.h>

#include "frames.h"
#include "fuzz_world.h"
#include "net_int.h"

#define IP_A NET_IP4(10, 0, 2, 15)
#define IP_B NET_IP4(10, 0, 2, 16)
/* Indices into the harness's initial handle list. */
enum { H_LISTEN, H_PASSIVE, H_ACTIVE, H_UDP, H_DNS, H_PING };

static struct fuzz_world w;
static uint8_t rec[1 << 20];
static size_t rec_n;
static uint64_t rec_t;

static void put_rec(uint8_t op, uint16_t v, const uint8_t *data, size_t len)
{
	if (rec_n + 3 + len > sizeof(rec))
		abort();
	rec[rec_n++] = op;
	put16(rec + rec_n, v);
	rec_n += 2;
	memcpy(rec + rec_n, data, len);
	rec_n += len;
}

static void rec_time(void)
{
	while (w.sim.now > rec_t) {
		uint64_t d = w.sim.now - rec_t > 65535 ? 65535 : w.sim.now - rec_t;
		put_rec(FUZZ_OP_TIME, (uint16_t)d, NULL, 0);
		rec_t += d;
	}
}

static void rec_frame(int target, const uint8_t *f, size_t len)
{
	rec_time();
	/* Checksum fixing keeps mutated payloads valid; the fuzzer may clear it. */
	put_rec((uint8_t)((target ? FUZZ_OP_FRAME_C : FUZZ_OP_FRAME_A) | FUZZ_FIX_CSUM), (uint16_t)len, f, len);
}

/* An API call both on the live A and in the record (see fuzz.c api()). */
static void rec_api(int call, int hidx, uint8_t arg)
{
	rec_time();
	put_rec((uint8_t)(call * 4 + FUZZ_OP_API), (uint16_t)(hidx << 8 | arg), NULL, 0);
}

/* What reaches A on the link is recorded as it is delivered. */
static void to_a(struct sim *sim, int to, const uint8_t *f, size_t len)
{
	(void)sim;
	if (to == w.a)
		rec_frame(0, f, len);
}

static void start(void)
{
	fuzz_world_init(&w);
	rec_n = 0;
	rec_t = w.sim.now;
	w.sim.tap = to_a;
}

static void finish(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fprintf(stderr, "%s: %zu\n", name, rec_n);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(rec, 1, rec_n, f) != rec_n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	sim_free(&w.sim);
}

static int handle(int idx)
{
	int hs[] = {w.a_listen, w.a_passive, w.a_active, w.a_udp, w.a_dns, w.a_ping};
	return hs[idx];
}

static void a_send(int idx, uint8_t sixteens)
{
	uint8_t buf[4096];
	memset(buf, 'f', sizeof(buf));
	rec_api(1, idx, sixteens);
	(void)net_tcp_send(w.A, handle(idx), buf, (size_t)sixteens * 16);
}

static void a_recv_all(void)
{
	uint8_t buf[4096];
	rec_api(0, 0, 0);
	for (int i = H_PASSIVE; i <= H_ACTIVE; i++)
		while (net_tcp_recv(w.A, handle(i), buf, sizeof(buf)) > 0)
			;
}

static void b_send(int h, size_t n)
{
	uint8_t buf[65536];
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 13);
	for (size_t off = 0; off < n;) {
		int rc = net_tcp_send(w.B, h, buf + off, n - off);
		if (rc > 0)
			off += (size_t)rc;
		else if (rc != -EAGAIN)
			break;
		sim_run_for(&w.sim, 5);
		a_recv_all();
	}
}

int main(int argc, char **argv)
{
	uint8_t f[NET_FRAME_MAX], m[600];
	const uint8_t *mac_a, *mac_b;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseed DIR\n");
		return 2;
	}
	const char *dir = argv[1];

	start();
	b_send(w.b_passive, 3000);
	finish(dir, "data");

	start();
	b_send(w.b_active, 2000);
	(void)net_tcp_shutdown(w.B, w.b_active);
	sim_run_for(&w.sim, 10);
	rec_api(3, H_ACTIVE, 0);
	(void)net_tcp_shutdown(w.A, handle(H_ACTIVE));
	sim_run_for(&w.sim, 70000);
	finish(dir, "close");

	start();
	(void)net_tcp_shutdown(w.B, w.b_passive);
	sim_run_for(&w.sim, 10);
	rec_api(4, H_PASSIVE, 0);
	(void)net_tcp_close(w.A, handle(H_PASSIVE));
	sim_run_for(&w.sim, 10);
	finish(dir, "fin");

	start();
	int nb = net_tcp_connect(w.B, IP_A, 80);
	sim_run_for(&w.sim, 10);
	rec_api(2, H_LISTEN, 0);
	(void)net_tcp_accept(w.A, handle(H_LISTEN), NULL, NULL);
	b_send(nb, 500);
	(void)net_tcp_abort(w.B, nb);
	sim_run_for(&w.sim, 10);
	finish(dir, "newconn");

	start();
	w.sim.loss_pct = 15;
	w.sim.reorder_pct = 20;
	w.sim.jitter_ms = 2;
	a_send(H_PASSIVE, 200);
	b_send(w.b_passive, 4000);
	sim_run_for(&w.sim, 5000);
	finish(dir, "lossy");

	start();
	for (int i = 0; i < 6; i++) {
		a_send(H_PASSIVE, 255);   /* B never reads: its window closes */
		sim_run_for(&w.sim, 100);
	}
	sim_run_for(&w.sim, 20000);
	finish(dir, "zerowindow");

	start();
	mac_a = w.sim.node[w.a].mac;
	mac_b = w.sim.node[w.b].mac;
	int ub = net_udp_open(w.B, 4000);
	net_udp_sendto(w.B, ub, IP_A, 5353, "datagram", 8);
	net_udp_sendto(w.B, ub, IP_A, 9999, "closed", 6);
	int pb = net_ping(w.B, IP_A, 100, 1000);
	(void)pb;
	sim_run_for(&w.sim, 10);
	/* The answer to A's pending ping, and ARP in both directions. */
	struct net_ping *q = &w.A->ping[handle(H_PING) & 0xff];
	uint8_t pay[64];
	for (size_t i = 0; i < q->len; i++)
		pay[i] = (uint8_t)(i + q->seq);
	rec_frame(0, f, fr_icmp(f, mac_a, mac_b, IP_B, IP_A, 0, 0, w.A->ping_ident, q->seq, pay, q->len));
	rec_frame(0, f, fr_arp(f, fr_bcast, mac_b, 1, IP_B, (const uint8_t[6]){0}, IP_A));
	rec_frame(0, f, fr_arp(f, mac_a, mac_b, 2, NET_IP4(10, 0, 2, 3), mac_a, IP_A));
	finish(dir, "icmp_udp_arp");

	/* A DNS answer for A's query: a CNAME and an A record, compressed. */
	start();
	mac_a = w.sim.node[w.a].mac;
	struct net_dns_q *dq = &w.A->dns[handle(H_DNS) & 0xff];
	size_t n = 0;
	put16(m, dq->id);
	put16(m + 2, 0x8180);
	put16(m + 4, 1);
	put16(m + 6, 2);
	put32(m + 8, 0);
	n = 12;
	static const char qn[] = "\4fuzz\7example\3org";
	memcpy(m + n, qn, sizeof(qn));
	n += sizeof(qn);
	static const uint8_t rest[] = {0, 1, 0, 1,
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'w', 'w', 0xc0, 12,
		0xc0, 46, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3};   /* owner: the CNAME target */
	memcpy(m + n, rest, sizeof(rest));
	n += sizeof(rest);
	rec_frame(0, f, fr_udp(f, mac_a, w.sim.node[w.b].mac, NET_IP4(10, 0, 2, 3), IP_A, 53, dq->port, m, n));
	finish(dir, "dns");

	/* OFFER and ACK for C. */
	start();
	const uint8_t *mac_c = w.sim.node[w.c].mac;
	for (int type = 2; type <= 5; type += 3) {
		uint8_t *o = m + 240;
		memset(m, 0, 300);
		m[0] = 2; m[1] = 1; m[2] = 6;
		put32(m + 4, w.C->dhcp.xid);
		put32(m + 16, NET_IP4(10, 0, 2, 15));
		memcpy(m + 28, mac_c, 6);
		put32(m + 236, 0x63825363);
		*o++ = 53; *o++ = 1; *o++ = (uint8_t)type;
		*o++ = 54; *o++ = 4; put32(o, NET_IP4(10, 0, 2, 2)); o += 4;
		*o++ = 51; *o++ = 4; put32(o, 60); o += 4;
		*o++ = 1; *o++ = 4; put32(o, NET_IP4(255, 255, 255, 0)); o += 4;
		*o++ = 3; *o++ = 4; put32(o, NET_IP4(10, 0, 2, 2)); o += 4;
		*o++ = 6; *o++ = 4; put32(o, NET_IP4(10, 0, 2, 3)); o += 4;
		*o = 255;
		rec_frame(1, f, fr_udp(f, fr_bcast, w.sim.node[w.b].mac, NET_IP4(10, 0, 2, 2), IP_BROADCAST, 67, 68,
		                       m, 300));
		w.sim.now += 5;
	}
	w.sim.now += 40000;   /* T1 renewal, T2, expiry */
	rec_time();
	finish(dir, "dhcp");
	return 0;
}
