/* libFuzzer harness on net_input: every input starts from the snapshot of
 * fuzz_world.h and is a sequence of records (frames for two stacks, clock
 * steps, API calls). Besides crashes and sanitizer reports, every frame
 * the stacks transmit is checked: sane length, IPv4 header and transport
 * checksums correct, never larger than the MTU. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_world.h"
#include "net_int.h"

#define MAX_HANDLES 24

static struct net_stack *snap_a, *snap_c, *A, *C;
static int snap_handles[MAX_HANDLES], snap_nh;
static int handles[MAX_HANDLES], nh;

static void bad(const char *why)
{
	fprintf(stderr, "fuzz: transmitted frame: %s\n", why);
	abort();
}

/* The oracle for output: a stack must never send a malformed frame. */
static void sink(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	if (len < 60 || len > NET_FRAME_MAX)
		bad("length");
	if (get16(f + 12) != ETH_TYPE_IPV4)
		return;
	const uint8_t *ip = f + NET_ETH_HDR;
	size_t total = get16(ip + 2);
	if (ip[0] != 0x45 || total < IP_HDR || NET_ETH_HDR + total > len || total > NET_MTU)
		bad("ip header");
	if (net_csum_fold(net_csum_add(0, ip, IP_HDR)) != 0)
		bad("ip checksum");
	const uint8_t *l4 = ip + IP_HDR;
	size_t l4len = total - IP_HDR;
	uint32_t src = get32(ip + 12), dst = get32(ip + 16);
	if (ip[9] == IP_PROTO_TCP && (l4len < TCP_HDR || net_l4_csum(src, dst, IP_PROTO_TCP, l4, l4len)))
		bad("tcp");
	if (ip[9] == IP_PROTO_UDP && (l4len < UDP_HDR || get16(l4 + 4) != l4len ||
	                              net_l4_csum(src, dst, IP_PROTO_UDP, l4, l4len)))
		bad("udp");
	if (ip[9] == IP_PROTO_ICMP && (l4len < 8 || net_csum_fold(net_csum_add(0, l4, l4len))))
		bad("icmp");
}

/* Recomputes the IPv4 and transport checksums of a frame, where its
 * lengths allow, so that mutated frames get past the checksum checks and
 * into the protocol logic. */
static void fix_checksums(uint8_t *f, size_t len)
{
	if (len < NET_ETH_HDR + IP_HDR || get16(f + 12) != ETH_TYPE_IPV4)
		return;
	uint8_t *ip = f + NET_ETH_HDR;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4, total = get16(ip + 2);
	if (ihl < IP_HDR || NET_ETH_HDR + ihl > len)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, net_csum_fold(net_csum_add(0, ip, ihl)));
	if (total < ihl || NET_ETH_HDR + total > len)
		return;
	uint8_t *l4 = ip + ihl;
	size_t n = total - ihl;
	uint32_t src = get32(ip + 12), dst = get32(ip + 16);
	if (ip[9] == IP_PROTO_TCP && n >= TCP_HDR) {
		put16(l4 + 16, 0);
		put16(l4 + 16, net_l4_csum(src, dst, IP_PROTO_TCP, l4, n));
	} else if (ip[9] == IP_PROTO_UDP && n >= UDP_HDR && get16(l4 + 4) >= UDP_HDR && get16(l4 + 4) <= n) {
		put16(l4 + 6, 0);
		put16(l4 + 6, net_l4_csum(src, dst, IP_PROTO_UDP, l4, get16(l4 + 4)));
	} else if (ip[9] == IP_PROTO_ICMP && n >= 4) {
		put16(l4 + 2, 0);
		put16(l4 + 2, net_csum_fold(net_csum_add(0, l4, n)));
	}
}

static struct net_stack *copy_of(struct net_stack *s)
{
	struct net_stack *c = malloc(sizeof(*c));
	if (!c)
		abort();
	memcpy(c, s, sizeof(*c));
	return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_world w;

	(void)argc;
	(void)argv;
	fuzz_world_init(&w);
	snap_a = copy_of(w.A);
	snap_c = copy_of(w.C);
	snap_a->tx = snap_c->tx = sink;
	int hs[] = {w.a_listen, w.a_passive, w.a_active, w.a_udp, w.a_dns, w.a_ping};
	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		snap_handles[snap_nh++] = hs[i];
	sim_free(&w.sim);
	A = malloc(sizeof(*A));
	C = malloc(sizeof(*C));
	return 0;
}

static void add_handle(int h)
{
	if (h > 0 && nh < MAX_HANDLES)
		handles[nh++] = h;
}

