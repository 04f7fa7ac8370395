/* sysfuzz: random system calls with hostile arguments from an unprivileged
 * process (docs/RELIABILITY.md). The harness (main.c) runs the calls in
 * batches, each in a child it can kill; gen.c makes one call from the seed. */
#ifndef SYSFUZZ_H
#define SYSFUZZ_H

#include <stdbool.h>
#include <stdint.h>

#define SELF "/bin/sysfuzz.elf"
/* Everything that creates, changes or deletes files stays under here. */
#define SCRATCH "/host/fuzz"

/* A progress record the child writes to its console pipe before every
 * PROGRESS_EVERY-th call (and after its last), so that the harness knows
 * where a batch is. */
#define PROGRESS_MAGIC 0x5a46fe01u
#define PROGRESS_EVERY 16
struct progress {
	uint32_t magic;
	uint32_t index;
};

/* One generated call: number and six arguments. */
struct call {
	long nr;
	long a[6];
};

/* The generator's state for one batch: the random stream and what the
 * child's own earlier calls created (handles, children, mappings). */
struct fuzz_state {
	uint64_t rng;
	int fds[16];
	int nfds;
	int kids[16];
	int nkids;
	uintptr_t maps[8];
	uint64_t map_len[8];
	int nmaps;
};

void fuzz_init(struct fuzz_state *s, uint64_t seed, uint32_t batch);
/* Fills c with the next call. */
void fuzz_next(struct fuzz_state *s, struct call *c);
/* Updates the state from the call's result (new fds, pids, mappings). */
void fuzz_result(struct fuzz_state *s, const struct call *c, long ret);
/* Closes, kills, reaps and unmaps what the batch left behind. */
void fuzz_cleanup(struct fuzz_state *s);
/* Writes a one-line description of c to buf. */
void fuzz_describe(const struct call *c, char *buf, unsigned long n);

#endif
