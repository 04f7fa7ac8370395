/* sysfuzz: the syscall fuzzer (docs/RELIABILITY.md).
 *
 *   sysfuzz SEED [CALLS [PER_BATCH [m [FIRST]]]]   the harness: CALLS random
 *          calls in batches, each in a child process (m: print memory after
 *          each batch; FIRST: start at that batch, to find a leaking call)
 *   sysfuzz run SEED BATCH N [v]         one batch (v: print each call
 *                                       before making it; to replay)
 *
 * The harness gives each batch child pipes as its console (so console reads
 * and writes stay between the two) and kills a child that has not started
 * a new call for STUCK_NS: calls that wait for ever by design cannot stop
 * the run. It prints the seed and, for a batch that hung or crashed, the
 * call and the command that replays it. Before the first batch and after
 * the last it cleans SCRATCH; it compares the kernel heap and free frames
 * after the run with the figures after the first batch (a leak fails).
 * Exit status 0 only if every batch ended by itself and nothing leaked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfuzz.h"
#include "tsubame.h"

#define STUCK_NS (20ull * 1000000000ull)
#define SETTLE_NS (15ull * 1000000000ull)

static uint64_t parse_u64(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* ---- The child: one batch ---- */

static int run_batch(uint64_t seed, uint32_t batch, uint32_t n, bool verbose)
{
	static struct fuzz_state st;
	struct call c;
	char line[200];

	fuzz_init(&st, seed, batch);
	for (uint32_t i = 0; i < n; i++) {
		fuzz_next(&st, &c);
		/* Every PROGRESS_EVERY calls (each record wakes the harness): a
		 * hang or crash is then within that many calls of the record,
		 * and the replay prints the exact one. */
		if (i % PROGRESS_EVERY == 0 || verbose) {
			struct progress p = { PROGRESS_MAGIC, i };
			console_write((const char *)&p, sizeof p);
		}
		if (verbose) {
			fuzz_describe(&c, line, sizeof line);
			printf("call %u: %s", i, line);
		}
		long r = __syscall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]);
		if (verbose)
			printf(" = %ld\n", r);
		fuzz_result(&st, &c, r);
	}
	fuzz_cleanup(&st);
	struct progress done = { PROGRESS_MAGIC, n };
	console_write((const char *)&done, sizeof done);
	return 0;
}

/* ---- The harness ---- */

/* Removes everything below dir (not dir itself). */
static void clean_tree(const char *dir, int depth)
{
	struct tsb_dirent d;
	char path[TSB_PATH_MAX];

	for (int pass = 0; pass < 8 && depth < 16; pass++) {
		int fd = open(dir, TSB_O_READ | TSB_O_DIR), removed = 0;
		if (fd < 0)
			return;
		while (readdir(fd, &d) == 1) {
			if (strcmp(d.name, ".") == 0 || strcmp(d.name, "..") == 0)
				continue;
			if (snprintf(path, sizeof path, "%s/%s", dir, d.name) >= (int)sizeof path)
				continue;
			if (d.is_dir) {
				clean_tree(path, depth + 1);
				removed += rmdir(path) == 0;
			} else {
				removed += unlink(path) == 0;
			}
		}
		close(fd);
		if (!removed)
			return;
	}
}

static void clean_scratch(void)
{
	int r = mkdir(SCRATCH);
	if (r != 0 && r != -EEXIST)
		printf("sysfuzz: mkdir %s: %s\n", SCRATCH, strerror(r));
	clean_tree(SCRATCH, 0);
}

struct batch_result {
	uint32_t calls;     /* started */
	bool finished;      /* wrote its last progress record */
	bool stuck;         /* killed by the harness */
	int status;
};

/* Finds progress records in what the child wrote (among its junk). */
static void scan(const unsigned char *buf, size_t n, struct batch_result *r, uint64_t *last_ns)
{
	for (size_t i = 0; i + sizeof(struct progress) <= n; i++) {
		struct progress p;
		memcpy(&p, buf + i, sizeof p);
		if (p.magic == PROGRESS_MAGIC) {
			r->calls = p.index;
			*last_ns = clock_ns();
			i += sizeof p - 1;
		}
	}
}

