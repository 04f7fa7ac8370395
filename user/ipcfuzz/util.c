/* Helpers of the ipcfuzz modes. */
#include <string.h>

#include "ipcfuzz.h"

uint64_t rng_next(struct rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *g, uint64_t n)
{
	return n ? rng_next(g) % n : 0;
}

void rng_fill(struct rng *g, void *buf, size_t len)
{
	unsigned char *p = buf;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = rng_next(g);
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

void drain_own_mailbox(void)
{
	static char junk[TSB_IPC_MAX_MSG];
	while (ipc_recv(NULL, junk, sizeof junk, TSB_NO_WAIT) >= 0)
		;
}

/* Calls whose answers we never read: when all our call slots are taken,
 * the oldest is given up (its answer is thrown away) for a new one. */
static int open_calls[TSB_IPC_MAX_CALLS];
static unsigned next_call;

int junk_request(int dest, const void *msg, size_t len)
{
	int *slot = &open_calls[next_call];
	if (*slot)
		ipc_cancel(*slot); /* the oldest */
	*slot = ipc_request(dest, msg, len, 64, TSB_NO_WAIT);
	next_call = (next_call + 1) % TSB_IPC_MAX_CALLS;
	int r = *slot < 0 ? *slot : 0;
	if (*slot < 0)
		*slot = 0;
	return r;
}

void junk_calls_done(void)
{
	for (unsigned i = 0; i < TSB_IPC_MAX_CALLS; i++)
		if (open_calls[i])
			ipc_cancel(open_calls[i]);
}

int noread_request(int fsd, const void *msg, size_t len)
{
	ipc_send(fsd, msg, len, TSB_NO_WAIT); /* a message too: refused */
	return junk_request(fsd, msg, len);
}

/* Random messages of every size to every process, until `seconds` pass. */
int flood_child(uint64_t seed, int seconds)
{
	static char msg[TSB_IPC_MAX_MSG + 1];
	struct rng g = { seed };
	int pids[64], k = 0;
	uint64_t until = clock_ns() + (uint64_t)seconds * 1000000000ull, next_list = 0;

	while (clock_ns() < until) {
		if (clock_ns() >= next_list) { /* services come and go: look again each second */
			k = live_pids(pids, 64, NULL);
			next_list = clock_ns() + 1000000000ull;
		}
		for (int i = 0; i < 16 && k; i++) {
			int to = rng_below(&g, 8) == 0 ? (int)rng_below(&g, 200) : pids[rng_below(&g, (uint64_t)k)];
			size_t len = rng_below(&g, 8) == 0 ? rng_below(&g, sizeof msg + 1) : rng_below(&g, 256);
			rng_fill(&g, msg, len);
			if (rng_below(&g, 2))
				ipc_send(to, msg, len, TSB_NO_WAIT);
			else
				junk_request(to, msg, len);
		}
		drain_own_mailbox();
		yield();
	}
	junk_calls_done();
	return 0;
}
