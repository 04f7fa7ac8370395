/* Internal interfaces between the stack's files. */
#ifndef TSUBAME_NET_INT_H
#define TSUBAME_NET_INT_H

#include <string.h>

#include "tsubame/errno.h"
#include "net.h"

/* ---- Big-endian field access. Packets are read byte by byte: no
 * alignment is assumed anywhere. */
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- Sequence-number arithmetic (mod 2^32, RFC 9293 3.4) */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (uint32_t)(a - b) >= 0x80000000u; }
static inline bool seq_le(uint32_t a, uint32_t b) { return a == b || seq_lt(a, b); }
static inline bool seq_gt(uint32_t a, uint32_t b) { return seq_lt(b, a); }
static inline bool seq_ge(uint32_t a, uint32_t b) { return seq_le(b, a); }

static inline uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static inline uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }
static inline uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
/* The earlier of two deadlines where 0 means "none". */
static inline uint64_t earliest(uint64_t a, uint64_t b) { return !a ? b : !b ? a : min64(a, b); }

/* ---- Handles: kind(8) | generation(16) | slot(8), never 0. */
enum { NET_K_TCP = 1, NET_K_UDP, NET_K_PING, NET_K_DNS };

static inline int net_handle(int kind, uint16_t gen, unsigned slot)
{
	return (kind << 24) | ((int)gen << 8) | (int)slot;
}
/* The slot a handle names if it has this kind and slot range, else -1.
 * The caller still checks that the slot is in use with this generation. */
static inline int net_handle_slot(int h, int kind, unsigned nslots)
{
	if (h <= 0 || (h >> 24) != kind || (unsigned)(h & 0xff) >= nslots)
		return -1;
	return h & 0xff;
}
static inline uint16_t net_handle_gen(int h) { return (uint16_t)(h >> 8); }

/* ---- Layout of the transmit frame (s->tx_frame) */
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP  0x0806
#define IP_HDR        20
#define UDP_HDR       8
#define TCP_HDR       20
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP  6
#define IP_PROTO_UDP  17
#define IP_BROADCAST  0xffffffffu

static inline uint8_t *ip_payload(struct net_stack *s) { return s->tx_frame + NET_ETH_HDR + IP_HDR; }
static inline uint8_t *udp_payload(struct net_stack *s) { return ip_payload(s) + UDP_HDR; }

/* A received IPv4 datagram, as handed to the transport protocols. */
struct ip_rx {
	uint32_t src, dst;
	bool bcast;              /* sent to a broadcast address */
	const uint8_t *pkt;      /* the IP header, for ICMP errors */
	size_t hdr_len, pkt_len; /* header and total length (validated) */
};

/* checksum.c */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t net_csum_fold(uint32_t sum);
uint16_t net_l4_csum(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *seg, size_t len);

/* rand.c */
uint32_t net_rand32(struct net_stack *s);
uint32_t net_iss(const struct net_stack *s, uint32_t rip, uint16_t lport, uint16_t rport);
uint16_t net_pick_port(struct net_stack *s, bool (*in_use)(const struct net_stack *, uint16_t));

/* ring.c: circular byte buffers (pos < size) */
void net_ring_put(uint8_t *ring, uint32_t size, uint32_t pos, const uint8_t *src, uint32_t len);
void net_ring_get(const uint8_t *ring, uint32_t size, uint32_t pos, uint8_t *dst, uint32_t len);

/* eth.c */
extern const uint8_t net_bcast_mac[6];
void eth_input(struct net_stack *s, const uint8_t *f, size_t len);
void eth_send(struct net_stack *s, uint8_t *frame, const uint8_t dst[6], uint16_t type,
              size_t payload_len);

/* arp.c */
void arp_input(struct net_stack *s, const uint8_t *p, size_t len);
int arp_send_ipv4(struct net_stack *s, uint32_t next_hop, size_t ip_len);
void arp_tick(struct net_stack *s);
uint64_t arp_deadline(const struct net_stack *s);

/* ipv4.c */
void ipv4_input(struct net_stack *s, const uint8_t *p, size_t len);
int ip_output(struct net_stack *s, uint32_t dst, uint8_t proto, size_t payload_len);
bool ip_is_bcast(const struct net_stack *s, uint32_t ip);

