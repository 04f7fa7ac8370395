/* netd: the user-space network service. It owns the only network
 * authority (granted by init), runs lib/net over raw frames, and serves
 * socket requests from other processes over IPC (tsubame/netproto.h).
 * Idle, it sleeps in the kernel until a frame, a request, the stack's
 * next timer or a parked call's deadline. */
#include <stdio.h>
#include <string.h>

#include "netd.h"
#include "tsubame.h"

#define MAX_WAIT_MS 1000
#define SWEEP_MS 1000 /* how often dead clients are looked for */

struct net_stack stack;
struct netp_info counters;
static char frame[1600];
static char req_buf[sizeof(struct netp_request) + NETP_MAX_DATA];

uint64_t now_ms(void)
{
	return clock_ns() / 1000000;
}

static void tx(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	__syscall(SYS_NET_SEND_FRAME, (long)f, (long)len, 0, 0, 0, 0);
}

static void serve_queued_requests(void)
{
	struct tsb_ipc_info info;
	long n;
	while ((n = ipc_recv(&info, req_buf, sizeof req_buf, TSB_NO_WAIT)) >= 0 || n == -EMSGSIZE) {
		if (n == -EMSGSIZE) { /* take it with a junk buffer and refuse it */
			static char junk[TSB_IPC_MAX_MSG];
			if (ipc_recv(&info, junk, sizeof junk, TSB_NO_WAIT) >= 0) {
				struct netp_request none = { .op = 0 };
				counters.bad_requests++;
				if (info.kind == TSB_IPC_CALL)
					reply(info.sender, info.token, &none, -EMSGSIZE, NULL, 0, 0, 0);
			}
			continue;
		}
		if (info.kind != TSB_IPC_CALL) { /* only calls are taken; the kernel's would be a bug */
			counters.bad_requests++;
			continue;
		}
		serve_request(info.sender, info.token, req_buf, n);
	}
}

static void announce_address(void)
{
	static bool announced;
	struct net_ifconfig ic;
	if (announced || net_get_ifconfig(&stack, &ic) == NET_ADDR_NONE)
		return;
	announced = true;
	char ip[16], gw[16];
	printf("netd: address %s, gateway %s\n", ip_format(ic.ip, ip), ip_format(ic.gateway, gw));
	service_ready();
}

int main(void)
{
	struct net_config cfg = { .tx = tx, .seed = clock_ns() ^ 0x5eedull, .now_ms = now_ms() };
	long err = __syscall(SYS_NET_GET_MAC, (long)cfg.mac, 0, 0, 0, 0, 0);
	if (err < 0) {
		printf("netd: no network: %s\n", strerror((int)err));
		return 2;
	}
	net_init(&stack, &cfg);
	/* Every request is a call, from anyone: each is charged to its
	 * caller, and its reply lands in room the caller reserved. */
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS);
	net_dhcp_start(&stack);
	printf("netd: started, asking DHCP for an address\n");
	uint64_t next_sweep = now_ms() + SWEEP_MS;
	for (;;) {
		uint64_t now = now_ms();
		net_tick(&stack, now);
		/* Sleep until a frame, an IPC request (the kernel ends the wait
		 * with -EAGAIN), the stack's next timer or a call's deadline. */
		uint64_t next = net_next_deadline(&stack), parked_next = parked_next_deadline();
		if (parked_next < next)
			next = parked_next;
		if (next_sweep < next)
			next = next_sweep;
		long wait = next <= now ? 0 : next - now > MAX_WAIT_MS ? MAX_WAIT_MS : (long)(next - now);
		long n;
		while ((n = __syscall(SYS_NET_RECV_FRAME, (long)frame, sizeof frame, wait, 0, 0, 0)) > 0) {
			net_tick(&stack, now_ms());
			net_input(&stack, frame, (size_t)n);
			wait = TSB_NO_WAIT; /* drain what is queued, then serve requests */
		}
		net_tick(&stack, now_ms());
		serve_queued_requests();
		retry_parked();
		if (now_ms() >= next_sweep) {
			next_sweep = now_ms() + SWEEP_MS;
			if (owner_clients() || have_parked())
				sweep_dead_clients();
		}
		announce_address();
	}
}
