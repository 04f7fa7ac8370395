/* Tsubame TCP/IP stack: Ethernet II, ARP, IPv4, ICMP echo, UDP, TCP
 * (RFC 9293), a DHCP client and a DNS (A record) client.
 *
 * The library needs only <string.h> and tsubame/errno.h. It never
 * allocates, never reads a clock and never does I/O: the host gives it
 *   - the memory: one struct net_stack (fixed tables, sizes below);
 *   - the time:   net_tick(s, now_ms) with a monotonic millisecond clock;
 *   - the frames: net_input(s, frame, len) for every received frame;
 *   - a transmit callback, called synchronously from inside any net_* call.
 * The callback must not call back into the stack.
 *
 * Concurrency: none. One thread uses a stack at a time.
 *
 * Sockets, pings and DNS queries are named by handles (positive ints);
 * every call is non-blocking and returns -EAGAIN when it would block.
 * net_events() tells the host which handles changed since it last asked,
 * net_poll() gives one handle's readiness, net_next_deadline() says when
 * net_tick() must run next.
 *
 * Errors are negative errno values, one per cause:
 *   -EBADF        unknown, stale or wrong-kind handle
 *   -EINVAL       bad argument
 *   -EMFILE       the socket / ping / query table is full
 *   -EADDRINUSE   the port is taken
 *   -ENETDOWN     no IPv4 address (or no DNS server) configured yet
 *   -ENETUNREACH  destination off-link and no gateway
 *   -ENOBUFS      the ARP pending-packet queue is full
 *   -EMSGSIZE     UDP payload larger than one unfragmented datagram
 *   -EAGAIN       would block / not finished yet
 *   -ENOTCONN     data call or shutdown on a listening socket
 *   -EPIPE        send after shutdown, or on a connection closed normally
 *   -ECONNREFUSED the peer answered the SYN with a RST
 *   -ECONNRESET   the peer reset an open connection
 *   -ETIMEDOUT    retransmissions, ping or DNS retries exhausted
 *   -EALREADY     DHCP already running
 *   -ENAMETOOLONG / -EINVAL  bad DNS name
 *   -ENOENT       DNS: the name does not exist (NXDOMAIN)
 *   -ENODATA      DNS: the name exists but has no A record
 *   -EPROTO       DNS: the server said the query was malformed
 *   -EIO          DNS: any other server failure
 *
 * IPv4 addresses are uint32_t in host order: NET_IP4(10,0,2,15). */
#ifndef TSUBAME_NET_H
#define TSUBAME_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Compile-time sizes. Every file that includes this header (library
 * and host) must see the same values, since they size struct net_stack. */
#ifndef NET_ARP_ENTRIES
#define NET_ARP_ENTRIES   16
#endif
#ifndef NET_ARP_QUEUE
#define NET_ARP_QUEUE     8      /* frames waiting for ARP resolution, all entries */
#endif
#ifndef NET_TCP_CONNS
#define NET_TCP_CONNS     32     /* connections + listeners */
#endif
#ifndef NET_TCP_SNDBUF
#define NET_TCP_SNDBUF    16384  /* bytes per connection */
#endif
#ifndef NET_TCP_RCVBUF
#define NET_TCP_RCVBUF    16384  /* bytes per connection, <= 65535 (no window scaling) */
#endif
#ifndef NET_TCP_OOO_MAX
#define NET_TCP_OOO_MAX   8      /* out-of-order ranges remembered per connection */
#endif
#ifndef NET_UDP_SOCKETS
#define NET_UDP_SOCKETS   8
#endif
#ifndef NET_UDP_RXBUF
#define NET_UDP_RXBUF     8192   /* queued datagrams per socket, 8 bytes overhead each */
#endif
#ifndef NET_PING_SLOTS
#define NET_PING_SLOTS    4
#endif
#ifndef NET_DNS_SLOTS
#define NET_DNS_SLOTS     4
#endif

/* ---- Protocol constants */
#define NET_MTU           1500
#define NET_ETH_HDR       14
#define NET_FRAME_MAX     (NET_ETH_HDR + NET_MTU)
#define NET_UDP_MAX_PAYLOAD (NET_MTU - 20 - 8)
#define NET_DNS_NAME_MAX  253

