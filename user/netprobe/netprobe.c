/* netprobe: sends netd malformed and hostile requests (too short, bad
 * magic, wrong lengths, unknown ops, a bad timeout, an oversized message,
 * someone else's handle) and checks that each gets its error reply, then
 * that netd still serves. Used by scripts/tests/net-test.py; prints
 * "netprobe: N passed, M failed". */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tsubame.h"
#include "tsubame/netproto.h"

static int passed, failed;
static char msg[TSB_IPC_MAX_MSG];
static char rep[sizeof(struct netp_reply) + NETP_MAX_DATA];

/* Calls netd with len bytes of msg; the status of its reply (or why none
 * came). */
static long exchange(int netd, size_t len)
{
	long r = ipc_call(netd, msg, len, rep, sizeof rep, 5000);
	if (r < (long)sizeof(struct netp_reply))
		return r < 0 ? r : -EBADMSG;
	return ((struct netp_reply *)rep)->status;
}

static void expect(const char *what, long got, long want)
{
	bool ok = got == want;
	passed += ok, failed += !ok;
	printf("netprobe: %s: %s (%ld)\n", what, ok ? "ok" : "WRONG", got);
}

static struct netp_request *request(uint32_t op)
{
	struct netp_request *rq = (struct netp_request *)msg;
	memset(msg, 0, sizeof(struct netp_request));
	rq->magic = NETP_MAGIC, rq->op = op, rq->id = 1;
	return rq;
}

int main(void)
{
	int netd = netd_pid();
	if (netd < 0) {
		printf("netprobe: no netd: %s\n", strerror(netd));
		return 1;
	}
	request(NETP_INFO);
	expect("a 3-byte message", exchange(netd, 3), -EPROTO);
	request(NETP_INFO)->magic = 0x12345678;
	expect("a bad magic", exchange(netd, sizeof(struct netp_request)), -EPROTO);
	request(NETP_TCP_SEND)->len = 100;
	expect("a length beyond the message", exchange(netd, sizeof(struct netp_request)), -EPROTO);
	request(NETP_TCP_SEND)->len = NETP_MAX_DATA + 1;
	expect("a payload over the limit", exchange(netd, sizeof(struct netp_request) + NETP_MAX_DATA + 1), -EMSGSIZE);
	expect("an unknown op", (request(999), exchange(netd, sizeof(struct netp_request))), -ENOSYS);
	expect("op 0", (request(0), exchange(netd, sizeof(struct netp_request))), -ENOSYS);
	request(NETP_TCP_RECV)->timeout_ms = -5;
	expect("a timeout below -1", exchange(netd, sizeof(struct netp_request)), -EINVAL);
	memset(msg, 0xab, sizeof msg);
	expect("a 64 KiB message of garbage", exchange(netd, sizeof msg), -EMSGSIZE);
	request(NETP_TCP_RECV)->handle = 12345;
	((struct netp_request *)msg)->arg = 10;
	expect("recv on a handle that is not ours", exchange(netd, sizeof(struct netp_request)), -EBADF);
	request(NETP_TCP_CLOSE)->handle = -1;
	expect("close of handle -1", exchange(netd, sizeof(struct netp_request)), -EBADF);
	struct netp_request *rq = request(NETP_DNS_LOOKUP);
	rq->len = 4;
	memcpy(msg + sizeof *rq, "a\0bc", 4);
	expect("a DNS name with a NUL", exchange(netd, sizeof *rq + 4), -EINVAL);
	request(NETP_PING)->arg = 60000;
	expect("a ping payload over the MTU", exchange(netd, sizeof(struct netp_request)), -EMSGSIZE);
	expect("listen on port 0 is refused", tcp_listen(0, 1), -EINVAL);
	int u = udp_bind(0, NULL);
	expect("UDP recvfrom with no data times out", udp_recvfrom(u, msg, 16, NULL, NULL, 300), -ETIMEDOUT);
	expect("TSB_NO_WAIT answers at once", udp_recvfrom(u, msg, 16, NULL, NULL, TSB_NO_WAIT), -EAGAIN);
	expect("a UDP handle is not a TCP one", tcp_recv(u, msg, 16, TSB_NO_WAIT), -EBADF);
	expect("close it", udp_close(u), 0);
	expect("a message (not a call) is refused", ipc_send(netd, msg, sizeof(struct netp_request), 1000),
	       -ECONNREFUSED);
	struct netp_info in;
	expect("netd still serves", net_info(&in), 0);
	printf("netprobe: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
