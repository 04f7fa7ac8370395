/* Console system calls. A process whose parent redirected its console
 * (telnetd, the gui terminal) reads and writes pipes instead of the UART;
 * the program cannot tell, which is the point. A service's console is the
 * kernel log (TSB_SPAWN_LOG). And SYS_KLOG, the log itself (dmesg). */
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/klog.h"
#include "kernel/pipe.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

#define CHUNK 256

/* Copies the caller's text to the UART, or to the kernel log. */
static long write_out(sysarg_t ubuf, sysarg_t len, bool to_log)
{
	char buf[CHUNK];

	if (!as_check(process_current()->as, ubuf, len, TSB_PROT_READ))
		return -EFAULT;
	for (sysarg_t done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		if (copy_from_user(buf, ubuf + done, n) != 0)
			return -EFAULT;
		if (to_log)
			klog_write(KLOG_DEFAULT_LEVEL, buf, n);
		else
			console_write(buf, n);
		done += n;
	}
	return (long)len;
}

SYSCALL(console_write)
{
	struct pipe_end *out = process_current()->console_out;
	UNUSED_ARGS(a2, a3, a4, a5);

	if (out)
		return pipe_write_user(out, a0, a1);
	return write_out(a0, a1, process_current()->console_log);
}

SYSCALL(console_read)
{
	char buf[CHUNK];
	struct pipe_end *in = process_current()->console_in;
	UNUSED_ARGS(a3, a4, a5);

	if (in) /* 0 at end of file: the other side hung up */
		return pipe_read_user(in, a0, a1, (long)a2);
	if (process_current()->console_log)
		return 0; /* a service: the keyboard is not its to read */
	if (!as_check(process_current()->as, a0, a1, TSB_PROT_WRITE))
		return -EFAULT;
	long n = console_read(buf, a1 < CHUNK ? a1 : CHUNK, (long)a2);
	if (n > 0 && copy_to_user(a0, buf, (size_t)n) != 0)
		return -EFAULT;
	return n;
}

/* Who may change what the console shows: init and what it started
 * directly (the console's shell), as for shutdown. */
static bool console_owner(const struct process *p)
{
	return p->pid == 1 || (p->parent && p->parent->pid == 1);
}

SYSCALL(klog)
{
	struct process *p = process_current();
	UNUSED_ARGS(a3, a4, a5);

	switch (a0) {
	case TSB_KLOG_READ: {
		size_t want = a2 < KLOG_BYTES ? (size_t)a2 : KLOG_BYTES;
		if (!as_check(p->as, a1, want, TSB_PROT_WRITE))
			return -EFAULT;
		char *buf = kmalloc(KLOG_BYTES);
		if (!buf)
			return -ENOMEM;
		size_t n = klog_read(buf, want);
		int err = copy_to_user(a1, buf, n);
		kfree(buf);
		return err ? err : (long)n;
	}
	case TSB_KLOG_WRITE:
		return write_out(a1, a2, true);
	case TSB_KLOG_CONSOLE:
		if ((long)a1 == -1)
			return klog_console_level(-1);
		if ((long)a1 < 0 || a1 > 8)
			return -EINVAL;
		return console_owner(p) ? klog_console_level((int)a1) : -EPERM;
	case TSB_KLOG_BOOTED:
		if (p->pid != 1)
			return -EPERM;
		klog_boot_done();
		return 0;
	default:
		return -EINVAL;
	}
}
