/* Thin wrappers over the system calls in tsubame/syscall.h. */
#include "tsubame.h"

#define S0(n) __syscall(n, 0, 0, 0, 0, 0, 0)
#define S1(n, a) __syscall(n, (long)(a), 0, 0, 0, 0, 0)
#define S2(n, a, b) __syscall(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define S3(n, a, b, c) __syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define S4(n, a, b, c, d) __syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

_Noreturn void exit(int status)
{
	S1(SYS_EXIT, status);
	for (;;)
		;
}

int spawn_with(const char *path, char *const argv[], char *const envp[], uint32_t authority)
{
	struct tsb_spawn_opts o = { .authority = authority, .console_in = -1, .console_out = -1 };
	return (int)S4(SYS_SPAWN, path, argv, envp, &o);
}

int spawn_opts(const char *path, char *const argv[], char *const envp[], const struct tsb_spawn_opts *o)
{
	return (int)S4(SYS_SPAWN, path, argv, envp, o);
}

void service_ready(void)
{
	/* Only init waits for it, and it takes messages only from the services
	 * it started (TSB_SPAWN_NOTIFY); anyone else's is refused. */
	if (getppid() == 1)
		ipc_send(1, TSB_SERVICE_READY, sizeof TSB_SERVICE_READY - 1, TSB_NO_WAIT);
}

int pipe(int fds[2])
{
	int32_t k[2];
	int r = (int)S1(SYS_PIPE, k);
	if (r == 0) {
		fds[0] = k[0];
		fds[1] = k[1];
	}
	return r;
}

int poll(struct tsb_pollfd *fds, size_t n, long timeout_ms) { return (int)S3(SYS_POLL, fds, n, timeout_ms); }

int spawn(const char *path, char *const argv[], char *const envp[]) { return (int)S4(SYS_SPAWN, path, argv, envp, 0); }
int exec(const char *path, char *const argv[], char *const envp[]) { return (int)S3(SYS_EXEC, path, argv, envp); }
int waitpid(int pid, int *status, int flags) { return (int)S3(SYS_WAITPID, pid, status, flags); }
int getpid(void) { return (int)S0(SYS_GETPID); }
int getppid(void) { return (int)S0(SYS_GETPPID); }
int kill(int pid) { return (int)S1(SYS_KILL, pid); }
int yield(void) { return (int)S0(SYS_YIELD); }
int sleep_ms(uint64_t ms) { return (int)S1(SYS_SLEEP_MS, ms); }
uint64_t clock_ns(void) { return (uint64_t)S0(SYS_CLOCK_MONOTONIC); }
int clock_realtime(uint64_t *ns) { return (int)S1(SYS_CLOCK_REALTIME, ns); }
int proc_list(struct tsb_procinfo *out, int max) { return (int)S2(SYS_PROC_LIST, out, max); }
int mem_info(struct tsb_meminfo *out) { return (int)S1(SYS_MEM_INFO, out); }
int shutdown(int status) { return (int)S1(SYS_SHUTDOWN, status); }
long klog(int op, const void *arg, size_t len) { return S3(SYS_KLOG, op, arg, len); }

long console_read(char *buf, size_t len, long timeout_ms) { return S3(SYS_CONSOLE_READ, buf, len, timeout_ms); }
long console_write(const char *buf, size_t len) { return S2(SYS_CONSOLE_WRITE, buf, len); }

int open(const char *path, int flags) { return (int)S2(SYS_OPEN, path, flags); }
long read(int fd, void *buf, size_t len) { return S3(SYS_READ, fd, buf, len); }
long write(int fd, const void *buf, size_t len) { return S3(SYS_WRITE, fd, buf, len); }
int close(int fd) { return (int)S1(SYS_CLOSE, fd); }
long seek(int fd, int64_t off, int whence) { return S3(SYS_SEEK, fd, off, whence); }
int ftruncate(int fd, uint64_t size) { return (int)S2(SYS_FTRUNCATE, fd, size); }
int fstat(int fd, struct tsb_stat *st) { return (int)S2(SYS_FSTAT, fd, st); }
int stat(const char *path, struct tsb_stat *st) { return (int)S2(SYS_STAT, path, st); }
int readdir(int fd, struct tsb_dirent *out) { return (int)S2(SYS_READDIR, fd, out); }
int mkdir(const char *path) { return (int)S1(SYS_MKDIR, path); }
int rmdir(const char *path) { return (int)S1(SYS_RMDIR, path); }
int unlink(const char *path) { return (int)S1(SYS_UNLINK, path); }
int rename(const char *from, const char *to) { return (int)S2(SYS_RENAME, from, to); }
int statfs(const char *path, struct tsb_statfs *st) { return (int)S2(SYS_STATFS, path, st); }

