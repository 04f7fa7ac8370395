/* ARP, ICMP echo and UDP between two stacks, plus the readiness events. */
#include "tests.h"
#include "testutil.h"

struct ping_ctx {
	struct net_stack *s;
	int h, rc;
	uint32_t rtt;
};

static bool ping_app(struct sim *sim, void *ctx)
{
	struct ping_ctx *p = ctx;

	(void)sim;
	p->rc = net_ping_result(p->s, p->h, &p->rtt);
	return p->rc != -EAGAIN;
}

static int ping_wait(struct bed *t, struct net_stack *s, uint32_t ip, uint32_t *rtt)
{
	struct ping_ctx p = {s, net_ping(s, ip, 56, 3000), -EAGAIN, 0};

	ck_assert_int_gt(p.h, 0);
	sim_run(&t->sim, t->sim.now + 20000, ping_app, &p);
	if (rtt)
		*rtt = p.rtt;
	return p.rc;
}

START_TEST(arp_resolution)
{
	struct bed t;
	bed_init(&t, 1);
	t.sim.delay_ms = 5;
	uint32_t rtt = 0;
	ck_assert_int_eq(ping_wait(&t, t.A, IP_B, &rtt), 0);
	ck_assert_uint_eq(net_stats(t.A)->arp_tx_request, 1);
	ck_assert_uint_eq(net_stats(t.A)->arp_rx_reply, 1);
	ck_assert_uint_eq(net_stats(t.B)->arp_tx_reply, 1);
	/* B learned A from the request: its echo reply needed no ARP. */
	ck_assert_uint_eq(net_stats(t.B)->arp_tx_request, 0);
	ck_assert_uint_eq(rtt, 20);   /* ARP there and back, then the echo */
	/* Cached now: a second ping is one round trip. */
	ck_assert_int_eq(ping_wait(&t, t.A, IP_B, &rtt), 0);
	ck_assert_uint_eq(rtt, 10);
	ck_assert_uint_eq(net_stats(t.A)->arp_tx_request, 1);
	/* Entries expire: after the TTL A asks again. */
	sim_run_for(&t.sim, NET_ARP_TTL_MS + 1000);
	ck_assert_int_eq(ping_wait(&t, t.A, IP_B, NULL), 0);
	ck_assert_uint_eq(net_stats(t.A)->arp_tx_request, 2);
	bed_free(&t);
}
END_TEST

START_TEST(ping_both_ways)
{
	struct bed t;
	bed_init(&t, 2);
	ck_assert_int_eq(ping_wait(&t, t.A, IP_B, NULL), 0);
	ck_assert_int_eq(ping_wait(&t, t.B, IP_A, NULL), 0);
	ck_assert_uint_eq(net_stats(t.A)->icmp_tx_echo_reply, 1);
	ck_assert_uint_eq(net_stats(t.B)->icmp_tx_echo_reply, 1);
	/* Several at once, all matched to the right handle. */
	int h[NET_PING_SLOTS];
	for (int i = 0; i < NET_PING_SLOTS; i++)
		ck_assert_int_gt(h[i] = net_ping(t.A, IP_B, (uint16_t)(i * 100), 1000), 0);
	ck_assert_int_eq(net_ping(t.A, IP_B, 8, 1000), -EMFILE);
	sim_run_for(&t.sim, 100);
	for (int i = 0; i < NET_PING_SLOTS; i++) {
		ck_assert_int_eq(net_ping_result(t.A, h[i], NULL), 0);
		ck_assert_int_eq(net_ping_result(t.A, h[i], NULL), -EBADF);   /* released */
	}
	ck_assert_int_eq(net_ping(t.A, IP_B, 2000, 1000), -EMSGSIZE);
	bed_free(&t);
}
END_TEST

START_TEST(ping_unreachable)
{
	struct bed t;
	bed_init(&t, 3);
	uint64_t t0 = t.sim.now;
	ck_assert_int_eq(ping_wait(&t, t.A, IP_C, NULL), -ETIMEDOUT);
	ck_assert_uint_ge(t.sim.now - t0, 3000);
	ck_assert_uint_eq(net_stats(t.A)->arp_tx_request, NET_ARP_TRIES);
	ck_assert_uint_eq(net_stats(t.A)->arp_unresolved_drop, 1);
	/* Off-link with no gateway: refused at once. */
	struct net_ifconfig c = {IP_A, NET_IP4(255, 255, 255, 0), 0, 0};
	net_set_ifconfig(t.A, &c);
	ck_assert_int_eq(net_ping(t.A, NET_IP4(8, 8, 8, 8), 8, 1000), -ENETUNREACH);
	ck_assert_int_eq(net_ping(t.A, IP_A, 8, 1000), -ENETUNREACH);   /* no loopback */
	bed_free(&t);
}
END_TEST

