/* ARP (RFC 826) for IPv4 over Ethernet: a small cache with LRU eviction,
 * requests retried NET_ARP_TRIES times, entries expiring after
 * NET_ARP_TTL_MS, and a queue holding outgoing packets until their next
 * hop resolves (then sent in order) or fails (then dropped and counted). */
#include "net_int.h"

enum { ARP_FREE, ARP_PENDING, ARP_RESOLVED };
#define ARP_LEN 28

static void arp_send(struct net_stack *s, uint16_t op, const uint8_t *dst_mac, uint32_t tpa)
{
	uint8_t *p = s->tx_frame + NET_ETH_HDR;

	put16(p, 1);                 /* Ethernet */
	put16(p + 2, ETH_TYPE_IPV4);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, op);
	memcpy(p + 8, s->mac, 6);
	put32(p + 14, s->ifc.ip);
	/* A request leaves the target hardware address zero. */
	if (op == 2)
		memcpy(p + 18, dst_mac, 6);
	else
		memset(p + 18, 0, 6);
	put32(p + 24, tpa);
	if (op == 1)
		s->stats.arp_tx_request++;
	else
		s->stats.arp_tx_reply++;
	eth_send(s, s->tx_frame, dst_mac, ETH_TYPE_ARP, ARP_LEN);
}

static struct net_arp_entry *arp_find(struct net_stack *s, uint32_t ip)
{
	for (int i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp_entry *e = &s->arp[i];
		if (e->state == ARP_FREE || e->ip != ip)
			continue;
		if (e->state == ARP_RESOLVED && s->now >= e->deadline) {
			e->state = ARP_FREE;   /* expired: resolve again */
			return NULL;
		}
		return e;
	}
	return NULL;
}

/* Removes the queued packets for one next hop; sends them to mac if given. */
static void arp_dequeue(struct net_stack *s, uint32_t ip, const uint8_t *mac)
{
	unsigned keep = 0;

	for (unsigned i = 0; i < s->arpq_len; i++) {
		struct net_arp_frame *q = &s->arpq[i];
		if (q->next_hop != ip) {
			if (keep != i)
				memcpy(&s->arpq[keep], q, sizeof(*q));
			keep++;
		} else if (mac) {
			eth_send(s, q->frame, mac, ETH_TYPE_IPV4, q->len);
		} else {
			s->stats.arp_unresolved_drop++;
		}
	}
	s->arpq_len = (uint8_t)keep;
}

static struct net_arp_entry *arp_new(struct net_stack *s, uint32_t ip)
{
	struct net_arp_entry *e = NULL;

	for (int i = 0; i < NET_ARP_ENTRIES && !e; i++)
		if (s->arp[i].state == ARP_FREE)
			e = &s->arp[i];
	if (!e) {
		e = &s->arp[0];
		for (int i = 1; i < NET_ARP_ENTRIES; i++)
			if (s->arp[i].used < e->used)
				e = &s->arp[i];
		s->stats.arp_evicted++;
		if (e->state == ARP_PENDING)
			arp_dequeue(s, e->ip, NULL);
	}
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	e->used = s->now;
	return e;
}

static void arp_learn(struct net_arp_entry *e, const uint8_t *mac, uint64_t now)
{
	memcpy(e->mac, mac, 6);
	e->state = ARP_RESOLVED;
	e->deadline = now + NET_ARP_TTL_MS;
}

/* Sends the IPv4 packet of ip_len bytes in s->tx_frame to next_hop, or
 * queues it while next_hop resolves. */
int arp_send_ipv4(struct net_stack *s, uint32_t next_hop, size_t ip_len)
{
	struct net_arp_entry *e;
	bool fresh = false;

	if (next_hop == IP_BROADCAST) {
		eth_send(s, s->tx_frame, net_bcast_mac, ETH_TYPE_IPV4, ip_len);
		return 0;
	}
	e = arp_find(s, next_hop);
	if (e && e->state == ARP_RESOLVED) {
		e->used = s->now;
		eth_send(s, s->tx_frame, e->mac, ETH_TYPE_IPV4, ip_len);
		return 0;
	}
	if (!e) {
		e = arp_new(s, next_hop);
		e->state = ARP_PENDING;
		e->tries = 1;
		e->deadline = s->now + NET_ARP_RETRY_MS;
		fresh = true;
	}
	/* Queue before the request: the request reuses s->tx_frame. */
	int rc = 0;
	if (s->arpq_len < NET_ARP_QUEUE) {
		struct net_arp_frame *q = &s->arpq[s->arpq_len++];
		q->next_hop = next_hop;
		q->len = (uint16_t)ip_len;
		memcpy(q->frame, s->tx_frame, NET_ETH_HDR + ip_len);
	} else {
		s->stats.arp_queue_full++;
		rc = -ENOBUFS;
	}
	if (fresh)
		arp_send(s, 1, net_bcast_mac, next_hop);
	return rc;
}

void arp_input(struct net_stack *s, const uint8_t *p, size_t len)
{
	if (len < ARP_LEN) {
		s->stats.arp_short++;
		return;
	}
	uint16_t op = get16(p + 6);
	const uint8_t *sha = p + 8;
	uint32_t spa = get32(p + 14), tpa = get32(p + 24);

	/* Only Ethernet/IPv4; a sender must have a unicast MAC that is not
	 * ours and a usable address (0 is an RFC 5227 probe: not cached). */
	if (get16(p) != 1 || get16(p + 2) != ETH_TYPE_IPV4 || p[4] != 6 || p[5] != 4 ||
	    (op != 1 && op != 2) || (sha[0] & 1) || memcmp(sha, s->mac, 6) == 0 ||
	    ip_is_bcast(s, spa) || (spa >> 28) == 0xe) {
		s->stats.arp_bad++;
		return;
	}
	if (op == 1)
		s->stats.arp_rx_request++;
	else
		s->stats.arp_rx_reply++;
	if (s->ifc.ip == 0 || spa == s->ifc.ip)
		return;
	/* RFC 826 merge: refresh a known sender; learn it if we are the target. */
	bool merged = false;
	struct net_arp_entry *e = spa ? arp_find(s, spa) : NULL;
	if (e) {
		arp_learn(e, sha, s->now);
		arp_dequeue(s, spa, sha);
		merged = true;
	}
	if (tpa != s->ifc.ip)
		return;
	if (!merged && spa)
		arp_learn(arp_new(s, spa), sha, s->now);
	if (op == 1) {
		uint8_t mac[6];
		memcpy(mac, sha, 6);
		arp_send(s, 2, mac, spa);
	}
}

void arp_tick(struct net_stack *s)
{
	for (int i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp_entry *e = &s->arp[i];
		if (e->state == ARP_FREE || s->now < e->deadline)
			continue;
		if (e->state == ARP_RESOLVED || e->tries >= NET_ARP_TRIES) {
			if (e->state == ARP_PENDING)
				arp_dequeue(s, e->ip, NULL);
			e->state = ARP_FREE;
			continue;
		}
		e->tries++;
		e->deadline = s->now + NET_ARP_RETRY_MS;
		arp_send(s, 1, net_bcast_mac, e->ip);
	}
}

uint64_t arp_deadline(const struct net_stack *s)
{
	uint64_t d = 0;

	for (int i = 0; i < NET_ARP_ENTRIES; i++)
		if (s->arp[i].state == ARP_PENDING)
			d = earliest(d, s->arp[i].deadline);
	return d;
}
