/* Serving netd requests: validation, one function per operation, and the
 * parked calls that wait for the stack (accept, connect, send into a full
 * buffer, recv, recvfrom, DNS, ping) with their deadlines. Every request
 * gets exactly one reply, unless its client dies first. */
#include <string.h>

#include "netd.h"
#include "tsubame.h"

#define MAX_PARKED 64
#define PING_DEFAULT_MS 3000 /* a ping with no timeout still ends */

/* A call in progress. pending is the stack's handle of a connect, DNS
 * query or ping that was started but has not finished. */
struct call {
	int client;
	uint64_t token;    /* answers this call (one-shot) */
	struct netp_request rq;
	uint64_t deadline; /* ms; 0 = none */
	int pending;
};

struct parked {
	bool used;
	struct call call;
	char data[NETP_MAX_DATA]; /* the request's payload */
};
static struct parked parked[MAX_PARKED];

static char reply_buf[sizeof(struct netp_reply) + NETP_MAX_DATA];
static char data_buf[NETP_MAX_DATA];

void reply(int client, uint64_t token, const struct netp_request *rq, long status, const void *data,
	   uint32_t len, uint32_t ip, uint16_t port)
{
	struct netp_reply *r = (struct netp_reply *)reply_buf;
	*r = (struct netp_reply){ .magic = NETP_MAGIC, .op = rq->op, .id = rq->id, .status = (int32_t)status,
				  .ip = ip, .port = port, .len = status >= 0 ? len : 0 };
	if (r->len)
		memcpy(reply_buf + sizeof *r, data, len);
	/* Never waits and never needs room at the client: the reply fills
	 * what the call reserved. It is lost only if the client gave up the
	 * call or died. */
	int err = ipc_reply(token, reply_buf, sizeof *r + r->len);
	if (err < 0)
		counters.lost_replies++;
	if (err == -ESRCH)
		client_died(client);
}

static void answer(struct call *c, long status)
{
	reply(c->client, c->token, &c->rq, status, NULL, 0, 0, 0);
}

/* Abandons what a call started in the stack. */
static void cancel_pending(struct call *c)
{
	if (!c->pending)
		return;
	switch (c->rq.op) {
	case NETP_TCP_CONNECT: net_tcp_abort(&stack, c->pending); break;
	case NETP_DNS_LOOKUP: net_dns_cancel(&stack, c->pending); break;
	case NETP_PING: net_ping_cancel(&stack, c->pending); break;
	}
	c->pending = 0;
}

/* A new handle for the client; the stack's handle is closed if netd's
 * table is full. */
static long adopt(struct call *c, int h, enum handle_kind kind)
{
	if (h < 0 || owner_add(h, kind, c->client) == 0)
		return h;
	if (kind == KIND_TCP)
		net_tcp_abort(&stack, h);
	else
		net_udp_close(&stack, h);
	return -EMFILE;
}

static bool uses(const struct call *c, enum handle_kind kind)
{
	return owner_uses(c->rq.handle, c->client) && owner_kind(c->rq.handle) == (int)kind;
}

/* Each returns the status to answer, or -EAGAIN to wait. */
static long op_accept(struct call *c)
{
	uint32_t ip = 0;
	uint16_t port = 0;
	if (!uses(c, KIND_TCP))
		return -EBADF;
	long r = net_tcp_accept(&stack, c->rq.handle, &ip, &port);
	if (r == -EAGAIN)
		return r;
	r = adopt(c, (int)r, KIND_TCP);
	reply(c->client, c->token, &c->rq, r, NULL, 0, ip, port);
	return 1; /* answered here, with the peer */
}

static long op_connect(struct call *c)
{
	if (!c->pending) {
		int h = net_tcp_connect(&stack, c->rq.ip, c->rq.port);
		if (h < 0)
			return h;
		c->pending = h;
	}
	int st = net_tcp_status(&stack, c->pending);
	if (st == -EAGAIN)
		return st;
	int h = c->pending;
	c->pending = 0;
	if (st < 0) {
		net_tcp_abort(&stack, h);
		return st;
	}
	return adopt(c, h, KIND_TCP);
}