#define NET_IP4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* ---- Timing (milliseconds); may be overridden like the sizes. */
#ifndef NET_ARP_RETRY_MS
#define NET_ARP_RETRY_MS      1000
#endif
#ifndef NET_ARP_TRIES
#define NET_ARP_TRIES         3
#endif
#ifndef NET_ARP_TTL_MS
#define NET_ARP_TTL_MS        60000
#endif
#ifndef NET_TCP_RTO_INIT_MS
#define NET_TCP_RTO_INIT_MS   1000   /* RFC 6298 2.1 */
#endif
#ifndef NET_TCP_RTO_MIN_MS
#define NET_TCP_RTO_MIN_MS    1000   /* RFC 6298 2.4 */
#endif
#ifndef NET_TCP_RTO_MAX_MS
#define NET_TCP_RTO_MAX_MS    60000
#endif
#ifndef NET_TCP_SYN_RETRIES
#define NET_TCP_SYN_RETRIES   5      /* 1+2+4+8+16+32 s before -ETIMEDOUT */
#endif
#ifndef NET_TCP_DATA_RETRIES
#define NET_TCP_DATA_RETRIES  10
#endif
#ifndef NET_TCP_MSL_MS
#define NET_TCP_MSL_MS        30000  /* TIME_WAIT lasts 2 MSL */
#endif
#ifndef NET_TCP_FIN_WAIT2_MS
#define NET_TCP_FIN_WAIT2_MS  60000  /* closed socket waiting for the peer's FIN */
#endif
#ifndef NET_DHCP_FALLBACK_MS
#define NET_DHCP_FALLBACK_MS  4000   /* then 10.0.2.15/24, gw 10.0.2.2, dns 10.0.2.3 */
#endif
#ifndef NET_DNS_TIMEOUT_MS
#define NET_DNS_TIMEOUT_MS    1000   /* doubled at each of the NET_DNS_TRIES */
#endif
#ifndef NET_DNS_TRIES
#define NET_DNS_TRIES         3
#endif

