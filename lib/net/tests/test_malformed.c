/* Hostile input for every parser: valid frames truncated at every byte
 * offset (raw, with the IP length adjusted, and with the transport
 * checksum fixed as well), every header field made invalid in turn, and
 * TCP segments that are well-formed but do not fit the connection. */
#include <stdlib.h>

#include "fake.h"
#include "tests.h"
#include "testutil.h"

/* Every counter that means "dropped as malformed or not for us". */
static uint32_t drops(const struct net_stats *s)
{
	return s->eth_short + s->eth_oversize + s->eth_not_for_us + s->eth_unknown_type + s->arp_short +
	       s->arp_bad + s->ip_short + s->ip_bad_version + s->ip_bad_ihl + s->ip_bad_len + s->ip_bad_csum +
	       s->ip_fragment + s->ip_not_for_us + s->ip_bad_src + s->ip_unknown_proto + s->icmp_short +
	       s->icmp_bad_csum + s->udp_short + s->udp_bad_len + s->udp_bad_csum + s->tcp_short +
	       s->tcp_bad_doff + s->tcp_bad_csum + s->tcp_bad_option + s->tcp_bad_port + s->tcp_bad_flags +
	       s->tcp_not_unicast + s->dhcp_bad + s->dns_bad + s->dns_bad_name;
}

/* B with: a listener on 80, a UDP socket on 7000, an established
 * connection from A whose next data segment is captured, not delivered. */
struct mal {
	struct bed t;
	int ha, hb, lh, ub;
	uint8_t seg[NET_FRAME_MAX];
	size_t seg_len;
	struct net_stack *snap;
	const uint8_t *mac_a, *mac_b;
};
static struct mal *g_mal;

static bool capture_data(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	struct fr_info fi;

	(void)sim;
	if (from == g_mal->t.a && fr_parse(f, len, &fi) && fi.proto == IP_PROTO_TCP && fi.len && !g_mal->seg_len) {
		memcpy(g_mal->seg, f, len);
		g_mal->seg_len = len;
		return true;
	}
	return false;
}

static struct mal *mal_setup(void)
{
	struct mal *m = calloc(1, sizeof(*m));
	bed_init(&m->t, 60);
	g_mal = m;
	m->mac_a = m->t.sim.node[m->t.a].mac;
	m->mac_b = m->t.sim.node[m->t.b].mac;
	bed_connect(&m->t, 5000, &m->ha, &m->hb);
	m->lh = net_tcp_listen(m->t.B, 80, 4);
	m->ub = net_udp_open(m->t.B, 7000);
	m->t.sim.filter = capture_data;
	uint8_t msg[100];
	for (int i = 0; i < 100; i++)
		msg[i] = (uint8_t)(i + 1);
	ck_assert_int_eq(net_tcp_send(m->t.A, m->ha, msg, sizeof(msg)), 100);
	sim_run_for(&m->t.sim, 10);
	ck_assert_uint_gt(m->seg_len, 0);
	m->t.sim.node[m->t.b].down = true;   /* B's answers go nowhere */
	m->snap = malloc(sizeof(*m->snap));
	memcpy(m->snap, m->t.B, sizeof(*m->snap));
	return m;
}

static void mal_free(struct mal *m)
{
	free(m->snap);
	bed_free(&m->t);
	free(m);
}

static struct net_stack *restore(struct mal *m)
{
	memcpy(m->t.B, m->snap, sizeof(*m->snap));
	return m->t.B;
}

/* The valid frames A could send B. */
enum kind { K_ARP, K_ICMP, K_UDP, K_SYN, K_DATA, K_COUNT };

