/* Process system calls. */
#include <string.h>

#include "kernel/heap.h"
#include "kernel/pipe.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/rtc.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

/* Copies a NULL-terminated user array of strings into one kernel block:
 * the pointer array first, then the strings. */
static int copy_strv(uintptr_t uvec, char ***out)
{
	uintptr_t ptrs[TSB_ARGS_MAX + 1];
	char *strs[TSB_ARGS_MAX];
	int n = 0, err = 0;
	size_t total = 0;

	*out = NULL;
	if (!uvec)
		return 0;
	for (;; n++) {
		if (n > TSB_ARGS_MAX)
			return -E2BIG;
		err = copy_from_user(&ptrs[n], uvec + (uintptr_t)n * sizeof(uintptr_t), sizeof(uintptr_t));
		if (err)
			return err;
		if (!ptrs[n])
			break;
		if (n == TSB_ARGS_MAX)
			return -E2BIG;
	}
	for (int i = 0; i < n && !err; i++) {
		err = strdup_from_user(ptrs[i], TSB_ARG_BYTES, &strs[i]);
		if (err) {
			n = i;
			break;
		}
		total += strlen(strs[i]) + 1;
	}
	char **vec = NULL;
	if (!err && total > TSB_ARG_BYTES)
		err = -E2BIG;
	if (!err && !(vec = kmalloc((size_t)(n + 1) * sizeof(char *) + total)))
		err = -ENOMEM;
	char *p = vec ? (char *)(vec + n + 1) : NULL;
	for (int i = 0; i < n; i++) {
		if (vec) {
			size_t len = strlen(strs[i]) + 1;
			memcpy(p, strs[i], len);
			vec[i] = p;
			p += len;
		}
		kfree(strs[i]);
	}
	if (vec)
		vec[n] = NULL;
	*out = vec;
	return err;
}

static int copy_exec_args(sysarg_t upath, sysarg_t uargv, sysarg_t uenvp, char **path,
			  char ***argv, char ***envp)
{
	*argv = *envp = NULL;
	int err = strdup_from_user(upath, TSB_PATH_MAX, path);
	if (err)
		return err;
	err = copy_strv(uargv, argv);
	if (!err)
		err = copy_strv(uenvp, envp);
	if (err) {
		kfree(*path);
		kfree(*argv);
		kfree(*envp);
	}
	return err;
}

/* The pipe end behind the caller's fd, if it is the wanted kind; -1
 * leaves *e NULL (inherit the caller's console). */
static int console_end(int32_t fd, bool writer, struct pipe_end **e)
{
	struct process *p = process_current();

	if (fd == -1)
		return 0;
	if (fd < 0 || fd >= TSB_FD_MAX || !p->pipes[fd] || pipe_end_is_writer(p->pipes[fd]) != writer)
		return -EBADF;
	*e = p->pipes[fd];
	return 0;
}

static int spawn_extra(const struct tsb_spawn_opts *o, struct spawn_extra *x)
{
	if (o->flags & ~(uint32_t)(TSB_SPAWN_CONSOLE | TSB_SPAWN_LOG | TSB_SPAWN_NOTIFY))
		return -EINVAL;
	x->notify_parent = (o->flags & TSB_SPAWN_NOTIFY) != 0;
	x->to_log = (o->flags & TSB_SPAWN_LOG) != 0;
	if (!(o->flags & TSB_SPAWN_CONSOLE))
		return 0;
	int err = console_end(o->console_in, false, &x->console_in);
	return err ? err : console_end(o->console_out, true, &x->console_out);
}

SYSCALL(spawn)
{
	char *path, **argv, **envp;
	struct tsb_spawn_opts opts = { 0 };
	UNUSED_ARGS(a4, a5);

	if (a3 && copy_from_user(&opts, a3, sizeof opts) != 0)
		return -EFAULT;
	struct spawn_extra x = { NULL, NULL, false, false };
	int err = spawn_extra(&opts, &x);
	if (err)
		return err;
	err = copy_exec_args(a0, a1, a2, &path, &argv, &envp);
	if (err)
		return err;
	long pid = process_spawn_extra(process_current(), path, argv, envp, opts.authority, &x);
	kfree(path);
	kfree(argv);
	kfree(envp);
	return pid;
}

SYSCALL(exec)
{
	char *path, **argv, **envp;
	UNUSED_ARGS(a3, a4, a5);

	int err = copy_exec_args(a0, a1, a2, &path, &argv, &envp);
	if (err)
		return err;
	err = process_exec(path, argv, envp);
	kfree(path);
	kfree(argv);
	kfree(envp);
	return err;
}

SYSCALL(exit)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	process_exit(TSB_STATUS(TSB_EXIT_NORMAL, (int)a0));
}

SYSCALL(waitpid)
{
	int status = 0;
	UNUSED_ARGS(a3, a4, a5);

	if (!pid_fits(a0))
		return -ECHILD;
	if (a1 && !as_check(process_current()->as, a1, sizeof status, TSB_PROT_WRITE))
		return -EFAULT;
	int pid = process_wait(process_current(), (int)a0, &status, (int)a2);
	if (pid > 0 && a1 && copy_to_user(a1, &status, sizeof status) != 0)
		return -EFAULT;
	return pid;
}

SYSCALL(getpid)
{
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);
	return process_current()->pid;
}

SYSCALL(getppid)
{
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);
	struct process *p = process_current();
	return p->parent ? p->parent->pid : 0;
}

SYSCALL(kill)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	if (!pid_fits(a0))
		return -ESRCH;
	return process_kill(process_current(), (int)a0);
}

SYSCALL(yield)
{
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);
	thread_yield();
	return 0;
}

SYSCALL(sleep_ms)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	/* A timeout like any other: TSB_FOREVER sleeps until killed. */
	if (timeout_check((long)a0))
		return -EINVAL;
	uint64_t until = timer_deadline((long)a0);
	if ((long)a0 == TSB_NO_WAIT)
		return 0;
	while ((!until || arch_timer_ns() < until) && !process_current()->killed)
		thread_sleep_ns(until ? until - arch_timer_ns() : 1000000000ull);
	return 0;
}

SYSCALL(clock_monotonic)
{
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);
	return (long)arch_timer_ns();
}

SYSCALL(clock_realtime)
{
	uint64_t ns;
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	int err = rtc_now(&ns);
	return err ? err : copy_to_user(a0, &ns, sizeof ns);
}

SYSCALL(proc_list)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	int max = a1 > 64 ? 64 : (int)a1;
	struct tsb_procinfo *buf = kmalloc(sizeof *buf * 64);
	if (!buf)
		return -ENOMEM;
	int n = process_list(buf, max);
	int err = copy_to_user(a0, buf, sizeof *buf * (size_t)n);
	kfree(buf);
	return err ? err : n;
}

SYSCALL(shutdown)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	if (!(process_current()->authority & TSB_AUTH_POWER))
		return -EPERM; /* granted explicitly (init gives it to the shell), never by adoption */
	int err = vfs_sync();
	kprintf(KERN_EMERG "shutdown: file systems %s; powering off\n", err ? "NOT flushed" : "flushed");
	arch_poweroff(a0 == 0 && err == 0 ? 0 : (int)(a0 ? a0 : 1));
}
