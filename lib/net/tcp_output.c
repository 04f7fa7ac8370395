/* TCP segment transmission: building segments, the send loop (window,
 * congestion window, Nagle and sender-side SWS avoidance, FIN), ACKs,
 * RSTs, retransmission of the first unacknowledged segment and window
 * probes. */
#include "net_int.h"

#define TCP_OPT_MSS_LEN 4

/* Builds one segment in s->tx_frame and sends it. Data, if any, comes
 * from c's send ring at sequence number seq. */
static void tcp_xmit(struct net_stack *s, uint32_t rip, uint16_t lport, uint16_t rport, uint32_t seq,
                     uint32_t ack, uint8_t flags, uint16_t wnd, const struct net_tcp_conn *c, uint32_t dlen)
{
	uint8_t *h = ip_payload(s);
	size_t hl = TCP_HDR + ((flags & TCP_SYN) ? TCP_OPT_MSS_LEN : 0);

	put16(h, lport);
	put16(h + 2, rport);
	put32(h + 4, seq);
	put32(h + 8, ack);
	h[12] = (uint8_t)((hl / 4) << 4);
	h[13] = flags;
	put16(h + 14, wnd);
	put32(h + 16, 0);   /* checksum, urgent pointer */
	if (flags & TCP_SYN) {
		h[20] = 2;      /* MSS option: what fits our MTU */
		h[21] = TCP_OPT_MSS_LEN;
		put16(h + 22, TCP_OUR_MSS);
	}
	if (dlen)
		net_ring_get(c->sndbuf, NET_TCP_SNDBUF, (c->sb_head + (seq - c->sb_seq)) % NET_TCP_SNDBUF,
		             h + hl, dlen);
	put16(h + 16, net_l4_csum(s->ifc.ip, rip, IP_PROTO_TCP, h, hl + dlen));
	s->stats.tcp_tx_segs++;
	if (flags & TCP_RST)
		s->stats.tcp_rst_tx++;
	(void)ip_output(s, rip, IP_PROTO_TCP, hl + dlen);
}

/* The window to advertise (RFC 9293 3.8.6.2.2, receiver-side SWS
 * avoidance): the right edge only moves when it can move by at least
 * min(half the buffer, one MSS), and never moves left. With advertise set
 * the new edge is recorded as sent. */
uint32_t tcp_rcv_window(struct net_tcp_conn *c, bool advertise)
{
	uint32_t edge = c->rcv_nxt + (NET_TCP_RCVBUF - c->rb_len);
	uint32_t adv = seq_lt(c->rcv_adv, c->rcv_nxt) ? c->rcv_nxt : c->rcv_adv;

	if (seq_ge(edge, adv + min32(NET_TCP_RCVBUF / 2, c->mss)))
		adv = edge;
	if (advertise)
		c->rcv_adv = adv;
	return adv - c->rcv_nxt;
}

/* A segment of connection c; every segment but the first SYN carries ACK. */
static void tcp_send_seg(struct net_stack *s, struct net_tcp_conn *c, uint32_t seq, uint8_t flags,
                         uint32_t dlen)
{
	uint16_t wnd = (uint16_t)((flags & TCP_SYN) ? NET_TCP_RCVBUF : tcp_rcv_window(c, true));

	tcp_xmit(s, c->rip, c->lport, c->rport, seq, (flags & TCP_ACK) ? c->rcv_nxt : 0, flags, wnd, c, dlen);
	if (flags & TCP_ACK)
		c->ack_now = false;
}

/* A pure ACK carries SND.MAX, not SND.NXT: after a timeout SND.NXT went
 * back, and an ACK with that old sequence number would be unacceptable to
 * the peer, which would drop it and answer with an ACK of its own. */
void tcp_send_ack(struct net_stack *s, struct net_tcp_conn *c)
{
	tcp_send_seg(s, c, c->snd_max, TCP_ACK, 0);
}

/* Aborts: <SEQ=SND.NXT><CTL=RST> (RFC 9293 3.10.5). */
void tcp_send_rst(struct net_stack *s, struct net_tcp_conn *c)
{
	tcp_xmit(s, c->rip, c->lport, c->rport, c->snd_nxt, c->rcv_nxt, TCP_RST | TCP_ACK, 0, c, 0);
}

/* Zero-window probe: an old sequence number with no data, which the peer
 * must answer with an ACK carrying its current window. */
void tcp_send_probe(struct net_stack *s, struct net_tcp_conn *c)
{
	s->stats.tcp_persist_probes++;
	tcp_send_seg(s, c, c->snd_una - 1, TCP_ACK, 0);
}

/* The answer to a segment that belongs to no connection (RFC 9293 3.10.7.1). */
void tcp_reply_rst(struct net_stack *s, const struct ip_rx *ip, const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	if (g->flags & TCP_ACK) {
		tcp_xmit(s, ip->src, g->dport, g->sport, g->ack, 0, TCP_RST, 0, NULL, 0);
	} else {
		uint32_t len = g->len + !!(g->flags & TCP_SYN) + !!(g->flags & TCP_FIN);
		tcp_xmit(s, ip->src, g->dport, g->sport, 0, g->seq + len, TCP_RST | TCP_ACK, 0, NULL, 0);
	}
}