/* Gateway routing: an off-link destination is resolved as the router. */
START_TEST(gateway_route)
{
	struct sim sim;
	sim_init(&sim, 4);
	int a = sim_add_stack(&sim, IP_A);
	int r = sim_add_stack(&sim, NET_IP4(10, 0, 2, 2));   /* the default gateway */
	int h = net_ping(sim_stack(&sim, a), NET_IP4(192, 168, 1, 1), 8, 500);
	ck_assert_int_gt(h, 0);
	sim_run_for(&sim, 1000);
	/* The router got the packet (it is not for it: counted, not answered). */
	ck_assert_uint_eq(net_stats(sim_stack(&sim, r))->ip_not_for_us, 1);
	ck_assert_int_eq(net_ping_result(sim_stack(&sim, a), h, NULL), -ETIMEDOUT);
	sim_free(&sim);
}
END_TEST

START_TEST(arp_queue_order)
{
	struct bed t;
	bed_init(&t, 5);
	int ua = net_udp_open(t.A, 0), ub = net_udp_open(t.B, 9000);
	ck_assert_int_gt(ua, 0);
	ck_assert_int_gt(ub, 0);
	/* Sent before B is resolved: queued, then delivered in order. */
	for (uint8_t i = 0; i < NET_ARP_QUEUE; i++)
		ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 9000, &i, 1), 1);
	uint8_t x = 99;
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 9000, &x, 1), -ENOBUFS);
	ck_assert_uint_eq(net_stats(t.A)->arp_queue_full, 1);
	sim_run_for(&t.sim, 50);
	for (uint8_t i = 0; i < NET_ARP_QUEUE; i++) {
		ck_assert_int_eq(net_udp_recvfrom(t.B, ub, &x, 1, NULL, NULL), 1);
		ck_assert_uint_eq(x, i);
	}
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, &x, 1, NULL, NULL), -EAGAIN);
	bed_free(&t);
}
END_TEST

/* More next hops than cache entries: the least recently used goes, with
 * whatever it had queued; the cache keeps working. */
START_TEST(arp_eviction)
{
	struct bed t;
	bed_init(&t, 9);
	int u = net_udp_open(t.A, 0);
	for (int i = 0; i < NET_ARP_ENTRIES + 4; i++) {
		int rc = net_udp_sendto(t.A, u, NET_IP4(10, 0, 2, 100 + i), 9, "x", 1);
		ck_assert(rc == 1 || rc == -ENOBUFS);
		sim_run_for(&t.sim, 1);
	}
	ck_assert_uint_eq(net_stats(t.A)->arp_tx_request, NET_ARP_ENTRIES + 4);
	ck_assert_uint_eq(net_stats(t.A)->arp_evicted, 4);
	ck_assert_uint_ge(net_stats(t.A)->arp_unresolved_drop, 4);
	int h = net_ping(t.A, IP_B, 8, 5000);
	ck_assert_int_gt(h, 0);
	sim_run_for(&t.sim, 20);
	ck_assert_int_eq(net_ping_result(t.A, h, NULL), 0);
	h = net_ping(t.A, IP_B, 8, 5000);
	ck_assert_int_eq(net_ping_cancel(t.A, h), 0);
	ck_assert_int_eq(net_ping_result(t.A, h, NULL), -EBADF);
	sim_run_for(&t.sim, 20);
	ck_assert_uint_eq(net_stats(t.A)->icmp_unmatched_reply, 1);   /* the cancelled one's reply */
	bed_free(&t);
}
END_TEST

START_TEST(udp_exchange)
{
	struct bed t;
	bed_init(&t, 6);
	int ua = net_udp_open(t.A, 0), ub = net_udp_open(t.B, 7000);
	int pa = net_udp_port(t.A, ua);
	ck_assert_int_ge(pa, 49152);
	ck_assert_int_eq(net_udp_open(t.B, 7000), -EADDRINUSE);
	uint8_t big[NET_UDP_MAX_PAYLOAD + 1], buf[2000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 7000, big, sizeof(big)), -EMSGSIZE);
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 7000, big, NET_UDP_MAX_PAYLOAD), NET_UDP_MAX_PAYLOAD);
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 7000, "hello", 5), 5);
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 7000, NULL, 0), 0);
	sim_run_for(&t.sim, 50);
	uint32_t ip;
	uint16_t port;
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, buf, sizeof(buf), &ip, &port), NET_UDP_MAX_PAYLOAD);
	ck_assert_uint_eq(ip, IP_A);
	ck_assert_uint_eq(port, pa);
	ck_assert_int_eq(memcmp(buf, big, NET_UDP_MAX_PAYLOAD), 0);
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, buf, 3, NULL, NULL), 3);   /* truncated */
	ck_assert_int_eq(memcmp(buf, "hel", 3), 0);
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, buf, sizeof(buf), NULL, NULL), 0);
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, buf, sizeof(buf), NULL, NULL), -EAGAIN);
	/* The reply goes back to the sender's port. */
	ck_assert_int_eq(net_udp_sendto(t.B, ub, ip, port, "world", 5), 5);
	sim_run_for(&t.sim, 50);
	ck_assert_int_eq(net_udp_recvfrom(t.A, ua, buf, sizeof(buf), &ip, &port), 5);
	ck_assert_uint_eq(ip, IP_B);
	ck_assert_uint_eq(port, 7000);
	/* Closed handles are stale, even when the slot is reused. */
	ck_assert_int_eq(net_udp_close(t.A, ua), 0);
	ck_assert_int_eq(net_udp_close(t.A, ua), -EBADF);
	int ua2 = net_udp_open(t.A, 0);
	ck_assert_int_ne(ua2, ua);
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 7000, "x", 1), -EBADF);
	bed_free(&t);
}
END_TEST

