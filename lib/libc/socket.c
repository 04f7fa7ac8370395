/* TCP sockets for user programs: each call is one request to netd and its
 * reply (tsubame/netproto.h). netd is found by its name in the process list
 * and looked up again if it was restarted. */
#include <string.h>

#include "tsubame.h"
#include "tsubame/netproto.h"

static int netd_pid;

static int find_netd(void)
{
	int pid = proc_find("netd.elf");
	return pid > 0 ? pid : -ENETDOWN;
}

static long call(struct netp_request *rq, const void *data, void *out, size_t out_max)
{
	static char msg[sizeof(struct netp_request) + NETP_MAX_DATA];
	static char rep[sizeof(struct netp_reply) + NETP_MAX_DATA];

	if (rq->len > NETP_MAX_DATA)
		return -EMSGSIZE;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (netd_pid <= 0 && (netd_pid = find_netd()) < 0)
			return netd_pid;
		rq->magic = NETP_MAGIC;
		memcpy(msg, rq, sizeof *rq);
		if (rq->len)
			memcpy(msg + sizeof *rq, data, rq->len);
		long r = ipc_send(netd_pid, msg, sizeof *rq + rq->len, 5000);
		if (r == 0)
			r = ipc_recv_from(netd_pid, rep, sizeof rep, TSB_FOREVER);
		if (r == -ESRCH) { /* netd died or was restarted: look it up again */
			netd_pid = 0;
			continue;
		}
		if (r < 0)
			return r;
		struct netp_reply *p = (struct netp_reply *)rep;
		if ((size_t)r < sizeof *p || p->magic != NETP_MAGIC || p->len != (size_t)r - sizeof *p)
			return -EPROTO;
		if (p->status >= 0 && out && p->len)
			memcpy(out, rep + sizeof *p, p->len < out_max ? p->len : out_max);
		return p->status;
	}
	return -ENETDOWN;
}

int tcp_listen(uint16_t port, int backlog)
{
	struct netp_request rq = { .op = NETP_TCP_LISTEN, .port = port, .arg = (uint32_t)backlog };
	return (int)call(&rq, NULL, NULL, 0);
}

int tcp_accept(int listener)
{
	struct netp_request rq = { .op = NETP_TCP_ACCEPT, .handle = listener };
	return (int)call(&rq, NULL, NULL, 0);
}

int tcp_connect(uint32_t ip, uint16_t port)
{
	struct netp_request rq = { .op = NETP_TCP_CONNECT, .ip = ip, .port = port };
	return (int)call(&rq, NULL, NULL, 0);
}

long tcp_send(int h, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < NETP_MAX_DATA ? len - done : NETP_MAX_DATA;
		struct netp_request rq = { .op = NETP_TCP_SEND, .handle = h, .len = (uint32_t)n };
		long r = call(&rq, (const char *)buf + done, NULL, 0);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
	}
	return (long)done;
}

long tcp_recv(int h, void *buf, size_t len)
{
	struct netp_request rq = { .op = NETP_TCP_RECV, .handle = h,
				   .arg = (uint32_t)(len < NETP_MAX_DATA ? len : NETP_MAX_DATA) };
	return call(&rq, NULL, buf, len);
}

int tcp_close(int h)
{
	struct netp_request rq = { .op = NETP_TCP_CLOSE, .handle = h };
	return (int)call(&rq, NULL, NULL, 0);
}