/* Sequence number of our FIN: right after the last byte of data. */
static uint32_t fin_seq(const struct net_tcp_conn *c) { return c->sb_seq + c->sb_len; }

/* Resends the segment at SND.UNA, ignoring the windows (fast retransmit,
 * retransmission timeout). Karn: no RTT sample may come from it. */
void tcp_retransmit_first(struct net_stack *s, struct net_tcp_conn *c)
{
	uint32_t len = min32(fin_seq(c) - c->snd_una, c->mss);   /* checked below */
	bool fin = c->fin_queued && c->snd_una + len == fin_seq(c);

	if (seq_gt(c->sb_seq, c->snd_una) || seq_gt(c->snd_una, fin_seq(c)) || (!len && !fin))
		return;
	tcp_send_seg(s, c, c->snd_una, (uint8_t)(TCP_ACK | (fin ? TCP_FIN : 0) | (len ? TCP_PSH : 0)), len);
	s->stats.tcp_retransmits++;
	c->rtt_timing = false;
	uint32_t end = c->snd_una + len + fin;
	if (seq_gt(end, c->snd_nxt))
		c->snd_nxt = end;
}

/* Sends what the state, the windows and the queued data allow, then an
 * ACK if one is owed and no segment carried it. */
void tcp_output(struct net_stack *s, struct net_tcp_conn *c)
{
	if (!c->used)
		return;
	switch (c->state) {
	case NET_TCP_CLOSED:
	case NET_TCP_LISTEN:
		return;
	case NET_TCP_SYN_SENT:
	case NET_TCP_SYN_RECEIVED:
		if (c->snd_nxt == c->iss) {
			bool first = c->snd_max == c->iss;
			tcp_send_seg(s, c, c->iss,
			             (uint8_t)(TCP_SYN | (c->state == NET_TCP_SYN_RECEIVED ? TCP_ACK : 0)), 0);
			c->snd_nxt = c->snd_max = c->iss + 1;
			if (first) {
				c->rtt_timing = true;
				c->rtt_seq = c->iss;
				c->rtt_start = s->now;
			}
			if (!c->rto_at)
				tcp_timer_arm(s, c);
		} else if (c->ack_now && c->state == NET_TCP_SYN_RECEIVED) {
			tcp_send_ack(s, c);
		}
		c->ack_now = false;
		return;
	default:
		break;
	}
	for (;;) {
		uint32_t end = fin_seq(c);
		uint32_t avail = seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
		uint32_t inflight = c->snd_nxt - c->snd_una;
		/* Limited transmit (RFC 3042): each of the first two duplicate
		 * ACKs lets one new segment out, to bring the third. */
		uint32_t lt = c->in_recovery ? 0 : min32(c->dupacks, 2) * c->mss;
		uint32_t wnd = min32(c->snd_wnd, c->cwnd + lt);
		uint32_t usable = wnd > inflight ? wnd - inflight : 0;
		uint32_t len = min32(min32(avail, usable), c->mss);
		bool retrans = seq_lt(c->snd_nxt, c->snd_max);
		/* The FIN goes with the last data, when the window has room for it. */
		bool fin = c->fin_queued && seq_le(c->snd_nxt, end) && len == avail && usable > len;

		if (!len && !fin)
			break;
		/* Nagle (RFC 896) and sender SWS avoidance: hold back a small
		 * segment while data is unacknowledged, unless it is all we have
		 * and Nagle is off, or it is half the largest window seen. */
		if (!fin && len < c->mss && !retrans && inflight && !(c->nodelay && len == avail) &&
		    len < c->max_snd_wnd / 2)
			break;
		tcp_send_seg(s, c, c->snd_nxt,
		             (uint8_t)(TCP_ACK | (len && len == avail ? TCP_PSH : 0) | (fin ? TCP_FIN : 0)), len);
		if (retrans) {
			s->stats.tcp_retransmits++;
		} else if (!c->rtt_timing) {
			c->rtt_timing = true;
			c->rtt_seq = c->snd_nxt;
			c->rtt_start = s->now;
		}
		c->snd_nxt += len + fin;
		if (seq_gt(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		if (!c->rto_at || c->persist)
			tcp_timer_arm(s, c);
		if (fin)
			break;
	}
	if (c->ack_now)
		tcp_send_ack(s, c);
	/* Persist (RFC 9293 3.8.6.1): the peer's window is closed and nothing
	 * is in flight to bring an ACK that would open it. */
	bool waiting = seq_lt(c->snd_max, fin_seq(c) + c->fin_queued);
	if (c->snd_wnd == 0 && c->snd_una == c->snd_max && waiting && !c->rto_at) {
		c->persist = true;
		c->probes = 0;
		c->rto_at = s->now + c->rto;
	}
}