static size_t make(struct mal *m, enum kind k, uint8_t *f)
{
	uint8_t pay[64];
	static const uint8_t mss[] = {1, 1, 2, 4, 0x05, 0xb4, 1, 0};

	for (int i = 0; i < 64; i++)
		pay[i] = (uint8_t)(i + 1);
	switch (k) {
	case K_ARP:
		return fr_arp(f, fr_bcast, m->mac_a, 1, IP_A, (const uint8_t[6]){0}, IP_B);
	case K_ICMP:
		return fr_icmp(f, m->mac_b, m->mac_a, IP_A, IP_B, 8, 0, 7, 1, pay, 40);
	case K_UDP:
		return fr_udp(f, m->mac_b, m->mac_a, IP_A, IP_B, 1234, 7000, pay, 40);
	case K_SYN:
		return fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 40000, 80, 1000, 0, TCP_SYN, 8192, mss,
		              sizeof(mss), NULL, 0);
	default:
		memcpy(f, m->seg, m->seg_len);
		return m->seg_len;
	}
}

/* Did the frame take effect on B? */
static bool delivered(struct mal *m, enum kind k, const struct net_stats *before)
{
	const struct net_stack *B = m->t.B;
	switch (k) {
	case K_ARP: return net_stats(B)->arp_tx_reply > before->arp_tx_reply;
	case K_ICMP: return net_stats(B)->icmp_tx_echo_reply > before->icmp_tx_echo_reply;
	case K_UDP: return B->udp[m->ub & 0xff].len > 0;
	case K_SYN: return net_tcp_count(B, NET_TCP_SYN_RECEIVED) > 0;
	default: return B->tcp[m->hb & 0xff].rb_len > 0;
	}
}

START_TEST(valid_frames_delivered)
{
	struct mal *m = mal_setup();
	uint8_t f[NET_FRAME_MAX];
	for (int k = 0; k < K_COUNT; k++) {
		struct net_stack *B = restore(m);
		struct net_stats before = *net_stats(B);
		size_t n = make(m, (enum kind)k, f);
		net_input(B, f, n);
		ck_assert_msg(delivered(m, (enum kind)k, &before), "kind %d", k);
		ck_assert_uint_eq(drops(net_stats(B)), drops(&before));
	}
	mal_free(m);
}
END_TEST

/* Truncation at every offset, three ways. */
START_TEST(truncated_everywhere)
{
	struct mal *m = mal_setup();
	enum kind k = (enum kind)_i;
	uint8_t full[NET_FRAME_MAX], f[NET_FRAME_MAX];
	size_t n = make(m, k, full);

	for (size_t len = 0; len < n; len++) {
		for (int way = 0; way < 3; way++) {
			if (way && (k == K_ARP || len < NET_ETH_HDR + IP_HDR))
				continue;
			struct net_stack *B = restore(m);
			struct net_stats before = *net_stats(B);
			memcpy(f, full, len);
			if (way >= 1) {
				put16(f + NET_ETH_HDR + 2, (uint16_t)(len - NET_ETH_HDR));
				fr_fix_ip(f);
			}
			/* Way 2: a truncated transport header with a correct
			 * checksum, where the checksum field survived. */
			size_t l4 = len - NET_ETH_HDR - IP_HDR;
			bool csum_fixed = false;
			if (way == 2) {
				size_t field = f[NET_ETH_HDR + 9] == IP_PROTO_TCP ? 18 : f[NET_ETH_HDR + 9] == IP_PROTO_UDP ? 8 : 4;
				if (l4 < field)
					continue;
				if (f[NET_ETH_HDR + 9] == IP_PROTO_UDP && l4 >= 8)
					put16(f + NET_ETH_HDR + IP_HDR + 4, (uint16_t)l4);
				fr_fix_l4(f);
				csum_fixed = true;
			}
			net_input(B, f, len);
			uint32_t d = drops(net_stats(B)) - drops(&before);
			/* With every length and checksum consistent, a shorter
			 * payload is a valid (shorter) packet: only the header
			 * must be complete. */
			size_t hdr = k == K_SYN ? TCP_HDR + 8 : k == K_DATA ? TCP_HDR : 8;
			if (csum_fixed && l4 >= hdr && (k != K_SYN || l4 == TCP_HDR + 8)) {
				ck_assert_uint_eq(d, 0);
				continue;
			}
			ck_assert_msg(d == 1, "kind %d len %zu way %d: %u drops", k, len, way, d);
			ck_assert_msg(!delivered(m, k, &before), "kind %d len %zu way %d delivered", k, len, way);
			if (way == 0 && len < NET_ETH_HDR)
				ck_assert_uint_eq(net_stats(B)->eth_short, before.eth_short + 1);
			else if (way == 0 && k == K_ARP)
				ck_assert_uint_eq(net_stats(B)->arp_short, before.arp_short + 1);
			else if (way == 0 && len < NET_ETH_HDR + IP_HDR)
				ck_assert_uint_eq(net_stats(B)->ip_short, before.ip_short + 1);
			else if (way == 0)
				ck_assert_uint_eq(net_stats(B)->ip_bad_len, before.ip_bad_len + 1);
		}
	}
	mal_free(m);
}
END_TEST

