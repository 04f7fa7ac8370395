/* TCP timers: retransmission with RTO estimation (RFC 6298: SRTT/RTTVAR,
 * Karn's rule in the senders, exponential backoff), persist probes,
 * TIME-WAIT and the FIN-WAIT-2 limit for closed sockets. */
#include "net_int.h"

void tcp_timer_arm(struct net_stack *s, struct net_tcp_conn *c)
{
	c->persist = false;
	c->rto_at = s->now + c->rto;
}

/* New data was acknowledged (RFC 6298 5.2, 5.3). */
void tcp_timer_ack(struct net_stack *s, struct net_tcp_conn *c)
{
	if (c->snd_una == c->snd_max) {
		c->rto_at = 0;
		c->persist = false;
	} else {
		tcp_timer_arm(s, c);
	}
}

/* Enters a final wait (TIME-WAIT, FIN-WAIT-2 of a closed socket). */
void tcp_start_wait(struct net_stack *s, struct net_tcp_conn *c, uint32_t ms)
{
	c->wait_at = s->now + ms;
	if (c->state == NET_TCP_TIME_WAIT)
		c->rto_at = 0;   /* nothing of ours is outstanding any more */
}

/* RFC 6298 2.2, 2.3 in fixed point: srtt8 = 8 SRTT, rttvar4 = 4 RTTVAR;
 * the clock granularity G is 1 ms. */
void tcp_rtt_sample(struct net_tcp_conn *c, uint32_t r)
{
	if (r > NET_TCP_RTO_MAX_MS)
		r = NET_TCP_RTO_MAX_MS;
	if (!c->srtt8 && !c->rttvar4) {
		c->srtt8 = r * 8;
		c->rttvar4 = r * 2;
	} else {
		uint32_t srtt = c->srtt8 / 8, delta = r > srtt ? r - srtt : srtt - r;
		c->rttvar4 = c->rttvar4 - c->rttvar4 / 4 + delta;
		c->srtt8 = c->srtt8 - c->srtt8 / 8 + r;
	}
	uint32_t rto = c->srtt8 / 8 + max32(1, c->rttvar4);
	c->rto = min32(max32(rto, NET_TCP_RTO_MIN_MS), NET_TCP_RTO_MAX_MS);
}

static void tcp_persist_fire(struct net_stack *s, struct net_tcp_conn *c)
{
	tcp_send_probe(s, c);
	if (c->probes < 16)
		c->probes++;
	/* Backs off like the RTO but never gives up while the peer answers. */
	uint64_t ivl = (uint64_t)c->rto << c->probes;
	c->rto_at = s->now + min64(ivl, NET_TCP_RTO_MAX_MS);
}

static void tcp_rto_fire(struct net_stack *s, struct net_tcp_conn *c)
{
	bool syn = c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RECEIVED;

	s->stats.tcp_timeouts++;
	if (c->retries >= (syn ? NET_TCP_SYN_RETRIES : NET_TCP_DATA_RETRIES)) {
		if (!syn)
			tcp_send_rst(s, c);
		tcp_terminate(s, c, c->passive && syn ? 0 : -ETIMEDOUT);
		return;
	}
	c->retries++;
	c->rto = min32(c->rto * 2, NET_TCP_RTO_MAX_MS);   /* RFC 6298 5.5 */
	c->rtt_timing = false;                            /* Karn */
	c->rto_at = 0;
	c->snd_nxt = c->snd_una;                          /* go back N */
	if (syn) {
		tcp_output(s, c);
		return;
	}
	/* RFC 5681 3.1: one segment, then slow start up to half the flight. */
	c->ssthresh = max32((c->snd_max - c->snd_una) / 2, 2u * c->mss);
	c->cwnd = c->mss;
	c->in_recovery = false;
	c->dupacks = 0;
	c->recover = c->snd_max;
	tcp_retransmit_first(s, c);
	tcp_timer_arm(s, c);
}

void tcp_tick(struct net_stack *s)
{
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &s->tcp[i];
		if (!c->used)
			continue;
		if (c->wait_at && s->now >= c->wait_at) {
			tcp_terminate(s, c, 0);   /* TIME-WAIT over, or FIN-WAIT-2 gave up */
			continue;
		}
		if (!c->rto_at || s->now < c->rto_at)
			continue;
		if (c->persist)
			tcp_persist_fire(s, c);
		else
			tcp_rto_fire(s, c);
	}
}

uint64_t tcp_deadline(const struct net_stack *s)
{
	uint64_t d = 0;

	for (int i = 0; i < NET_TCP_CONNS; i++)
		if (s->tcp[i].used)
			d = earliest(d, earliest(s->tcp[i].rto_at, s->tcp[i].wait_at));
	return d;
}
