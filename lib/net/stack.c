/* The stack as a whole: initialisation, the entry points the host drives
 * (input, tick, deadline), address configuration and readiness reporting. */
#include "net_int.h"

void net_init(struct net_stack *s, const struct net_config *cfg)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->mac, cfg->mac, 6);
	s->tx = cfg->tx;
	s->tx_ctx = cfg->tx_ctx;
	s->now = cfg->now_ms;
	s->rng = cfg->seed;
	s->iss_key[0] = ((uint64_t)net_rand32(s) << 32) | net_rand32(s);
	s->iss_key[1] = ((uint64_t)net_rand32(s) << 32) | net_rand32(s);
	s->ping_ident = (uint16_t)net_rand32(s);
	s->ip_id = (uint16_t)net_rand32(s);
}

void net_input(struct net_stack *s, const void *frame, size_t len)
{
	s->stats.rx_frames++;
	if (frame)
		eth_input(s, frame, len);
	else
		s->stats.eth_short++;
}

void net_tick(struct net_stack *s, uint64_t now_ms)
{
	if (now_ms > s->now)   /* the clock never runs backwards for us */
		s->now = now_ms;
	arp_tick(s);
	dhcp_tick(s);
	dns_tick(s);
	ping_tick(s);
	tcp_tick(s);
}

uint64_t net_next_deadline(const struct net_stack *s)
{
	uint64_t d = earliest(earliest(arp_deadline(s), dhcp_deadline(s)),
	                      earliest(earliest(dns_deadline(s), ping_deadline(s)), tcp_deadline(s)));
	return d ? d : UINT64_MAX;
}

const struct net_stats *net_stats(const struct net_stack *s) { return &s->stats; }

void net_set_address(struct net_stack *s, const struct net_ifconfig *c, enum net_addr_source src)
{
	if (c)
		s->ifc = *c;
	else
		memset(&s->ifc, 0, sizeof(s->ifc));
	s->addr_source = (uint8_t)src;
	s->if_ev = true;
}

void net_set_ifconfig(struct net_stack *s, const struct net_ifconfig *c)
{
	dhcp_stop(s);
	net_set_address(s, c, c && c->ip ? NET_ADDR_STATIC : NET_ADDR_NONE);
}

enum net_addr_source net_get_ifconfig(const struct net_stack *s, struct net_ifconfig *c)
{
	if (c)
		*c = s->ifc;
	return (enum net_addr_source)s->addr_source;
}

int net_poll(struct net_stack *s, int h)
{
	switch (h >> 24) {
	case NET_K_TCP: {
		struct net_tcp_conn *c = tcp_get(s, h);
		return c ? (int)tcp_poll(s, c) : -EBADF;
	}
	case NET_K_UDP: {
		struct net_udp_sock *u = udp_get(s, h);
		return u ? (int)udp_poll(u) : -EBADF;
	}
	case NET_K_PING: {
		struct net_ping *q = ping_get(s, h);
		return q ? (int)ping_poll(q) : -EBADF;
	}
	case NET_K_DNS: {
		struct net_dns_q *q = dns_get(s, h);
		return q ? (int)dns_poll(q) : -EBADF;
	}
	default:
		return h == NET_IFACE_HANDLE ? 0 : -EBADF;
	}
}

/* Appends one event if the flag is set and there is room; clears the flag. */
static bool report(struct net_event *ev, int max, int *n, bool *flag, int handle, unsigned mask)
{
	if (!*flag)
		return true;
	if (*n >= max)
		return false;
	*flag = false;
	ev[*n].handle = handle;
	ev[*n].mask = mask;
	(*n)++;
	return true;
}

/* Every handle whose state changed since the last call, with its current
 * readiness. Flags left over when ev is full are reported next time. */
int net_events(struct net_stack *s, struct net_event *ev, int max)
{
	int n = 0;
	bool room = report(ev, max, &n, &s->if_ev, NET_IFACE_HANDLE, NET_EV_IFACE);

	for (unsigned i = 0; room && i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &s->tcp[i];
		if (!c->used || c->orphan || c->parent >= 0)
			c->ev = false;   /* nobody holds a handle to it */
		else
			room = report(ev, max, &n, &c->ev, net_handle(NET_K_TCP, c->gen, i), tcp_poll(s, c));
	}
	for (unsigned i = 0; room && i < NET_UDP_SOCKETS; i++)
		if (s->udp[i].used)
			room = report(ev, max, &n, &s->udp[i].ev, net_handle(NET_K_UDP, s->udp[i].gen, i),
			              udp_poll(&s->udp[i]));
	for (unsigned i = 0; room && i < NET_PING_SLOTS; i++)
		if (s->ping[i].used)
			room = report(ev, max, &n, &s->ping[i].ev, net_handle(NET_K_PING, s->ping[i].gen, i),
			              ping_poll(&s->ping[i]));
	for (unsigned i = 0; room && i < NET_DNS_SLOTS; i++)
		if (s->dns[i].used)
			room = report(ev, max, &n, &s->dns[i].ev, net_handle(NET_K_DNS, s->dns[i].gen, i),
			              dns_poll(&s->dns[i]));
	return n;
}
