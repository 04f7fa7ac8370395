/* DHCP client (RFC 2131): DISCOVER -> OFFER -> REQUEST -> ACK, renewal at
 * T1 (unicast) and T2 (broadcast), restart when the lease expires or the
 * server NAKs. If nothing is bound NET_DHCP_FALLBACK_MS after the start,
 * the QEMU slirp defaults are configured statically and DHCP stops.
 * Not done: the ARP probe of the offered address (RFC 2131 2.2 SHOULD). */
#include "net_int.h"

enum { DHCP_OFF, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING, DHCP_REBINDING };
enum { DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK };

#define BOOTP_LEN     236
#define DHCP_MAGIC    0x63825363u
#define DHCP_MIN_LEN  (BOOTP_LEN + 4)
#define DHCP_SEND_LEN 300            /* BOOTP's minimum message, which some servers expect */
#define DHCP_MIN_LEASE_S 10          /* a hostile 0 s lease must not make a renewal storm */
#define DHCP_REQ_TRIES 4

bool dhcp_active(const struct net_stack *s) { return s->dhcp.state != DHCP_OFF; }

static void dhcp_send(struct net_stack *s, uint8_t type)
{
	struct net_dhcp *d = &s->dhcp;
	uint8_t *p = udp_payload(s), *o = p + DHCP_MIN_LEN;
	bool requesting = d->state == DHCP_REQUESTING;
	uint32_t dst = d->state == DHCP_RENEWING ? d->server : IP_BROADCAST;

	memset(p, 0, DHCP_SEND_LEN);
	p[0] = 1;   /* BOOTREQUEST */
	p[1] = 1;   /* Ethernet */
	p[2] = 6;
	put32(p + 4, d->xid);
	put16(p + 8, (uint16_t)min64((s->now - d->start) / 1000, 0xffff));
	if (d->state == DHCP_RENEWING || d->state == DHCP_REBINDING)
		put32(p + 12, s->ifc.ip);   /* ciaddr */
	memcpy(p + 28, s->mac, 6);
	put32(p + BOOTP_LEN, DHCP_MAGIC);
	*o++ = 53; *o++ = 1; *o++ = type;
	if (requesting) {
		*o++ = 50; *o++ = 4; put32(o, d->offer_ip); o += 4;
		*o++ = 54; *o++ = 4; put32(o, d->server); o += 4;
	}
	static const uint8_t params[] = {55, 6, 1, 3, 6, 51, 58, 59};
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o = 255;
	(void)udp_output(s, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT, DHCP_SEND_LEN);
}

/* Enters SELECTING or REQUESTING and transmits its first message. */
static void dhcp_enter(struct net_stack *s, uint8_t state)
{
	struct net_dhcp *d = &s->dhcp;

	d->state = state;
	d->tries = 0;
	if (state == DHCP_SELECTING) {
		d->xid = net_rand32(s);
		d->start = s->now;
	}
	d->next = s->now + 1000;
	dhcp_send(s, state == DHCP_SELECTING ? DHCPDISCOVER : DHCPREQUEST);
}

int net_dhcp_start(struct net_stack *s)
{
	if (dhcp_active(s))
		return -EALREADY;
	net_set_address(s, NULL, NET_ADDR_NONE);
	dhcp_enter(s, DHCP_SELECTING);
	return 0;
}

void dhcp_stop(struct net_stack *s) { s->dhcp.state = DHCP_OFF; }

static void dhcp_restart(struct net_stack *s)
{
	net_set_address(s, NULL, NET_ADDR_NONE);
	dhcp_enter(s, DHCP_SELECTING);
}

struct dhcp_opts {
	uint8_t type;
	bool has_mask, has_server;
	uint32_t mask, router, dns, server, lease, t1, t2;
};

/* Parses the options; false if any is malformed. */
static bool dhcp_parse(const uint8_t *p, size_t len, struct dhcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = DHCP_MIN_LEN; i < len;) {
		uint8_t code = p[i];
		if (code == 0) {
			i++;
			continue;
		}
		if (code == 255)
			break;
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return false;
		uint8_t l = p[i + 1];
		const uint8_t *v = p + i + 2;
		bool ok = true;
		switch (code) {
		case 53: ok = l == 1; if (ok) o->type = v[0]; break;
		case 1:  ok = l == 4; if (ok) { o->mask = get32(v); o->has_mask = true; } break;
		case 3:  ok = l >= 4 && l % 4 == 0; if (ok) o->router = get32(v); break;
		case 6:  ok = l >= 4 && l % 4 == 0; if (ok) o->dns = get32(v); break;
		case 51: ok = l == 4; if (ok) o->lease = get32(v); break;
		case 54: ok = l == 4; if (ok) { o->server = get32(v); o->has_server = true; } break;
		case 58: ok = l == 4; if (ok) o->t1 = get32(v); break;
		case 59: ok = l == 4; if (ok) o->t2 = get32(v); break;
		default: break;
		}
		if (!ok)
			return false;
		i += 2u + l;
	}
	return o->type != 0;
}

static bool usable_unicast(uint32_t ip)
{
	uint8_t top = (uint8_t)(ip >> 24);

	return ip != 0 && top != 0 && top != 127 && top < 224;
}

static bool contiguous_mask(uint32_t m)
{
	uint32_t inv = ~m;

	return m != 0 && (inv & (inv + 1)) == 0;
}

