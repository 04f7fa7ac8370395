/* The DHCP client and the DNS resolver against the fake slirp host,
 * including hostile DNS answers. */
#include "fake.h"
#include "tests.h"
#include "testutil.h"

struct dhcp_bed {
	struct sim sim;
	struct fake fk;
	int a;
	struct net_stack *A;
};

static void dhcp_bed(struct dhcp_bed *d, uint64_t seed, int mode)
{
	sim_init(&d->sim, seed);
	memset(&d->fk, 0, sizeof(d->fk));
	d->fk.dhcp_mode = mode;
	d->a = sim_add_stack(&d->sim, 0);
	d->A = sim_stack(&d->sim, d->a);
	fake_add(&d->sim, &d->fk);
}

static bool bound_app(struct sim *sim, void *ctx)
{
	(void)sim;
	return net_get_ifconfig(ctx, NULL) != NET_ADDR_NONE;
}

static void expect_slirp(struct net_stack *s, enum net_addr_source src)
{
	struct net_ifconfig c;
	ck_assert_int_eq(net_get_ifconfig(s, &c), src);
	ck_assert_uint_eq(c.ip, NET_IP4(10, 0, 2, 15));
	ck_assert_uint_eq(c.netmask, NET_IP4(255, 255, 255, 0));
	ck_assert_uint_eq(c.gateway, NET_IP4(10, 0, 2, 2));
	ck_assert_uint_eq(c.dns, NET_IP4(10, 0, 2, 3));
}

START_TEST(dhcp_lease)
{
	struct dhcp_bed d;
	dhcp_bed(&d, 40, FAKE_DHCP_NORMAL);
	ck_assert_int_eq(net_get_ifconfig(d.A, NULL), NET_ADDR_NONE);
	ck_assert_int_eq(net_dhcp_start(d.A), 0);
	ck_assert_int_eq(net_dhcp_start(d.A), -EALREADY);
	uint64_t t0 = d.sim.now;
	ck_assert(sim_run(&d.sim, d.sim.now + 10000, bound_app, d.A));
	ck_assert_uint_le(d.sim.now - t0, 10);
	expect_slirp(d.A, NET_ADDR_DHCP);
	ck_assert_uint_eq(d.fk.discovers, 1);
	ck_assert_uint_eq(d.fk.requests, 1);
	struct net_event ev[4];
	int n = net_events(d.A, ev, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].handle, NET_IFACE_HANDLE);
	/* The address works: the fake answers ARP for the gateway. */
	int h = net_udp_open(d.A, 0);
	ck_assert_int_eq(net_udp_sendto(d.A, h, FAKE_ROUTER, 9, "x", 1), 1);
	sim_free(&d.sim);
}
END_TEST

START_TEST(dhcp_fallback)
{
	struct dhcp_bed d;
	dhcp_bed(&d, 41, FAKE_DHCP_SILENT);
	ck_assert_int_eq(net_dhcp_start(d.A), 0);
	uint64_t t0 = d.sim.now;
	ck_assert(sim_run(&d.sim, d.sim.now + 60000, bound_app, d.A));
	ck_assert_uint_eq(d.sim.now - t0, NET_DHCP_FALLBACK_MS);
	expect_slirp(d.A, NET_ADDR_FALLBACK);
	ck_assert_uint_eq(net_stats(d.A)->dhcp_fallback, 1);
	ck_assert_uint_eq(d.fk.discovers, 0);   /* the silent fake does not count */
	ck_assert(!dhcp_active(d.A));
	ck_assert_uint_eq(net_next_deadline(d.A), UINT64_MAX);
	sim_free(&d.sim);
}
END_TEST

START_TEST(dhcp_garbage_and_nak)
{
	struct dhcp_bed d;
	dhcp_bed(&d, 42, FAKE_DHCP_GARBAGE_FIRST);
	net_dhcp_start(d.A);
	ck_assert(sim_run(&d.sim, d.sim.now + 3000, bound_app, d.A));
	expect_slirp(d.A, NET_ADDR_DHCP);
	ck_assert_uint_eq(net_stats(d.A)->dhcp_ignored, 1);   /* wrong xid */
	ck_assert_uint_eq(net_stats(d.A)->dhcp_bad, 2);       /* truncated, bad option */
	sim_free(&d.sim);

	dhcp_bed(&d, 43, FAKE_DHCP_NAK_FIRST);
	net_dhcp_start(d.A);
	ck_assert(sim_run(&d.sim, d.sim.now + 3000, bound_app, d.A));
	expect_slirp(d.A, NET_ADDR_DHCP);
	ck_assert_uint_eq(net_stats(d.A)->dhcp_nak, 1);
	ck_assert_uint_eq(d.fk.discovers, 2);
	ck_assert_uint_eq(d.fk.requests, 2);
	sim_free(&d.sim);
}
END_TEST

