/* The stack's state, visible only so that the host can allocate it.
 * Nothing here is API: use the functions in net.h. The state holds no
 * pointers into itself, so a copy of a struct net_stack is a working
 * snapshot (the fuzz harness relies on that). */
#ifndef TSUBAME_NET_STATE_H
#define TSUBAME_NET_STATE_H

#if NET_TCP_RCVBUF > 65535 || NET_TCP_RCVBUF < 2048
#error "NET_TCP_RCVBUF must fit an unscaled TCP window and hold a full segment"
#endif
#if NET_TCP_SNDBUF < 2048 || NET_TCP_CONNS > 255 || NET_UDP_SOCKETS > 255
#error "bad net table sizes"
#endif

struct net_arp_entry {
	uint8_t state;          /* ARP_FREE, ARP_PENDING, ARP_RESOLVED */
	uint8_t tries;
	uint8_t mac[6];
	uint32_t ip;
	uint64_t deadline;      /* next retry (pending) or expiry (resolved) */
	uint64_t used;          /* last lookup: the LRU victim is the oldest */
};

struct net_arp_frame {
	uint32_t next_hop;
	uint16_t len;           /* of the IP packet after the Ethernet header */
	uint8_t frame[NET_FRAME_MAX];
};

struct net_udp_sock {
	bool used, ev;
	uint16_t gen, port;
	uint32_t head, len;     /* receive ring: records of ip(4) port(2) len(2) data */
	uint8_t ring[NET_UDP_RXBUF];
};

struct net_ping {
	bool used, ev, done;
	uint16_t gen, seq, len;
	int result;
	uint32_t ip, rtt;
	uint64_t sent, deadline;
};

struct net_dns_q {
	bool used, ev, done;
	uint8_t tries;
	uint16_t gen, id, port;
	uint16_t server_port;
	int result;
	uint32_t ip, server;
	uint64_t deadline;
	char name[NET_DNS_NAME_MAX + 1];
};

struct net_dhcp {
	uint8_t state;          /* DHCP_* in net_int.h */
	uint8_t tries;
	uint32_t xid, offer_ip, server, lease_s;
	uint64_t start, next, t1, t2, expire;
};

struct net_tcp_range {
	uint32_t start, end;    /* out-of-order bytes held in the receive ring */
};

struct net_tcp_conn {
	uint8_t state;          /* enum net_tcp_state; CLOSED + !used = free slot */
	bool used, ev;
	bool orphan;            /* the user closed the handle; the stack finishes */
	bool fin_queued;        /* shutdown: FIN follows the send buffer */
	bool fin_rcvd;          /* the peer's FIN was consumed (EOF) */
	bool rfin_pending;      /* an out-of-order FIN waits at rfin_seq */
	bool ack_now, nodelay, persist, rtt_timing, in_recovery;
	bool passive;           /* created by a listener */
	uint8_t dupacks, retries, probes, nooo;
	int16_t parent;         /* listener slot while not yet accepted, else -1 */
	uint16_t gen, lport, rport, mss, backlog, nchild;
	uint32_t rip;
	int err;                /* pending error (negative), 0 if none */
	uint32_t accept_order;
	/* send side (RFC 9293 names) */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
	uint32_t cwnd, ssthresh, recover;
	uint32_t sb_seq, sb_head, sb_len;  /* send ring: sb_len bytes from sequence sb_seq */
	/* receive side */
	uint32_t irs, rcv_nxt, rcv_adv, rfin_seq;
	uint32_t rb_head, rb_len;          /* receive ring: in-order unread bytes */
	struct net_tcp_range ooo[NET_TCP_OOO_MAX];
	/* timers (absolute ms, 0 = off) and RTT estimation (RFC 6298) */
	uint64_t rto_at, wait_at, rtt_start;
	uint32_t rto, srtt8, rttvar4, rtt_seq;
	uint8_t sndbuf[NET_TCP_SNDBUF];
	uint8_t rcvbuf[NET_TCP_RCVBUF];
};

struct net_stack {
	uint8_t mac[6];
	uint8_t addr_source;
	bool if_ev;
	net_tx_fn tx;
	void *tx_ctx;
	uint64_t now;
	uint64_t rng;
	uint64_t iss_key[2];
	struct net_ifconfig ifc;
	uint16_t ip_id, ping_ident, ping_seq;
	uint8_t arpq_len;       /* arpq[0..arpq_len) in arrival order */
	uint32_t accept_counter;
	uint64_t icmp_err_window;
	uint32_t icmp_err_count;
	struct net_stats stats;
	struct net_dhcp dhcp;
	struct net_arp_entry arp[NET_ARP_ENTRIES];
	struct net_arp_frame arpq[NET_ARP_QUEUE];
	struct net_ping ping[NET_PING_SLOTS];
	struct net_dns_q dns[NET_DNS_SLOTS];
	struct net_udp_sock udp[NET_UDP_SOCKETS];
	struct net_tcp_conn tcp[NET_TCP_CONNS];
	uint8_t tx_frame[NET_FRAME_MAX];   /* every outgoing frame is built here */
};

#endif
