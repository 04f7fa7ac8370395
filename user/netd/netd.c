/* netd: the user-space network service. It owns the only network
 * authority (granted by init), runs lib/net over raw frames, and serves
 * socket requests from other processes over IPC. Calls that cannot finish
 * yet (accept, recv, send into a full buffer, connect) are parked and
 * answered when the stack reports progress. Idle, it sleeps in the kernel
 * until a frame, a request or its next timer. */
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "tsubame.h"
#include "tsubame/netproto.h"

#define MAX_PARKED 32
#define MAX_WAIT_MS 1000

static struct net_stack stack;
static char frame[1600];
static char req_buf[sizeof(struct netp_request) + NETP_MAX_DATA];
static char reply_buf[sizeof(struct netp_reply) + NETP_MAX_DATA];

struct parked {
	bool used;
	int client;
	struct netp_request rq;
	char data[NETP_MAX_DATA]; /* a send's payload */
};
static struct parked parked[MAX_PARKED];

static void tx(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	__syscall(SYS_NET_SEND_FRAME, (long)f, (long)len, 0, 0, 0, 0);
}

static void reply(int client, uint32_t op, long status, const void *data, uint32_t len)
{
	struct netp_reply *r = (struct netp_reply *)reply_buf;
	*r = (struct netp_reply){ NETP_MAGIC, op, (int32_t)status, status >= 0 ? len : 0 };
	if (status >= 0 && len)
		memcpy(reply_buf + sizeof *r, data, len);
	ipc_send(client, reply_buf, sizeof *r + r->len, 1000);
}

/* Tries a request; returns 1 if it was answered, 0 if it must wait. */
static int attempt(int client, const struct netp_request *rq, const char *payload)
{
	static char data[NETP_MAX_DATA];
	int r;

	switch (rq->op) {
	case NETP_TCP_LISTEN:
		r = net_tcp_listen(&stack, rq->port, (int)rq->arg);
		break;
	case NETP_TCP_ACCEPT:
		r = net_tcp_accept(&stack, rq->handle, NULL, NULL);
		break;
	case NETP_TCP_CONNECT:
		r = net_tcp_connect(&stack, rq->ip, rq->port);
		break;
	case NETP_TCP_SEND:
		r = net_tcp_send(&stack, rq->handle, payload, rq->len);
		break;
	case NETP_TCP_RECV: {
		uint32_t max = rq->arg < sizeof data ? rq->arg : sizeof data;
		r = net_tcp_recv(&stack, rq->handle, data, max);
		if (r == -EAGAIN)
			return 0;
		reply(client, rq->op, r, data, r > 0 ? (uint32_t)r : 0);
		return 1;
	}
	case NETP_TCP_CLOSE:
		r = net_tcp_close(&stack, rq->handle);
		break;
	default:
		r = -ENOSYS;
		break;
	}
	if (r == -EAGAIN)
		return 0;
	reply(client, rq->op, r, NULL, 0);
	return 1;
}

static void park(int client, const struct netp_request *rq, const char *payload)
{
	for (int i = 0; i < MAX_PARKED; i++)
		if (!parked[i].used) {
			parked[i] = (struct parked){ .used = true, .client = client, .rq = *rq };
			memcpy(parked[i].data, payload, rq->len);
			return;
		}
	reply(client, rq->op, -EAGAIN, NULL, 0); /* too many waiting calls */
}

static void serve_request(int client, const char *buf, long n)
{
	struct netp_request rq;

	if (n < (long)sizeof rq) {
		struct netp_request bad = { .op = 0 };
		reply(client, bad.op, -EPROTO, NULL, 0);
		return;
	}
	memcpy(&rq, buf, sizeof rq);
	if (rq.magic != NETP_MAGIC || rq.len != (uint32_t)n - sizeof rq || rq.len > NETP_MAX_DATA) {
		reply(client, rq.op, -EPROTO, NULL, 0);
		return;
	}
	if (!attempt(client, &rq, buf + sizeof rq))
		park(client, &rq, buf + sizeof rq);
}

static void retry_parked(void)
{
	for (int i = 0; i < MAX_PARKED; i++) {
		struct parked *p = &parked[i];
		if (p->used && attempt(p->client, &p->rq, p->data))
			p->used = false;
	}
}

int main(void)
{
	struct net_config cfg = { .tx = tx, .seed = clock_ns() ^ 0x5eedull, .now_ms = clock_ns() / 1000000 };
	long err = __syscall(SYS_NET_GET_MAC, (long)cfg.mac, 0, 0, 0, 0, 0);
	if (err < 0) {
		printf("netd: no network: %s\n", strerror((int)err));
		return 2;
	}
	net_init(&stack, &cfg);
	net_dhcp_start(&stack);
	printf("netd: started, asking DHCP for an address\n");
	bool announced = false;
	for (;;) {
		uint64_t now = clock_ns() / 1000000;
		net_tick(&stack, now);
		/* Sleep until a frame, an IPC request (the kernel ends the wait
		 * with -EAGAIN) or the stack's next timer, whichever comes first. */
		uint64_t next = net_next_deadline(&stack);
		long wait = next <= now ? 0 : next - now > MAX_WAIT_MS ? MAX_WAIT_MS : (long)(next - now);
		long n;
		while ((n = __syscall(SYS_NET_RECV_FRAME, (long)frame, sizeof frame, wait, 0, 0, 0)) > 0) {
			net_tick(&stack, clock_ns() / 1000000);
			net_input(&stack, frame, (size_t)n);
			wait = TSB_NO_WAIT; /* drain what is queued, then serve requests */
		}
		int client;
		while ((n = ipc_recv(&client, req_buf, sizeof req_buf, TSB_NO_WAIT)) >= 0 || n == -EMSGSIZE) {
			if (n == -EMSGSIZE) { /* drain it with a junk buffer and refuse it */
				static char junk[TSB_IPC_MAX_MSG];
				if (ipc_recv(&client, junk, sizeof junk, TSB_NO_WAIT) >= 0)
					reply(client, 0, -EMSGSIZE, NULL, 0);
				continue;
			}
			serve_request(client, req_buf, n);
		}
		retry_parked();
		struct net_ifconfig ic;
		if (!announced && net_get_ifconfig(&stack, &ic) != NET_ADDR_NONE) {
			announced = true;
			printf("netd: address %u.%u.%u.%u, gateway %u.%u.%u.%u\n", ic.ip >> 24, ic.ip >> 16 & 255,
			       ic.ip >> 8 & 255, ic.ip & 255, ic.gateway >> 24, ic.gateway >> 16 & 255,
			       ic.gateway >> 8 & 255, ic.gateway & 255);
			service_ready();
		}
	}
}
