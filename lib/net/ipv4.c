/* IPv4 (RFC 791, RFC 1122 host rules): header validation and dispatch,
 * routing to the link or the gateway, header construction. We never
 * fragment (DF is set, callers respect the MTU) and refuse fragments. */
#include "net_int.h"

#define IP_TTL 64
#define IP_DF  0x4000

bool ip_is_bcast(const struct net_stack *s, uint32_t ip)
{
	uint32_t mask = s->ifc.netmask;

	return ip == IP_BROADCAST ||
	       (s->ifc.ip && mask && mask != IP_BROADCAST && ip == (s->ifc.ip | ~mask));
}

/* Addresses that may not appear as a source on the wire (RFC 1122 3.2.1.3). */
static bool martian_src(const struct net_stack *s, uint32_t ip)
{
	uint8_t top = (uint8_t)(ip >> 24);

	return ip == 0 || top == 127 || top >= 224 || ip_is_bcast(s, ip);
}

void ipv4_input(struct net_stack *s, const uint8_t *p, size_t len)
{
	if (len < IP_HDR) {
		s->stats.ip_short++;
		return;
	}
	if (p[0] >> 4 != 4) {
		s->stats.ip_bad_version++;
		return;
	}
	size_t ihl = (size_t)(p[0] & 0xf) * 4;
	if (ihl < IP_HDR || ihl > len) {
		s->stats.ip_bad_ihl++;
		return;
	}
	size_t total = get16(p + 2);
	if (total < ihl || total > len) {   /* bytes beyond total are link padding */
		s->stats.ip_bad_len++;
		return;
	}
	if (net_csum_fold(net_csum_add(0, p, ihl)) != 0) {
		s->stats.ip_bad_csum++;
		return;
	}
	if (get16(p + 6) & 0x3fff) {   /* MF set or a fragment offset */
		s->stats.ip_fragment++;
		return;
	}
	struct ip_rx r = {
		.src = get32(p + 12), .dst = get32(p + 16),
		.pkt = p, .hdr_len = ihl, .pkt_len = total,
	};
	if (martian_src(s, r.src)) {
		s->stats.ip_bad_src++;
		return;
	}
	r.bcast = ip_is_bcast(s, r.dst);
	/* Without an address only DHCP replies are wanted; they may be
	 * unicast to the address being offered. */
	bool ours = s->ifc.ip ? (r.bcast || r.dst == s->ifc.ip)
	                      : (dhcp_active(s) && p[9] == IP_PROTO_UDP);
	if (!ours) {
		s->stats.ip_not_for_us++;
		return;
	}
	switch (p[9]) {
	case IP_PROTO_ICMP:
		icmp_input(s, &r, p + ihl, total - ihl);
		break;
	case IP_PROTO_TCP:
		tcp_input(s, &r, p + ihl, total - ihl);
		break;
	case IP_PROTO_UDP:
		udp_input(s, &r, p + ihl, total - ihl);
		break;
	default:
		s->stats.ip_unknown_proto++;
		break;
	}
}

/* Sends the payload_len bytes at ip_payload(s) to dst. The source is our
 * address, or 0.0.0.0 while DHCP has none (only broadcasts then). */
int ip_output(struct net_stack *s, uint32_t dst, uint8_t proto, size_t payload_len)
{
	uint8_t *h = s->tx_frame + NET_ETH_HDR;
	uint32_t next_hop;

	if (ip_is_bcast(s, dst)) {
		next_hop = IP_BROADCAST;
	} else if (s->ifc.ip == 0) {
		s->stats.ip_no_route++;
		return -ENETDOWN;
	} else if (((dst ^ s->ifc.ip) & s->ifc.netmask) == 0 && dst != s->ifc.ip) {
		next_hop = dst;
	} else if (s->ifc.gateway && dst != s->ifc.ip && (dst >> 24) != 127 && dst) {
		next_hop = s->ifc.gateway;
	} else {
		s->stats.ip_no_route++;   /* no gateway, or ourselves: no loopback */
		return -ENETUNREACH;
	}
	h[0] = 0x45;
	h[1] = 0;
	put16(h + 2, (uint16_t)(IP_HDR + payload_len));
	put16(h + 4, s->ip_id++);
	put16(h + 6, IP_DF);
	h[8] = IP_TTL;
	h[9] = proto;
	put16(h + 10, 0);
	put32(h + 12, s->ifc.ip);
	put32(h + 16, dst);
	put16(h + 10, net_csum_fold(net_csum_add(0, h, IP_HDR)));
	return arp_send_ipv4(s, next_hop, IP_HDR + payload_len);
}