/* icmp.c */
void icmp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len);
void icmp_port_unreachable(struct net_stack *s, const struct ip_rx *ip);
void ping_tick(struct net_stack *s);
uint64_t ping_deadline(const struct net_stack *s);
struct net_ping *ping_get(struct net_stack *s, int h);
unsigned ping_poll(const struct net_ping *q);

/* udp.c */
void udp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len);
int udp_output(struct net_stack *s, uint16_t sport, uint32_t dst, uint16_t dport, size_t len);
uint16_t udp_ephemeral_port(struct net_stack *s);
struct net_udp_sock *udp_get(struct net_stack *s, int h);
unsigned udp_poll(const struct net_udp_sock *u);

/* dhcp.c */
#define DHCP_CLIENT_PORT 68
#define DHCP_SERVER_PORT 67
void dhcp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len);
bool dhcp_active(const struct net_stack *s);
void dhcp_tick(struct net_stack *s);
uint64_t dhcp_deadline(const struct net_stack *s);
void dhcp_stop(struct net_stack *s);

/* dns.c */
#define DNS_PORT 53
bool dns_input(struct net_stack *s, const struct ip_rx *ip, uint16_t sport, uint16_t dport,
               const uint8_t *p, size_t len);
bool dns_port_in_use(const struct net_stack *s, uint16_t port);
void dns_tick(struct net_stack *s);
uint64_t dns_deadline(const struct net_stack *s);
struct net_dns_q *dns_get(struct net_stack *s, int h);
unsigned dns_poll(const struct net_dns_q *q);

/* stack.c */
void net_set_address(struct net_stack *s, const struct net_ifconfig *c, enum net_addr_source src);

/* ---- TCP */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_DEFAULT_MSS 536                    /* RFC 9293 3.7.1 */
#define TCP_OUR_MSS (NET_MTU - IP_HDR - TCP_HDR)
#define TCP_CWND_MAX 0x3fffffffu

/* A parsed, checksum-verified segment. */
struct tcp_seg {
	uint16_t sport, dport, wnd, mss;   /* mss: 0 when the option is absent */
	uint8_t flags;
	uint32_t seq, ack;
	const uint8_t *data;
	uint32_t len;                      /* data bytes */
};

/* tcp_conn.c */
struct net_tcp_conn *tcp_alloc(struct net_stack *s);
void tcp_free(struct net_stack *s, struct net_tcp_conn *c);
struct net_tcp_conn *tcp_lookup(struct net_stack *s, uint32_t rip, uint16_t rport, uint16_t lport);
struct net_tcp_conn *tcp_listener(struct net_stack *s, uint16_t lport);
void tcp_set_state(struct net_stack *s, struct net_tcp_conn *c, uint8_t state);
void tcp_terminate(struct net_stack *s, struct net_tcp_conn *c, int err);
void tcp_init_send(struct net_stack *s, struct net_tcp_conn *c);
void tcp_set_mss(struct net_tcp_conn *c, uint16_t opt);
uint16_t tcp_ephemeral_port(struct net_stack *s);
void tcp_event(struct net_stack *s, struct net_tcp_conn *c);
struct net_tcp_conn *tcp_get(struct net_stack *s, int h);
unsigned tcp_poll(const struct net_stack *s, const struct net_tcp_conn *c);
static inline bool tcp_synchronized(uint8_t st) { return st >= NET_TCP_ESTABLISHED; }

/* tcp_input.c */
void tcp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len);

/* tcp_output.c */
void tcp_output(struct net_stack *s, struct net_tcp_conn *c);
void tcp_send_ack(struct net_stack *s, struct net_tcp_conn *c);
void tcp_send_rst(struct net_stack *s, struct net_tcp_conn *c);
void tcp_send_probe(struct net_stack *s, struct net_tcp_conn *c);
void tcp_retransmit_first(struct net_stack *s, struct net_tcp_conn *c);
void tcp_reply_rst(struct net_stack *s, const struct ip_rx *ip, const struct tcp_seg *g);
uint32_t tcp_rcv_window(struct net_tcp_conn *c, bool advertise);

/* tcp_timer.c */
void tcp_tick(struct net_stack *s);
uint64_t tcp_deadline(const struct net_stack *s);
void tcp_rtt_sample(struct net_tcp_conn *c, uint32_t rtt);
void tcp_timer_ack(struct net_stack *s, struct net_tcp_conn *c);
void tcp_timer_arm(struct net_stack *s, struct net_tcp_conn *c);
void tcp_start_wait(struct net_stack *s, struct net_tcp_conn *c, uint32_t ms);

#endif