int gpu_info(struct tsb_gpu_info *out) { return (int)S1(SYS_GPU_INFO, out); }
void *gpu_map(void)
{
	long r = S0(SYS_GPU_MAP);
	return r < 0 ? NULL : (void *)r;
}
int gpu_flush(int x, int y, int w, int h) { return (int)S4(SYS_GPU_FLUSH, x, y, w, h); }
long input_read(struct tsb_input_event *buf, size_t max, long timeout_ms) { return S3(SYS_INPUT_READ, buf, max, timeout_ms); }

void *mmap_anon(size_t len, int prot)
{
	long r = S3(SYS_MMAP, 0, len, prot);
	return r < 0 ? NULL : (void *)r;
}

int munmap(void *addr, size_t len) { return (int)S2(SYS_MUNMAP, addr, len); }

int ipc_send(int dest, const void *buf, size_t len, long timeout_ms) { return (int)S4(SYS_IPC_SEND, dest, buf, len, timeout_ms); }
long ipc_recv(struct tsb_ipc_info *info, void *buf, size_t len, long timeout_ms) { return S4(SYS_IPC_RECV, info, buf, len, timeout_ms); }
long ipc_recv_from(int sender, void *buf, size_t len, long timeout_ms) { return S4(SYS_IPC_RECV_FROM, sender, buf, len, timeout_ms); }
int ipc_trace(int on) { return (int)S1(SYS_IPC_TRACE, on); }
int ipc_accept(int who, unsigned kinds) { return (int)S2(SYS_IPC_ACCEPT, who, kinds); }
int ipc_request(int dest, const void *req, size_t len, size_t reply_max, long timeout_ms)
{
	return (int)__syscall(SYS_IPC_REQUEST, dest, (long)req, (long)len, (long)reply_max, timeout_ms, 0);
}
long ipc_await(int ticket, void *reply, size_t max, long timeout_ms) { return S4(SYS_IPC_AWAIT, ticket, reply, max, timeout_ms); }
int ipc_cancel(int ticket) { return (int)S1(SYS_IPC_CANCEL, ticket); }
int ipc_reply(uint64_t token, const void *buf, size_t len) { return (int)S3(SYS_IPC_REPLY, token, buf, len); }

long ipc_call(int dest, const void *req, size_t len, void *reply, size_t max, long timeout_ms)
{
	uint64_t start = clock_ns();
	int t = ipc_request(dest, req, len, max, timeout_ms);
	if (t < 0)
		return t;
	/* One timeout for the whole call: what sending took is spent. */
	long left = timeout_ms;
	if (timeout_ms > 0) {
		uint64_t spent = (clock_ns() - start) / 1000000;
		left = spent >= (uint64_t)timeout_ms ? TSB_NO_WAIT : timeout_ms - (long)spent;
	}
	long r = ipc_await(t, reply, max, left);
	if (r == -ETIMEDOUT || r == -EAGAIN || r == -EINTR || r == -EMSGSIZE || r == -EFAULT)
		ipc_cancel(t); /* still open: the server's late reply finds a dead token */
	if (r == -EAGAIN && timeout_ms > 0)
		r = -ETIMEDOUT; /* sending used up the time: the caller's timeout passed */
	return r;
}

int block_read(unsigned dev, uint64_t lba, uint32_t count, void *buf) { return (int)S4(SYS_BLOCK_READ, dev, lba, count, buf); }
int block_write(unsigned dev, uint64_t lba, uint32_t count, const void *buf) { return (int)S4(SYS_BLOCK_WRITE, dev, lba, count, buf); }
int block_flush(unsigned dev) { return (int)S1(SYS_BLOCK_FLUSH, dev); }
int block_info(unsigned dev, struct tsb_blockinfo *out) { return (int)S2(SYS_BLOCK_INFO, dev, out); }
int fs_register(void) { return (int)S0(SYS_FS_REGISTER); }
int fs_info(struct tsb_fsinfo *out) { return (int)S1(SYS_FS_INFO, out); }

/* The heap break, as the kernel sees it (0 asks for the current value). */
void *sbrk(intptr_t delta)
{
	static uintptr_t cur;
	if (!cur)
		cur = (uintptr_t)S1(SYS_BRK, 0);
	uintptr_t want = cur + (uintptr_t)delta;
	if (delta && (uintptr_t)S1(SYS_BRK, want) != want)
		return (void *)-1;
	void *old = (void *)cur;
	cur = want;
	return old;
}
