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
	if ((r = __syscall(SYS_IPC_ACCEPT, child + (1l << 32), TSB_IPC_ACCEPT_MESSAGES, 0, 0, 0, 0)) != -ESRCH)
		return fail("ipc_accept(child + 2^32)", r);
	if ((r = __syscall(SYS_IPC_SEND, 1 + (1l << 32), (long)"x", 1, TSB_NO_WAIT, 0, 0)) != -ESRCH)
		return fail("ipc_send(init + 2^32)", r);
	if ((r = __syscall(SYS_IPC_REQUEST, 1 + (1l << 32), (long)"x", 1, 16, TSB_NO_WAIT, 0)) != -ESRCH)
		return fail("ipc_request(init + 2^32)", r);
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

/* mmap puts mappings only in the mmap region (a hint elsewhere is only
 * a place to start looking there), and munmap takes back exactly that
 * region: never the program, its heap or its stack. */
#define MMAP_BASE 0x1000000000ul /* docs/ARCHITECTURE.md, memory layout */
static int mode_mmap(void)
{
	const long rw = TSB_PROT_READ | TSB_PROT_WRITE;
	long r, a;
	int local;

	a = __syscall(SYS_MMAP, 0x800000, 4096, rw, 0, 0, 0); /* aligned, below the region */
	if (a < (long)MMAP_BASE)
		return fail("mmap with a hint below the region", a);
	((volatile char *)a)[0] = 1;
	if ((r = munmap((void *)a, 4096)) != 0)
		return fail("munmap of what mmap gave for a low hint", r);
	a = __syscall(SYS_MMAP, MMAP_BASE * 3 / 2, 8192, rw, 0, 0, 0);
	if (a != (long)(MMAP_BASE * 3 / 2) || (r = munmap((void *)a, 8192)) != 0)
		return fail("mmap at a free hint in the region", a);
	a = __syscall(SYS_MMAP, 0x3fffff0000l, 4096, rw, 0, 0, 0); /* the stack's place */
	if (a < (long)MMAP_BASE || (uintptr_t)a >= ((uintptr_t)&local & ~0xffful) - 256 * 1024 ||
	    (r = munmap((void *)a, 4096)) != 0)
		return fail("mmap with a hint at the stack", a);
	if ((r = munmap((void *)((uintptr_t)&local & ~0xffful), 4096)) != -EINVAL)
		return fail("munmap of the stack", r);
	if ((r = munmap((void *)((uintptr_t)&mode_mmap & ~0xffful), 4096)) != -EINVAL)
		return fail("munmap of the program", r);
	char *heap = malloc(64);
	if ((r = munmap((void *)((uintptr_t)heap & ~0xffful), 4096)) != -EINVAL)
		return fail("munmap of the heap", r);
	if ((r = munmap((void *)MMAP_BASE, ~0ul - 4095)) != -EINVAL)
		return fail("munmap of a huge length", r);
	free(heap);
	return 0;
}

/* Power-off and IPC tracing need their authority (granted or not). */
static int mode_authority(const char *granted)
{
	long r;
	if (strcmp(granted, "trace") == 0) {
		if ((r = ipc_trace(0)) < 0)
			return fail("ipc_trace with trace authority", r);
		return 0;
	}
	if ((r = shutdown(0)) != -EPERM)
		return fail("shutdown without power authority", r);
	if ((r = ipc_trace(1)) != -EPERM)
		return fail("ipc_trace without trace authority", r);
	return 0;
}

/* Calls fat32d with `msg` and returns the status of its reply. */
static long fs_ask(int fsd, const void *msg, size_t len)
{
	static char reply[sizeof(struct fsp_reply) + 1024];
	long r = ipc_call(fsd, msg, len, reply, sizeof reply, 2000);
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
	if ((r = ipc_send(fsd, &rq, sizeof rq, TSB_NO_WAIT)) != -ECONNREFUSED)
		return fail("a message (not a call) to fat32d", r);
	return 0;
}

/* Keeps fat32d and the kernel busy with junk until killed: calls to
 * fat32d, answered and not, messages it refuses, forged replies. */
static _Noreturn int mode_flood(int fsd)
{
	static char junk[512];
	for (;;) {
		int t = ipc_request(fsd, junk, sizeof junk, 64, TSB_NO_WAIT);
		ipc_send(fsd, junk, sizeof junk, TSB_NO_WAIT);
		ipc_send(0, junk, sizeof junk, TSB_NO_WAIT);
		if (t > 0 && ipc_await(t, junk, 64, TSB_NO_WAIT) < 0)
			ipc_cancel(t);
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
	if (strcmp(mode, "deaf") == 0)
		return mode_deaf();
	if (strcmp(mode, "sink") == 0)
		return mode_sink();
	if (strcmp(mode, "late") == 0 && argc > 2)
		return mode_late(atoi(argv[2]));
	if (strcmp(mode, "vanish") == 0)
		return mode_vanish();
	if (strcmp(mode, "sendone") == 0 && argc > 2)
		return mode_sendone(atoi(argv[2]));
	if (strcmp(mode, "callexit") == 0 && argc > 2)
		return mode_callexit(atoi(argv[2]));
	if (strcmp(mode, "timeouts") == 0)
		return mode_timeouts();
	if (strcmp(mode, "block") == 0 && argc > 3)
		return mode_block(argv[2], argv[3]);
	if (strcmp(mode, "mmap") == 0)
		return mode_mmap();
	if (strcmp(mode, "authority") == 0)
		return mode_authority(argc > 2 ? argv[2] : "");
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