static void dhcp_bind(struct net_stack *s, uint32_t yiaddr, const struct dhcp_opts *o)
{
	struct net_dhcp *d = &s->dhcp;
	struct net_ifconfig c = {
		.ip = yiaddr,
		.netmask = o->has_mask ? o->mask : NET_IP4(255, 255, 255, 0),
		.gateway = o->router, .dns = o->dns,
	};
	uint64_t lease = o->lease ? o->lease : 3600;
	uint64_t t1 = o->t1, t2 = o->t2;

	if (((c.gateway ^ c.ip) & c.netmask) != 0)
		c.gateway = 0;   /* an off-link router is unusable */
	if (lease < DHCP_MIN_LEASE_S)
		lease = DHCP_MIN_LEASE_S;
	if (!t1 || !t2 || t1 > t2 || t2 > lease) {
		t1 = lease / 2;
		t2 = lease * 7 / 8;
	}
	if (o->has_server)
		d->server = o->server;
	d->lease_s = (uint32_t)lease;
	d->t1 = s->now + t1 * 1000;
	d->t2 = s->now + t2 * 1000;
	d->expire = s->now + lease * 1000;
	d->state = DHCP_BOUND;
	if (s->addr_source != NET_ADDR_DHCP || memcmp(&c, &s->ifc, sizeof(c)) != 0)
		net_set_address(s, &c, NET_ADDR_DHCP);
}

void dhcp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	struct net_dhcp *d = &s->dhcp;
	struct dhcp_opts o;

	(void)ip;
	if (len < DHCP_MIN_LEN || p[0] != 2 || p[1] != 1 || p[2] != 6 ||
	    get32(p + BOOTP_LEN) != DHCP_MAGIC || !dhcp_parse(p, len, &o)) {
		s->stats.dhcp_bad++;
		return;
	}
	if (get32(p + 4) != d->xid || memcmp(p + 28, s->mac, 6) != 0) {
		s->stats.dhcp_ignored++;
		return;
	}
	uint32_t yiaddr = get32(p + 16);
	bool waiting_ack = d->state == DHCP_REQUESTING || d->state == DHCP_RENEWING ||
	                   d->state == DHCP_REBINDING;
	bool from_server = !o.has_server || d->state == DHCP_SELECTING || d->state == DHCP_REBINDING ||
	                   o.server == d->server;

	if (o.type == DHCPOFFER && d->state == DHCP_SELECTING && o.has_server && usable_unicast(yiaddr) &&
	    usable_unicast(o.server)) {
		d->offer_ip = yiaddr;
		d->server = o.server;
		dhcp_enter(s, DHCP_REQUESTING);
	} else if (o.type == DHCPACK && waiting_ack && from_server && usable_unicast(yiaddr) &&
	           (!o.has_mask || contiguous_mask(o.mask))) {
		dhcp_bind(s, yiaddr, &o);
	} else if (o.type == DHCPNAK && waiting_ack && from_server) {
		s->stats.dhcp_nak++;
		dhcp_restart(s);
	} else {
		s->stats.dhcp_ignored++;
	}
}

void dhcp_tick(struct net_stack *s)
{
	struct net_dhcp *d = &s->dhcp;

	switch (d->state) {
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
		if (s->addr_source == NET_ADDR_NONE && s->now >= d->start + NET_DHCP_FALLBACK_MS) {
			struct net_ifconfig c = {
				NET_IP4(10, 0, 2, 15), NET_IP4(255, 255, 255, 0),
				NET_IP4(10, 0, 2, 2), NET_IP4(10, 0, 2, 3),
			};
			s->stats.dhcp_fallback++;
			d->state = DHCP_OFF;
			net_set_address(s, &c, NET_ADDR_FALLBACK);
			return;
		}
		if (s->now < d->next)
			return;
		if (d->state == DHCP_REQUESTING && d->tries + 1 >= DHCP_REQ_TRIES) {
			dhcp_enter(s, DHCP_SELECTING);   /* the offer went stale */
			return;
		}
		d->tries++;
		d->next = s->now + ((uint64_t)1000 << min32(d->tries, 5));
		dhcp_send(s, d->state == DHCP_SELECTING ? DHCPDISCOVER : DHCPREQUEST);
		break;
	case DHCP_BOUND:
	case DHCP_RENEWING:
	case DHCP_REBINDING: {
		if (s->now >= d->expire) {
			dhcp_restart(s);
			return;
		}
		uint8_t want = s->now >= d->t2 ? DHCP_REBINDING : s->now >= d->t1 ? DHCP_RENEWING : DHCP_BOUND;
		if (want == DHCP_BOUND || (want == d->state && s->now < d->next))
			return;
		/* RFC 2131 4.4.5: retransmit after half the time left, at
		 * least a minute later. */
		uint64_t until = want == DHCP_RENEWING ? d->t2 : d->expire;
		d->state = want;
		d->next = s->now + (until - s->now) / 2;
		if (d->next < s->now + 60000)
			d->next = s->now + 60000;
		dhcp_send(s, DHCPREQUEST);
		break;
	}
	default:
		break;
	}
}

uint64_t dhcp_deadline(const struct net_stack *s)
{
	const struct net_dhcp *d = &s->dhcp;

	switch (d->state) {
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
		return s->addr_source == NET_ADDR_NONE ? min64(d->next, d->start + NET_DHCP_FALLBACK_MS)
		                                       : d->next;
	case DHCP_BOUND:
		return min64(d->t1, d->expire);
	case DHCP_RENEWING:
		return min64(d->next, d->t2);
	case DHCP_REBINDING:
		return min64(d->next, d->expire);
	default:
		return 0;
	}
}