/* One field broken at a time; the named counter must count the drop. */
typedef void (*breaker)(uint8_t *f, size_t *len);

#define IPH(f) ((f) + NET_ETH_HDR)
#define L4(f)  ((f) + NET_ETH_HDR + IP_HDR)

static void b_ip_csum(uint8_t *f, size_t *l) { (void)l; IPH(f)[10] ^= 1; }
static void b_ip_ver(uint8_t *f, size_t *l) { (void)l; IPH(f)[0] = 0x65; fr_fix_ip(f); }
static void b_ihl_small(uint8_t *f, size_t *l) { (void)l; IPH(f)[0] = 0x44; fr_fix_ip(f); }
static void b_ihl_big(uint8_t *f, size_t *l) { IPH(f)[0] = 0x4f; put16(IPH(f) + 2, 40); fr_fix_ip(f); *l = NET_ETH_HDR + 40; }
static void b_tot_small(uint8_t *f, size_t *l) { (void)l; put16(IPH(f) + 2, 19); fr_fix_ip(f); }
static void b_tot_big(uint8_t *f, size_t *l) { (void)l; put16(IPH(f) + 2, 1500); fr_fix_ip(f); }
static void b_frag_mf(uint8_t *f, size_t *l) { (void)l; put16(IPH(f) + 6, 0x2000); fr_fix_ip(f); }
static void b_frag_off(uint8_t *f, size_t *l) { (void)l; put16(IPH(f) + 6, 0x0010); fr_fix_ip(f); }
static void b_src_bcast(uint8_t *f, size_t *l) { (void)l; put32(IPH(f) + 12, IP_BROADCAST); fr_fix_ip(f); }
static void b_src_mcast(uint8_t *f, size_t *l) { (void)l; put32(IPH(f) + 12, NET_IP4(224, 0, 0, 1)); fr_fix_ip(f); }
static void b_src_zero(uint8_t *f, size_t *l) { (void)l; put32(IPH(f) + 12, 0); fr_fix_ip(f); }
static void b_dst_other(uint8_t *f, size_t *l) { (void)l; put32(IPH(f) + 16, IP_C); fr_fix_ip(f); }
static void b_proto(uint8_t *f, size_t *l) { (void)l; IPH(f)[9] = 47; fr_fix_ip(f); }
static void b_ethertype(uint8_t *f, size_t *l) { (void)l; put16(f + 12, 0x86dd); }
static void b_dst_mac(uint8_t *f, size_t *l) { (void)l; f[5] ^= 0x40; }
static void b_oversize(uint8_t *f, size_t *l) { memset(f + *l, 0, NET_FRAME_MAX + 5 - *l); *l = NET_FRAME_MAX + 5; }
static void b_eth_short(uint8_t *f, size_t *l) { (void)f; *l = 13; }
static void b_udp_csum(uint8_t *f, size_t *l) { (void)l; L4(f)[6] ^= 0x10; }
static void b_udp_len_small(uint8_t *f, size_t *l) { (void)l; put16(L4(f) + 4, 7); fr_fix_l4(f); }
static void b_udp_len_big(uint8_t *f, size_t *l) { (void)l; put16(L4(f) + 4, 200); }
static void b_icmp_csum(uint8_t *f, size_t *l) { (void)l; L4(f)[9] ^= 0x10; }
static void b_icmp_short(uint8_t *f, size_t *l) { put16(IPH(f) + 2, IP_HDR + 4); fr_fix_ip(f); *l = NET_ETH_HDR + IP_HDR + 4; }
static void b_tcp_csum(uint8_t *f, size_t *l) { (void)l; L4(f)[17] ^= 0x10; }
static void b_doff_small(uint8_t *f, size_t *l) { (void)l; L4(f)[12] = 0x40; fr_fix_l4(f); }
static void b_doff_big(uint8_t *f, size_t *l) { (void)l; L4(f)[12] = 0xf0; fr_fix_l4(f); }
static void b_opt_len0(uint8_t *f, size_t *l) { (void)l; L4(f)[20] = 9; L4(f)[21] = 0; fr_fix_l4(f); }
static void b_opt_len1(uint8_t *f, size_t *l) { (void)l; L4(f)[22] = 9; L4(f)[23] = 1; fr_fix_l4(f); }
static void b_opt_overrun(uint8_t *f, size_t *l) { (void)l; L4(f)[23] = 40; fr_fix_l4(f); }
static void b_opt_mss_len(uint8_t *f, size_t *l) { (void)l; L4(f)[23] = 3; fr_fix_l4(f); }
static void b_opt_trailing(uint8_t *f, size_t *l) { (void)l; L4(f)[27] = 5; fr_fix_l4(f); }  /* no room for its length */
static void b_tcp_port0(uint8_t *f, size_t *l) { (void)l; put16(L4(f), 0); fr_fix_l4(f); }
static void b_syn_fin(uint8_t *f, size_t *l) { (void)l; L4(f)[13] |= TCP_FIN; fr_fix_l4(f); }
static void b_tcp_bcast(uint8_t *f, size_t *l) { (void)l; put32(IPH(f) + 16, NET_IP4(10, 0, 2, 255)); fr_fix_ip(f); fr_fix_l4(f); }
static void b_arp_hlen(uint8_t *f, size_t *l) { (void)l; f[NET_ETH_HDR + 4] = 5; }
static void b_arp_op(uint8_t *f, size_t *l) { (void)l; f[NET_ETH_HDR + 7] = 3; }
static void b_arp_sha(uint8_t *f, size_t *l) { (void)l; f[NET_ETH_HDR + 8] = 0xff; }
static void b_arp_ptype(uint8_t *f, size_t *l) { (void)l; f[NET_ETH_HDR + 2] = 0x86; }

