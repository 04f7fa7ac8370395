/* exhaust: the exhaustion campaign (docs/RELIABILITY.md). Each test takes
 * one resource until the system refuses, checks that the refusal is the
 * error that names it, and gives everything back:
 *
 *   processes  spawn idle children until spawn fails (frames or heap run out)
 *   mmap       anonymous mappings until -ENOMEM (the child exits holding them)
 *   brk        heap growth until -ENOMEM
 *   ipc        fill the queues of children that accept and never read,
 *              until -EAGAIN (the sender's account) or -ENOMEM
 *   pipes      pipes until -EMFILE; a full pipe; -EPIPE without a reader
 *   files      open files until -EMFILE
 *   sockets    ROUNDS rounds of UDP and TCP sockets until netd refuses, all closed
 *
 *   exhaust [ROUNDS]      all of them (ROUNDS of sockets, default 50)
 *   exhaust idle          a child that waits for ever (until killed)
 *
 * Prints one line per test and "exhaust: passed" or "exhaust: FAILED". The
 * host side (scripts/tests/campaign-exhaust.py) checks that the kernel heap
 * and frames come back and that the system still serves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define SELF "/bin/exhaust.elf"
#define MAX_KIDS 1024

static int kids[MAX_KIDS];
static int nkids;
static int failures;

static void result(const char *test, bool ok, const char *fmt, long a, long err)
{
	printf("exhaust: %s: ", test);
	printf(fmt, a);
	printf(", then %s (%ld): %s\n", strerror((int)err), err, ok ? "ok" : "FAIL");
	failures += !ok;
}

static void reap_all(void)
{
	int st;
	for (int i = 0; i < nkids; i++) {
		kill(kids[i]);
		waitpid(kids[i], &st, 0);
	}
	nkids = 0;
}

static int spawn_mode(const char *mode)
{
	char *argv[] = { SELF, (char *)mode, NULL };
	return spawn(SELF, argv, NULL);
}

static int spawn_idle(void)
{
	return spawn_mode("idle");
}

static void test_processes(void)
{
	int pid = 0;
	while (nkids < MAX_KIDS && (pid = spawn_idle()) > 0)
		kids[nkids++] = pid;
	long n = nkids;
	/* At the limit, the system still says no cleanly to more. */
	int again = spawn_idle();
	if (again > 0)
		kids[nkids++] = again;
	reap_all();
	result("processes", nkids < MAX_KIDS && (pid == -ENOMEM || pid == -EAGAIN) && again <= 0,
	       "%ld idle children", n, pid);
	/* And once they are gone, a spawn works again. */
	pid = spawn_idle();
	if (pid > 0) {
		kids[nkids++] = pid;
		reap_all();
	}
	result("processes", pid > 0, "spawn after the hogs exited: pid %ld", pid, 0);
}

/* Runs fn in a child and returns its exit code (a hog should not hold the
 * harness's own memory). */
static int in_child(const char *mode)
{
	char *argv[] = { SELF, (char *)mode, NULL };
	int st, pid = spawn(SELF, argv, NULL);
	if (pid < 0)
		return pid;
	waitpid(pid, &st, 0);
	return TSB_STATUS_WHY(st) == TSB_EXIT_NORMAL ? TSB_STATUS_CODE(st) : -1000 - st;
}

static int hog_mmap(void)
{
	long mib = 0;
	long r;
	while ((r = __syscall(SYS_MMAP, 0, 1 << 20, TSB_PROT_READ | TSB_PROT_WRITE, 0, 0, 0)) > 0)
		mib++;
	result("mmap", r == -ENOMEM && mib > 0, "%ld MiB mapped", mib, r);
	return r == -ENOMEM ? 0 : 1; /* exits holding everything: the kernel frees it */
}

static int hog_brk(void)
{
	long start = __syscall(SYS_BRK, 0, 0, 0, 0, 0, 0), cur = start, r;
	while ((r = __syscall(SYS_BRK, cur + (1 << 20), 0, 0, 0, 0, 0)) == cur + (1 << 20))
		cur = r;
	result("brk", r == -ENOMEM && cur > start, "grew %ld MiB", (cur - start) >> 20, r);
	/* Give it back by hand this time. */
	long back = __syscall(SYS_BRK, start, 0, 0, 0, 0, 0);
	result("brk", back == start, "shrank back to the start (%#lx)", start, back == start ? 0 : back);
	return r == -ENOMEM ? 0 : 1;
}

