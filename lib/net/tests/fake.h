/* A fake QEMU-slirp host for the DHCP and DNS tests: a raw node on the
 * simulated link that answers ARP for 10.0.2.2 (router, DHCP server) and
 * 10.0.2.3 (DNS), hands out 10.0.2.15 and answers A queries. */
#ifndef NET_TEST_FAKE_H
#define NET_TEST_FAKE_H

#include "sim.h"

#define FAKE_ROUTER NET_IP4(10, 0, 2, 2)
#define FAKE_DNS    NET_IP4(10, 0, 2, 3)
#define FAKE_CLIENT NET_IP4(10, 0, 2, 15)

enum fake_dhcp_mode { FAKE_DHCP_NORMAL, FAKE_DHCP_SILENT, FAKE_DHCP_NAK_FIRST, FAKE_DHCP_GARBAGE_FIRST };
enum fake_dns_mode {
	FAKE_DNS_A, FAKE_DNS_CNAME, FAKE_DNS_NXDOMAIN, FAKE_DNS_NODATA, FAKE_DNS_SERVFAIL,
	FAKE_DNS_SILENT, FAKE_DNS_CUSTOM,
};

/* Builds a response to the query q (the DNS message) into out; 0 = none. */
typedef size_t (*fake_dns_fn)(const uint8_t *q, size_t qlen, uint8_t *out, unsigned nth, void *ctx);

struct fake {
	int node;
	int dhcp_mode;
	uint32_t lease_s;
	int dns_mode;
	uint32_t dns_ip;           /* the answer */
	uint16_t dns_port;         /* where it listens; 0 means 53 */
	fake_dns_fn dns_custom;
	void *dns_ctx;
	unsigned discovers, requests, requests_unicast, acks, naks, dns_queries, tcp_segs;
	uint32_t last_ciaddr;
};

int fake_add(struct sim *sim, struct fake *fk);
/* The DNS message offset just past the question (for custom answers). */
size_t fake_question_end(const uint8_t *q, size_t qlen);

#endif