#define OFF(field) offsetof(struct net_stats, field)

static const struct {
	const char *name;
	enum kind kind;
	breaker fn;
	size_t counter;
} breaks[] = {
	{"ip csum", K_UDP, b_ip_csum, OFF(ip_bad_csum)},
	{"ip version", K_UDP, b_ip_ver, OFF(ip_bad_version)},
	{"ihl 4", K_UDP, b_ihl_small, OFF(ip_bad_ihl)},
	{"ihl 15 > packet", K_ICMP, b_ihl_big, OFF(ip_bad_ihl)},
	{"total < ihl", K_UDP, b_tot_small, OFF(ip_bad_len)},
	{"total > frame", K_UDP, b_tot_big, OFF(ip_bad_len)},
	{"fragment MF", K_UDP, b_frag_mf, OFF(ip_fragment)},
	{"fragment offset", K_UDP, b_frag_off, OFF(ip_fragment)},
	{"src broadcast", K_UDP, b_src_bcast, OFF(ip_bad_src)},
	{"src multicast", K_UDP, b_src_mcast, OFF(ip_bad_src)},
	{"src zero", K_UDP, b_src_zero, OFF(ip_bad_src)},
	{"dst other", K_UDP, b_dst_other, OFF(ip_not_for_us)},
	{"protocol", K_UDP, b_proto, OFF(ip_unknown_proto)},
	{"ethertype", K_UDP, b_ethertype, OFF(eth_unknown_type)},
	{"dst mac", K_UDP, b_dst_mac, OFF(eth_not_for_us)},
	{"oversize", K_UDP, b_oversize, OFF(eth_oversize)},
	{"eth short", K_UDP, b_eth_short, OFF(eth_short)},
	{"udp csum", K_UDP, b_udp_csum, OFF(udp_bad_csum)},
	{"udp len < 8", K_UDP, b_udp_len_small, OFF(udp_bad_len)},
	{"udp len > ip", K_UDP, b_udp_len_big, OFF(udp_bad_len)},
	{"icmp csum", K_ICMP, b_icmp_csum, OFF(icmp_bad_csum)},
	{"icmp short", K_ICMP, b_icmp_short, OFF(icmp_short)},
	{"tcp csum", K_DATA, b_tcp_csum, OFF(tcp_bad_csum)},
	{"doff 4", K_DATA, b_doff_small, OFF(tcp_bad_doff)},
	{"doff 15", K_SYN, b_doff_big, OFF(tcp_bad_doff)},
	{"option len 0", K_SYN, b_opt_len0, OFF(tcp_bad_option)},
	{"option len 1", K_SYN, b_opt_len1, OFF(tcp_bad_option)},
	{"option overrun", K_SYN, b_opt_overrun, OFF(tcp_bad_option)},
	{"mss len 3", K_SYN, b_opt_mss_len, OFF(tcp_bad_option)},
	{"option at end", K_SYN, b_opt_trailing, OFF(tcp_bad_option)},
	{"port 0", K_SYN, b_tcp_port0, OFF(tcp_bad_port)},
	{"syn+fin", K_SYN, b_syn_fin, OFF(tcp_bad_flags)},
	{"tcp broadcast", K_SYN, b_tcp_bcast, OFF(tcp_not_unicast)},
	{"arp hlen", K_ARP, b_arp_hlen, OFF(arp_bad)},
	{"arp op", K_ARP, b_arp_op, OFF(arp_bad)},
	{"arp sha", K_ARP, b_arp_sha, OFF(arp_bad)},
	{"arp ptype", K_ARP, b_arp_ptype, OFF(arp_bad)},
};