static int one_batch(uint64_t seed, uint32_t batch, uint32_t n, struct batch_result *res)
{
	int in[2], out[2];
	char seedbuf[24], bbuf[12], nbuf[12];
	static unsigned char buf[4096 + sizeof(struct progress)];
	size_t keep = 0;

	memset(res, 0, sizeof *res);
	if (pipe(in) != 0 || pipe(out) != 0)
		return -EMFILE;
	snprintf(seedbuf, sizeof seedbuf, "%llu", (unsigned long long)seed);
	snprintf(bbuf, sizeof bbuf, "%u", batch);
	snprintf(nbuf, sizeof nbuf, "%u", n);
	char *argv[] = { SELF, "run", seedbuf, bbuf, nbuf, NULL };
	struct tsb_spawn_opts o = { .flags = TSB_SPAWN_CONSOLE, .console_in = in[0], .console_out = out[1] };
	int pid = spawn_opts(SELF, argv, NULL, &o);
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		close(in[1]);
		close(out[0]);
		return pid;
	}
	uint64_t last = clock_ns();
	bool eof = false;
	for (;;) {
		if (!eof) {
			struct tsb_pollfd p = { .fd = out[0], .events = TSB_POLL_IN };
			if (poll(&p, 1, 100) > 0) {
				long got = read(out[0], buf + keep, sizeof buf - keep);
				if (got <= 0) {
					eof = true;
				} else {
					size_t have = keep + (size_t)got;
					scan(buf, have, res, &last);
					/* A record may be cut by the read: keep the tail. */
					keep = have < sizeof(struct progress) - 1 ? have : sizeof(struct progress) - 1;
					memmove(buf, buf + have - keep, keep);
				}
			}
		} else {
			sleep_ms(10);
		}
		int w = waitpid(pid, &res->status, TSB_WNOHANG);
		if (w == pid)
			break;
		if (clock_ns() - last > STUCK_NS && !res->stuck) {
			res->stuck = true;
			kill(pid);
		}
	}
	/* What the child wrote last (its final record) is still in the pipe. */
	for (;;) {
		struct tsb_pollfd p = { .fd = out[0], .events = TSB_POLL_IN };
		if (poll(&p, 1, 0) <= 0)
			break;
		long got = read(out[0], buf + keep, sizeof buf - keep);
		if (got <= 0)
			break;
		size_t have = keep + (size_t)got;
		scan(buf, have, res, &last);
		keep = have < sizeof(struct progress) - 1 ? have : sizeof(struct progress) - 1;
		memmove(buf, buf + have - keep, keep);
	}
	res->finished = res->calls == n && !res->stuck;
	close(in[1]);
	close(out[0]);
	return 0;
}

static void mem_now(struct tsb_meminfo *m)
{
	memset(m, 0, sizeof *m);
	mem_info(m);
}

/* Frames free or kept by the heap for its small objects: what a leak of
 * user memory, page tables or heap blocks would lower. */
static uint64_t avail(const struct tsb_meminfo *m)
{
	return m->frames_free + m->heap_reserved / (m->page_size ? m->page_size : 4096);
}

