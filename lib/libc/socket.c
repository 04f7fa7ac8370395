/* Sockets for user programs: each call is one IPC call to netd
 * (tsubame/netproto.h) and its reply, which the kernel delivers into room
 * reserved for it. netd is found by its name in the process list and
 * looked up again if it was restarted. One receive may run asynchronously
 * (tcp_recv_start/finish) while the program makes other calls: it is just
 * another open call with its own ticket. */
#include <stdbool.h>
#include <string.h>

#include "tsubame.h"
#include "tsubame/netproto.h"

#define REPLY_MAX (sizeof(struct netp_reply) + NETP_MAX_DATA)
#define SEND_TIMEOUT_MS 5000 /* for room to queue the request, not for the answer */

static int netd;
static uint32_t next_id;
static char msg[sizeof(struct netp_request) + NETP_MAX_DATA];
static char rep[REPLY_MAX];
/* The asynchronous receive: its ticket, and its reply once it came. */
static int async_ticket;
static bool async_arrived;
static long async_len;
static char async_rep[REPLY_MAX];

static int find_netd(void)
{
	int pid = proc_find("netd.elf");
	return pid > 0 ? pid : -ENETDOWN;
}

int netd_pid(void)
{
	if (netd <= 0)
		netd = find_netd();
	return netd;
}

/* Starts the call; returns its ticket. */
static int send_request(struct netp_request *rq, const void *data)
{
	if (rq->len > NETP_MAX_DATA)
		return -EMSGSIZE;
	if (netd_pid() < 0)
		return netd;
	rq->magic = NETP_MAGIC;
	rq->id = ++next_id ? next_id : ++next_id; /* never 0: that is "no request" */
	memcpy(msg, rq, sizeof *rq);
	if (rq->len)
		memcpy(msg + sizeof *rq, data, rq->len);
	int r = ipc_request(netd, msg, sizeof *rq + rq->len, REPLY_MAX, SEND_TIMEOUT_MS);
	if (r == -ESRCH || r == -ECONNREFUSED)
		netd = 0; /* netd died or was restarted: look it up next time */
	return r;
}

/* Waits for the reply of a call; checks it is a well-formed netd reply. */
static long take_reply(int ticket, char *buf, long timeout_ms)
{
	long r = ipc_await(ticket, buf, REPLY_MAX, timeout_ms);
	if (r == -ESRCH)
		netd = 0; /* it died with our call */
	if (r < 0)
		return r;
	struct netp_reply *p = (struct netp_reply *)buf;
	if ((size_t)r < sizeof *p || p->magic != NETP_MAGIC || p->len != (size_t)r - sizeof *p)
		return -EPROTO;
	return r;
}

/* The reply's status; its data (up to out_max bytes) into out. */
static long unpack(const char *buf, void *out, size_t out_max, struct netp_reply *hdr)
{
	const struct netp_reply *p = (const struct netp_reply *)buf;
	if (hdr)
		*hdr = *p;
	if (p->status >= 0 && out && p->len)
		memcpy(out, buf + sizeof *p, p->len < out_max ? p->len : out_max);
	return p->status;
}

static long call(struct netp_request *rq, const void *data, void *out, size_t out_max, struct netp_reply *hdr)
{
	int t = send_request(rq, data);
	if (t == -ESRCH || t == -ECONNREFUSED) /* once more with the restarted netd */
		t = send_request(rq, data);
	if (t < 0)
		return t;
	/* netd answers every call, by its own timeout if it has one; a
	 * failed wait (killed) leaves nothing behind. */
	long r = take_reply(t, rep, TSB_FOREVER);
	if (r < 0) {
		ipc_cancel(t);
		return r == -ESRCH ? -ENETDOWN : r;
	}
	return unpack(rep, out, out_max, hdr);
}

int tcp_listen(uint16_t port, int backlog)
{
	struct netp_request rq = { .op = NETP_TCP_LISTEN, .port = port, .arg = (uint32_t)backlog };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int tcp_listen_wait(uint16_t port, int backlog, long timeout_ms)
{
	uint64_t until = clock_ns() + (uint64_t)timeout_ms * 1000000ull;
	int l;
	while ((l = tcp_listen(port, backlog)) < 0 && clock_ns() < until)
		sleep_ms(100);
	return l;
}

bool net_handle_lost(long err)
{
	return err == -EBADF || err == -ENETDOWN || err == -ESRCH;
}

int tcp_accept(int listener, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_TCP_ACCEPT, .handle = listener, .timeout_ms = (int32_t)timeout_ms };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int tcp_connect(uint32_t ip, uint16_t port, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_TCP_CONNECT, .ip = ip, .port = port, .timeout_ms = (int32_t)timeout_ms };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

long tcp_send(int h, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < NETP_MAX_DATA ? len - done : NETP_MAX_DATA;
		struct netp_request rq = { .op = NETP_TCP_SEND, .handle = h, .len = (uint32_t)n,
					   .timeout_ms = TSB_FOREVER };
		long r = call(&rq, (const char *)buf + done, NULL, 0, NULL);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
	}
	return (long)done;
}