/* ---- Host interface */
typedef void (*net_tx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct net_config {
	uint8_t mac[6];
	net_tx_fn tx;
	void *tx_ctx;
	uint64_t seed;     /* entropy for ISNs, ports, DNS ids, DHCP xid */
	uint64_t now_ms;   /* the clock at init */
};

struct net_ifconfig {
	uint32_t ip, netmask, gateway, dns;   /* 0 = unset */
};

enum net_addr_source {
	NET_ADDR_NONE,      /* no address yet (DHCP may be running) */
	NET_ADDR_STATIC,    /* set with net_set_ifconfig */
	NET_ADDR_DHCP,      /* leased */
	NET_ADDR_FALLBACK,  /* DHCP got no answer: the QEMU slirp defaults */
};

/* Per-reason counters. Drops are counted where they happen. */
struct net_stats {
	uint32_t rx_frames, tx_frames;
	/* Ethernet */
	uint32_t eth_short, eth_oversize, eth_not_for_us, eth_unknown_type;
	/* ARP */
	uint32_t arp_short, arp_bad, arp_rx_request, arp_rx_reply, arp_tx_request, arp_tx_reply;
	uint32_t arp_queue_full, arp_unresolved_drop, arp_evicted;
	/* IPv4 */
	uint32_t ip_short, ip_bad_version, ip_bad_ihl, ip_bad_len, ip_bad_csum, ip_fragment;
	uint32_t ip_not_for_us, ip_bad_src, ip_unknown_proto, ip_no_route;
	/* ICMP */
	uint32_t icmp_short, icmp_bad_csum, icmp_rx_echo, icmp_tx_echo_reply, icmp_rx_echo_reply;
	uint32_t icmp_unmatched_reply, icmp_other, icmp_tx_unreach, icmp_rate_limited;
	/* UDP */
	uint32_t udp_short, udp_bad_len, udp_bad_csum, udp_no_port, udp_queue_full;
	/* TCP */
	uint32_t tcp_rx_segs, tcp_tx_segs;
	uint32_t tcp_short, tcp_bad_doff, tcp_bad_csum, tcp_bad_option, tcp_bad_port, tcp_bad_flags;
	uint32_t tcp_not_unicast, tcp_no_socket, tcp_rst_tx, tcp_rst_rx, tcp_backlog_full, tcp_table_full;
	uint32_t tcp_not_acceptable, tcp_bad_ack, tcp_challenge_ack, tcp_ooo_segs, tcp_ooo_dropped;
	uint32_t tcp_dup_data, tcp_retransmits, tcp_fast_retransmits, tcp_timeouts, tcp_persist_probes;
	/* DHCP, DNS */
	uint32_t dhcp_bad, dhcp_ignored, dhcp_nak, dhcp_fallback;
	uint32_t dns_bad, dns_bad_name, dns_unmatched;
};

/* ---- Readiness bits (net_poll, net_events) */
#define NET_EV_IN    0x01  /* data, EOF, an acceptable connection, a result */
#define NET_EV_OUT   0x02  /* send space (TCP: connected and buffer not full) */
#define NET_EV_HUP   0x04  /* the peer finished sending, or the connection ended */
#define NET_EV_ERR   0x08  /* an error is pending (reset, refused, timed out) */
#define NET_EV_IFACE 0x10  /* the address configuration changed (NET_IFACE_HANDLE) */

#define NET_IFACE_HANDLE 0 /* pseudo handle reported by net_events */

struct net_event {
	int handle;
	unsigned mask;
};

enum net_tcp_state {
	NET_TCP_CLOSED, NET_TCP_LISTEN, NET_TCP_SYN_SENT, NET_TCP_SYN_RECEIVED,
	NET_TCP_ESTABLISHED, NET_TCP_FIN_WAIT_1, NET_TCP_FIN_WAIT_2, NET_TCP_CLOSE_WAIT,
	NET_TCP_CLOSING, NET_TCP_LAST_ACK, NET_TCP_TIME_WAIT,
};

#include "net_state.h"   /* struct net_stack: members are private */

/* ---- Stack */
void net_init(struct net_stack *s, const struct net_config *cfg);
void net_input(struct net_stack *s, const void *frame, size_t len);
void net_tick(struct net_stack *s, uint64_t now_ms);
uint64_t net_next_deadline(const struct net_stack *s);   /* UINT64_MAX: nothing pending */
const struct net_stats *net_stats(const struct net_stack *s);
int net_events(struct net_stack *s, struct net_event *ev, int max);   /* count filled */
int net_poll(struct net_stack *s, int handle);                         /* NET_EV_* or -EBADF */

/* ---- Address configuration */
void net_set_ifconfig(struct net_stack *s, const struct net_ifconfig *c);   /* static; stops DHCP */
enum net_addr_source net_get_ifconfig(const struct net_stack *s, struct net_ifconfig *c);
int net_dhcp_start(struct net_stack *s);

/* ---- TCP */
int net_tcp_listen(struct net_stack *s, uint16_t port, int backlog);
int net_tcp_accept(struct net_stack *s, int listener, uint32_t *peer_ip, uint16_t *peer_port);
int net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port);   /* handle; poll for OUT/ERR */
int net_tcp_status(struct net_stack *s, int h);   /* 0 open, -EAGAIN connecting, or the error */
int net_tcp_send(struct net_stack *s, int h, const void *data, size_t len);   /* bytes queued */
int net_tcp_recv(struct net_stack *s, int h, void *buf, size_t cap);   /* bytes, 0 at EOF */
int net_tcp_shutdown(struct net_stack *s, int h);   /* send FIN, keep receiving */
int net_tcp_close(struct net_stack *s, int h);      /* release the handle; FIN (or RST if unread data) */
int net_tcp_abort(struct net_stack *s, int h);      /* RST and release */
int net_tcp_state(struct net_stack *s, int h);      /* enum net_tcp_state or -EBADF */
int net_tcp_set_nodelay(struct net_stack *s, int h, bool on);   /* disable Nagle */
int net_tcp_count(const struct net_stack *s, enum net_tcp_state st);   /* slots in a state */

/* ---- UDP */
int net_udp_open(struct net_stack *s, uint16_t port);   /* 0: an ephemeral port */
int net_udp_port(struct net_stack *s, int h);           /* the bound port */
int net_udp_sendto(struct net_stack *s, int h, uint32_t ip, uint16_t port, const void *data, size_t len);
int net_udp_recvfrom(struct net_stack *s, int h, void *buf, size_t cap, uint32_t *ip, uint16_t *port);
int net_udp_close(struct net_stack *s, int h);

/* ---- ICMP echo. The result call releases a finished handle. */
int net_ping(struct net_stack *s, uint32_t ip, uint16_t payload_len, uint32_t timeout_ms);
int net_ping_result(struct net_stack *s, int h, uint32_t *rtt_ms);   /* 0, -EAGAIN, -ETIMEDOUT */
int net_ping_cancel(struct net_stack *s, int h);

/* ---- DNS (A records) over the configured server, or a given server and
 * port (_at). The result call releases a finished handle. */
int net_dns_query(struct net_stack *s, const char *name);
int net_dns_query_at(struct net_stack *s, const char *name, uint32_t server, uint16_t port);
int net_dns_result(struct net_stack *s, int h, uint32_t *ip);
int net_dns_cancel(struct net_stack *s, int h);

#endif