START_TEST(broken_fields)
{
	struct mal *m = mal_setup();
	uint8_t f[NET_FRAME_MAX + 8];
	size_t len = make(m, breaks[_i].kind, f);
	struct net_stack *B = restore(m);
	struct net_stats before = *net_stats(B);

	breaks[_i].fn(f, &len);
	net_input(B, f, len);
	uint32_t now = *(const uint32_t *)((const uint8_t *)net_stats(B) + breaks[_i].counter);
	uint32_t was = *(const uint32_t *)((const uint8_t *)&before + breaks[_i].counter);
	ck_assert_msg(now == was + 1, "%s: counter %u -> %u", breaks[_i].name, was, now);
	ck_assert_msg(drops(net_stats(B)) == drops(&before) + 1, "%s: other drops", breaks[_i].name);
	ck_assert_msg(!delivered(m, breaks[_i].kind, &before), "%s delivered", breaks[_i].name);
	mal_free(m);
}
END_TEST

/* IP options are skipped, UDP without checksum is fine. */
START_TEST(accepted_variants)
{
	struct mal *m = mal_setup();
	uint8_t f[NET_FRAME_MAX], g[NET_FRAME_MAX];
	size_t len = make(m, K_UDP, f);
	struct net_stack *B = restore(m);

	/* A 24-byte IP header: four NOP options. */
	memcpy(g, f, NET_ETH_HDR + IP_HDR);
	memset(g + NET_ETH_HDR + IP_HDR, 1, 4);
	memcpy(g + NET_ETH_HDR + IP_HDR + 4, f + NET_ETH_HDR + IP_HDR, len - NET_ETH_HDR - IP_HDR);
	g[NET_ETH_HDR] = 0x46;
	put16(g + NET_ETH_HDR + 2, (uint16_t)(len - NET_ETH_HDR + 4));
	fr_fix_ip(g);
	net_input(B, g, len + 4);
	ck_assert_uint_eq(B->udp[m->ub & 0xff].len, 8 + 40);
	/* No UDP checksum; and trailing link padding after the IP packet. */
	put16(L4(f) + 6, 0);
	memset(f + len, 0xee, 10);
	net_input(B, f, len + 10);
	ck_assert_uint_eq(B->udp[m->ub & 0xff].len, 2 * (8 + 40));
	mal_free(m);
}
END_TEST

