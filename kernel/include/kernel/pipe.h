/* Pipes: a bounded byte stream between processes, with a read end and a
 * write end that are counted separately. They carry a shell's console when
 * its parent (telnetd, the gui terminal) redirects it, and serve as plain
 * pipe fds otherwise. */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sched.h"

#define PIPE_BUF_SIZE 4096

struct pipe_end;

/* A new pipe with one reference on each end; -ENOMEM. */
int pipe_create(struct pipe_end **rd, struct pipe_end **wr);
/* Another reference to e (an fd copy, an inherited console). */
struct pipe_end *pipe_end_get(struct pipe_end *e);
/* Drops a reference; the last one closes that end and wakes the other
 * side (readers see end of file, writers get -EPIPE). */
void pipe_end_put(struct pipe_end *e);
bool pipe_end_is_writer(const struct pipe_end *e);

/* Reads up to len bytes into a kernel buffer. Waits for at least one
 * byte up to timeout_ms (TSB_FOREVER, TSB_NO_WAIT). Returns the bytes
 * read, 0 at end of file, -EAGAIN / -ETIMEDOUT / -EINTR, -EBADF on a
 * write end. */
long pipe_read(struct pipe_end *e, void *buf, size_t len, long timeout_ms);
/* Writes all of buf, waiting for room. Returns len, the bytes written
 * before the readers went away or a kill, or -EPIPE / -EINTR / -EBADF. */
long pipe_write(struct pipe_end *e, const void *buf, size_t len);
/* TSB_POLL_* bits that are true now. */
unsigned pipe_poll(const struct pipe_end *e);
/* Bytes waiting to be read. */
size_t pipe_available(const struct pipe_end *e);

/* The same between a pipe and user memory (kernel/syscall/sys_pipe.c),
 * for read/write on pipe handles and redirected consoles. */
long pipe_read_user(struct pipe_end *e, uintptr_t ubuf, size_t len, long timeout_ms);
long pipe_write_user(struct pipe_end *e, uintptr_t ubuf, size_t len);

/* poll(): every pipe change and every IPC arrival for a polling process
 * wakes this queue; pollers re-check their sets. */
extern struct waitq poll_waiters;

#endif
