/* Message IPC between processes (docs/ARCHITECTURE.md, "IPC"). The kernel
 * stamps every message with the sender's pid. There are two kinds:
 *
 * - a call: ipc_request reserves a kernel buffer for the reply in one of
 *   the caller's IPC_MAX_CALLS call slots and queues the request at a
 *   server; the server receives it with a one-shot token and answers with
 *   ipc_reply, which fills the reservation: it never blocks and never
 *   depends on room in the caller's mailbox. The caller collects the reply
 *   with ipc_await, or gives up with ipc_cancel (the token then dies);
 * - a message (ipc_send): delivered only to a process that accepts it,
 *   either because it named the sender (ipc_accept(pid): charged to the
 *   receiver, which asked for it) or because it serves anyone (a server:
 *   charged to the sender). Anything else is refused at send time.
 *
 * What is queued is charged to an account (a count and bytes with a
 * limit): a sender's `out` account for what it sends to servers, a
 * receiver's `in` account for what it accepted from named senders. A full
 * account makes the sender wait or fail; it never blocks anyone else. A
 * queued message lives no longer than its sender and its receiver. */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/list.h"
#include "kernel/sched.h"
#include "tsubame/syscall.h"

#define IPC_ANY (-1)
/* What one process may have queued anywhere (its requests and its
 * messages to servers, and the room reserved for its calls' replies), and
 * what it may hold of messages it accepted from named senders. A message
 * costs its length plus a small header. */
#define IPC_OUT_MAX_MSGS 32
#define IPC_OUT_MAX_BYTES (256u * 1024)
#define IPC_IN_MAX_MSGS 64
#define IPC_IN_MAX_BYTES (256u * 1024)
#define IPC_MAX_CALLS TSB_IPC_MAX_CALLS
#define IPC_ACCEPT_MAX 16     /* named senders a process accepts messages from */

struct message;

struct ipc_account {
	unsigned msgs, max_msgs;
	size_t bytes, max_bytes;
	struct waitq space;       /* senders charged here wait for room */
};

enum call_state { CALL_FREE, CALL_SENT, CALL_FILLING, CALL_DONE };

/* A call this process made: its request (while still queued at the
 * server) and the kernel buffer reserved for the reply. */
struct ipc_call {
	enum call_state state;
	uint32_t gen;             /* bumped when the slot is freed: old tickets and tokens die */
	int server;
	struct message *request;  /* queued at the server; NULL once taken */
	void *reply;              /* reply_max bytes, owned by the slot */
	size_t reply_max, reply_len;
	int status;               /* CALL_DONE: 0, or why there is no reply (-ESRCH: server died) */
};

struct mailbox {
	struct list_node msgs;    /* queued for us, oldest first */
	unsigned count;
	bool closed;              /* the owner died */
	uint32_t accept_anyone;   /* TSB_IPC_ACCEPT_* from any process (a server) */
	int accept_from[IPC_ACCEPT_MAX]; /* pids whose messages we take, charged to `in` */
	struct waitq arrival;     /* receivers wait for a message or a reply */
	struct ipc_account out, in;
	struct list_node sent;    /* our messages still queued somewhere */
	struct ipc_call calls[IPC_MAX_CALLS];
};

struct process;

void mailbox_init(struct mailbox *mb);
/* All of a dying process's IPC: its queue (callers of its pending
 * requests get -ESRCH), what it sent that is still queued, its calls,
 * calls others made to it, and its place in accept lists. */
void ipc_process_exit(struct process *p);

/* timeout_ms everywhere: TSB_NO_WAIT, > 0 ms or TSB_FOREVER (timer.h).
 * Buffers are user addresses of the current process. */
int ipc_send(int dest, uintptr_t ubuf, size_t len, long timeout_ms);
/* from = IPC_ANY (messages and calls) or a pid (only its messages). Fills
 * *info (sender, kind, the token of a call). A message longer than len is
 * left queued: -EMSGSIZE. */
long ipc_recv(int from, struct tsb_ipc_info *info, uintptr_t ubuf, size_t len, long timeout_ms);
/* Returns a ticket (> 0) for ipc_await / ipc_cancel. */
long ipc_request(int dest, uintptr_t ubuf, size_t len, size_t reply_max, long timeout_ms);
long ipc_await(long ticket, uintptr_t ubuf, size_t len, long timeout_ms);
int ipc_cancel(long ticket);
/* Never blocks: -ESRCH (the caller died), -ENOENT (the token is dead:
 * answered, cancelled, or not a call made to us), -EMSGSIZE (longer than
 * the caller's reservation; the caller gets -EMSGSIZE too). */
int ipc_reply(uint64_t token, uintptr_t ubuf, size_t len);
/* who: a pid (kinds 0 or TSB_IPC_ACCEPT_MESSAGES) or TSB_IPC_ANYONE. */
int ipc_accept(int who, uint32_t kinds);
/* For spawn's TSB_SPAWN_NOTIFY: p takes messages from pid. Interrupts
 * off; -ENOSPC when p's list is full. */
int ipc_accept_pid(struct process *p, int pid);
bool ipc_accept_has_room(const struct process *p);
/* A message from the kernel itself (sender pid 0), from a kernel buffer;
 * every process takes it. Never blocks: -EAGAIN when the kernel's own
 * account is full. */
int ipc_send_kernel(int dest, const void *buf, size_t len);
/* A message or a reply waits for p (poll, and the calls that end their
 * wait when IPC arrives). Interrupts off. */
bool ipc_pending(const struct process *p);
bool ipc_trace_set(bool on);

#endif