static int harness(uint64_t seed, uint64_t calls, uint32_t per, bool trace_mem, uint32_t first)
{
	struct tsb_meminfo base, now;
	uint64_t done = 0, t0 = clock_ns();
	uint32_t stuck = 0, faulted = 0, gone = 0, batches = 0;
	int bad = 0;

	printf("sysfuzz: seed %llu, %llu calls in batches of %u (replay one: sysfuzz run %llu BATCH %u v)\n",
	       (unsigned long long)seed, (unsigned long long)calls, per, (unsigned long long)seed, per);
	clean_scratch();
	for (uint32_t b = first; done < calls; b++) {
		struct batch_result r;
		/* One line per batch: if the kernel dies, the console names the batch. */
		printf("sysfuzz: batch %u\n", b);
		int err = one_batch(seed, b, per, &r);
		if (err) {
			printf("sysfuzz: batch %u: cannot start: %s\n", b, strerror(err));
			return 1;
		}
		batches++;
		done += r.calls;
		if (r.stuck) {
			stuck++;
			printf("sysfuzz: batch %u stuck at calls %u..%u, killed (replay: sysfuzz run %llu %u %u v)\n", b,
			       r.calls, r.calls + PROGRESS_EVERY - 1, (unsigned long long)seed, b, r.calls + PROGRESS_EVERY);
		} else if (TSB_STATUS_WHY(r.status) == TSB_EXIT_FAULT) {
			faulted++;
			bad = 1;
			printf("sysfuzz: FAIL batch %u crashed at calls %u..%u (replay: sysfuzz run %llu %u %u v)\n", b,
			       r.calls, r.calls + PROGRESS_EVERY - 1, (unsigned long long)seed, b, r.calls + PROGRESS_EVERY);
		} else if (!r.finished) {
			gone++; /* exec'd itself or exited through a call: fine */
		}
		if (trace_mem) { /* to find the batch that leaks */
			mem_now(&now);
			printf("sysfuzz: after batch %u: heap %llu, free frames %llu\n", b,
			       (unsigned long long)now.heap_used, (unsigned long long)now.frames_free);
		}
		if (b == first) {
			clean_scratch();
			sleep_ms(500);
			mem_now(&base);
		}
	}
	clean_scratch();
	/* Memory comes back once every child is reaped and netd/fat32d idle. */
	uint64_t until = clock_ns() + SETTLE_NS;
	do {
		sleep_ms(200);
		mem_now(&now);
	} while ((now.heap_used > base.heap_used || avail(&now) < avail(&base)) && clock_ns() < until);
	bool leak = now.heap_used > base.heap_used || avail(&now) < avail(&base);
	uint64_t secs = (clock_ns() - t0) / 1000000000ull;
	printf("sysfuzz: %llu calls, %u batches (%u stuck and killed, %u crashed, %u ended early) in %llu s\n",
	       (unsigned long long)done, batches, stuck, faulted, gone, (unsigned long long)secs);
	printf("sysfuzz: kernel heap %llu -> %llu bytes, free frames %llu -> %llu (+ the heap's %llu -> %llu): %s\n",
	       (unsigned long long)base.heap_used, (unsigned long long)now.heap_used,
	       (unsigned long long)base.frames_free, (unsigned long long)now.frames_free,
	       (unsigned long long)(base.heap_reserved / base.page_size),
	       (unsigned long long)(now.heap_reserved / now.page_size), leak ? "LEAK" : "no leak");
	bad |= leak;
	printf("sysfuzz: %s\n", bad ? "FAILED" : "passed");
	return bad;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "run") == 0)
		return run_batch(parse_u64(argv[2]), (uint32_t)parse_u64(argv[3]), (uint32_t)parse_u64(argv[4]),
				 argc > 5 && argv[5][0] == 'v');
	/* The seed is required: the fuzzer itself may start this image with
	 * junk (or no) arguments, which must not start another harness. */
	if (argc < 2 || argv[1][0] < '0' || argv[1][0] > '9') {
		printf("usage: sysfuzz SEED [CALLS [PER_BATCH]] | sysfuzz run SEED BATCH N [v]\n");
		return 2;
	}
	uint64_t seed = parse_u64(argv[1]);
	uint64_t calls = argc > 2 ? parse_u64(argv[2]) : 100000;
	uint32_t per = argc > 3 ? (uint32_t)parse_u64(argv[3]) : 2000;
	return harness(seed, calls, per ? per : 1, argc > 4 && argv[4][0] == 'm',
		       argc > 5 ? (uint32_t)parse_u64(argv[5]) : 0);
}
