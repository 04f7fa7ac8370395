/* utest: the user-mode half of the in-guest selftest. The kernel's
 * selftest (kernel/tests/proc_tests.c) runs it with a mode as argv[1] and
 * checks its exit status; each mode exits 0 only if what it checked held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"
#include "tsubame/fsproto.h"
#include "utest.h"

/* arch/<arch>/user/probe.S: an instruction user mode may not execute. */
void privileged_instruction(void);

static const char *mode = "";

int fail(const char *what, long got)
{
	printf("utest %s: %s (got %ld%s%s)\n", mode, what, got, got < 0 ? ": " : "",
	       got < 0 ? strerror((int)got) : "");
	return 1;
}

/* argv and envp arrive intact: utest args one "two words" with X=1, Y=2 */
static int mode_args(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[2], "one") != 0 || strcmp(argv[3], "two words") != 0)
		return fail("argv mismatch", argc);
	const char *x = getenv("X"), *y = getenv("Y");
	if (!x || strcmp(x, "1") != 0 || !y || strcmp(y, "2") != 0)
		return fail("envp mismatch", 0);
	return 0;
}

/* Pointers into the kernel, unmapped memory or read-only memory are refused
 * with -EFAULT, and the kernel goes on. */
static int mode_badptr(void)
{
	static const char ro[] = "read-only";
	long r;
	/* The kernel passes the address of its own text in KADDR. */
	uintptr_t kernel = getenv("KADDR") ? (uintptr_t)strtol(getenv("KADDR"), NULL, 16) : 0;
	if (!kernel)
		return fail("no KADDR in the environment", 0);
	if ((r = console_write((const char *)kernel, 16)) != -EFAULT)
		return fail("console_write(kernel address)", r);
	if ((r = console_write((const char *)0x10, 16)) != -EFAULT)
		return fail("console_write(unmapped)", r);
	if ((r = open((const char *)kernel, TSB_O_READ)) != -EFAULT)
		return fail("open(kernel path)", r);
	int fd = open("/HELLO.TXT", TSB_O_READ);
	if (fd < 0)
		return fail("open /HELLO.TXT", fd);
	if ((r = read(fd, (void *)ro, 4)) != -EFAULT) /* into read-only data */
		return fail("read into read-only memory", r);
	if ((r = read(fd, (void *)kernel, 4)) != -EFAULT)
		return fail("read into kernel memory", r);
	close(fd);
	if ((r = waitpid(-1, (int *)kernel, 0)) != -EFAULT && r != -ECHILD)
		return fail("waitpid(kernel status pointer)", r);
	if ((r = __syscall(9999, 0, 0, 0, 0, 0, 0)) != -ENOSYS)
		return fail("unknown syscall", r);
	/* A pid is a 32-bit int: pid + 2^32 is no process, not pid (the
	 * syscall fuzzer found 0x100000001 reaching init; docs/RELIABILITY.md). */
	char *spin[] = { SELF, "spin", NULL };
	int child = spawn(SELF, spin, NULL), st;
	if (child < 0)
		return fail("spawn spinner", child);
	if ((r = __syscall(SYS_KILL, child + (1l << 32), 0, 0, 0, 0, 0)) != -ESRCH)
		return fail("kill(child + 2^32)", r);
	if ((r = __syscall(SYS_WAITPID, child + (1l << 32), 0, TSB_WNOHANG, 0, 0, 0)) != -ECHILD)
		return fail("waitpid(child + 2^32)", r);
	kill(child);
	waitpid(child, &st, 0);
	if ((r = block_read(0, 0, 1, (void *)ro)) != -EPERM)
		return fail("block_read without authority", r);
	if ((r = fs_register()) != -EPERM)
		return fail("fs_register without authority", r);
	if ((r = __syscall(SYS_NET_SEND_FRAME, (long)ro, 60, 0, 0, 0, 0)) != -EPERM)
		return fail("raw frame send without authority", r);
	if ((r = __syscall(SYS_NET_RECV_FRAME, (long)ro, 60, 0, 0, 0, 0)) != -EPERM)
		return fail("raw frame receive without authority", r);
	return 0;
}