START_TEST(dhcp_renewal)
{
	struct dhcp_bed d;
	dhcp_bed(&d, 44, FAKE_DHCP_NORMAL);
	d.fk.lease_s = 100;
	net_dhcp_start(d.A);
	ck_assert(sim_run(&d.sim, d.sim.now + 3000, bound_app, d.A));
	/* T1 = 50 s: a unicast REQUEST from the bound address renews. */
	sim_run_for(&d.sim, 49000);
	ck_assert_uint_eq(d.fk.requests, 1);
	sim_run_for(&d.sim, 2000);
	ck_assert_uint_eq(d.fk.requests, 2);
	ck_assert_uint_eq(d.fk.requests_unicast, 1);
	ck_assert_uint_eq(d.fk.last_ciaddr, FAKE_CLIENT);
	sim_run_for(&d.sim, 500000);   /* renewed again and again */
	expect_slirp(d.A, NET_ADDR_DHCP);
	ck_assert_uint_ge(d.fk.requests, 10);
	/* The server vanishes: REQUESTs until the lease ends, then DISCOVER
	 * again, then the fallback. */
	d.fk.dhcp_mode = FAKE_DHCP_SILENT;
	sim_run_for(&d.sim, 110000);
	expect_slirp(d.A, NET_ADDR_FALLBACK);
	/* Static configuration stops DHCP. */
	struct net_ifconfig c = {NET_IP4(10, 0, 2, 99), NET_IP4(255, 255, 255, 0), 0, 0};
	net_set_ifconfig(d.A, &c);
	ck_assert_int_eq(net_get_ifconfig(d.A, NULL), NET_ADDR_STATIC);
	sim_free(&d.sim);
}
END_TEST

/* ---- DNS */

struct dns_bed {
	struct sim sim;
	struct fake fk;
	struct net_stack *A;
};

static void dns_bed(struct dns_bed *d, uint64_t seed, int mode)
{
	sim_init(&d->sim, seed);
	memset(&d->fk, 0, sizeof(d->fk));
	d->fk.dns_mode = mode;
	d->fk.dhcp_mode = FAKE_DHCP_SILENT;
	d->A = sim_stack(&d->sim, sim_add_stack(&d->sim, IP_A));   /* dns = 10.0.2.3 */
	fake_add(&d->sim, &d->fk);
}

struct dns_ctx {
	struct net_stack *s;
	int h, rc;
	uint32_t ip;
};

static bool dns_app(struct sim *sim, void *ctx)
{
	struct dns_ctx *q = ctx;

	(void)sim;
	q->rc = net_dns_result(q->s, q->h, &q->ip);
	return q->rc != -EAGAIN;
}

static int resolve(struct dns_bed *d, const char *name, uint32_t *ip)
{
	struct dns_ctx q = {d->A, net_dns_query(d->A, name), -EAGAIN, 0};

	if (q.h < 0)
		return q.h;
	ck_assert(sim_run(&d->sim, d->sim.now + 60000, dns_app, &q));
	*ip = q.ip;
	return q.rc;
}

START_TEST(dns_answers)
{
	struct dns_bed d;
	uint32_t ip = 0;
	dns_bed(&d, 50, FAKE_DNS_A);
	ck_assert_int_eq(resolve(&d, "example.com", &ip), 0);
	ck_assert_uint_eq(ip, NET_IP4(93, 184, 216, 34));
	ck_assert_int_eq(resolve(&d, "Example.COM.", &ip), 0);   /* absolute, any case */
	d.fk.dns_mode = FAKE_DNS_CNAME;
	d.fk.dns_ip = NET_IP4(1, 2, 3, 4);
	ck_assert_int_eq(resolve(&d, "www.example.com", &ip), 0);
	ck_assert_uint_eq(ip, NET_IP4(1, 2, 3, 4));
	d.fk.dns_mode = FAKE_DNS_NXDOMAIN;
	ck_assert_int_eq(resolve(&d, "nope.example", &ip), -ENOENT);
	d.fk.dns_mode = FAKE_DNS_NODATA;
	ck_assert_int_eq(resolve(&d, "v6only.example", &ip), -ENODATA);
	d.fk.dns_mode = FAKE_DNS_SERVFAIL;
	ck_assert_int_eq(resolve(&d, "broken.example", &ip), -EIO);
	d.fk.dns_mode = FAKE_DNS_SILENT;
	uint64_t t0 = d.sim.now;
	unsigned before = d.fk.dns_queries;
	ck_assert_int_eq(resolve(&d, "slow.example", &ip), -ETIMEDOUT);
	ck_assert_uint_eq(d.fk.dns_queries - before, NET_DNS_TRIES);
	ck_assert_uint_eq(d.sim.now - t0, NET_DNS_TIMEOUT_MS * ((1u << NET_DNS_TRIES) - 1));
	sim_free(&d.sim);
}
END_TEST

