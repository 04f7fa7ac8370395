/* ipcfuzz: hostile IPC from an unprivileged process, for
 * scripts/tests/ipc-test.py and `make fuzz`. Each mode is one attack the
 * system must shrug off; it prints what happened and exits 0 only if the
 * system behaved (the script checks the services afterwards):
 *   orphan             an orphan adopted by init asks for SYS_SHUTDOWN
 *   trace              SYS_IPC_TRACE without authority
 *   junk N NAME...     N small messages to every process running NAME
 *   noread SECONDS     requests to fat32d from a client that never reads
 *   heap               junk to every process; the kernel heap must come back
 *   flood SECONDS N    N processes send random messages to every pid
 *   fuzz SEED COUNT [TARGET|all [FIRST]]   the IPC fuzzer (fuzz.c) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcfuzz.h"

#define SELF "/bin/ipcfuzz.elf"

static char buf[TSB_IPC_MAX_MSG + 1];

int start_self(const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { SELF, (char *)a1, (char *)a2, (char *)a3, NULL };
	char *envp[] = { NULL };
	return spawn(SELF, argv, envp);
}

/* Pids of live processes (not us, not the kernel), up to max. */
int live_pids(int *out, int max, const char *name)
{
	static struct tsb_procinfo procs[64];
	int n = proc_list(procs, 64), k = 0;

	for (int i = 0; i < n && k < max; i++) {
		procs[i].name[sizeof procs[i].name - 1] = '\0';
		if (procs[i].pid == getpid() || strcmp(procs[i].state, "zombie") == 0)
			continue;
		if (!name || strcmp(procs[i].name, name) == 0)
			out[k++] = procs[i].pid;
	}
	return k;
}

/* Waits for every child; returns how many exited with a non-zero status. */
static int reap_all(void)
{
	int status, bad = 0;
	while (waitpid(-1, &status, 0) > 0)
		bad += status != 0;
	return bad;
}

/* ---- power-off by an orphan ---- */

static int orphan_b(void)
{
	/* Wait until our parent has exited and init adopted us. */
	for (int i = 0; i < 3000 && getppid() != 1; i++)
		sleep_ms(10);
	if (getppid() != 1) {
		printf("ipcfuzz orphan: never adopted by init (parent %d)\n", getppid());
		return 1;
	}
	int r = shutdown(0);
	printf("ipcfuzz orphan: adopted by init; SYS_SHUTDOWN says: %s\n", strerror(r));
	return r == -EPERM ? 0 : 1;
}

static int mode_orphan(void)
{
	int a = start_self("orphan-a", NULL, NULL);
	if (a < 0)
		return printf("ipcfuzz orphan: spawn: %s\n", strerror(a)), 1;
	int status, pids[4];
	waitpid(a, &status, 0);
	/* B reports on the console itself; wait (up to 30 s, however busy the
	 * machine) until it is gone, so that its line comes before our end. */
	for (int i = 0; i < 3000 && live_pids(pids, 4, "ipcfuzz.elf") > 0; i++)
		sleep_ms(10);
	return 0;
}

/* ---- tracing without authority ---- */

static int mode_trace(void)
{
	int r = ipc_trace(1);
	if (r >= 0)
		ipc_trace(r); /* it was allowed: put it back as it was */
	printf("ipcfuzz trace: SYS_IPC_TRACE from an unprivileged process: %s\n",
	       r < 0 ? strerror(r) : "allowed");
	return r == -EPERM ? 0 : 1;
}

/* ---- small junk to named processes ---- */

static int mode_junk(int n, int argc, char **names)
{
	int pids[64];
	for (int a = 0; a < argc; a++) {
		int k = live_pids(pids, 64, names[a]);
		for (int i = 0; i < k; i++) {
			int sent = 0, refused = 0, last = 0;
			for (int j = 0; j < n; j++) {
				memset(buf, 'J', 16);
				int r = j % 2 ? junk_request(pids[i], buf, 16) : ipc_send(pids[i], buf, 16, TSB_NO_WAIT);
				sent += r == 0;
				if (r < 0)
					refused++, last = r;
			}
			printf("ipcfuzz junk: pid %d (%s): %d queued, %d refused%s%s\n", pids[i], names[a], sent,
			       refused, refused ? ": " : "", refused ? strerror(last) : "");
		}
	}
	return 0;
}

/* ---- a client of fat32d that never reads its replies ---- */