/* These must not survive: the kernel stops the process with a fault status. */
static int mode_fault(const char *how)
{
	/* volatile pointers so the compiler neither warns nor optimises away */
	volatile uint64_t *volatile p;
	if (strcmp(how, "read-kernel") == 0) {
		p = (volatile uint64_t *)(getenv("KADDR") ? (uintptr_t)strtol(getenv("KADDR"), NULL, 16) : 0);
		return (int)*p;
	}
	if (strcmp(how, "write-null") == 0) {
		p = (volatile uint64_t *)8;
		*p = 1;
	}
	if (strcmp(how, "write-code") == 0) {
		p = (volatile uint64_t *)(uintptr_t)&mode_fault;
		*p = 0;
	}
	if (strcmp(how, "exec-data") == 0) {
		static uint64_t data[4];
		((void (*)(void))(uintptr_t)data)();
	}
	if (strcmp(how, "privileged") == 0)
		privileged_instruction();
	return 0; /* still alive: the selftest sees exit 0 and fails */
}

/* A child's exit status reaches the parent, WNOHANG does not block. */
static int mode_wait(void)
{
	char *argv[] = { SELF, "exit", "7", NULL };
	int pid = spawn(SELF, argv, NULL), status = -1;
	if (pid < 0)
		return fail("spawn", pid);
	int r = waitpid(pid, &status, TSB_WNOHANG);
	if (r != 0 && r != pid)
		return fail("waitpid WNOHANG", r);
	if (r == 0 && (r = waitpid(pid, &status, 0)) != pid)
		return fail("waitpid", r);
	if (TSB_STATUS_WHY(status) != TSB_EXIT_NORMAL || TSB_STATUS_CODE(status) != 7)
		return fail("exit status", status);
	if ((r = waitpid(pid, &status, 0)) != -ECHILD)
		return fail("second waitpid", r);
	return 0;
}

/* Only the parent (or init) may kill. */
static int mode_killperm(void)
{
	char *spin[] = { SELF, "spin", NULL };
	int a = spawn(SELF, spin, NULL);
	if (a < 0)
		return fail("spawn spinner", a);
	/* Our parent is the kernel's test harness: we are not its parent. */
	int r = kill(getppid());
	if (r != -EPERM && r != -ESRCH)
		return fail("kill(parent)", r);
	if ((r = kill(a)) != 0)
		return fail("kill(own child)", r);
	int status;
	if ((r = waitpid(a, &status, 0)) != a || TSB_STATUS_WHY(status) != TSB_EXIT_KILLED)
		return fail("killed child's status", status);
	return 0;
}

/* Echo server for the IPC tests: returns every message to its sender,
 * until it receives "quit". */
static int mode_echo(void)
{
	static char buf[TSB_IPC_MAX_MSG];
	for (;;) {
		int from;
		long n = ipc_recv(&from, buf, sizeof buf, TSB_FOREVER);
		if (n < 0)
			return fail("echo recv", n);
		if (n == 4 && memcmp(buf, "quit", 4) == 0)
			return 0;
		int r = ipc_send(from, buf, (size_t)n, TSB_FOREVER);
		if (r < 0)
			return fail("echo send", r);
	}
}

static int start(const char *mode)
{
	char *argv[] = { SELF, (char *)mode, NULL };
	return spawn(SELF, argv, NULL);
}