static uint32_t clamp(size_t len)
{
	return (uint32_t)(len < NETP_MAX_DATA ? len : NETP_MAX_DATA);
}

long tcp_recv(int h, void *buf, size_t len, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_TCP_RECV, .handle = h, .arg = clamp(len),
				   .timeout_ms = (int32_t)timeout_ms };
	return call(&rq, NULL, buf, len, NULL);
}

int tcp_close(int h)
{
	struct netp_request rq = { .op = NETP_TCP_CLOSE, .handle = h };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int tcp_recv_start(int h, size_t len)
{
	if (async_ticket)
		return -EALREADY;
	struct netp_request rq = { .op = NETP_TCP_RECV, .handle = h, .arg = clamp(len), .timeout_ms = TSB_FOREVER };
	int t = send_request(&rq, NULL);
	if (t < 0)
		return t;
	async_ticket = t;
	async_arrived = false;
	return 0;
}

bool tcp_recv_arrived(void)
{
	if (async_ticket && !async_arrived) {
		long r = take_reply(async_ticket, async_rep, TSB_NO_WAIT);
		if (r != -EAGAIN) { /* the reply, or why there is none */
			async_arrived = true;
			async_len = r;
		}
	}
	return async_ticket && async_arrived;
}

long tcp_recv_finish(void *buf, size_t len, long timeout_ms)
{
	if (!async_ticket)
		return -EINVAL;
	if (!async_arrived) {
		long r = take_reply(async_ticket, async_rep, timeout_ms);
		if (r == -EAGAIN || r == -ETIMEDOUT || r == -EINTR)
			return r; /* still running */
		async_len = r;
	}
	async_ticket = 0;
	async_arrived = false;
	if (async_len < 0)
		return async_len == -ESRCH ? -ENETDOWN : async_len;
	return unpack(async_rep, buf, len, NULL);
}

int udp_bind(uint16_t port, uint16_t *bound)
{
	struct netp_request rq = { .op = NETP_UDP_BIND, .port = port };
	struct netp_reply r = { 0 };
	int h = (int)call(&rq, NULL, NULL, 0, &r);
	if (h >= 0 && bound)
		*bound = r.port;
	return h;
}

long udp_sendto(int h, uint32_t ip, uint16_t port, const void *buf, size_t len)
{
	if (len > NETP_MAX_DATA)
		return -EMSGSIZE;
	struct netp_request rq = { .op = NETP_UDP_SENDTO, .handle = h, .ip = ip, .port = port,
				   .len = (uint32_t)len, .timeout_ms = TSB_FOREVER };
	return call(&rq, buf, NULL, 0, NULL);
}

long udp_recvfrom(int h, void *buf, size_t len, uint32_t *ip, uint16_t *port, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_UDP_RECVFROM, .handle = h, .arg = clamp(len),
				   .timeout_ms = (int32_t)timeout_ms };
	struct netp_reply r = { 0 };
	long n = call(&rq, NULL, buf, len, &r);
	if (n >= 0 && ip)
		*ip = r.ip;
	if (n >= 0 && port)
		*port = r.port;
	return n;
}

int udp_close(int h)
{
	struct netp_request rq = { .op = NETP_UDP_CLOSE, .handle = h };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int dns_lookup(const char *name, uint32_t server, uint16_t port, uint32_t *ip, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_DNS_LOOKUP, .ip = server, .port = port,
				   .len = (uint32_t)strlen(name), .timeout_ms = (int32_t)timeout_ms };
	struct netp_reply r = { 0 };
	int err = (int)call(&rq, name, NULL, 0, &r);
	if (err == 0 && ip)
		*ip = r.ip;
	return err;
}

int ping(uint32_t ip, uint16_t payload_bytes, long timeout_ms)
{
	struct netp_request rq = { .op = NETP_PING, .ip = ip, .arg = payload_bytes, .timeout_ms = (int32_t)timeout_ms };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int net_share(int h, int pid)
{
	struct netp_request rq = { .op = NETP_SHARE, .handle = h, .arg = (uint32_t)pid };
	return (int)call(&rq, NULL, NULL, 0, NULL);
}

int net_info(struct netp_info *out)
{
	struct netp_request rq = { .op = NETP_INFO };
	memset(out, 0, sizeof *out);
	return (int)call(&rq, NULL, out, sizeof *out, NULL);
}
