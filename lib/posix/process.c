/* Process calls under newlib: exit, pid, signals as far as they go, the
 * heap break, and what Tsubame does not have (fork, wait) as ENOSYS. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#include "posix.h"

#define ALIAS(name) __attribute__((weak, alias(#name)))

void _exit(int status)
{
	SYS1(SYS_EXIT, status & 0xff);
	for (;;)
		; /* SYS_EXIT does not return */
}

int _getpid(void)
{
	return (int)SYS0(SYS_GETPID);
}
int getpid(void) ALIAS(_getpid);

/* A signal to oneself (raise, abort) ends the process with 128 + the
 * signal number, as a POSIX shell reports a death by signal; another
 * process can only be stopped (SYS_KILL). */
int _kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return posix_fail(EINVAL);
	if (pid == _getpid()) {
		if (sig)
			_exit(128 + sig);
		return 0;
	}
	if (sig == 0)
		return posix_fail(ENOSYS); /* no way to only ask whether it exists */
	return (int)posix_ret(SYS1(SYS_KILL, pid));
}
int kill(int pid, int sig) ALIAS(_kill);

int _fork(void)
{
	return posix_fail(ENOSYS); /* processes are started with spawn, not copied */
}
int fork(void) ALIAS(_fork);

int _wait(int *status)
{
	(void)status;
	return posix_fail(ENOSYS);
}
int wait(int *status) ALIAS(_wait);

int _execve(const char *path, char *const argv[], char *const envp[])
{
	char buf[TSB_PATH_MAX];
	const char *p = posix_path(path, buf);
	return p ? (int)posix_ret(SYS3(SYS_EXEC, p, argv, envp)) : -1;
}
int execve(const char *path, char *const argv[], char *const envp[]) ALIAS(_execve);

/* The heap grows with the kernel's break (SYS_BRK), which starts one guard
 * page after the program. */
void *_sbrk(ptrdiff_t delta)
{
	static uintptr_t cur;

	if (!cur)
		cur = (uintptr_t)SYS1(SYS_BRK, 0);
	uintptr_t want = cur + (uintptr_t)delta;
	if (delta && (uintptr_t)SYS1(SYS_BRK, want) != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *old = (void *)cur;
	cur = want;
	return old;
}
void *sbrk(ptrdiff_t delta) ALIAS(_sbrk);

/* newlib's signal emulation needs no mask; nothing else here blocks signals. */
int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		*old = 0;
	return 0;
}

int getentropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return posix_fail(ENOSYS); /* no random source for user programs yet */
}