/* A server on another port (net_dns_query_at): answered there, while the
 * configured server on port 53 stays silent. */
START_TEST(dns_server_port)
{
	struct dns_bed d;
	uint32_t ip = 0;
	dns_bed(&d, 52, FAKE_DNS_A);
	d.fk.dns_port = 5353;
	ck_assert_int_eq(resolve(&d, "example.com", &ip), -ETIMEDOUT);
	struct dns_ctx q = {d.A, net_dns_query_at(d.A, "example.com", FAKE_DNS, 5353), -EAGAIN, 0};
	ck_assert_int_ge(q.h, 0);
	ck_assert(sim_run(&d.sim, d.sim.now + 60000, dns_app, &q));
	ck_assert_int_eq(q.rc, 0);
	ck_assert_uint_eq(q.ip, NET_IP4(93, 184, 216, 34));
	ck_assert_int_eq(net_dns_query_at(d.A, "example.com", FAKE_DNS, 0), -EINVAL);
	ck_assert_int_eq(net_dns_query_at(d.A, "example.com", 0, 53), -ENETDOWN);
	sim_free(&d.sim);
}
END_TEST

START_TEST(dns_bad_names)
{
	struct dns_bed d;
	dns_bed(&d, 51, FAKE_DNS_A);
	char longname[300];
	memset(longname, 'a', sizeof(longname));
	longname[299] = 0;
	ck_assert_int_eq(net_dns_query(d.A, longname), -ENAMETOOLONG);
	memset(longname, 'a', 64);
	strcpy(longname + 64, ".com");
	ck_assert_int_eq(net_dns_query(d.A, longname), -EINVAL);   /* 64-byte label */
	ck_assert_int_eq(net_dns_query(d.A, ""), -EINVAL);
	ck_assert_int_eq(net_dns_query(d.A, "."), -EINVAL);
	ck_assert_int_eq(net_dns_query(d.A, "a..b"), -EINVAL);
	ck_assert_int_eq(net_dns_query(d.A, "sp ace.com"), -EINVAL);
	ck_assert_int_eq(net_dns_query(d.A, NULL), -EINVAL);
	int h[NET_DNS_SLOTS];
	for (int i = 0; i < NET_DNS_SLOTS; i++)
		ck_assert_int_gt(h[i] = net_dns_query(d.A, "x.example"), 0);
	ck_assert_int_eq(net_dns_query(d.A, "x.example"), -EMFILE);
	ck_assert_int_eq(net_dns_cancel(d.A, h[0]), 0);
	ck_assert_int_eq(net_dns_result(d.A, h[0], NULL), -EBADF);
	struct net_ifconfig c = {IP_A, NET_IP4(255, 255, 255, 0), 0, 0};
	net_set_ifconfig(d.A, &c);
	ck_assert_int_eq(net_dns_query(d.A, "x.example"), -ENETDOWN);   /* no server */
	sim_free(&d.sim);
}
END_TEST

/* Hostile answers. The first answer to each query is the attack; the
 * retry gets a good one, which must still be accepted. */
enum attack {
	ATK_SELF_LOOP, ATK_MUTUAL_LOOP, ATK_FORWARD_PTR, ATK_PTR_OOB, ATK_PTR_TRUNC, ATK_LABEL_OOB,
	ATK_NAME_TOO_LONG, ATK_RDLEN_OOB, ATK_RESERVED_LABEL, ATK_PTR_INTO_HEADER, ATK_TRUNC_HEADER,
	ATK_WRONG_ID, ATK_WRONG_QUESTION, ATK_NOT_RESPONSE, ATK_CNAME_LOOP, ATK_COUNT
};

static size_t good_answer(const uint8_t *q, size_t qlen, uint8_t *m)
{
	size_t n = fake_question_end(q, qlen);
	static const uint8_t a[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 9, 8, 7};

	memcpy(m, q, n);
	put16(m + 2, 0x8180);
	put16(m + 6, 1);
	memcpy(m + n, a, sizeof(a));
	return n + sizeof(a);
}