static int mode_ipc(void)
{
	static char big[TSB_IPC_MAX_MSG + 1];
	char buf[64];
	int echo = start("echo"), from = 0;
	long r;

	if (echo < 0)
		return fail("spawn echo", echo);
	/* Ping-pong, and the sender id is stamped by the kernel. */
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "ping %d", i);
		if ((r = ipc_send(echo, buf, strlen(buf) + 1, TSB_FOREVER)) != 0)
			return fail("send", r);
		char back[64];
		if ((r = ipc_recv(&from, back, sizeof back, 2000)) != (long)strlen(buf) + 1)
			return fail("recv", r);
		if (from != echo || strcmp(back, buf) != 0)
			return fail("reply content or sender", from);
	}
	/* A 64 KiB message goes through whole. */
	for (size_t i = 0; i < 65536; i++)
		big[i] = (char)(i * 7);
	if ((r = ipc_send(echo, big, 65536, TSB_FOREVER)) != 0)
		return fail("send 64 KiB", r);
	static char back[65536];
	if ((r = ipc_recv_from(echo, back, sizeof back, 2000)) != 65536 || memcmp(back, big, 65536) != 0)
		return fail("64 KiB round trip", r);
	/* Oversize messages are refused; a small buffer is an error, not a truncation. */
	if ((r = ipc_send(echo, big, TSB_IPC_MAX_MSG + 1, TSB_FOREVER)) != -EMSGSIZE)
		return fail("oversize send", r);
	if ((r = ipc_send(echo, "0123456789", 10, TSB_FOREVER)) != 0)
		return fail("send 10", r);
	if ((r = ipc_recv_from(echo, buf, 4, 2000)) != -EMSGSIZE)
		return fail("recv into a 4-byte buffer", r);
	if ((r = ipc_recv_from(echo, buf, sizeof buf, 2000)) != 10)
		return fail("the message stayed queued", r);
	/* Timeouts: 0 does not wait, a short one expires. */
	if ((r = ipc_recv(&from, buf, sizeof buf, TSB_NO_WAIT)) != -EAGAIN)
		return fail("recv no-wait", r);
	uint64_t t0 = clock_ns();
	if ((r = ipc_recv(&from, buf, sizeof buf, 50)) != -ETIMEDOUT)
		return fail("recv 50 ms", r);
	if (clock_ns() - t0 < 45000000ull)
		return fail("timeout came early (ns)", (long)(clock_ns() - t0));
	/* recv_from leaves other senders' messages queued, in order. */
	int echo2 = start("echo");
	ipc_send(echo2, "A1", 3, TSB_FOREVER);
	ipc_send(echo2, "A2", 3, TSB_FOREVER);
	sleep_ms(50); /* both replies from echo2 are queued now */
	ipc_send(echo, "B1", 3, TSB_FOREVER);
	if ((r = ipc_recv_from(echo, buf, sizeof buf, 2000)) != 3 || strcmp(buf, "B1") != 0)
		return fail("recv_from(echo) skipped echo2's messages", r);
	if (ipc_recv(&from, buf, sizeof buf, 2000) != 3 || from != echo2 || strcmp(buf, "A1") != 0)
		return fail("first queued message", from);
	if (ipc_recv(&from, buf, sizeof buf, 2000) != 3 || from != echo2 || strcmp(buf, "A2") != 0)
		return fail("second queued message", from);
	/* The death of a peer wakes a receiver waiting for it. */
	ipc_send(echo2, "quit", 4, TSB_FOREVER);
	if ((r = ipc_recv_from(echo2, buf, sizeof buf, TSB_FOREVER)) != -ESRCH)
		return fail("recv_from a dead peer", r);
	int status;
	waitpid(echo2, &status, 0);
	if ((r = ipc_send(echo2, "x", 1, TSB_FOREVER)) != -ESRCH)
		return fail("send to a dead process", r);
	/* A full queue: a peer that never reads. */
	int sink = start("spin");
	long sent = 0;
	while ((r = ipc_send(sink, big, 60000, TSB_NO_WAIT)) == 0)
		sent++;
	if (r != -EAGAIN || sent == 0 || sent > 64)
		return fail("full queue gives -EAGAIN", r);
	if ((r = ipc_send(sink, big, 60000, 30)) != -ETIMEDOUT)
		return fail("full queue with a timeout", r);
	kill(sink);
	waitpid(sink, &status, 0);
	ipc_send(echo, "quit", 4, TSB_FOREVER);
	waitpid(echo, &status, 0);
	return TSB_STATUS_CODE(status) == 0 ? 0 : fail("echo exit", status);
}

/* Memory: brk, mmap, malloc of a few MiB. */
static int mode_mem(void)
{
	char *p = malloc(3 * 1024 * 1024);
	if (!p)
		return fail("malloc 3 MiB", 0);
	memset(p, 0x5a, 3 * 1024 * 1024);
	free(p);
	char *m = mmap_anon(1 << 20, TSB_PROT_READ | TSB_PROT_WRITE);
	if (!m)
		return fail("mmap", 0);
	m[0] = 1;
	m[(1 << 20) - 1] = 2;
	if (munmap(m, 1 << 20) != 0)
		return fail("munmap", 0);
	if (mmap_anon(TSB_PAGE_SIZE, TSB_PROT_WRITE | TSB_PROT_EXEC))
		return fail("mmap W+X allowed", 0);
	return 0;
}

/* Sends `msg` to fat32d and returns the status of its reply. */
static long fs_ask(int fsd, const void *msg, size_t len)
{
	static char reply[sizeof(struct fsp_reply) + 1024];
	long r = ipc_send(fsd, msg, len, 1000);
	if (r < 0)
		return r;
	r = ipc_recv_from(fsd, reply, sizeof reply, 2000);
	if (r < (long)sizeof(struct fsp_reply))
		return r < 0 ? r : -EPROTO;
	return ((struct fsp_reply *)reply)->status;
}