/* Well-formed segments that do not fit the connection's state. */
START_TEST(tcp_state_attacks)
{
	struct mal *m = mal_setup();
	struct net_tcp_conn *c = &m->snap->tcp[m->hb & 0xff];
	uint32_t nxt = c->rcv_nxt, una = c->snd_una;
	uint8_t f[NET_FRAME_MAX];
	size_t n;
	uint16_t ap = m->snap->tcp[m->hb & 0xff].rport;

#define SEG(seq, ack, flags, data, dlen) \
	fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, ap, 5000, seq, ack, flags, 8192, NULL, 0, data, dlen)

	/* A blind RST inside the window but not at RCV.NXT: challenge ACK. */
	struct net_stack *B = restore(m);
	n = SEG(nxt + 100, 0, TCP_RST, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, m->hb), NET_TCP_ESTABLISHED);
	ck_assert_uint_eq(net_stats(B)->tcp_challenge_ack, 1);
	/* A RST outside the window: ignored. */
	n = SEG(nxt + 100000, 0, TCP_RST, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, m->hb), NET_TCP_ESTABLISHED);
	ck_assert_uint_eq(net_stats(B)->tcp_not_acceptable, 1);
	/* The exact RST resets. */
	n = SEG(nxt, 0, TCP_RST, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_status(B, m->hb), -ECONNRESET);

	/* A SYN on an open connection: challenge ACK, nothing else. */
	B = restore(m);
	n = SEG(nxt, 0, TCP_SYN, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, m->hb), NET_TCP_ESTABLISHED);
	ck_assert_uint_eq(net_stats(B)->tcp_challenge_ack, 1);

	/* Data far outside the window: not acceptable, nothing stored. */
	B = restore(m);
	n = SEG(nxt + 1000000, una, TCP_ACK, (const uint8_t *)"evil", 4);
	net_input(B, f, n);
	ck_assert_uint_eq(net_stats(B)->tcp_not_acceptable, 1);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].rb_len, 0);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].nooo, 0);

	/* An ACK of data never sent: dropped with an ACK. */
	B = restore(m);
	n = SEG(nxt, una + 5000, TCP_ACK, (const uint8_t *)"evil", 4);
	net_input(B, f, n);
	ck_assert_uint_eq(net_stats(B)->tcp_bad_ack, 1);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].rb_len, 0);

	/* Segments without ACK carry nothing in a synchronized state. */
	B = restore(m);
	n = SEG(nxt, 0, 0, (const uint8_t *)"evil", 4);
	net_input(B, f, n);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].rb_len, 0);

	/* Out-of-order data beyond the ranges kept: the ninth range is dropped. */
	B = restore(m);
	for (int i = 0; i <= NET_TCP_OOO_MAX; i++) {
		n = SEG(nxt + 100 + 10 * (uint32_t)i, una, TCP_ACK, (const uint8_t *)"ab", 2);
		net_input(B, f, n);
	}
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].nooo, NET_TCP_OOO_MAX);
	ck_assert_uint_eq(net_stats(B)->tcp_ooo_dropped, 1);
	/* A FIN beyond held data trims it; then filling the hole reaches the FIN. */
	n = SEG(nxt + 105, una, TCP_ACK | TCP_FIN, NULL, 0);
	net_input(B, f, n);
	uint8_t fill[200];
	memcpy(fill, m->seg + (m->seg_len - 100), 100);
	n = SEG(nxt, una, TCP_ACK, fill, 100);
	net_input(B, f, n);
	n = SEG(nxt + 100, una, TCP_ACK, (const uint8_t *)"abcde", 5);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, m->hb), NET_TCP_CLOSE_WAIT);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].rb_len, 105);
	ck_assert_uint_eq(B->tcp[m->hb & 0xff].nooo, 0);

	/* ACK and RST to a listener, and segments to no socket. */
	B = restore(m);
	n = fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 40001, 80, 1, 2, TCP_ACK, 8192, NULL, 0, NULL, 0);
	net_input(B, f, n);
	ck_assert_uint_eq(net_stats(B)->tcp_rst_tx, 1);
	n = fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 40001, 81, 1, 2, TCP_RST, 8192, NULL, 0, NULL, 0);
	net_input(B, f, n);
	ck_assert_uint_eq(net_stats(B)->tcp_rst_tx, 1);   /* never a RST for a RST */
	ck_assert_uint_eq(net_stats(B)->tcp_no_socket, 1);
	mal_free(m);