static size_t attack_answer(const uint8_t *q, size_t qlen, uint8_t *m, unsigned nth, void *ctx)
{
	enum attack atk = *(enum attack *)ctx;
	size_t n = good_answer(q, qlen, m), qend = fake_question_end(q, qlen);
	uint8_t *rr = m + qend;   /* the answer's owner name */

	if (nth > 0)
		return n;
	switch (atk) {
	case ATK_SELF_LOOP:        /* owner points at itself */
		rr[0] = (uint8_t)(0xc0 | (qend >> 8));
		rr[1] = (uint8_t)qend;
		break;
	case ATK_MUTUAL_LOOP: {    /* a label then a pointer back to the name's start */
		memmove(rr + 2, rr, sizeof(uint8_t) * 16);
		rr[0] = 1;
		rr[1] = 'x';
		rr[2] = (uint8_t)(0xc0 | (qend >> 8));
		rr[3] = (uint8_t)qend;
		n += 2;
		break;
	}
	case ATK_FORWARD_PTR:      /* points past itself, into the RDATA */
		rr[1] = (uint8_t)(qend + 12);
		break;
	case ATK_PTR_OOB:
		rr[0] = 0xff;
		rr[1] = 0xff;
		break;
	case ATK_PTR_TRUNC:        /* the message ends inside a pointer */
		rr[0] = 0xc0;
		n = qend + 1;
		break;
	case ATK_LABEL_OOB:        /* a label longer than what is left */
		rr[0] = 63;
		n = qend + 20;
		break;
	case ATK_NAME_TOO_LONG: {  /* 5 x 63-byte labels: 320 bytes > 255 */
		size_t p = qend;
		for (int k = 0; k < 5; k++) {
			m[p++] = 63;
			memset(m + p, 'a', 63);
			p += 63;
		}
		m[p++] = 0;
		static const uint8_t a[] = {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 9, 8, 7};
		memcpy(m + p, a, sizeof(a));
		n = p + sizeof(a);
		break;
	}
	case ATK_RDLEN_OOB:
		put16(rr + 10, 400);
		break;
	case ATK_RESERVED_LABEL:
		rr[0] = 0x40;
		break;
	case ATK_PTR_INTO_HEADER:
		rr[1] = 2;
		break;
	case ATK_TRUNC_HEADER:
		n = 11;
		break;
	case ATK_WRONG_ID:
		m[0] ^= 0x55;
		break;
	case ATK_WRONG_QUESTION:
		m[13] ^= 0x20 ^ 0x01;   /* another name (not just another case) */
		break;
	case ATK_NOT_RESPONSE:
		m[2] &= 0x7f;
		break;
	case ATK_CNAME_LOOP: {     /* the name is an alias of itself: no A record */
		static const uint8_t c[] = {0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12};
		memcpy(rr, c, sizeof(c));
		n = qend + sizeof(c);
		break;
	}
	default:
		break;
	}
	return n;
}

START_TEST(dns_hostile_answers)
{
	struct dns_bed d;
	enum attack atk = (enum attack)_i;
	uint32_t ip = 0;
	dns_bed(&d, 52, FAKE_DNS_CUSTOM);
	d.fk.dns_custom = attack_answer;
	d.fk.dns_ctx = &atk;
	int rc = resolve(&d, "host.example.org", &ip);
	const struct net_stats *st = net_stats(d.A);
	if (atk == ATK_CNAME_LOOP) {
		/* Well-formed but useless: an answer, with no address. */
		ck_assert_int_eq(rc, -ENODATA);
		ck_assert_uint_eq(d.fk.dns_queries, 1);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(ip, NET_IP4(10, 9, 8, 7));
		ck_assert_uint_eq(d.fk.dns_queries, 2);   /* the attack was ignored, the retry worked */
		ck_assert_uint_eq(st->dns_bad + st->dns_bad_name + st->dns_unmatched, 1);
	}
	sim_free(&d.sim);
}
END_TEST

void add_dhcp_dns_tests(Suite *s)
{
	TCase *tc = tcase_create("dhcp_dns");
	tcase_add_test(tc, dhcp_lease);
	tcase_add_test(tc, dhcp_fallback);
	tcase_add_test(tc, dhcp_garbage_and_nak);
	tcase_add_test(tc, dhcp_renewal);
	tcase_add_test(tc, dns_answers);
	tcase_add_test(tc, dns_server_port);
	tcase_add_test(tc, dns_bad_names);
	tcase_add_loop_test(tc, dns_hostile_answers, 0, ATK_COUNT);
	suite_add_tcase(s, tc);
}
