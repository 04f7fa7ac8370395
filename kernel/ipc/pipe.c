/* Pipes. One CPU: disabling interrupts is the lock, as in the scheduler.
 * The ring holds PIPE_BUF_SIZE bytes; a writer waits for room, a reader
 * for data, and each side learns when the other is gone. */
#include "kernel/pipe.h"

#include "kernel/heap.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"
#include "tsubame/syscall.h"

struct pipe_end {
	struct pipe *pipe;
	bool writer;
	int refs;
};

struct pipe {
	struct pipe_end rd, wr;
	struct waitq readers, writers;
	size_t head, len;             /* ring: next byte to read, bytes stored */
	unsigned char ring[PIPE_BUF_SIZE];
};

struct waitq poll_waiters = { .waiters = LIST_INIT(poll_waiters.waiters) };

int pipe_create(struct pipe_end **rd, struct pipe_end **wr)
{
	struct pipe *p = kzalloc(sizeof *p);

	if (!p)
		return -ENOMEM;
	p->rd = (struct pipe_end){ .pipe = p, .writer = false, .refs = 1 };
	p->wr = (struct pipe_end){ .pipe = p, .writer = true, .refs = 1 };
	waitq_init(&p->readers);
	waitq_init(&p->writers);
	*rd = &p->rd;
	*wr = &p->wr;
	return 0;
}

struct pipe_end *pipe_end_get(struct pipe_end *e)
{
	irq_flags_t f = arch_irq_save();
	e->refs++;
	arch_irq_restore(f);
	return e;
}

void pipe_end_put(struct pipe_end *e)
{
	struct pipe *p = e->pipe;
	irq_flags_t f = arch_irq_save();
	bool last = --e->refs == 0;

	if (last) {
		waitq_wake_all(e->writer ? &p->readers : &p->writers);
		waitq_wake_all(&poll_waiters);
	}
	bool free_it = p->rd.refs == 0 && p->wr.refs == 0;
	arch_irq_restore(f);
	if (free_it)
		kfree(p);
}

bool pipe_end_is_writer(const struct pipe_end *e)
{
	return e->writer;
}

long pipe_read(struct pipe_end *e, void *buf, size_t len, long timeout_ms)
{
	struct pipe *p = e->pipe;
	unsigned char *out = buf;
	uint64_t deadline = timer_deadline(timeout_ms);
	long n = 0;

	if (e->writer)
		return -EBADF;
	if (timeout_check(timeout_ms))
		return -EINVAL;
	if (len == 0)
		return 0;
	irq_flags_t f = arch_irq_save();
	while (p->len == 0 && p->wr.refs > 0) {
		if (timeout_ms == TSB_NO_WAIT) {
			n = -EAGAIN;
			goto out;
		}
		bool woken = waitq_wait_interruptible(&p->readers, deadline);
		if (thread_current()->interrupted) {
			n = -EINTR;
			goto out;
		}
		if (!woken && p->len == 0) {
			n = -ETIMEDOUT;
			goto out;
		}
	}
	while ((size_t)n < len && p->len > 0) {
		out[n++] = p->ring[p->head];
		p->head = (p->head + 1) % PIPE_BUF_SIZE;
		p->len--;
	}
	if (n > 0) {
		waitq_wake_all(&p->writers);
		waitq_wake_all(&poll_waiters);
	}
out:
	arch_irq_restore(f);
	return n; /* 0: no writers left and nothing stored, end of file */
}

long pipe_write(struct pipe_end *e, const void *buf, size_t len)
{
	struct pipe *p = e->pipe;
	const unsigned char *in = buf;
	size_t done = 0;
	long err = 0;

	if (!e->writer)
		return -EBADF;
	irq_flags_t f = arch_irq_save();
	while (done < len) {
		if (p->rd.refs == 0) {
			err = -EPIPE;
			break;
		}
		if (p->len == PIPE_BUF_SIZE) {
			waitq_wait_interruptible(&p->writers, 0);
			if (thread_current()->interrupted) {
				err = -EINTR;
				break;
			}
			continue;
		}
		size_t before = done;
		while (done < len && p->len < PIPE_BUF_SIZE) {
			p->ring[(p->head + p->len) % PIPE_BUF_SIZE] = in[done++];
			p->len++;
		}
		if (done > before) {
			waitq_wake_all(&p->readers);
			waitq_wake_all(&poll_waiters);
		}
	}
	arch_irq_restore(f);
	return done ? (long)done : err;
}

unsigned pipe_poll(const struct pipe_end *e)
{
	const struct pipe *p = e->pipe;

	if (e->writer)
		return p->rd.refs == 0 ? TSB_POLL_HUP : p->len < PIPE_BUF_SIZE ? TSB_POLL_OUT : 0;
	return (p->len ? TSB_POLL_IN : 0) | (p->wr.refs == 0 ? TSB_POLL_HUP : 0);
}

size_t pipe_available(const struct pipe_end *e)
{
	return e->pipe->len;
}