#undef SEG
}
END_TEST

/* Driven by hand: a simultaneous open (SYN crossing SYN), and a peer that
 * shrinks its window to zero under data in flight but keeps answering. */
START_TEST(tcp_raw_peer)
{
	struct mal *m = mal_setup();
	struct net_stack *B = restore(m);
	uint8_t f[NET_FRAME_MAX];
	int h = net_tcp_connect(B, IP_A, 9000);
	struct net_tcp_conn *c = &B->tcp[h & 0xff];
	size_t n = fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 9000, c->lport, 5000, 0, TCP_SYN, 8192,
	                  NULL, 0, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, h), NET_TCP_SYN_RECEIVED);
	n = fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 9000, c->lport, 5001, c->iss + 1, TCP_ACK, 8192,
	           NULL, 0, NULL, 0);
	net_input(B, f, n);
	ck_assert_int_eq(net_tcp_state(B, h), NET_TCP_ESTABLISHED);
	ck_assert_int_eq(net_tcp_status(B, h), 0);

	/* 3000 bytes in flight (window 8192), then the peer acks 1000 and
	 * shrinks its window to 0. B retransmits into it for much longer
	 * than NET_TCP_DATA_RETRIES would allow a silent peer. */
	uint8_t data[3000] = {0};
	ck_assert_int_eq(net_tcp_send(B, h, data, sizeof(data)), 3000);
	uint32_t una = c->snd_una;
	n = fr_tcp(f, m->mac_b, m->mac_a, IP_A, IP_B, 9000, c->lport, 5001, una + 1000, TCP_ACK, 0,
	           NULL, 0, NULL, 0);
	for (int i = 0; i < 3 * NET_TCP_DATA_RETRIES; i++) {
		net_tick(B, net_next_deadline(B));
		net_input(B, f, n);
	}
	ck_assert_int_eq(net_tcp_state(B, h), NET_TCP_ESTABLISHED);
	ck_assert_uint_eq(c->snd_una, una + 1000);
	mal_free(m);
}
END_TEST

