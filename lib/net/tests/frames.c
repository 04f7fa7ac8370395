/* See frames.h. */
#include "frames.h"

#include <string.h>

#include "net_int.h"

const uint8_t fr_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static size_t eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return NET_ETH_HDR;
}

void fr_fix_ip(uint8_t *f)
{
	uint8_t *ip = f + NET_ETH_HDR;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4;

	put16(ip + 10, 0);
	put16(ip + 10, net_csum_fold(net_csum_add(0, ip, ihl)));
}

void fr_fix_l4(uint8_t *f)
{
	uint8_t *ip = f + NET_ETH_HDR;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4, len = get16(ip + 2) - ihl;
	uint8_t *p = ip + ihl;

	switch (ip[9]) {
	case IP_PROTO_ICMP:
		put16(p + 2, 0);
		put16(p + 2, net_csum_fold(net_csum_add(0, p, len)));
		break;
	case IP_PROTO_UDP:
		put16(p + 6, 0);
		put16(p + 6, net_l4_csum(get32(ip + 12), get32(ip + 16), IP_PROTO_UDP, p, len));
		break;
	case IP_PROTO_TCP:
		put16(p + 16, 0);
		put16(p + 16, net_l4_csum(get32(ip + 12), get32(ip + 16), IP_PROTO_TCP, p, len));
		break;
	}
}

size_t fr_ipv4(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t proto, const uint8_t *payload, size_t plen)
{
	uint8_t *ip = f + eth(f, dst, src, ETH_TYPE_IPV4);

	memset(ip, 0, IP_HDR);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP_HDR + plen));
	put16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, sip);
	put32(ip + 16, dip);
	if (plen)
		memmove(ip + IP_HDR, payload, plen);
	fr_fix_ip(f);
	return NET_ETH_HDR + IP_HDR + plen;
}

size_t fr_udp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
	uint8_t u[NET_MTU];

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(UDP_HDR + len));
	put16(u + 6, 0);
	if (len)
		memcpy(u + UDP_HDR, data, len);
	size_t n = fr_ipv4(f, dst, src, sip, dip, IP_PROTO_UDP, u, UDP_HDR + len);
	fr_fix_l4(f);
	return n;
}

size_t fr_tcp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
              const uint8_t *opts, size_t optlen, const uint8_t *data, size_t len)
{
	uint8_t t[NET_MTU];
	size_t hl = TCP_HDR + optlen;

	memset(t, 0, TCP_HDR);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	put16(t + 14, wnd);
	if (optlen)
		memcpy(t + TCP_HDR, opts, optlen);
	if (len)
		memcpy(t + hl, data, len);
	size_t n = fr_ipv4(f, dst, src, sip, dip, IP_PROTO_TCP, t, hl + len);
	fr_fix_l4(f);
	return n;
}

size_t fr_icmp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t type, uint8_t code, uint16_t id, uint16_t seq, const uint8_t *data, size_t len)
{
	uint8_t m[NET_MTU];

	m[0] = type;
	m[1] = code;
	put16(m + 2, 0);
	put16(m + 4, id);
	put16(m + 6, seq);
	if (len)
		memcpy(m + 8, data, len);
	size_t n = fr_ipv4(f, dst, src, sip, dip, IP_PROTO_ICMP, m, 8 + len);
	fr_fix_l4(f);
	return n;
}

size_t fr_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t op, uint32_t spa,
              const uint8_t tha[6], uint32_t tpa)
{
	uint8_t *a = f + eth(f, dst, src, ETH_TYPE_ARP);

	put16(a, 1);
	put16(a + 2, ETH_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, src, 6);
	put32(a + 14, spa);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	return NET_ETH_HDR + 28;
}

bool fr_parse(const uint8_t *f, size_t len, struct fr_info *fi)
{
	memset(fi, 0, sizeof(*fi));
	if (len < NET_ETH_HDR)
		return false;
	fi->type = get16(f + 12);
	const uint8_t *p = f + NET_ETH_HDR;
	len -= NET_ETH_HDR;
	if (fi->type == ETH_TYPE_ARP) {
		if (len < 28)
			return false;
		fi->arp_op = get16(p + 6);
		fi->sip = get32(p + 14);
		fi->dip = get32(p + 24);
		return true;
	}
	if (fi->type != ETH_TYPE_IPV4 || len < IP_HDR)
		return false;
	size_t ihl = (size_t)(p[0] & 0xf) * 4, total = get16(p + 2);
	if (ihl < IP_HDR || total < ihl || total > len)
		return false;
	fi->sip = get32(p + 12);
	fi->dip = get32(p + 16);
	fi->proto = p[9];
	const uint8_t *l4 = p + ihl;
	size_t l4len = total - ihl;
	if (fi->proto == IP_PROTO_UDP && l4len >= UDP_HDR) {
		fi->sport = get16(l4);
		fi->dport = get16(l4 + 2);
		fi->data = l4 + UDP_HDR;
		fi->len = l4len - UDP_HDR;
	} else if (fi->proto == IP_PROTO_TCP && l4len >= TCP_HDR) {
		size_t doff = (size_t)(l4[12] >> 4) * 4;
		if (doff < TCP_HDR || doff > l4len)
			return false;
		fi->sport = get16(l4);
		fi->dport = get16(l4 + 2);
		fi->seq = get32(l4 + 4);
		fi->ack = get32(l4 + 8);
		fi->flags = l4[13];
		fi->wnd = get16(l4 + 14);
		fi->data = l4 + doff;
		fi->len = l4len - doff;
	} else if (fi->proto == IP_PROTO_ICMP && l4len >= 8) {
		fi->icmp_type = l4[0];
		fi->icmp_code = l4[1];
		fi->data = l4 + 8;
		fi->len = l4len - 8;
	}
	return true;
}
