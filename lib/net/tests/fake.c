/* See fake.h. */
#include "fake.h"

#include <string.h>

#include "frames.h"
#include "net_int.h"

static const uint8_t fake_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

static void reply_arp(struct sim *sim, struct fake *fk, const uint8_t *f, const struct fr_info *fi)
{
	uint8_t out[64];

	if (fi->arp_op != 1 || (fi->dip != FAKE_ROUTER && fi->dip != FAKE_DNS))
		return;
	size_t n = fr_arp(out, f + 6, fake_mac, 2, fi->dip, f + 6, fi->sip);
	sim_send(sim, fk->node, out, n);
}

static void send_udp(struct sim *sim, struct fake *fk, const uint8_t *dmac, uint32_t sip, uint32_t dip,
                     uint16_t sport, uint16_t dport, const uint8_t *m, size_t len)
{
	uint8_t out[NET_FRAME_MAX];

	sim_send(sim, fk->node, out, fr_udp(out, dmac, fake_mac, sip, dip, sport, dport, m, len));
}

static size_t dhcp_reply(const uint8_t *req, uint8_t type, uint32_t lease, uint8_t *m)
{
	uint8_t *o = m + 240;

	memset(m, 0, 300);
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 4, req + 4, 4);   /* xid */
	if (type != 6)
		put32(m + 16, FAKE_CLIENT);
	put32(m + 20, FAKE_ROUTER);
	memcpy(m + 28, req + 28, 16);
	put32(m + 236, 0x63825363);
	*o++ = 53; *o++ = 1; *o++ = type;
	*o++ = 54; *o++ = 4; put32(o, FAKE_ROUTER); o += 4;
	if (type != 6) {
		*o++ = 51; *o++ = 4; put32(o, lease); o += 4;
		*o++ = 1; *o++ = 4; put32(o, NET_IP4(255, 255, 255, 0)); o += 4;
		*o++ = 3; *o++ = 4; put32(o, FAKE_ROUTER); o += 4;
		*o++ = 6; *o++ = 4; put32(o, FAKE_DNS); o += 4;
	}
	*o = 255;
	return 300;
}

static void handle_dhcp(struct sim *sim, struct fake *fk, const uint8_t *f, const struct fr_info *fi)
{
	const uint8_t *req = fi->data;
	uint8_t type = 0, m[400];

	if (fi->len < 244)
		return;
	for (size_t i = 240; i + 2 < fi->len && req[i] != 255; i += req[i] ? 2u + req[i + 1] : 1u)
		if (req[i] == 53)
			type = req[i + 2];
	if (fk->dhcp_mode == FAKE_DHCP_SILENT)
		return;
	if (type == 1) {
		fk->discovers++;
		if (fk->dhcp_mode == FAKE_DHCP_GARBAGE_FIRST && fk->discovers == 1) {
			/* a wrong xid, a truncated message, a bad option length */
			size_t n = dhcp_reply(req, 2, fk->lease_s, m);
			m[4] ^= 0xff;
			send_udp(sim, fk, fr_bcast, FAKE_ROUTER, IP_BROADCAST, 67, 68, m, n);
			dhcp_reply(req, 2, fk->lease_s, m);
			send_udp(sim, fk, fr_bcast, FAKE_ROUTER, IP_BROADCAST, 67, 68, m, 200);
			m[241] = 200;   /* option 53's length runs off the end */
			send_udp(sim, fk, fr_bcast, FAKE_ROUTER, IP_BROADCAST, 67, 68, m, 260);
		}
		/* The offer goes unicast to the offered address. */
		size_t n = dhcp_reply(req, 2, fk->lease_s, m);
		send_udp(sim, fk, f + 6, FAKE_ROUTER, FAKE_CLIENT, 67, 68, m, n);
	} else if (type == 3) {
		fk->requests++;
		fk->last_ciaddr = get32(req + 12);
		if (fi->dip != IP_BROADCAST)
			fk->requests_unicast++;
		bool nak = fk->dhcp_mode == FAKE_DHCP_NAK_FIRST && fk->naks == 0;
		size_t n = dhcp_reply(req, nak ? 6 : 5, fk->lease_s, m);
		fk->naks += nak;
		fk->acks += !nak;
		send_udp(sim, fk, fr_bcast, FAKE_ROUTER, IP_BROADCAST, 67, 68, m, n);
	}
}