/* DHCP and DNS messages truncated at every length (as valid UDP). */
static uint8_t g_msg[NET_MTU];
static size_t g_msg_len;
static int g_fake;
static uint16_t g_sport;   /* 67: DHCP, 53: DNS */

static bool capture_fake(struct sim *sim, int from, const uint8_t *f, size_t len)
{
	struct fr_info fi;

	(void)sim;
	if (from != g_fake || !fr_parse(f, len, &fi) || fi.proto != IP_PROTO_UDP || fi.sport != g_sport ||
	    g_msg_len)
		return false;
	memcpy(g_msg, f, len);
	g_msg_len = len;
	return true;
}

START_TEST(dhcp_dns_truncated)
{
	struct sim sim;
	struct fake fk = {.dhcp_mode = FAKE_DHCP_NORMAL, .dns_mode = FAKE_DNS_CNAME};
	sim_init(&sim, 61);
	int a = sim_add_stack(&sim, 0), c = sim_add_stack(&sim, IP_C);
	struct net_stack *A = sim_stack(&sim, a), *C = sim_stack(&sim, c);
	g_fake = fake_add(&sim, &fk);
	sim.filter = capture_fake;
	/* The OFFER to A, then the DNS answer to C. */
	for (int which = 0; which < 2; which++) {
		struct net_stack *s = which ? C : A;
		g_msg_len = 0;
		g_sport = which ? 53 : 67;
		int q = which ? net_dns_query(C, "www.example.net") : net_dhcp_start(A);
		ck_assert_int_ge(q, 0);
		sim_run_for(&sim, 20);
		ck_assert_uint_gt(g_msg_len, 0);
		struct net_stack *snap = malloc(sizeof(*snap));
		memcpy(snap, s, sizeof(*snap));
		struct fr_info fi;
		fr_parse(g_msg, g_msg_len, &fi);
		uint8_t f[NET_FRAME_MAX];
		const uint8_t *mac = sim.node[which ? c : a].mac;
		for (size_t len = 0; len <= fi.len; len++) {
			memcpy(s, snap, sizeof(*snap));
			size_t n = fr_udp(f, mac, g_msg + 6, fi.sip, fi.dip, fi.sport, fi.dport, fi.data, len);
			net_input(s, f, n);
			if (which == 0) {
				/* Cut inside the options: a shorter valid OFFER is
				 * fine, as long as nothing garbage is taken. */
				bool took = s->dhcp.state != snap->dhcp.state;
				/* Dropped as malformed, or ignored for lack of a server id. */
				ck_assert(took || net_stats(s)->dhcp_bad + net_stats(s)->dhcp_ignored == 1);
				if (took)
					ck_assert_uint_eq(s->dhcp.offer_ip, FAKE_CLIENT);
				ck_assert(len >= 240 + 9 || !took);
			} else {
				int rc = net_dns_result(s, q, NULL);
				ck_assert_msg(len == fi.len ? rc == 0 : rc == -EAGAIN, "len %zu/%zu rc %d", len, fi.len, rc);
				if (len < fi.len)
					ck_assert_uint_eq(net_stats(s)->dns_bad + net_stats(s)->dns_bad_name +
					                  net_stats(s)->dns_unmatched, 1);
			}
		}
		free(snap);
	}
	sim_free(&sim);
}
END_TEST

void add_malformed_tests(Suite *s)
{
	TCase *tc = tcase_create("malformed");
	tcase_add_test(tc, valid_frames_delivered);
	tcase_add_loop_test(tc, truncated_everywhere, 0, K_COUNT);
	tcase_add_loop_test(tc, broken_fields, 0, (int)(sizeof(breaks) / sizeof(breaks[0])));
	tcase_add_test(tc, accepted_variants);
	tcase_add_test(tc, tcp_state_attacks);
	tcase_add_test(tc, tcp_raw_peer);
	tcase_add_test(tc, dhcp_dns_truncated);
	suite_add_tcase(s, tc);
}
