/* The TCP connection table: allocation (reusing the oldest orphaned
 * TIME_WAIT slot when full), lookup, state changes, termination, handles
 * and readiness. */
#include "net_int.h"

static unsigned tcp_slot(const struct net_stack *s, const struct net_tcp_conn *c)
{
	return (unsigned)(c - s->tcp);
}

struct net_tcp_conn *tcp_alloc(struct net_stack *s)
{
	struct net_tcp_conn *c = NULL, *tw = NULL;

	for (int i = 0; i < NET_TCP_CONNS && !c; i++) {
		struct net_tcp_conn *t = &s->tcp[i];
		if (!t->used)
			c = t;
		else if (t->state == NET_TCP_TIME_WAIT && t->orphan && (!tw || t->wait_at < tw->wait_at))
			tw = t;
	}
	if (!c && tw) {
		tcp_free(s, tw);   /* TIME_WAIT only guards against old duplicates */
		c = tw;
	}
	if (!c)
		return NULL;
	uint16_t gen = (uint16_t)(c->gen + 1);
	memset(c, 0, offsetof(struct net_tcp_conn, sndbuf));   /* the buffers need no clearing */
	c->used = true;
	c->gen = gen;
	c->parent = -1;
	c->rto = NET_TCP_RTO_INIT_MS;
	c->mss = TCP_DEFAULT_MSS;
	return c;
}

void tcp_free(struct net_stack *s, struct net_tcp_conn *c)
{
	if (c->parent >= 0) {
		struct net_tcp_conn *l = &s->tcp[c->parent];
		l->nchild--;
		l->ev = true;
	}
	c->used = false;
	c->state = NET_TCP_CLOSED;
	c->parent = -1;
}

/* The connection a segment belongs to (any state but CLOSED and LISTEN). */
struct net_tcp_conn *tcp_lookup(struct net_stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &s->tcp[i];
		if (c->used && c->state >= NET_TCP_SYN_SENT && c->lport == lport && c->rport == rport &&
		    c->rip == rip)
			return c;
	}
	return NULL;
}

struct net_tcp_conn *tcp_listener(struct net_stack *s, uint16_t lport)
{
	for (int i = 0; i < NET_TCP_CONNS; i++)
		if (s->tcp[i].used && s->tcp[i].state == NET_TCP_LISTEN && s->tcp[i].lport == lport)
			return &s->tcp[i];
	return NULL;
}

/* A handle the user may use: not closed by them, not waiting in a
 * listener's accept queue. */
struct net_tcp_conn *tcp_get(struct net_stack *s, int h)
{
	int i = net_handle_slot(h, NET_K_TCP, NET_TCP_CONNS);

	if (i < 0)
		return NULL;
	struct net_tcp_conn *c = &s->tcp[i];
	if (!c->used || c->gen != net_handle_gen(h) || c->orphan || c->parent >= 0)
		return NULL;
	return c;
}

void tcp_event(struct net_stack *s, struct net_tcp_conn *c)
{
	c->ev = true;
	if (c->parent >= 0)
		s->tcp[c->parent].ev = true;
}

void tcp_set_state(struct net_stack *s, struct net_tcp_conn *c, uint8_t state)
{
	c->state = state;
	tcp_event(s, c);
}

/* The connection is over. A user still holding the handle sees the error
 * (and may read what arrived before a normal end); otherwise the slot is
 * freed at once. */
void tcp_terminate(struct net_stack *s, struct net_tcp_conn *c, int err)
{
	c->state = NET_TCP_CLOSED;
	c->rto_at = c->wait_at = 0;
	c->sb_len = 0;
	if (err) {
		c->err = err;
		c->rb_len = 0;
	}
	if (c->orphan || c->parent >= 0)
		tcp_free(s, c);
	else
		tcp_event(s, c);
}

/* Send-side state for a new connection; rip and the ports are set. */
void tcp_init_send(struct net_stack *s, struct net_tcp_conn *c)
{
	c->iss = net_iss(s, c->rip, c->lport, c->rport);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->sb_seq = c->iss + 1;   /* the SYN takes one sequence number */
	c->ssthresh = TCP_CWND_MAX;
	c->recover = c->iss;
}

/* Applies the peer's MSS option (RFC 9293 3.7.1) and sets the initial
 * congestion window from it (RFC 5681 3.1). */
void tcp_set_mss(struct net_tcp_conn *c, uint16_t opt)
{
	uint32_t mss = opt ? min32(max32(opt, 64), TCP_OUR_MSS) : TCP_DEFAULT_MSS;

	c->mss = (uint16_t)mss;
	c->cwnd = mss > 2190 ? 2 * mss : mss > 1095 ? 3 * mss : 4 * mss;
}

unsigned tcp_poll(const struct net_stack *s, const struct net_tcp_conn *c)
{
	unsigned m = 0;

	if (c->state == NET_TCP_LISTEN) {
		unsigned me = tcp_slot(s, c);
		for (int i = 0; i < NET_TCP_CONNS; i++) {
			const struct net_tcp_conn *k = &s->tcp[i];
			if (k->used && k->parent == (int)me && tcp_synchronized(k->state))
				return NET_EV_IN;
		}
		return 0;
	}
	if (c->rb_len || c->fin_rcvd || c->err)
		m |= NET_EV_IN;
	if (c->fin_rcvd || c->state == NET_TCP_CLOSED)
		m |= NET_EV_HUP;
	if (c->err)
		m |= NET_EV_ERR;
	if ((c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_CLOSE_WAIT) && !c->fin_queued &&
	    c->sb_len < NET_TCP_SNDBUF)
		m |= NET_EV_OUT;
	return m;
}

static bool tcp_port_in_use(const struct net_stack *s, uint16_t port)
{
	for (int i = 0; i < NET_TCP_CONNS; i++)
		if (s->tcp[i].used && s->tcp[i].lport == port)
			return true;
	return false;
}

uint16_t tcp_ephemeral_port(struct net_stack *s) { return net_pick_port(s, tcp_port_in_use); }

int net_tcp_count(const struct net_stack *s, enum net_tcp_state st)
{
	int n = 0;

	for (int i = 0; i < NET_TCP_CONNS; i++)
		n += s->tcp[i].used && s->tcp[i].state == st;
	return n;
}
