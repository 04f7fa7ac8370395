/* Message IPC between processes. The kernel stamps every message with the
 * sender's pid; receivers can take the next message from anyone or only
 * from one sender, leaving the others queued in order. */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/list.h"
#include "kernel/sched.h"

#define IPC_QUEUE_MAX_MSGS 64
#define IPC_QUEUE_MAX_BYTES (512u * 1024)
#define IPC_ANY (-1)

struct mailbox {
	struct list_node msgs;
	unsigned count;
	size_t bytes;
	bool closed;              /* the owner died */
	struct waitq arrival;     /* receivers wait for a message */
	struct waitq space;       /* senders wait for room */
};

void mailbox_init(struct mailbox *mb);
/* Frees queued messages and wakes everyone waiting on it with an error. */
void mailbox_close(struct mailbox *mb);

/* timeout_ms: TSB_NO_WAIT (0), a positive value, or TSB_FOREVER. The data
 * pointers are user addresses of the current process. */
int ipc_send(int dest, uintptr_t ubuf, size_t len, long timeout_ms);
/* from = IPC_ANY or a pid. Returns the message length; *sender gets the
 * stamped pid. A message longer than len is left queued: -EMSGSIZE. */
long ipc_recv(int from, int *sender, uintptr_t ubuf, size_t len, long timeout_ms);
/* A message from the kernel itself (sender pid 0), from a kernel buffer.
 * Never blocks: -EAGAIN when the queue is full. */
int ipc_send_kernel(int dest, const void *buf, size_t len);
bool ipc_trace_set(bool on);
/* Wakes receivers that wait for a specific sender that just died. */
void ipc_peer_died(int pid);

#endif
