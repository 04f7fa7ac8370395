/* ICMP (RFC 792, RFC 1122 3.2.2): answers echo requests, matches echo
 * replies to our pings, sends rate-limited port unreachables. */
#include "net_int.h"

#define ICMP_ECHO_REPLY  0
#define ICMP_UNREACH     3
#define ICMP_PORT_UNREACH 3
#define ICMP_ECHO        8
#define ICMP_HDR         8
#define ICMP_ERR_PER_SEC 10

static uint8_t ping_pattern(uint16_t seq, size_t i) { return (uint8_t)(i + seq); }

static void icmp_echo_reply(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	uint8_t *out = ip_payload(s);

	s->stats.icmp_rx_echo++;
	if (ip->bcast)
		return;   /* no replies to broadcast pings (RFC 1122 3.2.2.6 MAY) */
	if (len > NET_MTU - IP_HDR) {
		s->stats.icmp_other++;   /* a frame padded past the MTU: would not fit back */
		return;
	}
	memcpy(out, p, len);
	out[0] = ICMP_ECHO_REPLY;
	put16(out + 2, 0);
	put16(out + 2, net_csum_fold(net_csum_add(0, out, len)));
	if (ip_output(s, ip->src, IP_PROTO_ICMP, len) == 0)
		s->stats.icmp_tx_echo_reply++;
}

static void icmp_match_reply(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	uint16_t seq = get16(p + 6);

	s->stats.icmp_rx_echo_reply++;
	for (int i = 0; i < NET_PING_SLOTS; i++) {
		struct net_ping *q = &s->ping[i];
		if (!q->used || q->done || q->ip != ip->src || q->seq != seq ||
		    get16(p + 4) != s->ping_ident || len - ICMP_HDR != q->len)
			continue;
		bool same = true;
		for (size_t k = 0; k < q->len && same; k++)
			same = p[ICMP_HDR + k] == ping_pattern(seq, k);
		if (!same)
			break;
		q->done = q->ev = true;
		q->result = 0;
		q->rtt = (uint32_t)(s->now - q->sent);
		return;
	}
	s->stats.icmp_unmatched_reply++;
}

void icmp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	if (len < ICMP_HDR) {
		s->stats.icmp_short++;
		return;
	}
	if (net_csum_fold(net_csum_add(0, p, len)) != 0) {
		s->stats.icmp_bad_csum++;
		return;
	}
	if (p[0] == ICMP_ECHO && p[1] == 0)
		icmp_echo_reply(s, ip, p, len);
	else if (p[0] == ICMP_ECHO_REPLY && p[1] == 0)
		icmp_match_reply(s, ip, p, len);
	else
		s->stats.icmp_other++;   /* errors are not passed up: TCP and DNS time out */
}

/* A UDP datagram for a closed port (RFC 1122 4.1.3.1). Quotes the IP
 * header and 8 bytes; at most ICMP_ERR_PER_SEC per second (RFC 1812). */
void icmp_port_unreachable(struct net_stack *s, const struct ip_rx *ip)
{
	uint8_t *out = ip_payload(s);
	size_t quote = ip->pkt_len < ip->hdr_len + 8 ? ip->pkt_len : ip->hdr_len + 8;

	if (ip->bcast)
		return;
	if (s->now - s->icmp_err_window >= 1000) {
		s->icmp_err_window = s->now;
		s->icmp_err_count = 0;
	}
	if (s->icmp_err_count >= ICMP_ERR_PER_SEC) {
		s->stats.icmp_rate_limited++;
		return;
	}
	s->icmp_err_count++;
	out[0] = ICMP_UNREACH;
	out[1] = ICMP_PORT_UNREACH;
	memset(out + 2, 0, 6);
	memcpy(out + ICMP_HDR, ip->pkt, quote);
	put16(out + 2, net_csum_fold(net_csum_add(0, out, ICMP_HDR + quote)));
	if (ip_output(s, ip->src, IP_PROTO_ICMP, ICMP_HDR + quote) == 0)
		s->stats.icmp_tx_unreach++;
}

/* ---- ping API */

struct net_ping *ping_get(struct net_stack *s, int h)
{
	int i = net_handle_slot(h, NET_K_PING, NET_PING_SLOTS);

	if (i < 0 || !s->ping[i].used || s->ping[i].gen != net_handle_gen(h))
		return NULL;
	return &s->ping[i];
}

int net_ping(struct net_stack *s, uint32_t ip, uint16_t payload_len, uint32_t timeout_ms)
{
	uint8_t *out = ip_payload(s);
	int i;

	if (payload_len > NET_MTU - IP_HDR - ICMP_HDR)
		return -EMSGSIZE;
	if (timeout_ms == 0)
		return -EINVAL;
	if (!s->ifc.ip)
		return -ENETDOWN;
	for (i = 0; i < NET_PING_SLOTS && s->ping[i].used; i++)
		;
	if (i == NET_PING_SLOTS)
		return -EMFILE;
	uint16_t seq = ++s->ping_seq;
	out[0] = ICMP_ECHO;
	out[1] = 0;
	put16(out + 2, 0);
	put16(out + 4, s->ping_ident);
	put16(out + 6, seq);
	for (size_t k = 0; k < payload_len; k++)
		out[ICMP_HDR + k] = ping_pattern(seq, k);
	put16(out + 2, net_csum_fold(net_csum_add(0, out, ICMP_HDR + (size_t)payload_len)));
	int rc = ip_output(s, ip, IP_PROTO_ICMP, ICMP_HDR + (size_t)payload_len);
	if (rc < 0)
		return rc;
	struct net_ping *q = &s->ping[i];
	uint16_t gen = (uint16_t)(q->gen + 1);
	memset(q, 0, sizeof(*q));
	q->used = true;
	q->gen = gen;
	q->seq = seq;
	q->len = payload_len;
	q->ip = ip;
	q->sent = s->now;
	q->deadline = s->now + timeout_ms;
	return net_handle(NET_K_PING, gen, (unsigned)i);
}

int net_ping_result(struct net_stack *s, int h, uint32_t *rtt_ms)
{
	struct net_ping *q = ping_get(s, h);

	if (!q)
		return -EBADF;
	if (!q->done)
		return -EAGAIN;
	if (rtt_ms && q->result == 0)
		*rtt_ms = q->rtt;
	q->used = false;
	return q->result;
}

int net_ping_cancel(struct net_stack *s, int h)
{
	struct net_ping *q = ping_get(s, h);

	if (!q)
		return -EBADF;
	q->used = false;
	return 0;
}

void ping_tick(struct net_stack *s)
{
	for (int i = 0; i < NET_PING_SLOTS; i++) {
		struct net_ping *q = &s->ping[i];
		if (q->used && !q->done && s->now >= q->deadline) {
			q->done = q->ev = true;
			q->result = -ETIMEDOUT;
		}
	}
}

uint64_t ping_deadline(const struct net_stack *s)
{
	uint64_t d = 0;

	for (int i = 0; i < NET_PING_SLOTS; i++)
		if (s->ping[i].used && !s->ping[i].done)
			d = earliest(d, s->ping[i].deadline);
	return d;
}

unsigned ping_poll(const struct net_ping *q)
{
	return q->done ? NET_EV_IN | (q->result ? NET_EV_ERR : 0u) : 0u;
}
