/* The TCP socket calls: listen/accept, connect, send/recv, shutdown,
 * close, abort and status. All non-blocking. */
#include "net_int.h"

int net_tcp_listen(struct net_stack *s, uint16_t port, int backlog)
{
	if (!port || backlog < 1)
		return -EINVAL;
	if (tcp_listener(s, port))
		return -EADDRINUSE;
	struct net_tcp_conn *c = tcp_alloc(s);
	if (!c)
		return -EMFILE;
	c->state = NET_TCP_LISTEN;
	c->lport = port;
	c->backlog = (uint16_t)(backlog < NET_TCP_CONNS ? backlog : NET_TCP_CONNS);
	return net_handle(NET_K_TCP, c->gen, (unsigned)(c - s->tcp));
}

/* The oldest connection the listener completed, now owned by the caller. */
int net_tcp_accept(struct net_stack *s, int listener, uint32_t *peer_ip, uint16_t *peer_port)
{
	struct net_tcp_conn *l = tcp_get(s, listener), *best = NULL;

	if (!l)
		return -EBADF;
	if (l->state != NET_TCP_LISTEN)
		return -EINVAL;
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &s->tcp[i];
		if (c->used && c->parent == l - s->tcp && tcp_synchronized(c->state) &&
		    (!best || (int32_t)(c->accept_order - best->accept_order) < 0))
			best = c;
	}
	if (!best)
		return -EAGAIN;
	best->parent = -1;
	l->nchild--;
	if (peer_ip)
		*peer_ip = best->rip;
	if (peer_port)
		*peer_port = best->rport;
	return net_handle(NET_K_TCP, best->gen, (unsigned)(best - s->tcp));
}

int net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port)
{
	if (!port || !ip || ip_is_bcast(s, ip) || (ip >> 28) == 0xe)
		return -EINVAL;
	if (!s->ifc.ip)
		return -ENETDOWN;
	if (((ip ^ s->ifc.ip) & s->ifc.netmask) != 0 && !s->ifc.gateway)
		return -ENETUNREACH;
	struct net_tcp_conn *c = tcp_alloc(s);
	if (!c)
		return -EMFILE;
	c->rip = ip;
	c->rport = port;
	c->lport = tcp_ephemeral_port(s);
	tcp_init_send(s, c);
	tcp_set_mss(c, 0);
	c->state = NET_TCP_SYN_SENT;
	tcp_output(s, c);
	return net_handle(NET_K_TCP, c->gen, (unsigned)(c - s->tcp));
}

int net_tcp_status(struct net_stack *s, int h)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	if (c->err)
		return c->err;
	return c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RECEIVED ? -EAGAIN : 0;
}

int net_tcp_send(struct net_stack *s, int h, const void *data, size_t len)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	if (c->err)
		return c->err;
	if (c->state == NET_TCP_LISTEN)
		return -ENOTCONN;
	if (c->fin_queued || (c->state != NET_TCP_SYN_SENT && c->state != NET_TCP_SYN_RECEIVED &&
	                      c->state != NET_TCP_ESTABLISHED && c->state != NET_TCP_CLOSE_WAIT))
		return -EPIPE;
	if (!data && len)
		return -EINVAL;
	uint32_t n = (uint32_t)(len < NET_TCP_SNDBUF - c->sb_len ? len : NET_TCP_SNDBUF - c->sb_len);
	if (len && !n)
		return -EAGAIN;
	if (n > 0x7fffffff)
		n = 0x7fffffff;
	net_ring_put(c->sndbuf, NET_TCP_SNDBUF, (c->sb_head + c->sb_len) % NET_TCP_SNDBUF, data, n);
	c->sb_len += n;
	tcp_output(s, c);
	return (int)n;
}

int net_tcp_recv(struct net_stack *s, int h, void *buf, size_t cap)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	if (!buf || !cap)
		return -EINVAL;
	if (c->state == NET_TCP_LISTEN)
		return -ENOTCONN;
	if (!c->rb_len) {
		if (c->err)
			return c->err;
		return c->fin_rcvd || c->state == NET_TCP_CLOSED ? 0 : -EAGAIN;
	}
	uint32_t n = (uint32_t)(cap < c->rb_len ? cap : c->rb_len);
	net_ring_get(c->rcvbuf, NET_TCP_RCVBUF, c->rb_head, buf, n);
	c->rb_head = (c->rb_head + n) % NET_TCP_RCVBUF;
	c->rb_len -= n;
	/* Tell the peer when the window opened enough to matter. */
	if (!c->fin_rcvd && tcp_synchronized(c->state) && c->state != NET_TCP_CLOSED &&
	    tcp_rcv_window(c, false) != c->rcv_adv - c->rcv_nxt)
		tcp_send_ack(s, c);
	return (int)n;
}

/* Queues our FIN after the buffered data. */
static void tcp_queue_fin(struct net_stack *s, struct net_tcp_conn *c)
{
	if (c->fin_queued)
		return;
	c->fin_queued = true;
	if (c->state == NET_TCP_ESTABLISHED)
		tcp_set_state(s, c, NET_TCP_FIN_WAIT_1);
	else if (c->state == NET_TCP_CLOSE_WAIT)
		tcp_set_state(s, c, NET_TCP_LAST_ACK);
	tcp_output(s, c);   /* in SYN states the FIN waits for ESTABLISHED */
}

int net_tcp_shutdown(struct net_stack *s, int h)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	if (c->state == NET_TCP_LISTEN || c->state == NET_TCP_CLOSED)
		return c->err ? c->err : c->state == NET_TCP_LISTEN ? -ENOTCONN : -EPIPE;
	tcp_queue_fin(s, c);
	return 0;
}

/* Removes a listener's unaccepted connections with a RST each. */
static void tcp_drop_children(struct net_stack *s, struct net_tcp_conn *l)
{
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &s->tcp[i];
		if (c->used && c->parent == l - s->tcp) {
			tcp_send_rst(s, c);
			tcp_free(s, c);
		}
	}
}

int net_tcp_abort(struct net_stack *s, int h)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	if (c->state == NET_TCP_LISTEN)
		tcp_drop_children(s, c);
	else if (c->state >= NET_TCP_SYN_RECEIVED && c->state != NET_TCP_TIME_WAIT)
		tcp_send_rst(s, c);
	tcp_free(s, c);
	return 0;
}

int net_tcp_close(struct net_stack *s, int h)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	switch (c->state) {
	case NET_TCP_CLOSED:
	case NET_TCP_LISTEN:
	case NET_TCP_SYN_SENT:
		return net_tcp_abort(s, h);
	default:
		break;
	}
	/* RFC 2525 2.17: unread data would be lost silently; reset instead. */
	if (c->rb_len)
		return net_tcp_abort(s, h);
	c->orphan = true;
	tcp_queue_fin(s, c);
	if (c->state == NET_TCP_FIN_WAIT_2)
		tcp_start_wait(s, c, NET_TCP_FIN_WAIT2_MS);
	return 0;
}

int net_tcp_state(struct net_stack *s, int h)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	return c ? c->state : -EBADF;
}

int net_tcp_set_nodelay(struct net_stack *s, int h, bool on)
{
	struct net_tcp_conn *c = tcp_get(s, h);

	if (!c)
		return -EBADF;
	c->nodelay = on;
	if (on)
		tcp_output(s, c);
	return 0;
}
