/* TCP segment arrival (RFC 9293 3.10.7): parsing and validation, LISTEN
 * and SYN-SENT processing, the acceptability test, RST and SYN handling
 * with RFC 5961 challenge ACKs, ACK processing with NewReno congestion
 * control (RFC 5681, RFC 6582), receive-side reassembly of out-of-order
 * data directly in the receive ring, and FIN processing. */
#include "net_int.h"

#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2

static bool tcp_parse(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len,
                      struct tcp_seg *g)
{
	if (len < TCP_HDR) {
		s->stats.tcp_short++;
		return false;
	}
	size_t doff = (size_t)(p[12] >> 4) * 4;
	if (doff < TCP_HDR || doff > len) {
		s->stats.tcp_bad_doff++;
		return false;
	}
	if (net_l4_csum(ip->src, ip->dst, IP_PROTO_TCP, p, len) != 0) {
		s->stats.tcp_bad_csum++;
		return false;
	}
	memset(g, 0, sizeof(*g));
	g->sport = get16(p);
	g->dport = get16(p + 2);
	g->seq = get32(p + 4);
	g->ack = get32(p + 8);
	g->flags = p[13] & 0x3f;   /* ECN bits are ignored */
	g->wnd = get16(p + 14);
	g->data = p + doff;
	g->len = (uint32_t)(len - doff);
	if (!g->sport || !g->dport) {
		s->stats.tcp_bad_port++;
		return false;
	}
	if ((g->flags & TCP_SYN) && (g->flags & (TCP_RST | TCP_FIN))) {
		s->stats.tcp_bad_flags++;
		return false;
	}
	for (size_t i = TCP_HDR; i < doff;) {
		uint8_t kind = p[i];
		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff || p[i + 1] < 2 || i + p[i + 1] > doff ||
		    (kind == TCP_OPT_MSS && p[i + 1] != 4)) {
			s->stats.tcp_bad_option++;
			return false;
		}
		if (kind == TCP_OPT_MSS)
			g->mss = get16(p + i + 2);
		i += p[i + 1];
	}
	return true;
}

/* ---- Receive reassembly */

/* Records out-of-order bytes [start, end) as present, merging ranges. */
static void tcp_ooo_add(struct net_stack *s, struct net_tcp_conn *c, uint32_t start, uint32_t end)
{
	struct net_tcp_range *r = c->ooo;
	unsigned n = 0, at;

	for (unsigned k = 0; k < c->nooo; k++) {
		if (seq_le(start, r[k].end) && seq_le(r[k].start, end)) {
			if (seq_lt(r[k].start, start))
				start = r[k].start;
			if (seq_gt(r[k].end, end))
				end = r[k].end;
		} else {
			r[n++] = r[k];
		}
	}
	if (n == NET_TCP_OOO_MAX) {
		s->stats.tcp_ooo_dropped++;   /* too fragmented: the peer retransmits */
		return;
	}
	for (at = n; at > 0 && seq_gt(r[at - 1].start, start); at--)
		r[at] = r[at - 1];
	r[at].start = start;
	r[at].end = end;
	c->nooo = (uint8_t)(n + 1);
}

/* RCV.NXT advanced: out-of-order ranges it reached become in-order data. */
static void tcp_ooo_absorb(struct net_tcp_conn *c)
{
	while (c->nooo && seq_le(c->ooo[0].start, c->rcv_nxt)) {
		if (seq_gt(c->ooo[0].end, c->rcv_nxt)) {
			c->rb_len += c->ooo[0].end - c->rcv_nxt;
			c->rcv_nxt = c->ooo[0].end;
		}
		memmove(c->ooo, c->ooo + 1, --c->nooo * sizeof(c->ooo[0]));
	}
}

