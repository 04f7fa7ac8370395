/* sysfuzz's call generator: every system-call number (and unknown ones)
 * with hostile arguments. The same seed and batch give the same calls as
 * long as the system answers the same way.
 *
 * Confinement (the fuzzer runs without authority, but ordinary calls can
 * still change files): paths that may create, change or delete anything
 * point under SCRATCH or are not valid strings; paths elsewhere are only
 * read. Processes it may signal are its own children; IPC goes to itself,
 * its children, the kernel or pids that do not exist (the IPC fuzzer
 * covers the services). Calls that wait get a short timeout except rarely
 * (the harness kills a batch that stops moving). ipc_trace is only ever
 * turned off (anyone may switch it, and on it floods the console). */
#include <stdio.h>
#include <string.h>

#include "sysfuzz.h"
#include "tsubame.h"

/* ---- Random numbers (splitmix64) ---- */
static uint64_t next(struct fuzz_state *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(struct fuzz_state *s, uint64_t n)
{
	return n ? next(s) % n : 0;
}

static bool chance(struct fuzz_state *s, unsigned per_thousand)
{
	return below(s, 1000) < per_thousand;
}

/* Where anonymous mappings start (both arches): nothing is there unasked. */
#define MMAP_AREA 0x1000000000ull

#define PICK(s, arr) ((arr)[below((s), sizeof(arr) / sizeof((arr)[0]))])

/* ---- Memory the generator points into ---- */
/* rw_buf and edge_page are mappings of their own, far above where the
 * fuzzer's own mmaps land: the kernel may write up to 64 KiB + 257 bytes
 * past any pointer into rw_buf (which must hit nothing of ours), and
 * nothing may ever be mapped right after edge_page. */
#define RW_SIZE 65536
#define RW_MAP (4 * RW_SIZE)
#define RW_AT (MMAP_AREA + 0x200000000ull)
#define EDGE_AT (MMAP_AREA + 0x100000000ull)
static unsigned char *rw_buf;
/* Read-only junk (never a path): writes into it must be -EFAULT. */
static const unsigned char ro_buf[8192] __attribute__((aligned(4096))) = { 0x7f, 'E', 'L', 'F', 1, 2, 3 };
/* One page mapped at start; its end is where buffers straddle into nothing. */
static unsigned char *edge_page;
static int32_t pipe_out[2];

/* Addresses no user buffer may be: both arches' kernel images, direct maps,
 * kernel stacks, the top of user space and non-canonical values. */
static const uint64_t kernel_addrs[] = {
	0xffffffc080200000ull, 0xffffffc080000000ull, 0xffffffc000000000ull, 0xffffffe000000000ull,
	0xffffffff80100000ull, 0xffffffff80000000ull, 0xffff800000000000ull, 0xffff800000100000ull,
	0xffffc00000000000ull, 0xfffffffffffff000ull, 0xffffffffffffffffull, 0x8000000000000000ull,
	0x0000800000000000ull, 0x00007ffffffff000ull, 0x0000004000000000ull, 0x0000003ffffff000ull,
	0x0000003fffffffffull, 0x00007fffffffffffull, 0xffff7fffffffffffull, 0xdeadbeefdeadbeefull,
};

static uint64_t hostile_ptr(struct fuzz_state *s)
{
	switch (below(s, 10)) {
	case 0: return PICK(s, kernel_addrs);
	case 1: return PICK(s, kernel_addrs) + below(s, 1 << 20);
	case 2: return below(s, 0x10000);                                /* NULL page and near it */
	case 3: return (uint64_t)(uintptr_t)ro_buf + below(s, sizeof ro_buf);
	case 4: return (uint64_t)(uintptr_t)edge_page + 4096 - below(s, 64); /* straddles the end */
	case 5: return (uint64_t)(uintptr_t)edge_page + 4096 + below(s, 1 << 16); /* unmapped after */
	case 6: return MMAP_AREA + below(s, 1ull << 30);      /* unmapped mmap area */
	case 7: return (uint64_t)(uintptr_t)rw_buf + below(s, 8) + 1;     /* misaligned */
	case 8: return next(s);
	/* Around the stack (top 0x3ffffff000, 256 KiB) but never in it: the
	 * kernel may rightly write there, and the batch would crash. */
	default: return chance(s, 500) ? 0x3ffffff000ull + below(s, 4096) : 0x3ffffbf000ull - 1 - below(s, 1 << 16);
	}
}

static uint64_t any_ptr(struct fuzz_state *s)
{
	if (chance(s, 400))
		return (uint64_t)(uintptr_t)rw_buf + (chance(s, 500) ? 0 : below(s, RW_SIZE));
	return hostile_ptr(s);
}

static uint64_t length(struct fuzz_state *s)
{
	static const uint64_t edges[] = {
		0, 1, 2, 7, 8, 511, 512, 4095, 4096, 4097, 65535, 65536, 65537, 65536 + 256, 65536 + 257,
		1ull << 20, 4ull << 20, (4ull << 20) + 1, 1ull << 31, 1ull << 32, (1ull << 32) + 4096,
		~0ull, ~0ull - 4095, 1ull << 63, 0x7fffffffffffffffull, 0xffffffff, 0x80000000,
	};
	switch (below(s, 4)) {
	case 0: return PICK(s, edges);
	case 1: return below(s, 256);
	case 2: return below(s, RW_SIZE + 1);
	default: return chance(s, 500) ? next(s) : next(s) >> below(s, 64);
	}
}

static long integer(struct fuzz_state *s)
{
	static const long edges[] = { 0, 1, 2, 3, -1, -2, 255, 256, 0x7fffffff, (long)0x80000000ul,
				      -0x7fffffffl - 1, 0x7fffffffffffffffl, (long)0x8000000000000000ul };
	switch (below(s, 3)) {
	case 0: return PICK(s, edges);
	case 1: return (long)below(s, 64) - 8;
	default: return (long)next(s);
	}
}

/* Mostly no wait or a few ms; rarely for ever (the harness's deadline). */
static long timeout(struct fuzz_state *s)
{
	uint64_t r = below(s, 10000);
	if (r < 4000)
		return 0;
	if (r < 8500)
		return (long)below(s, 20) + 1;
	if (r < 9990)
		return (long)below(s, 80) + 20;
	return chance(s, 500) ? TSB_FOREVER : integer(s);
}

/* ---- Handles and pids ---- */
static long fd_arg(struct fuzz_state *s)
{
	static const long bad[] = { -1, -2, -3, TSB_FD_MAX, TSB_FD_MAX + 1, 1000, 0x7fffffff,
				    (long)0x80000000ul, 0x100000000l, -0x7fffffffffffffffl };
	if (s->nfds && chance(s, 600))
		return s->fds[below(s, (uint64_t)s->nfds)];
	if (chance(s, 700))
		return (long)below(s, TSB_FD_MAX);
	return PICK(s, bad);
}

static long pid_arg(struct fuzz_state *s)
{
	/* Not 0x100000001: the kernel takes pids as 32-bit ints, and that is
	 * init (docs/RELIABILITY.md). */
	static const long bad[] = { -1, -2, 0, 99999, 0x7fffffff, (long)0x80000000ul, 0x1000186a0l };
	if (s->nkids && chance(s, 400))
		return s->kids[below(s, (uint64_t)s->nkids)];
	if (chance(s, 300))
		return getpid();
	return PICK(s, bad);
}

/* ---- Paths ---- */
static const char *const scratch_paths[] = {
	SCRATCH "/a", SCRATCH "/b", SCRATCH "/d", SCRATCH "/d/x", SCRATCH "/d/e/f", SCRATCH "/LONGNAME.TXT",
	SCRATCH "/a long name with spaces.dat", SCRATCH "/\xe6\x97\xa5\xe6\x9c\xac.txt", SCRATCH "/d/",
	SCRATCH "/.", SCRATCH "//d//x", SCRATCH "/bad:name", SCRATCH "/trail. ", SCRATCH "/e", SCRATCH "/e/",
	SCRATCH "/UPPER", SCRATCH "/upper", SCRATCH "/\x01ctl", SCRATCH "/x*?", SCRATCH,
};
static const char *const readonly_paths[] = {
	"/", "/HELLO.TXT", "/bin", "/bin/", "/BIG.BIN", "/host", "/host/", "/nope", "", "relative",
	"/..", "/../..", "/bin/../HELLO.TXT", "/HELLO.TXT/x", "/host/fuzz/../HELLO.TXT", "/kbench",
	"/bin/utest.elf", "//", "/./././",
};
static char long_path[TSB_PATH_MAX + 64];

/* A path any call may use: under SCRATCH, or not a valid string at all. */
static uint64_t scratch_path(struct fuzz_state *s)
{
	switch (below(s, 12)) {
	case 0: return hostile_ptr(s); /* never rw_buf: it may hold names */
	case 1: {
		/* A long name under SCRATCH: 200..600 bytes, sometimes past the limit. */
		size_t n = strlen(SCRATCH "/");
		size_t len = 200 + below(s, 400);
		memcpy(long_path, SCRATCH "/", n);
		for (size_t i = n; i < len && i < sizeof long_path - 1; i++)
			long_path[i] = chance(s, 50) ? '/' : (char)('a' + below(s, 26));
		long_path[len < sizeof long_path - 1 ? len : sizeof long_path - 1] = 0;
		return (uint64_t)(uintptr_t)long_path;
	}
	case 2: {
		/* SCRATCH's name at the very end of the mapping, no NUL after it. */
		size_t n = strlen(SCRATCH "/abc");
		memcpy(edge_page + 4096 - n, SCRATCH "/abc", n);
		return (uint64_t)(uintptr_t)(edge_page + 4096 - n);
	}
	default: return (uint64_t)(uintptr_t)PICK(s, scratch_paths);
	}
}

static uint64_t any_path(struct fuzz_state *s)
{
	if (chance(s, 350))
		return (uint64_t)(uintptr_t)PICK(s, readonly_paths);
	if (chance(s, 100))
		return (uint64_t)(uintptr_t)rw_buf; /* whatever earlier calls left there */
	return scratch_path(s);
}

static uint64_t strv(struct fuzz_state *s)
{
	static uint64_t vec[TSB_ARGS_MAX + 4];
	switch (below(s, 6)) {
	case 0: return 0;
	case 1: return hostile_ptr(s);
	case 2: { /* entries that point nowhere */
		size_t n = below(s, 8);
		for (size_t i = 0; i < n; i++)
			vec[i] = chance(s, 500) ? hostile_ptr(s) : (uint64_t)(uintptr_t)"x";
		vec[n] = 0;
		return (uint64_t)(uintptr_t)vec;
	}
	case 3: /* too many entries */
		for (size_t i = 0; i < TSB_ARGS_MAX + 2; i++)
			vec[i] = (uint64_t)(uintptr_t)"arg";
		vec[TSB_ARGS_MAX + 2] = 0;
		return (uint64_t)(uintptr_t)vec;
	case 4: /* no terminating NULL before the end of the mapping */
		for (size_t i = 0; i < 512; i++)
			((uint64_t *)edge_page)[i] = (uint64_t)(uintptr_t)"y";
		return (uint64_t)(uintptr_t)edge_page + 4096 - 8 * below(s, 4);
	default: /* strings too long together */
		memset(rw_buf, 'z', RW_SIZE - 1);
		rw_buf[RW_SIZE - 1] = 0;
		vec[0] = (uint64_t)(uintptr_t)"junk";
		vec[1] = (uint64_t)(uintptr_t)rw_buf + below(s, RW_SIZE);
		vec[2] = 0;
		return (uint64_t)(uintptr_t)vec;
	}
}

/* ---- The calls ---- */
static const long known[] = {
	SYS_CONSOLE_READ, SYS_CONSOLE_WRITE, SYS_WAITPID, SYS_STAT, SYS_UNLINK, SYS_MKDIR, SYS_RMDIR,
	SYS_STATFS, SYS_FS_REGISTER, SYS_RENAME, SYS_MEM_INFO, SYS_PROC_LIST, SYS_PIPE, SYS_POLL,
	SYS_CLOCK_MONOTONIC, SYS_CLOCK_REALTIME, SYS_MMAP, SYS_MUNMAP, SYS_EXEC, SYS_SPAWN, SYS_YIELD,
	SYS_SLEEP_MS, SYS_GETPID, SYS_KILL, SYS_GETPPID, SYS_BRK, SYS_OPEN, SYS_READ, SYS_WRITE,
	SYS_CLOSE, SYS_READDIR, SYS_FSTAT, SYS_SEEK, SYS_FTRUNCATE, SYS_NET_SEND_FRAME,
	SYS_NET_RECV_FRAME, SYS_NET_GET_MAC, SYS_BLOCK_READ, SYS_BLOCK_WRITE, SYS_BLOCK_FLUSH,
	SYS_BLOCK_INFO, SYS_IPC_SEND, SYS_IPC_RECV, SYS_IPC_RECV_FROM, SYS_IPC_TRACE, SYS_SHUTDOWN,
	SYS_FS_INFO, SYS_GPU_INFO, SYS_GPU_MAP, SYS_GPU_FLUSH, SYS_INPUT_READ,
	SYS_IPC_CANCEL, SYS_IPC_ACCEPT, SYS_IPC_REQUEST, SYS_IPC_AWAIT, SYS_IPC_REPLY,
};

void fuzz_init(struct fuzz_state *s, uint64_t seed, uint32_t batch)
{
	memset(s, 0, sizeof *s);
	s->rng = seed * 0x100000001b3ull ^ ((uint64_t)batch << 32 | batch);
	next(s);
	if (!edge_page) {
		edge_page = (unsigned char *)__syscall(SYS_MMAP, (long)EDGE_AT, 4096, TSB_PROT_READ | TSB_PROT_WRITE, 0, 0, 0);
		rw_buf = (unsigned char *)__syscall(SYS_MMAP, (long)RW_AT, RW_MAP, TSB_PROT_READ | TSB_PROT_WRITE, 0, 0, 0);
		for (size_t i = 0; i < RW_SIZE; i++)
			rw_buf[i] = (unsigned char)(i * 131 + 7);
	}
}

/* fd for read or write, never one that would make the call wait for ever.
 * Handles may come from calls whose results we never saw (a pipe() into a
 * random address that happened to be mapped), so each is asked with a poll
 * first (not counted): a file is ready both ways; a pipe end is used only
 * when ready for this direction, and then for one byte if writing. */
static long io_fd(struct fuzz_state *s, bool writing, uint64_t *len)
{
	long fd = fd_arg(s);
	if (fd < 0 || fd >= TSB_FD_MAX)
		return fd;
	struct tsb_pollfd p = { .fd = (int32_t)fd, .events = TSB_POLL_IN | TSB_POLL_OUT };
	poll(&p, 1, 0);
	if (p.revents & TSB_POLL_NVAL)
		return fd;
	if ((p.revents & (TSB_POLL_IN | TSB_POLL_OUT)) == (TSB_POLL_IN | TSB_POLL_OUT))
		return fd;
	if (writing && (p.revents & TSB_POLL_OUT)) {
		if (*len > 1)
			*len = 1; /* room for one byte is all the poll promised */
		return fd;
	}
	if (!writing && (p.revents & (TSB_POLL_IN | TSB_POLL_HUP)))
		return fd;
	return -1;
}

/* Whether [a, a + len) (page-rounded, as munmap rounds it) meets [lo, hi). */
static bool overlaps(uint64_t a, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t end = a + ((len + 4095) & ~4095ull);
	if (end < a || len > ~0ull - 4095)
		end = ~0ull; /* wraps: to the top */
	return a < hi && end > lo;
}

static void gen_known(struct fuzz_state *s, struct call *c)
{
	long *a = c->a;
	uint64_t len;

	switch (c->nr) {
	case SYS_CONSOLE_READ: a[0] = (long)any_ptr(s); a[1] = (long)length(s); a[2] = timeout(s); break;
	case SYS_CONSOLE_WRITE: a[0] = (long)any_ptr(s); a[1] = (long)length(s); break;
	case SYS_WAITPID:
		a[0] = chance(s, 300) ? -1 : pid_arg(s);
		a[1] = chance(s, 300) ? 0 : (long)any_ptr(s);
		a[2] = chance(s, 800) ? TSB_WNOHANG : integer(s) | TSB_WNOHANG;
		break;
	case SYS_STAT: case SYS_STATFS: a[0] = (long)any_path(s); a[1] = (long)any_ptr(s); break;
	case SYS_UNLINK: case SYS_MKDIR: case SYS_RMDIR: a[0] = (long)scratch_path(s); break;
	case SYS_RENAME: a[0] = (long)scratch_path(s); a[1] = (long)scratch_path(s); break;
	case SYS_MEM_INFO: case SYS_FS_INFO: case SYS_CLOCK_REALTIME: case SYS_NET_GET_MAC:
	case SYS_GPU_INFO:
		a[0] = (long)any_ptr(s);
		break;
	case SYS_PIPE: a[0] = chance(s, 700) ? (long)(uintptr_t)pipe_out : (long)hostile_ptr(s); break;
	case SYS_PROC_LIST: a[0] = (long)any_ptr(s); a[1] = (long)length(s); break;
	case SYS_POLL: {
		static struct tsb_pollfd pf[TSB_POLL_MAX + 2];
		size_t n = below(s, 6);
		for (size_t i = 0; i < n; i++) {
			pf[i].fd = chance(s, 200) ? TSB_POLL_IPC : (int32_t)fd_arg(s);
			pf[i].events = (uint16_t)next(s);
		}
		a[0] = chance(s, 800) ? (long)(uintptr_t)pf : (long)hostile_ptr(s);
		a[1] = chance(s, 800) ? (long)n : (long)length(s);
		a[2] = timeout(s);
		break;
	}
	case SYS_MMAP:
		a[0] = chance(s, 600) ? 0 : (long)hostile_ptr(s);
		if ((uint64_t)a[0] >= EDGE_AT && (uint64_t)a[0] < EDGE_AT + (1 << 20))
			a[0] = 0; /* keep the hole after edge_page */
		a[1] = chance(s, 700) ? (long)below(s, 1 << 18) : (long)length(s);
		a[2] = chance(s, 800) ? (long)below(s, 8) : integer(s);
		break;
	case SYS_MUNMAP:
		if (s->nmaps && chance(s, 500)) {
			int i = (int)below(s, (uint64_t)s->nmaps);
			a[0] = (long)(s->maps[i] + (chance(s, 700) ? 0 : below(s, s->map_len[i])));
			a[1] = chance(s, 700) ? (long)s->map_len[i] : (long)length(s);
		} else {
			a[0] = (long)hostile_ptr(s);
			a[1] = (long)length(s);
		}
		/* Never our own stack or the page the generator writes to: the
		 * kernel would be right to let us, and the batch would crash. */
		if (overlaps((uint64_t)a[0], (uint64_t)a[1], 0x3f00000000ull, 0x4000000000ull) ||
		    overlaps((uint64_t)a[0], (uint64_t)a[1], EDGE_AT, EDGE_AT + 4096) ||
		    overlaps((uint64_t)a[0], (uint64_t)a[1], RW_AT, RW_AT + RW_MAP))
			a[1] = 0;
		break;
	case SYS_EXEC: case SYS_SPAWN: {
		static char *self_argv[] = { SELF, "\x01junk", NULL };
		static struct tsb_spawn_opts o;
		/* Rarely a real image (this one, which exits at once on junk args). */
		bool real = chance(s, c->nr == SYS_SPAWN ? 100 : 3);
		a[0] = real ? (long)(uintptr_t)SELF : (long)scratch_path(s);
		a[1] = real && chance(s, 500) ? (long)(uintptr_t)self_argv : (long)strv(s);
		a[2] = (long)strv(s);
		if (c->nr == SYS_SPAWN) {
			o.authority = chance(s, 500) ? (uint32_t)next(s) : 0;
			o.flags = chance(s, 500) ? TSB_SPAWN_CONSOLE : (uint32_t)next(s);
			o.console_in = (int32_t)fd_arg(s);
			o.console_out = (int32_t)fd_arg(s);
			a[3] = chance(s, 300) ? 0 : chance(s, 800) ? (long)(uintptr_t)&o : (long)hostile_ptr(s);
		}
		break;
	}
	case SYS_SLEEP_MS: a[0] = chance(s, 950) ? (long)below(s, 5) : integer(s); break;
	case SYS_KILL: a[0] = pid_arg(s); break;
	case SYS_BRK: {
		long cur = __syscall(SYS_BRK, 0, 0, 0, 0, 0, 0);
		switch (below(s, 4)) {
		case 0: a[0] = cur + (long)below(s, 1 << 20); break;
		case 1: a[0] = cur - (long)below(s, 1 << 16); break;
		case 2: a[0] = (long)hostile_ptr(s); break;
		default: a[0] = integer(s); break;
		}
		break;
	}
	case SYS_OPEN: {
		long flags = chance(s, 800) ? (long)below(s, 0x80) : integer(s);
		a[1] = flags;
		/* Anything that may write, create or truncate stays in SCRATCH. */
		bool writes = (flags & ~(long)(TSB_O_READ | TSB_O_DIR)) != 0;
		a[0] = (long)(writes ? scratch_path(s) : any_path(s));
		break;
	}
	case SYS_READ: case SYS_WRITE:
		len = length(s);
		a[0] = io_fd(s, c->nr == SYS_WRITE, &len);
		a[1] = (long)any_ptr(s);
		a[2] = (long)len;
		break;
	case SYS_CLOSE: a[0] = fd_arg(s); break;
	case SYS_READDIR: case SYS_FSTAT: a[0] = fd_arg(s); a[1] = (long)any_ptr(s); break;
	case SYS_SEEK: a[0] = fd_arg(s); a[1] = integer(s); a[2] = chance(s, 800) ? (long)below(s, 4) : integer(s); break;
	case SYS_FTRUNCATE: a[0] = fd_arg(s); a[1] = chance(s, 700) ? (long)below(s, 100000) : integer(s); break;
	case SYS_IPC_SEND:
		a[0] = pid_arg(s);
		a[1] = (long)any_ptr(s);
		a[2] = chance(s, 700) ? (long)below(s, 1024) : (long)length(s);
		a[3] = timeout(s);
		break;
	case SYS_IPC_RECV: case SYS_IPC_RECV_FROM:
		a[0] = c->nr == SYS_IPC_RECV ? (chance(s, 300) ? 0 : (long)any_ptr(s)) : pid_arg(s);
		a[1] = (long)any_ptr(s);
		a[2] = (long)length(s);
		a[3] = timeout(s);
		break;
	case SYS_IPC_TRACE: a[0] = 0; break;
	case SYS_IPC_ACCEPT: a[0] = chance(s, 300) ? TSB_IPC_ANYONE : pid_arg(s); a[1] = integer(s); break;
	case SYS_IPC_REQUEST:
		a[0] = pid_arg(s);
		a[1] = (long)any_ptr(s);
		a[2] = chance(s, 700) ? (long)below(s, 1024) : (long)length(s);
		a[3] = (long)length(s);
		a[4] = (long)below(s, 20); /* short: see docs/RELIABILITY.md */
		break;
	case SYS_IPC_AWAIT:
		a[0] = chance(s, 700) ? (long)below(s, 8) : integer(s);
		a[1] = (long)any_ptr(s);
		a[2] = (long)length(s);
		a[3] = (long)below(s, 20);
		break;
	case SYS_IPC_CANCEL: a[0] = chance(s, 700) ? (long)below(s, 8) : integer(s); break;
	case SYS_IPC_REPLY: a[0] = (long)next(s); a[1] = (long)any_ptr(s); a[2] = (long)length(s); break;
	case SYS_INPUT_READ: case SYS_NET_RECV_FRAME:
		a[0] = (long)any_ptr(s); a[1] = (long)length(s); a[2] = timeout(s);
		break;
	default: /* the authority-only calls and the rest: anything */
		for (int i = 0; i < 6; i++)
			a[i] = chance(s, 300) ? (long)any_ptr(s) : chance(s, 500) ? (long)length(s) : integer(s);
		break;
	}
}

void fuzz_next(struct fuzz_state *s, struct call *c)
{
	memset(c, 0, sizeof *c);
	if (chance(s, 30)) {
		/* A number nobody implements: -ENOSYS, whatever the arguments. */
		c->nr = chance(s, 500) ? (long)below(s, SYS_MAX + 64) : (long)next(s);
		if (c->nr == SYS_EXIT)
			c->nr = SYS_MAX;
		for (int i = 0; i < 6; i++)
			c->a[i] = (long)next(s);
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (c->nr == known[i])
				gen_known(s, c); /* landed on a real one: keep it confined */
		return;
	}
	c->nr = PICK(s, known);
	gen_known(s, c);
}

static void track_fd(struct fuzz_state *s, int fd)
{
	if (fd < 0 || fd >= TSB_FD_MAX)
		return;
	for (int i = 0; i < s->nfds; i++)
		if (s->fds[i] == fd)
			return;
	if (s->nfds < (int)(sizeof s->fds / sizeof s->fds[0]))
		s->fds[s->nfds++] = fd;
}

void fuzz_result(struct fuzz_state *s, const struct call *c, long ret)
{
	if (ret < 0)
		return;
	switch (c->nr) {
	case SYS_OPEN: track_fd(s, (int)ret); break;
	case SYS_PIPE:
		if (c->a[0] == (long)(uintptr_t)pipe_out) {
			track_fd(s, pipe_out[0]);
			track_fd(s, pipe_out[1]);
		}
		break;
	case SYS_SPAWN:
		if (s->nkids < (int)(sizeof s->kids / sizeof s->kids[0]))
			s->kids[s->nkids++] = (int)ret;
		break;
	case SYS_MMAP:
		if (s->nmaps < (int)(sizeof s->maps / sizeof s->maps[0])) {
			s->maps[s->nmaps] = (uintptr_t)ret;
			s->map_len[s->nmaps++] = (uint64_t)c->a[1];
		}
		break;
	default: break;
	}
}

void fuzz_cleanup(struct fuzz_state *s)
{
	for (int fd = 0; fd < TSB_FD_MAX; fd++)
		close(fd);
	for (int i = 0; i < s->nkids; i++) {
		int st;
		kill(s->kids[i]);
		waitpid(s->kids[i], &st, 0);
	}
	int st;
	while (waitpid(-1, &st, TSB_WNOHANG) > 0)
		;
	for (int i = 0; i < s->nmaps; i++)
		munmap((void *)s->maps[i], s->map_len[i]);
}

void fuzz_describe(const struct call *c, char *buf, unsigned long n)
{
	snprintf(buf, n, "syscall(%ld, %#lx, %#lx, %#lx, %#lx, %#lx, %#lx)", c->nr, (unsigned long)c->a[0],
		 (unsigned long)c->a[1], (unsigned long)c->a[2], (unsigned long)c->a[3], (unsigned long)c->a[4],
		 (unsigned long)c->a[5]);
}