static int mode_noread(int seconds)
{
	int fsd = 0;
	if (live_pids(&fsd, 1, "fat32d.elf") != 1)
		return printf("ipcfuzz noread: no fat32d\n"), 1;
	uint64_t until = clock_ns() + (uint64_t)seconds * 1000000000ull;
	long sent = 0, refused = 0;
	int last = 0;
	memset(buf, 0, 64);
	while (clock_ns() < until) {
		int r = noread_request(fsd, buf, 64);
		if (r == 0)
			sent++;
		else
			refused++, last = r;
		sleep_ms(5);
	}
	printf("ipcfuzz noread: fat32d %d: %ld requests sent and never read, %ld refused%s%s\n", fsd, sent,
	       refused, refused ? ": " : "", refused ? strerror(last) : "");
	junk_calls_done();
	return 0;
}

/* ---- junk everywhere; the kernel heap must come back ---- */

/* Sends messages of every size to every other process for `ms`. */
static void junk_everyone(uint64_t seed, int ms)
{
	int pids[64];
	uint64_t until = clock_ns() + (uint64_t)ms * 1000000ull;
	struct rng g = { seed };

	while (clock_ns() < until) {
		int k = live_pids(pids, 64, NULL);
		for (int i = 0; i < k; i++) {
			size_t len = rng_below(&g, 4) == 0 ? rng_below(&g, TSB_IPC_MAX_MSG + 1) : rng_below(&g, 64);
			rng_fill(&g, buf, len);
			if (rng_below(&g, 2))
				ipc_send(pids[i], buf, len, TSB_NO_WAIT);
			else
				junk_request(pids[i], buf, len);
		}
		drain_own_mailbox();
		yield();
	}
	junk_calls_done();
}

static int mode_heap(void)
{
	struct tsb_meminfo before, during, after;
	char seed[24];

	sleep_ms(500);
	mem_info(&before);
	for (int i = 0; i < 3; i++) {
		snprintf(seed, sizeof seed, "%d", i + 1);
		start_self("heap-child", seed, NULL);
	}
	sleep_ms(1500);
	mem_info(&during);
	reap_all();
	/* Servers take what was queued for them as they run; give them time. */
	for (int i = 0; i < 30; i++) {
		sleep_ms(100);
		mem_info(&after);
		if (after.heap_used <= before.heap_used + HEAP_SLACK)
			break;
	}
	bool ok = after.heap_used <= before.heap_used + HEAP_SLACK;
	printf("ipcfuzz heap: kernel heap %llu KiB before, %llu KiB during the flood, %llu KiB after: %s\n",
	       (unsigned long long)(before.heap_used / 1024), (unsigned long long)(during.heap_used / 1024),
	       (unsigned long long)(after.heap_used / 1024), ok ? "back to its baseline" : "NOT back");
	return ok ? 0 : 1;
}

/* ---- several flooders at once ---- */

static int mode_flood(int seconds, int n)
{
	char s[16], seed[24];
	snprintf(s, sizeof s, "%d", seconds);
	for (int i = 0; i < n; i++) {
		snprintf(seed, sizeof seed, "%d", 100 + i);
		int pid = start_self("flood-child", seed, s);
		if (pid < 0)
			printf("ipcfuzz flood: spawn: %s\n", strerror(pid));
	}
	int bad = reap_all();
	printf("ipcfuzz flood: %d flooders for %d s done (%d failed)\n", n, seconds, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int a2 = argc > 2 ? atoi(argv[2]) : 0, a3 = argc > 3 ? atoi(argv[3]) : 0;

	if (strcmp(mode, "orphan") == 0)
		return mode_orphan();
	if (strcmp(mode, "orphan-a") == 0)
		return start_self("orphan-b", NULL, NULL) > 0 ? 0 : 1;
	if (strcmp(mode, "orphan-b") == 0)
		return orphan_b();
	if (strcmp(mode, "trace") == 0)
		return mode_trace();
	if (strcmp(mode, "junk") == 0 && argc > 3)
		return mode_junk(a2, argc - 3, argv + 3);
	if (strcmp(mode, "noread") == 0 && argc > 2)
		return mode_noread(a2);
	if (strcmp(mode, "heap") == 0)
		return mode_heap();
	if (strcmp(mode, "heap-child") == 0 && argc > 2) {
		junk_everyone((uint64_t)a2, 3000);
		return 0;
	}
	if (strcmp(mode, "flood") == 0 && argc > 3)
		return mode_flood(a2, a3);
	if (strcmp(mode, "flood-child") == 0 && argc > 3)
		return flood_child((uint64_t)a2, a3);
	if (strcmp(mode, "fuzz") == 0 && argc > 3)
		return fuzz_main(strtol(argv[2], NULL, 0), strtol(argv[3], NULL, 0),
				 argc > 4 && strcmp(argv[4], "all") != 0 ? argv[4] : NULL,
				 argc > 5 ? strtol(argv[5], NULL, 0) : 0);
	printf("usage: ipcfuzz orphan | trace | junk N NAME... | noread SECONDS | heap | flood SECONDS N |"
	       " fuzz SEED COUNT [TARGET|all [FIRST]]\n");
	return 2;
}