/* Malformed or unauthorised requests straight to fat32d get error replies. */
static int mode_fsprobe(int fsd)
{
	static char big[TSB_IPC_MAX_MSG];
	struct fsp_request rq = { .magic = FSP_MAGIC, .op = FSP_STAT, .id = 1 };
	long r;
	if ((r = fs_ask(fsd, "abc", 3)) != -EPROTO)
		return fail("3-byte request", r);
	rq.magic = 0x12345678;
	if ((r = fs_ask(fsd, &rq, sizeof rq)) != -EPROTO)
		return fail("bad magic", r);
	rq.magic = FSP_MAGIC;
	rq.len = 100; /* claims a payload that is not there */
	if ((r = fs_ask(fsd, &rq, sizeof rq)) != -EPROTO)
		return fail("bad length", r);
	rq.len = 0;
	if ((r = fs_ask(fsd, &rq, sizeof rq)) != -EPERM)
		return fail("request from a plain process", r);
	memcpy(big, &rq, sizeof rq);
	if ((r = fs_ask(fsd, big, sizeof big)) != -EPROTO && r != -EMSGSIZE)
		return fail("oversize request", r);
	if ((r = ipc_send(0, "forged", 6, 100)) != -EPERM)
		return fail("a plain process writing to the kernel's proxy", r);
	return 0;
}

/* Keeps fat32d and the kernel busy with junk until killed. */
static _Noreturn int mode_flood(int fsd)
{
	static char junk[512];
	for (;;) {
		ipc_send(fsd, junk, sizeof junk, TSB_NO_WAIT);
		ipc_send(0, junk, sizeof junk, TSB_NO_WAIT);
		while (ipc_recv(NULL, junk, sizeof junk, TSB_NO_WAIT) >= 0)
			;
		yield();
	}
}

int main(int argc, char **argv)
{
	utest_fp_peek_at_start(); /* before any code could touch the FP registers */
	if (argc < 2)
		return fail("no mode", argc);
	mode = argv[1];
	if (strcmp(mode, "exit") == 0)
		return argc > 2 ? atoi(argv[2]) : 0;
	if (strcmp(mode, "spin") == 0)
		for (;;)
			;
	if (strcmp(mode, "args") == 0)
		return mode_args(argc, argv);
	if (strcmp(mode, "badptr") == 0)
		return mode_badptr();
	if (strcmp(mode, "fault") == 0)
		return mode_fault(argc > 2 ? argv[2] : "");
	if (strcmp(mode, "latefault") == 0) { /* a crash report while the user types (shell-session) */
		sleep_ms(argc > 2 ? (uint64_t)atoi(argv[2]) : 1000);
		return mode_fault("write-null");
	}
	if (strcmp(mode, "wait") == 0)
		return mode_wait();
	if (strcmp(mode, "killperm") == 0)
		return mode_killperm();
	if (strcmp(mode, "echo") == 0)
		return mode_echo();
	if (strcmp(mode, "utf8") == 0) { /* for the gui terminal: wide characters, then broken UTF-8 */
		printf("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e ok\n\xe6\x97 \xff bad\n");
		return 0;
	}
	if (strcmp(mode, "ipc") == 0)
		return mode_ipc();
	if (strcmp(mode, "mem") == 0)
		return mode_mem();
	if (strcmp(mode, "pipes") == 0)
		return mode_pipes();
	if (strcmp(mode, "guiwin") == 0)
		return mode_guiwin(argc > 2 ? atoi(argv[2]) : 1000);
	if (strcmp(mode, "gui") == 0)
		return mode_gui(argc > 2 ? argv[2] : "");
	if (strcmp(mode, "upper") == 0)
		return mode_upper(argc > 2 ? argv[2] : "");
	if (strcmp(mode, "exec") == 0) { /* replaces itself; the new image exits 9 */
		char *argv2[] = { SELF, "exit", "9", NULL };
		int r = exec("/nope.elf", argv2, NULL);
		if (r != -ENOENT)
			return fail("exec of a missing file", r);
		r = exec(SELF, argv2, environ);
		return fail("exec returned", r);
	}
	if (strcmp(mode, "fpregs") == 0 && argc > 4)
		return mode_fpregs((unsigned)atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (strcmp(mode, "fpinit") == 0)
		return mode_fpinit();
	if (strcmp(mode, "fpdirty") == 0 && argc > 2)
		return mode_fpdirty(argv[2]);
	if (strcmp(mode, "fpcalc") == 0 && argc > 3)
		return mode_fpcalc((unsigned)atoi(argv[2]), atoi(argv[3]));
	if (strcmp(mode, "fsprobe") == 0 && argc > 2)
		return mode_fsprobe(atoi(argv[2]));
	if (strcmp(mode, "flood") == 0 && argc > 2)
		return mode_flood(atoi(argv[2]));
	return fail("unknown mode", 0);
}
