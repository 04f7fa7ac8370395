/* Shared by the ipcfuzz modes (main.c) and the fuzzer (fuzz.c). */
#ifndef IPCFUZZ_H
#define IPCFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsubame.h"

/* Kernel heap the flood may leave behind (a few allocations that come and
 * go with other work); a leak of queued junk is megabytes. */
#define HEAP_SLACK (256u * 1024)

/* A seeded generator (splitmix64): a run is reproduced from its seed. */
struct rng {
	uint64_t s;
};
uint64_t rng_next(struct rng *g);
uint64_t rng_below(struct rng *g, uint64_t n); /* 0..n-1; 0 if n == 0 */
void rng_fill(struct rng *g, void *buf, size_t len);

int start_self(const char *a1, const char *a2, const char *a3);
/* Live pids other than ours running `name` (NULL: every one). */
int live_pids(int *out, int max, const char *name);
/* Takes whatever was sent to us, so that our own mailbox never fills. */
void drain_own_mailbox(void);
/* A call whose answer is never read (the oldest open one is given up to
 * make room); 0 if it went out. */
int junk_request(int dest, const void *msg, size_t len);
void junk_calls_done(void);
/* One request to fat32d that is never read back. */
int noread_request(int fsd, const void *msg, size_t len);

int flood_child(uint64_t seed, int seconds);
/* Messages first..first+count-1 of the run `seed`, to every service or
 * only those running `only` (a program name, "kernel" or "nobody"). */
int fuzz_main(long seed, long count, const char *only, long first);

#endif
