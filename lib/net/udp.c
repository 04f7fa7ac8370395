/* UDP (RFC 768): bound sockets with per-socket receive queues. Datagrams
 * for the DHCP client and for pending DNS queries are diverted to them. */
#include "net_int.h"

#define UDP_REC_HDR 8   /* queue record: source ip(4), source port(2), length(2) */

static struct net_udp_sock *udp_find(struct net_stack *s, uint16_t port)
{
	for (int i = 0; i < NET_UDP_SOCKETS; i++)
		if (s->udp[i].used && s->udp[i].port == port)
			return &s->udp[i];
	return NULL;
}

struct net_udp_sock *udp_get(struct net_stack *s, int h)
{
	int i = net_handle_slot(h, NET_K_UDP, NET_UDP_SOCKETS);

	if (i < 0 || !s->udp[i].used || s->udp[i].gen != net_handle_gen(h))
		return NULL;
	return &s->udp[i];
}

static void udp_enqueue(struct net_stack *s, struct net_udp_sock *u, uint32_t ip, uint16_t port,
                        const uint8_t *data, uint32_t len)
{
	uint8_t rec[UDP_REC_HDR];
	uint32_t tail = (u->head + u->len) % NET_UDP_RXBUF;

	if (NET_UDP_RXBUF - u->len < UDP_REC_HDR + len) {
		s->stats.udp_queue_full++;
		return;
	}
	put32(rec, ip);
	put16(rec + 4, port);
	put16(rec + 6, (uint16_t)len);
	net_ring_put(u->ring, NET_UDP_RXBUF, tail, rec, UDP_REC_HDR);
	net_ring_put(u->ring, NET_UDP_RXBUF, (tail + UDP_REC_HDR) % NET_UDP_RXBUF, data, len);
	u->len += UDP_REC_HDR + len;
	u->ev = true;
}

void udp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	if (len < UDP_HDR) {
		s->stats.udp_short++;
		return;
	}
	size_t ulen = get16(p + 4);
	if (ulen < UDP_HDR || ulen > len) {
		s->stats.udp_bad_len++;
		return;
	}
	/* A zero checksum means the sender did not compute one. */
	if (get16(p + 6) != 0 && net_l4_csum(ip->src, ip->dst, IP_PROTO_UDP, p, ulen) != 0) {
		s->stats.udp_bad_csum++;
		return;
	}
	uint16_t sport = get16(p), dport = get16(p + 2);
	const uint8_t *data = p + UDP_HDR;
	uint32_t dlen = (uint32_t)(ulen - UDP_HDR);

	if (dport == DHCP_CLIENT_PORT && sport == DHCP_SERVER_PORT && dhcp_active(s)) {
		dhcp_input(s, ip, data, dlen);
		return;
	}
	if (!s->ifc.ip)
		return;   /* only DHCP is served before we have an address */
	if (dns_input(s, ip, sport, dport, data, dlen))
		return;
	struct net_udp_sock *u = udp_find(s, dport);
	if (!u) {
		s->stats.udp_no_port++;
		icmp_port_unreachable(s, ip);
		return;
	}
	udp_enqueue(s, u, ip->src, sport, data, dlen);
}

/* Sends the len bytes at udp_payload(s). */
int udp_output(struct net_stack *s, uint16_t sport, uint32_t dst, uint16_t dport, size_t len)
{
	uint8_t *h = ip_payload(s);
	uint16_t sum;

	put16(h, sport);
	put16(h + 2, dport);
	put16(h + 4, (uint16_t)(UDP_HDR + len));
	put16(h + 6, 0);
	sum = net_l4_csum(s->ifc.ip, dst, IP_PROTO_UDP, h, UDP_HDR + len);
	put16(h + 6, sum ? sum : 0xffff);   /* 0 would mean "no checksum" */
	return ip_output(s, dst, IP_PROTO_UDP, UDP_HDR + len);
}

static bool udp_port_in_use(const struct net_stack *s, uint16_t port)
{
	for (int i = 0; i < NET_UDP_SOCKETS; i++)
		if (s->udp[i].used && s->udp[i].port == port)
			return true;
	return dns_port_in_use(s, port);
}

uint16_t udp_ephemeral_port(struct net_stack *s) { return net_pick_port(s, udp_port_in_use); }

int net_udp_open(struct net_stack *s, uint16_t port)
{
	int i;

	if (port && udp_port_in_use(s, port))
		return -EADDRINUSE;
	for (i = 0; i < NET_UDP_SOCKETS && s->udp[i].used; i++)
		;
	if (i == NET_UDP_SOCKETS)
		return -EMFILE;
	if (!port)
		port = udp_ephemeral_port(s);
	struct net_udp_sock *u = &s->udp[i];
	u->used = true;
	u->ev = false;
	u->gen++;
	u->port = port;
	u->head = u->len = 0;
	return net_handle(NET_K_UDP, u->gen, (unsigned)i);
}

int net_udp_port(struct net_stack *s, int h)
{
	struct net_udp_sock *u = udp_get(s, h);

	return u ? u->port : -EBADF;
}

int net_udp_sendto(struct net_stack *s, int h, uint32_t ip, uint16_t port, const void *data, size_t len)
{
	struct net_udp_sock *u = udp_get(s, h);

	if (!u)
		return -EBADF;
	if (len > NET_UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!port || (!data && len))
		return -EINVAL;
	if (!s->ifc.ip)
		return -ENETDOWN;
	if (len)
		memcpy(udp_payload(s), data, len);
	int rc = udp_output(s, u->port, ip, port, len);
	return rc < 0 ? rc : (int)len;
}

/* Returns the datagram's length, truncated to cap (the rest is lost). */
int net_udp_recvfrom(struct net_stack *s, int h, void *buf, size_t cap, uint32_t *ip, uint16_t *port)
{
	struct net_udp_sock *u = udp_get(s, h);
	uint8_t rec[UDP_REC_HDR];

	if (!u)
		return -EBADF;
	if (!buf && cap)
		return -EINVAL;
	if (!u->len)
		return -EAGAIN;
	net_ring_get(u->ring, NET_UDP_RXBUF, u->head, rec, UDP_REC_HDR);
	uint32_t dlen = get16(rec + 6), n = (uint32_t)(cap < dlen ? cap : dlen);
	if (n)
		net_ring_get(u->ring, NET_UDP_RXBUF, (u->head + UDP_REC_HDR) % NET_UDP_RXBUF, buf, n);
	u->head = (u->head + UDP_REC_HDR + dlen) % NET_UDP_RXBUF;
	u->len -= UDP_REC_HDR + dlen;
	if (ip)
		*ip = get32(rec);
	if (port)
		*port = get16(rec + 4);
	return (int)n;
}

int net_udp_close(struct net_stack *s, int h)
{
	struct net_udp_sock *u = udp_get(s, h);

	if (!u)
		return -EBADF;
	u->used = false;
	return 0;
}

unsigned udp_poll(const struct net_udp_sock *u)
{
	return NET_EV_OUT | (u->len ? NET_EV_IN : 0u);
}