START_TEST(udp_closed_port_and_overflow)
{
	struct bed t;
	bed_init(&t, 7);
	int ua = net_udp_open(t.A, 0), ub = net_udp_open(t.B, 53000);
	uint8_t d[1000] = {0};
	ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 1234, d, 10), 10);
	sim_run_for(&t.sim, 50);
	ck_assert_uint_eq(net_stats(t.B)->udp_no_port, 1);
	ck_assert_uint_eq(net_stats(t.B)->icmp_tx_unreach, 1);
	ck_assert_uint_eq(net_stats(t.A)->icmp_other, 1);
	/* Unread datagrams fill the queue; the overflow is dropped and counted. */
	int fits = NET_UDP_RXBUF / (1000 + 8);
	for (int i = 0; i < fits + 3; i++) {
		d[0] = (uint8_t)i;
		ck_assert_int_eq(net_udp_sendto(t.A, ua, IP_B, 53000, d, sizeof(d)), (int)sizeof(d));
		sim_run_for(&t.sim, 5);
	}
	ck_assert_uint_eq(net_stats(t.B)->udp_queue_full, 3);
	for (int i = 0; i < fits; i++) {
		ck_assert_int_eq(net_udp_recvfrom(t.B, ub, d, sizeof(d), NULL, NULL), (int)sizeof(d));
		ck_assert_uint_eq(d[0], i);
	}
	ck_assert_int_eq(net_udp_recvfrom(t.B, ub, d, sizeof(d), NULL, NULL), -EAGAIN);
	/* The socket table has a limit. */
	int n = 1;
	while (net_udp_open(t.B, 0) > 0)
		n++;
	ck_assert_int_eq(n, NET_UDP_SOCKETS);
	ck_assert_int_eq(net_udp_open(t.B, 0), -EMFILE);
	bed_free(&t);
}
END_TEST

START_TEST(readiness_events)
{
	struct bed t;
	bed_init(&t, 8);
	struct net_event ev[8];
	int n = net_events(t.A, ev, 8);
	ck_assert_int_eq(n, 1);   /* the address was set */
	ck_assert_int_eq(ev[0].handle, NET_IFACE_HANDLE);
	ck_assert_uint_eq(ev[0].mask, NET_EV_IFACE);
	ck_assert_int_eq(net_events(t.A, ev, 8), 0);
	(void)net_events(t.B, ev, 8);
	int ua = net_udp_open(t.A, 0), ub = net_udp_open(t.B, 7);
	ck_assert_int_eq(net_poll(t.B, ub), NET_EV_OUT);
	net_udp_sendto(t.A, ua, IP_B, 7, "x", 1);
	int hp = net_ping(t.A, IP_B, 8, 1000);
	sim_run_for(&t.sim, 50);
	n = net_events(t.B, ev, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].handle, ub);
	ck_assert_uint_eq(ev[0].mask, NET_EV_IN | NET_EV_OUT);
	n = net_events(t.A, ev, 1);   /* room for one at a time */
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].handle, hp);
	ck_assert_uint_eq(ev[0].mask, NET_EV_IN);
	ck_assert_int_eq(net_poll(t.A, hp), NET_EV_IN);
	ck_assert_int_eq(net_poll(t.A, 12345), -EBADF);
	ck_assert_uint_eq(net_next_deadline(t.A), UINT64_MAX);   /* nothing pending */
	bed_free(&t);
}
END_TEST

void add_link_tests(Suite *s)
{
	TCase *tc = tcase_create("link");
	tcase_add_test(tc, arp_resolution);
	tcase_add_test(tc, ping_both_ways);
	tcase_add_test(tc, ping_unreachable);
	tcase_add_test(tc, gateway_route);
	tcase_add_test(tc, arp_queue_order);
	tcase_add_test(tc, arp_eviction);
	tcase_add_test(tc, udp_exchange);
	tcase_add_test(tc, udp_closed_port_and_overflow);
	tcase_add_test(tc, readiness_events);
	suite_add_tcase(s, tc);
}