static void api(uint8_t op, uint8_t a0, uint8_t a1)
{
	static uint8_t buf[4096];
	int h = nh ? handles[a0 % nh] : 0;
	uint32_t ip;
	uint16_t port;

	memset(buf, 'f', sizeof(buf));
	switch (op % 12) {
	case 0:
		for (int i = 0; i < nh; i++)
			while (net_tcp_recv(A, handles[i], buf, sizeof(buf)) > 0)
				;
		break;
	case 1: (void)net_tcp_send(A, h, buf, (size_t)a1 * 16); break;
	case 2: add_handle(net_tcp_accept(A, h, &ip, &port)); break;
	case 3: (void)net_tcp_shutdown(A, h); break;
	case 4: (void)net_tcp_close(A, h); break;
	case 5: (void)net_tcp_abort(A, h); break;
	case 6:
		(void)net_udp_recvfrom(A, h, buf, a1, &ip, &port);
		(void)net_udp_sendto(A, h, NET_IP4(10, 0, 2, 16), 53, buf, a1);
		break;
	case 7:
		(void)net_dns_result(A, h, &ip);
		(void)net_ping_result(A, h, &ip);
		break;
	case 8: add_handle(net_tcp_connect(A, NET_IP4(10, 0, 2, a1), 81)); break;
	case 9: (void)net_tcp_set_nodelay(A, h, a1 & 1); break;
	case 10: add_handle(net_ping(A, NET_IP4(10, 0, 2, a1), a1, 1000)); break;
	default:
		add_handle(net_dns_query(A, a1 & 1 ? "a.example" : "b.example"));
		(void)net_tcp_state(A, h);
		(void)net_tcp_status(A, h);
		(void)net_poll(A, h);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_event ev[8];
	uint64_t now;

	memcpy(A, snap_a, sizeof(*A));
	memcpy(C, snap_c, sizeof(*C));
	memcpy(handles, snap_handles, sizeof(handles));
	nh = snap_nh;
	now = A->now;
	for (size_t i = 0; i < size;) {
		uint8_t op = data[i++];
		size_t len = 0;
		if (i + 2 <= size) {
			len = get16(data + i);
			i += 2;
		} else {
			i = size;
		}
		switch (op % 4) {
		case FUZZ_OP_FRAME_A:
		case FUZZ_OP_FRAME_C:
			len %= NET_FRAME_MAX + 64;
			if (len > size - i)
				len = size - i;
			if (op & FUZZ_FIX_CSUM) {
				static uint8_t frame[NET_FRAME_MAX + 64];
				memcpy(frame, data + i, len);
				fix_checksums(frame, len);
				net_input(op % 4 == FUZZ_OP_FRAME_A ? A : C, frame, len);
			} else {
				net_input(op % 4 == FUZZ_OP_FRAME_A ? A : C, data + i, len);
			}
			i += len;
			break;
		case FUZZ_OP_TIME:
			now += len;
			net_tick(A, now);
			net_tick(C, now);
			break;
		default:
			api(op / 4, (uint8_t)(len >> 8), (uint8_t)len);
			break;
		}
		while (net_events(A, ev, 8) == 8)
			;
		(void)net_events(C, ev, 8);
	}
	/* Let every timer run out: retransmissions, TIME_WAIT, DHCP, DNS. */
	for (int k = 0; k < 40; k++) {
		uint64_t d = net_next_deadline(A);
		if (d == UINT64_MAX)
			break;
		net_tick(A, d > now ? d : now);
	}
	net_tick(C, now + 10000);
	return 0;
}

#ifdef NET_FUZZ_REPLAY
/* Without libFuzzer: runs the given inputs and prints what they reached
 * (to check that seeds drive the stacks where they should). */
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f)
			return 1;
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		uint32_t dns_ip = 0;
		LLVMFuzzerTestOneInput(buf, n);
		const struct net_stats *s = net_stats(A);
		dns_ip = A->dns[snap_handles[4] & 0xff].ip;
		printf("%s: A rx %u tcp %u/%u ooo %u retr %u persist %u dns %d/%x echo %u/%d arp %u/%u udp %u; C dhcp state %u src %u\n",
		       argv[i], s->rx_frames, s->tcp_rx_segs, s->tcp_tx_segs, s->tcp_ooo_segs, s->tcp_retransmits,
		       s->tcp_persist_probes, A->dns[snap_handles[4] & 0xff].result, dns_ip,
		       s->icmp_rx_echo_reply, A->ping[snap_handles[5] & 0xff].result, s->arp_rx_request, s->arp_rx_reply, A->udp[snap_handles[3] & 0xff].len,
		       C->dhcp.state, C->addr_source);
		if (getenv("NET_FUZZ_STATS"))
			for (size_t k = 0; k < sizeof(*s) / 4; k++)
				if (((const uint32_t *)s)[k] != ((const uint32_t *)net_stats(snap_a))[k])
					printf("  stat[%zu] %u -> %u\n", k, ((const uint32_t *)net_stats(snap_a))[k], ((const uint32_t *)s)[k]);
	}
	return 0;
}
#endif
