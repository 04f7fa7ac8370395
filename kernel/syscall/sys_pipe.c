/* Pipe and poll system calls, and the user-memory side of pipe I/O that
 * read/write and redirected consoles share. */
#include "kernel/pipe.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

#define CHUNK 512 /* bytes through the kernel stack per step */

long pipe_read_user(struct pipe_end *e, uintptr_t ubuf, size_t len, long timeout_ms)
{
	char buf[CHUNK];
	long total = 0;

	if (!as_check(process_current()->as, ubuf, len, TSB_PROT_WRITE))
		return -EFAULT;
	/* Wait for the first bytes only; then take what is already there. */
	long n = pipe_read(e, buf, len < CHUNK ? len : CHUNK, timeout_ms);
	while (n > 0) {
		if (copy_to_user(ubuf + (uintptr_t)total, buf, (size_t)n) != 0)
			return -EFAULT;
		total += n;
		size_t left = len - (size_t)total;
		if (left == 0)
			break;
		n = pipe_read(e, buf, left < CHUNK ? left : CHUNK, TSB_NO_WAIT);
	}
	return total ? total : n;
}

long pipe_write_user(struct pipe_end *e, uintptr_t ubuf, size_t len)
{
	char buf[CHUNK];
	size_t total = 0;

	if (!as_check(process_current()->as, ubuf, len, TSB_PROT_READ))
		return -EFAULT;
	while (total < len) {
		size_t n = len - total < CHUNK ? len - total : CHUNK;
		if (copy_from_user(buf, ubuf + total, n) != 0)
			return total ? (long)total : -EFAULT;
		long w = pipe_write(e, buf, n);
		if (w < 0)
			return total ? (long)total : w;
		total += (size_t)w;
		if ((size_t)w < n)
			break;
	}
	return (long)total;
}

SYSCALL(pipe)
{
	struct process *p = process_current();
	struct pipe_end *rd, *wr;
	UNUSED_ARGS(a1, a2, a3, a4, a5);

	int fdr = process_fd_alloc(p);
	if (fdr < 0)
		return fdr;
	int err = pipe_create(&rd, &wr);
	if (err)
		return err;
	p->pipes[fdr] = rd;
	int fdw = process_fd_alloc(p);
	if (fdw < 0) {
		process_fd_close(p, fdr);
		pipe_end_put(wr);
		return fdw;
	}
	p->pipes[fdw] = wr;
	int32_t fds[2] = { fdr, fdw };
	if (copy_to_user(a0, fds, sizeof fds) != 0) {
		process_fd_close(p, fdr);
		process_fd_close(p, fdw);
		return -EFAULT;
	}
	return 0;
}

/* Fills in revents; returns how many entries have any. Interrupts off. */
static int poll_scan(struct process *p, struct tsb_pollfd *fds, size_t n)
{
	int ready = 0;

	for (size_t i = 0; i < n; i++) {
		int32_t fd = fds[i].fd;
		unsigned ev = 0;
		if (fd == TSB_POLL_IPC)
			ev = ipc_pending(p) ? TSB_POLL_IN : 0; /* a message or a reply */
		else if (fd < 0 || fd >= TSB_FD_MAX)
			ev = TSB_POLL_NVAL;
		else if (p->pipes[fd])
			ev = pipe_poll(p->pipes[fd]);
		else if (p->files[fd])
			ev = TSB_POLL_IN | TSB_POLL_OUT; /* files never make a reader wait */
		else
			ev = TSB_POLL_NVAL;
		fds[i].revents = (uint16_t)(ev & (fds[i].events | TSB_POLL_HUP | TSB_POLL_NVAL));
		ready += fds[i].revents != 0;
	}
	return ready;
}

static bool polls_ipc(const struct tsb_pollfd *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i].fd == TSB_POLL_IPC)
			return true;
	return false;
}

SYSCALL(poll)
{
	struct tsb_pollfd fds[TSB_POLL_MAX];
	struct process *p = process_current();
	long timeout_ms = (long)a2;
	UNUSED_ARGS(a3, a4, a5);

	if (a1 > TSB_POLL_MAX || timeout_check(timeout_ms))
		return -EINVAL;
	if (copy_from_user(fds, a0, a1 * sizeof fds[0]) != 0)
		return -EFAULT;
	uint64_t deadline = timer_deadline(timeout_ms);
	long ready;
	irq_flags_t f = arch_irq_save();
	for (;;) {
		ready = poll_scan(p, fds, a1);
		if (ready || timeout_ms == TSB_NO_WAIT)
			break;
		/* Pipes wake poll_waiters; an IPC arrival wakes this thread. */
		p->wake_on_ipc = polls_ipc(fds, a1);
		bool woken = waitq_wait_interruptible(&poll_waiters, deadline);
		p->wake_on_ipc = false;
		if (thread_current()->interrupted) {
			ready = -EINTR;
			break;
		}
		if (!woken) {
			ready = poll_scan(p, fds, a1);
			break;
		}
	}
	arch_irq_restore(f);
	if (ready >= 0 && copy_to_user(a0, fds, a1 * sizeof fds[0]) != 0)
		return -EFAULT;
	return ready;
}