size_t fake_question_end(const uint8_t *q, size_t qlen)
{
	size_t i = 12;

	while (i < qlen && q[i])
		i += 1u + q[i];
	return i + 5;   /* root label, type, class */
}

static void handle_dns(struct sim *sim, struct fake *fk, const uint8_t *f, const struct fr_info *fi)
{
	const uint8_t *q = fi->data;
	uint8_t m[NET_MTU];
	size_t qend = fake_question_end(q, fi->len), n;
	unsigned nth = fk->dns_queries++;

	if (fi->len < 17 || qend > fi->len || fk->dns_mode == FAKE_DNS_SILENT)
		return;
	if (fk->dns_mode == FAKE_DNS_CUSTOM) {
		n = fk->dns_custom(q, fi->len, m, nth, fk->dns_ctx);
		if (n)
			send_udp(sim, fk, f + 6, FAKE_DNS, fi->sip, fi->dport, fi->sport, m, n);
		return;
	}
	memcpy(m, q, qend);
	put16(m + 2, 0x8180);
	put16(m + 6, 0);
	n = qend;
	switch (fk->dns_mode) {
	case FAKE_DNS_NXDOMAIN: m[3] |= 3; break;
	case FAKE_DNS_SERVFAIL: m[3] |= 2; break;
	case FAKE_DNS_NODATA: break;
	case FAKE_DNS_CNAME: {
		/* www.<q> CNAME alias.<q> ; alias.<q> A ip -- all compressed */
		static const uint8_t cname[] = {0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 8,
		                                5, 'a', 'l', 'i', 'a', 's', 0xc0, 12};
		size_t alias = n + 12;
		memcpy(m + n, cname, sizeof(cname));
		n += sizeof(cname);
		uint8_t a[] = {0xc0, (uint8_t)alias, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
		memcpy(m + n, a, sizeof(a));
		n += sizeof(a);
		put32(m + n, fk->dns_ip);
		n += 4;
		put16(m + 6, 2);
		break;
	}
	default: {
		uint8_t a[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
		memcpy(m + n, a, sizeof(a));
		n += sizeof(a);
		put32(m + n, fk->dns_ip);
		n += 4;
		put16(m + 6, 1);
		break;
	}
	}
	send_udp(sim, fk, f + 6, FAKE_DNS, fi->sip, fi->dport, fi->sport, m, n);
}

static void fake_rx(struct sim *sim, int node, const uint8_t *f, size_t len)
{
	struct fake *fk = sim->node[node].raw_ctx;
	struct fr_info fi;

	if ((memcmp(f, fake_mac, 6) != 0 && memcmp(f, fr_bcast, 6) != 0) || !fr_parse(f, len, &fi))
		return;
	if (fi.type == ETH_TYPE_ARP)
		reply_arp(sim, fk, f, &fi);
	else if (fi.proto == IP_PROTO_UDP && fi.dport == 67)
		handle_dhcp(sim, fk, f, &fi);
	else if (fi.proto == IP_PROTO_UDP && fi.dport == (fk->dns_port ? fk->dns_port : 53) && fi.dip == FAKE_DNS)
		handle_dns(sim, fk, f, &fi);
	else if (fi.proto == IP_PROTO_TCP)
		fk->tcp_segs++;
}

int fake_add(struct sim *sim, struct fake *fk)
{
	if (!fk->lease_s)
		fk->lease_s = 86400;
	if (!fk->dns_ip)
		fk->dns_ip = NET_IP4(93, 184, 216, 34);
	fk->node = sim_add_raw(sim, fake_mac, fake_rx, fk);
	return fk->node;
}