static long op_recv(struct call *c, bool udp)
{
	uint32_t max = c->rq.arg < sizeof data_buf ? c->rq.arg : sizeof data_buf, ip = 0;
	uint16_t port = 0;
	long r;
	if (!uses(c, udp ? KIND_UDP : KIND_TCP))
		return -EBADF;
	if (max == 0)
		return -EINVAL;
	r = udp ? net_udp_recvfrom(&stack, c->rq.handle, data_buf, max, &ip, &port)
		: net_tcp_recv(&stack, c->rq.handle, data_buf, max);
	if (r == -EAGAIN)
		return r;
	reply(c->client, c->token, &c->rq, r, data_buf, r > 0 ? (uint32_t)r : 0, ip, port);
	return 1;
}

static long op_dns(struct call *c, const char *payload)
{
	uint32_t ip = 0;
	if (!c->pending) {
		char name[NET_DNS_NAME_MAX + 2];
		if (c->rq.len == 0 || c->rq.len >= sizeof name || memchr(payload, '\0', c->rq.len))
			return -EINVAL;
		memcpy(name, payload, c->rq.len);
		name[c->rq.len] = '\0';
		int h = c->rq.ip ? net_dns_query_at(&stack, name, c->rq.ip, c->rq.port ? c->rq.port : 53)
				 : net_dns_query(&stack, name);
		if (h < 0)
			return h;
		c->pending = h;
	}
	int r = net_dns_result(&stack, c->pending, &ip);
	if (r == -EAGAIN)
		return r;
	c->pending = 0;
	reply(c->client, c->token, &c->rq, r, NULL, 0, ip, 0);
	return 1;
}

static long op_ping(struct call *c)
{
	uint32_t rtt = 0;
	if (!c->pending) {
		if (c->rq.arg > NET_UDP_MAX_PAYLOAD)
			return -EMSGSIZE;
		uint32_t limit = c->rq.timeout_ms > 0 ? (uint32_t)c->rq.timeout_ms : PING_DEFAULT_MS;
		int h = net_ping(&stack, c->rq.ip, (uint16_t)c->rq.arg, limit);
		if (h < 0)
			return h;
		c->pending = h;
	}
	int r = net_ping_result(&stack, c->pending, &rtt);
	if (r == -EAGAIN)
		return r;
	c->pending = 0; /* the result call released it */
	return r < 0 ? r : (long)rtt;
}

static long op_info(struct call *c)
{
	struct net_ifconfig ic;
	const struct net_stats *st = net_stats(&stack);
	struct netp_info in = counters;
	in.source = net_get_ifconfig(&stack, &ic);
	in.ip = ic.ip, in.netmask = ic.netmask, in.gateway = ic.gateway, in.dns = ic.dns;
	in.clients = owner_clients();
	in.rx_frames = st->rx_frames, in.tx_frames = st->tx_frames;
	in.rx_dropped = st->eth_short + st->eth_oversize + st->eth_unknown_type + st->arp_short + st->arp_bad +
			st->ip_short + st->ip_bad_version + st->ip_bad_ihl + st->ip_bad_len + st->ip_bad_csum +
			st->ip_fragment + st->icmp_short + st->icmp_bad_csum + st->udp_short + st->udp_bad_len +
			st->udp_bad_csum + st->tcp_short + st->tcp_bad_doff + st->tcp_bad_csum + st->tcp_bad_option;
	reply(c->client, c->token, &c->rq, 0, &in, sizeof in, 0, 0);
	return 1;
}