static void test_ipc(void)
{
	static char msg[60000];
	long queued = 0, r = 0;
	int full = 0;
	memset(msg, 0x5a, sizeof msg);
	/* Sinks accept messages from anyone and never read them: messages are
	 * charged to the sender's account, so the sender runs out (-EAGAIN)
	 * long before the kernel heap would. */
	for (int k = 0; k < 96 && r != -ENOMEM; k++) {
		int pid = spawn_mode("sink");
		if (pid < 0) {
			r = pid;
			break;
		}
		kids[nkids++] = pid;
		/* The sink accepts once it runs: wait for that, a bounded while. */
		for (int i = 0; i < 1000 && (r = ipc_send(pid, msg, sizeof msg, TSB_NO_WAIT)) == -ECONNREFUSED; i++)
			sleep_ms(10);
		if (r == 0)
			queued++;
		while (r == 0 && (r = ipc_send(pid, msg, sizeof msg, TSB_NO_WAIT)) == 0)
			queued++;
		if (r != -EAGAIN && r != -ENOMEM)
			break;
		full++;
	}
	reap_all();
	result("ipc", (r == -EAGAIN || r == -ENOMEM) && full > 0, "%ld messages of 60000 bytes queued", queued, r);
	printf("exhaust: ipc: %d receivers tried\n", full);
}

static void test_pipes(void)
{
	int fds[2], n = 0, r;
	static int ends[64];
	while ((r = pipe(fds)) == 0) {
		ends[n++] = fds[0];
		ends[n++] = fds[1];
	}
	result("pipes", r == -EMFILE && n > 0, "%ld pipe ends", n, r);
	for (int i = 0; i < n; i++)
		close(ends[i]);
	/* A full pipe refuses to take more without waiting; with its reader
	 * gone, a write is -EPIPE. */
	if (pipe(fds) != 0)
		return;
	long written = 0;
	for (;;) {
		struct tsb_pollfd p = { .fd = fds[1], .events = TSB_POLL_OUT };
		if (poll(&p, 1, 0) <= 0)
			break;
		if (write(fds[1], "x", 1) != 1)
			break;
		written++;
	}
	close(fds[0]);
	long w = write(fds[1], "x", 1);
	close(fds[1]);
	result("pipes", written > 0 && w == -EPIPE, "%ld bytes filled one pipe", written, w);
}

static void test_files(void)
{
	int fd, n = 0;
	static int open_fds[64];
	while ((fd = open("/HELLO.TXT", TSB_O_READ)) >= 0 && n < 64)
		open_fds[n++] = fd;
	result("files", fd == -EMFILE && n == TSB_FD_MAX, "%ld files open", n, fd);
	for (int i = 0; i < n; i++)
		close(open_fds[i]);
	fd = open("/HELLO.TXT", TSB_O_READ);
	result("files", fd >= 0, "open after closing them: fd %ld", fd, 0);
	if (fd >= 0)
		close(fd);
}

static void test_sockets(int rounds)
{
	static int h[256];
	long total = 0, udp_err = 0, tcp_err = 0;
	bool ok = true;
	for (int round = 0; round < rounds; round++) {
		int n = 0, r;
		while (n < 128 && (r = udp_bind(0, NULL)) >= 0)
			h[n++] = r;
		if (round == 0 || r != udp_err)
			udp_err = r;
		int udp = n;
		while (n < 256 && (r = tcp_listen((uint16_t)(20000 + n), 4)) >= 0)
			h[n++] = r;
		tcp_err = r;
		total += n;
		ok = ok && udp > 0 && n > udp && udp_err < 0 && tcp_err < 0;
		for (int i = 0; i < n; i++)
			if (tcp_close(h[i]) != 0)
				ok = false;
	}
	result("sockets", ok && (udp_err == -ENOBUFS || udp_err == -EMFILE),
	       "%ld sockets opened and closed (UDP until refused)", total, udp_err);
	result("sockets", ok && (tcp_err == -ENOBUFS || tcp_err == -EMFILE), "TCP listeners until refused (%ld rounds)",
	       rounds, tcp_err);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sink") == 0) {
		ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_MESSAGES);
		for (;;)
			sleep_ms(3600 * 1000); /* never reads its mailbox */
	}
	if (argc > 1 && strcmp(argv[1], "idle") == 0) {
		for (;;)
			sleep_ms(3600 * 1000); /* never reads its mailbox */
	}
	if (argc > 1 && strcmp(argv[1], "mmap") == 0)
		return hog_mmap();
	if (argc > 1 && strcmp(argv[1], "brk") == 0)
		return hog_brk();
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	test_processes();
	int r = in_child("mmap");
	if (r != 0)
		result("mmap", false, "the hog ended with %ld", r, 0);
	r = in_child("brk");
	if (r != 0)
		result("brk", false, "the hog ended with %ld", r, 0);
	test_ipc();
	test_pipes();
	test_files();
	test_sockets(rounds > 0 ? rounds : 1);
	printf("exhaust: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