/* The peer's FIN is next in sequence: consume it. */
static void tcp_fin_reached(struct net_stack *s, struct net_tcp_conn *c)
{
	c->rfin_pending = false;
	c->fin_rcvd = true;
	c->rcv_nxt++;
	c->ack_now = true;
	if (c->state == NET_TCP_ESTABLISHED) {
		tcp_set_state(s, c, NET_TCP_CLOSE_WAIT);
	} else if (c->state == NET_TCP_FIN_WAIT_1) {
		tcp_set_state(s, c, NET_TCP_CLOSING);
	} else {
		tcp_set_state(s, c, NET_TCP_TIME_WAIT);
		tcp_start_wait(s, c, 2 * NET_TCP_MSL_MS);
	}
}

/* Segment text and FIN in ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2. Data is
 * trimmed to the window and written straight to its place in the ring. */
static void tcp_rx_data(struct net_stack *s, struct net_tcp_conn *c, const struct tcp_seg *g)
{
	uint32_t seq = g->seq, len = g->len;
	const uint8_t *data = g->data;
	bool fin = g->flags & TCP_FIN;

	if (seq_lt(seq, c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - seq;
		if (skip > len) {
			fin = false;   /* that FIN is the one already consumed */
			skip = len;
		}
		if (skip == len && len)
			s->stats.tcp_dup_data++;
		data += skip;
		len -= skip;
		seq = c->rcv_nxt;
	}
	if (c->rfin_pending && seq_gt(seq + len, c->rfin_seq)) {
		len = seq_lt(seq, c->rfin_seq) ? c->rfin_seq - seq : 0;   /* nothing after the FIN */
		fin = false;
	}
	uint32_t space = NET_TCP_RCVBUF - c->rb_len, off = seq - c->rcv_nxt;
	if (off >= space || len > space - off) {
		len = off < space ? space - off : 0;
		fin = false;
	}
	if (g->len || fin)
		c->ack_now = true;   /* every data segment is ACKed at once: no delayed ACKs */
	if (len && c->orphan) {
		/* RFC 1122 4.2.2.13: data after close cannot be delivered. */
		tcp_send_rst(s, c);
		tcp_terminate(s, c, 0);
		return;
	}
	if (len) {
		net_ring_put(c->rcvbuf, NET_TCP_RCVBUF, (c->rb_head + c->rb_len + off) % NET_TCP_RCVBUF, data, len);
		if (off == 0) {
			c->rb_len += len;
			c->rcv_nxt += len;
			tcp_ooo_absorb(c);
			tcp_event(s, c);
		} else {
			s->stats.tcp_ooo_segs++;
			tcp_ooo_add(s, c, seq, seq + len);
		}
	}
	if (fin && !c->rfin_pending) {
		c->rfin_pending = true;
		c->rfin_seq = seq + len;
		/* Drop out-of-order bytes a hostile peer placed after its FIN. */
		unsigned n = 0;
		for (unsigned k = 0; k < c->nooo; k++) {
			if (seq_ge(c->ooo[k].start, c->rfin_seq))
				continue;
			c->ooo[n] = c->ooo[k];
			if (seq_gt(c->ooo[n].end, c->rfin_seq))
				c->ooo[n].end = c->rfin_seq;
			n++;
		}
		c->nooo = (uint8_t)n;
	}
	if (c->rfin_pending && c->rcv_nxt == c->rfin_seq)
		tcp_fin_reached(s, c);
}

/* ---- ACK processing */

static void tcp_new_ack(struct net_stack *s, struct net_tcp_conn *c, uint32_t ack)
{
	uint32_t acked = ack - c->snd_una, mss = c->mss;

	if (c->rtt_timing && seq_gt(ack, c->rtt_seq)) {
		tcp_rtt_sample(c, (uint32_t)(s->now - c->rtt_start));
		c->rtt_timing = false;
	}
	if (seq_gt(ack, c->sb_seq)) {
		uint32_t d = min32(ack - c->sb_seq, c->sb_len);
		c->sb_head = (c->sb_head + d) % NET_TCP_SNDBUF;
		c->sb_len -= d;
		c->sb_seq += d;
	}
	c->snd_una = ack;
	if (seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;   /* after a go-back-N timeout the peer had more */
	c->retries = 0;
	if (c->in_recovery && seq_lt(ack, c->recover)) {
		/* NewReno partial ACK: the next hole is lost too. */
		tcp_retransmit_first(s, c);
		c->cwnd = (c->cwnd > acked ? c->cwnd - acked : 0) + mss;
	} else if (c->in_recovery) {
		c->in_recovery = false;
		c->cwnd = min32(c->ssthresh, max32(c->snd_max - ack, mss) + mss);
		c->dupacks = 0;
	} else {
		c->cwnd += c->cwnd < c->ssthresh ? min32(acked, mss) : max32(mss * mss / c->cwnd, 1);
		c->cwnd = min32(c->cwnd, TCP_CWND_MAX);
		c->dupacks = 0;
	}
	tcp_timer_ack(s, c);
	tcp_event(s, c);
}

static void tcp_dup_ack(struct net_stack *s, struct net_tcp_conn *c)
{
	if (++c->dupacks == 3 && !c->in_recovery && seq_gt(c->snd_una, c->recover)) {
		/* Fast retransmit (RFC 5681 3.2). */
		c->ssthresh = max32((c->snd_max - c->snd_una) / 2, 2u * c->mss);
		c->recover = c->snd_max;
		c->in_recovery = true;
		s->stats.tcp_fast_retransmits++;
		tcp_retransmit_first(s, c);
		c->cwnd = c->ssthresh + 3u * c->mss;
	} else if (c->in_recovery && c->dupacks > 3) {
		c->cwnd = min32(c->cwnd + c->mss, TCP_CWND_MAX);   /* a segment left the network */
	}
}

/* The ACK field in synchronized states and SYN-RECEIVED. Returns false if
 * processing stops here. */
static bool tcp_ack(struct net_stack *s, struct net_tcp_conn *c, const struct ip_rx *ip,
                    const struct tcp_seg *g)
{
	if (c->state == NET_TCP_SYN_RECEIVED) {
		if (!seq_gt(g->ack, c->snd_una) || seq_gt(g->ack, c->snd_max)) {
			s->stats.tcp_bad_ack++;
			tcp_reply_rst(s, ip, g);
			return false;
		}
		c->snd_wnd = c->max_snd_wnd = g->wnd;
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		if (c->parent >= 0)
			c->accept_order = ++s->accept_counter;
		tcp_set_state(s, c, c->fin_queued ? NET_TCP_FIN_WAIT_1 : NET_TCP_ESTABLISHED);
	}
	/* RFC 5961 5.2: an ACK for data never sent, or far older than
	 * anything outstanding, gets an ACK and is dropped. */
	if (seq_gt(g->ack, c->snd_max) || seq_lt(g->ack, c->snd_una - max32(c->max_snd_wnd, 65535))) {
		s->stats.tcp_bad_ack++;
		c->ack_now = true;
		return false;
	}
	bool same_wnd = g->wnd == c->snd_wnd;
	/* A peer that answers with a closed window is alive: retransmissions
	 * into it (after it shrank the window) must not count toward giving up. */
	if (g->wnd == 0)
		c->retries = 0;
	if (seq_gt(g->ack, c->snd_una))
		tcp_new_ack(s, c, g->ack);
	else if (g->ack == c->snd_una && !g->len && !(g->flags & TCP_FIN) && same_wnd &&
	         c->snd_max != c->snd_una)
		tcp_dup_ack(s, c);
	/* Window update, unless the segment is older than the last one used. */
	if (seq_lt(c->snd_wl1, g->seq) || (c->snd_wl1 == g->seq && seq_le(c->snd_wl2, g->ack))) {
		c->snd_wnd = g->wnd;
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		c->max_snd_wnd = max32(c->max_snd_wnd, g->wnd);
		if (c->snd_wnd && c->persist) {
			c->persist = false;
			c->rto_at = 0;
		}
		if (!same_wnd)
			tcp_event(s, c);
	}
	bool fin_acked = c->fin_queued && c->snd_una == c->sb_seq + c->sb_len + 1;
	if (!fin_acked)
		return true;
	switch (c->state) {
	case NET_TCP_FIN_WAIT_1:
		tcp_set_state(s, c, NET_TCP_FIN_WAIT_2);
		if (c->orphan)
			tcp_start_wait(s, c, NET_TCP_FIN_WAIT2_MS);
		break;
	case NET_TCP_CLOSING:
		tcp_set_state(s, c, NET_TCP_TIME_WAIT);
		tcp_start_wait(s, c, 2 * NET_TCP_MSL_MS);
		break;
	case NET_TCP_LAST_ACK:
		tcp_terminate(s, c, 0);
		return false;
	default:
		break;
	}
	return true;
}

/* ---- States */

static void tcp_listen_input(struct net_stack *s, struct net_tcp_conn *l, const struct ip_rx *ip,
                             const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	if (g->flags & TCP_ACK) {
		tcp_reply_rst(s, ip, g);
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	if (l->nchild >= l->backlog) {
		s->stats.tcp_backlog_full++;   /* dropped: the peer's SYN retry may find room */
		return;
	}
	struct net_tcp_conn *c = tcp_alloc(s);
	if (!c) {
		s->stats.tcp_table_full++;
		return;
	}
	c->passive = true;
	c->parent = (int16_t)(l - s->tcp);
	l->nchild++;
	c->lport = g->dport;
	c->rip = ip->src;
	c->rport = g->sport;
	c->irs = g->seq;
	c->rcv_nxt = g->seq + 1;   /* data in the SYN is not kept: it comes again */
	c->rcv_adv = c->rcv_nxt + NET_TCP_RCVBUF;
	tcp_init_send(s, c);
	tcp_set_mss(c, g->mss);
	c->snd_wnd = c->max_snd_wnd = g->wnd;
	c->snd_wl1 = g->seq;
	c->state = NET_TCP_SYN_RECEIVED;
	tcp_output(s, c);
}

static void tcp_syn_sent_input(struct net_stack *s, struct net_tcp_conn *c, const struct ip_rx *ip,
                               const struct tcp_seg *g)
{
	if ((g->flags & TCP_ACK) && (seq_le(g->ack, c->iss) || seq_gt(g->ack, c->snd_max))) {
		s->stats.tcp_bad_ack++;
		tcp_reply_rst(s, ip, g);
		return;
	}
	if (g->flags & TCP_RST) {
		s->stats.tcp_rst_rx++;
		if (g->flags & TCP_ACK)
			tcp_terminate(s, c, -ECONNREFUSED);
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	c->irs = g->seq;
	c->rcv_nxt = g->seq + 1;
	c->rcv_adv = c->rcv_nxt + NET_TCP_RCVBUF;
	tcp_set_mss(c, g->mss);
	c->snd_wnd = c->max_snd_wnd = g->wnd;
	c->snd_wl1 = g->seq;
	c->snd_wl2 = g->ack;
	c->ack_now = true;
	if (g->flags & TCP_ACK) {
		tcp_new_ack(s, c, g->ack);
		tcp_set_state(s, c, c->fin_queued ? NET_TCP_FIN_WAIT_1 : NET_TCP_ESTABLISHED);
	} else {
		/* Simultaneous open: our SYN goes again, now with an ACK. */
		c->state = NET_TCP_SYN_RECEIVED;
		c->snd_nxt = c->iss;
	}
}

static bool in_rcv_window(const struct net_tcp_conn *c, uint32_t x, uint32_t wnd)
{
	return seq_ge(x, c->rcv_nxt) && seq_lt(x, c->rcv_nxt + wnd);
}

/* SYN-RECEIVED and the synchronized states. */
static void tcp_sync_input(struct net_stack *s, struct net_tcp_conn *c, const struct ip_rx *ip,
                           const struct tcp_seg *g)
{
	uint32_t seglen = g->len + !!(g->flags & TCP_SYN) + !!(g->flags & TCP_FIN);
	uint32_t wnd = NET_TCP_RCVBUF - c->rb_len;

	if (c->state == NET_TCP_SYN_RECEIVED && (g->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    g->seq == c->irs) {
		c->snd_nxt = c->iss;   /* the SYN again: our SYN-ACK was lost */
		c->rtt_timing = false; /* Karn: the answer will be ambiguous */
		return;
	}
	/* Acceptability (RFC 9293 3.10.7.4); with a zero window a segment at
	 * RCV.NXT still counts, for its ACK, window and RST. */
	bool ok = seglen == 0 ? (wnd ? in_rcv_window(c, g->seq, wnd) : g->seq == c->rcv_nxt)
	                      : (wnd ? in_rcv_window(c, g->seq, wnd) ||
	                                   in_rcv_window(c, g->seq + seglen - 1, wnd)
	                             : g->seq == c->rcv_nxt);
	if (!ok) {
		if (g->len && seq_lt(g->seq, c->rcv_nxt))
			s->stats.tcp_dup_data++;   /* a retransmission or a duplicate */
		else
			s->stats.tcp_not_acceptable++;
		if (!(g->flags & TCP_RST))
			c->ack_now = true;
		if (c->state == NET_TCP_TIME_WAIT && (g->flags & TCP_FIN))
			tcp_start_wait(s, c, 2 * NET_TCP_MSL_MS);   /* our last ACK was lost */
		return;
	}
	if (g->flags & TCP_RST) {
		s->stats.tcp_rst_rx++;
		if (g->seq != c->rcv_nxt) {
			s->stats.tcp_challenge_ack++;   /* RFC 5961 3.2: maybe blind */
			c->ack_now = true;
			return;
		}
		if (c->state == NET_TCP_SYN_RECEIVED)
			tcp_terminate(s, c, c->passive ? 0 : -ECONNREFUSED);
		else if (c->state <= NET_TCP_CLOSE_WAIT)
			tcp_terminate(s, c, -ECONNRESET);
		else
			tcp_terminate(s, c, 0);
		return;
	}
	if (g->flags & TCP_SYN) {
		if (c->state == NET_TCP_SYN_RECEIVED && c->passive) {
			tcp_terminate(s, c, 0);   /* back to LISTEN: the child goes */
			return;
		}
		s->stats.tcp_challenge_ack++;   /* RFC 5961 4.2 */
		c->ack_now = true;
		return;
	}
	if (!(g->flags & TCP_ACK) || !tcp_ack(s, c, ip, g))
		return;
	if (c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_FIN_WAIT_1 || c->state == NET_TCP_FIN_WAIT_2)
		tcp_rx_data(s, c, g);
	else if (g->len)
		c->ack_now = true;   /* after the peer's FIN: nothing more is accepted */
}

void tcp_input(struct net_stack *s, const struct ip_rx *ip, const uint8_t *p, size_t len)
{
	struct tcp_seg g;

	if (ip->bcast) {
		s->stats.tcp_not_unicast++;
		return;
	}
	if (!tcp_parse(s, ip, p, len, &g))
		return;
	s->stats.tcp_rx_segs++;
	struct net_tcp_conn *c = tcp_lookup(s, ip->src, g.sport, g.dport);
	/* RFC 1122 4.2.2.13: a new SYN above the old sequence space may
	 * reopen a connection from TIME-WAIT. */
	if (c && c->state == NET_TCP_TIME_WAIT && c->orphan &&
	    (g.flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && seq_gt(g.seq, c->rcv_nxt) &&
	    tcp_listener(s, g.dport)) {
		tcp_free(s, c);
		c = NULL;
	}
	if (!c) {
		struct net_tcp_conn *l = tcp_listener(s, g.dport);
		if (l) {
			tcp_listen_input(s, l, ip, &g);
		} else {
			s->stats.tcp_no_socket++;
			tcp_reply_rst(s, ip, &g);
		}
		return;
	}
	if (c->state == NET_TCP_SYN_SENT)
		tcp_syn_sent_input(s, c, ip, &g);
	else
		tcp_sync_input(s, c, ip, &g);
	tcp_output(s, c);
}