/* Tries a call; returns true once it has been answered. */
static bool attempt(struct call *c, const char *payload)
{
	const struct netp_request *rq = &c->rq;
	long r;

	switch (rq->op) {
	case NETP_TCP_LISTEN: r = adopt(c, net_tcp_listen(&stack, rq->port, (int)rq->arg), KIND_TCP); break;
	case NETP_TCP_ACCEPT: r = op_accept(c); if (r == 1) return true; break;
	case NETP_TCP_CONNECT: r = op_connect(c); break;
	case NETP_TCP_SEND: r = uses(c, KIND_TCP) ? net_tcp_send(&stack, rq->handle, payload, rq->len) : -EBADF; break;
	case NETP_TCP_RECV: r = op_recv(c, false); if (r == 1) return true; break;
	case NETP_UDP_RECVFROM: r = op_recv(c, true); if (r == 1) return true; break;
	case NETP_TCP_CLOSE:
	case NETP_UDP_CLOSE: r = owner_release(rq->handle, c->client); break;
	case NETP_UDP_BIND: {
		r = adopt(c, net_udp_open(&stack, rq->port), KIND_UDP);
		if (r < 0)
			break;
		reply(c->client, c->token, rq, r, NULL, 0, 0, (uint16_t)net_udp_port(&stack, (int)r));
		return true;
	}
	case NETP_UDP_SENDTO:
		r = uses(c, KIND_UDP) ? net_udp_sendto(&stack, rq->handle, rq->ip, rq->port, payload, rq->len) : -EBADF;
		break;
	case NETP_DNS_LOOKUP: r = op_dns(c, payload); if (r == 1) return true; break;
	case NETP_PING: r = op_ping(c); break;
	case NETP_SHARE: r = owner_share(rq->handle, c->client, (int)rq->arg); break;
	case NETP_INFO: return op_info(c);
	default: r = -ENOSYS; break;
	}
	if (r == -EAGAIN)
		return false;
	answer(c, r);
	return true;
}

/* The request's deadline, or why it cannot wait. */
static bool give_up(struct call *c, uint64_t now)
{
	if (c->rq.timeout_ms == TSB_NO_WAIT || (c->deadline && now >= c->deadline)) {
		cancel_pending(c);
		answer(c, c->rq.timeout_ms == TSB_NO_WAIT ? -EAGAIN : -ETIMEDOUT);
		return true;
	}
	return false;
}

static void park(struct call *c, const char *payload)
{
	for (int i = 0; i < MAX_PARKED; i++)
		if (!parked[i].used) {
			parked[i].used = true;
			parked[i].call = *c;
			memcpy(parked[i].data, payload, c->rq.len);
			return;
		}
	cancel_pending(c);
	answer(c, -ENOBUFS); /* too many calls waiting */
}

void serve_request(int client, uint64_t token, const char *buf, long n)
{
	struct call c = { .client = client, .token = token };

	counters.requests++;
	if (n < (long)sizeof c.rq) {
		counters.bad_requests++;
		answer(&c, -EPROTO);
		return;
	}
	memcpy(&c.rq, buf, sizeof c.rq);
	long err = 0;
	if (c.rq.magic != NETP_MAGIC || c.rq.len != (uint32_t)n - sizeof c.rq || c.rq.len > NETP_MAX_DATA)
		err = -EPROTO;
	else if (c.rq.op == 0 || c.rq.op >= NETP_OP_MAX)
		err = -ENOSYS;
	else if (c.rq.timeout_ms < TSB_FOREVER)
		err = -EINVAL;
	if (err) {
		counters.bad_requests++;
		answer(&c, err);
		return;
	}
	if (c.rq.timeout_ms > 0)
		c.deadline = now_ms() + (uint64_t)c.rq.timeout_ms;
	const char *payload = buf + sizeof c.rq;
	if (!attempt(&c, payload) && !give_up(&c, now_ms()))
		park(&c, payload);
}

void retry_parked(void)
{
	uint64_t now = now_ms();
	for (int i = 0; i < MAX_PARKED; i++) {
		struct parked *p = &parked[i];
		if (p->used && (attempt(&p->call, p->data) || give_up(&p->call, now)))
			p->used = false;
	}
}

void drop_parked_of(int pid)
{
	for (int i = 0; i < MAX_PARKED; i++)
		if (parked[i].used && parked[i].call.client == pid) {
			cancel_pending(&parked[i].call);
			parked[i].used = false;
		}
}

void sweep_parked(void)
{
	for (int i = 0; i < MAX_PARKED; i++)
		if (parked[i].used && !client_alive(parked[i].call.client))
			drop_parked_of(parked[i].call.client);
}

bool have_parked(void)
{
	for (int i = 0; i < MAX_PARKED; i++)
		if (parked[i].used)
			return true;
	return false;
}

uint64_t parked_next_deadline(void)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < MAX_PARKED; i++)
		if (parked[i].used && parked[i].call.deadline && parked[i].call.deadline < next)
			next = parked[i].call.deadline;
	return next;
}
