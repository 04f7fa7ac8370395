/* Message IPC. A message is copied once from the sender into a kernel
 * buffer on the receiver's bounded queue, and once out to the receiver.
 * Selective receive scans the queue for the first message from the wanted
 * sender; everything else stays queued in order. */
#include "kernel/ipc.h"

#include <string.h>

#include "kernel/fsproxy.h"
#include "kernel/heap.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

struct message {
	struct list_node link;
	int sender;
	size_t len;
	unsigned char data[];
};

static bool trace;

bool ipc_trace_set(bool on)
{
	bool was = trace;
	trace = on;
	return was;
}

void mailbox_init(struct mailbox *mb)
{
	list_init(&mb->msgs);
	mb->count = 0;
	mb->bytes = 0;
	mb->closed = false;
	waitq_init(&mb->arrival);
	waitq_init(&mb->space);
}

void mailbox_close(struct mailbox *mb)
{
	irq_flags_t f = arch_irq_save();
	struct list_node *n;

	mb->closed = true;
	while ((n = list_pop_front(&mb->msgs)) != NULL)
		kfree(list_entry(n, struct message, link));
	mb->count = 0;
	mb->bytes = 0;
	waitq_wake_all(&mb->space);   /* senders: the receiver is gone */
	waitq_wake_all(&mb->arrival);
	arch_irq_restore(f);
}

/* Queues m on dest's mailbox if there is room. Interrupts off. */
static int enqueue(int dest, struct message *m)
{
	struct process *d = process_find(dest);

	if (!d || d->state != PROC_ALIVE || d->mbox.closed)
		return -ESRCH;
	if (d->mbox.count >= IPC_QUEUE_MAX_MSGS || d->mbox.bytes + m->len > IPC_QUEUE_MAX_BYTES)
		return -EAGAIN;
	list_push_back(&d->mbox.msgs, &m->link);
	d->mbox.count++;
	d->mbox.bytes += m->len;
	waitq_wake_all(&d->mbox.arrival);
	if (d->wake_on_ipc && d->thread)
		thread_wake(d->thread); /* netd: waiting for frames, now has a request */
	return 0;
}

int ipc_send_kernel(int dest, const void *buf, size_t len)
{
	struct message *m = kmalloc(sizeof *m + (len ? len : 1));

	if (!m)
		return -ENOMEM;
	memcpy(m->data, buf, len);
	m->sender = 0;
	m->len = len;
	irq_flags_t f = arch_irq_save();
	int err = enqueue(dest, m);
	arch_irq_restore(f);
	if (err)
		kfree(m);
	return err;
}

int ipc_send(int dest, uintptr_t ubuf, size_t len, long timeout_ms)
{
	struct process *self = process_current();

	if (len > TSB_IPC_MAX_MSG)
		return -EMSGSIZE;
	if (timeout_ms < TSB_FOREVER)
		return -EINVAL;
	if (dest == 0) /* to the kernel: a reply for the fat32d proxy */
		return fsproxy_deliver(self->pid, ubuf, len);
	struct message *m = kmalloc(sizeof *m + (len ? len : 1));
	if (!m)
		return -ENOMEM;
	int err = copy_from_user(m->data, ubuf, len);
	if (err) {
		kfree(m);
		return err;
	}
	m->sender = self->pid; /* stamped here: a process cannot claim another id */
	m->len = len;
	uint32_t opcode = 0;
	memcpy(&opcode, m->data, len < 4 ? len : 4);
	uint64_t deadline = timer_deadline(timeout_ms);
	irq_flags_t f = arch_irq_save();
	for (;;) {
		err = enqueue(dest, m);
		if (err == 0)
			m = NULL;
		if (err != -EAGAIN || timeout_ms == TSB_NO_WAIT)
			break;
		struct process *d = process_find(dest);
		if (!waitq_wait_interruptible(&d->mbox.space, deadline)) {
			err = self->killed ? -EINTR : -ETIMEDOUT;
			break;
		}
	}
	arch_irq_restore(f);
	if (trace)
		kprintf("ipc: t=%llu ms %d -> %d op=%u len=%zu%s\n",
			(unsigned long long)(arch_timer_ns() / 1000000), self->pid, dest, opcode, len,
			err ? " (not delivered)" : "");
	kfree(m);
	return err;
}

/* First queued message from `from` (or anyone). */
static struct message *find(struct mailbox *mb, int from)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &mb->msgs) {
		struct message *m = list_entry(n, struct message, link);
		if (from == IPC_ANY || m->sender == from)
			return m;
	}
	return NULL;
}

long ipc_recv(int from, int *sender, uintptr_t ubuf, size_t len, long timeout_ms)
{
	struct process *self = process_current();
	struct mailbox *mb = &self->mbox;
	uint64_t deadline = timer_deadline(timeout_ms);
	long result;

	if (timeout_ms < TSB_FOREVER)
		return -EINVAL;
	if (from != IPC_ANY && from == self->pid)
		return -EDEADLK; /* waiting for a message from ourselves */
	irq_flags_t f = arch_irq_save();
	for (;;) {
		struct message *m = find(mb, from);
		if (m) {
			if (m->len > len) {
				result = -EMSGSIZE; /* left queued: never truncated */
				break;
			}
			list_remove(&m->link);
			mb->count--;
			mb->bytes -= m->len;
			waitq_wake_all(&mb->space);
			arch_irq_restore(f);
			int err = copy_to_user(ubuf, m->data, m->len);
			*sender = m->sender;
			result = err ? err : (long)m->len;
			kfree(m);
			return result;
		}
		if (from != IPC_ANY) {
			struct process *peer = process_find(from);
			if (!peer || peer->state != PROC_ALIVE) {
				result = -ESRCH; /* it died: nothing will ever come */
				break;
			}
		}
		if (timeout_ms == TSB_NO_WAIT) {
			result = -EAGAIN;
			break;
		}
		if (!waitq_wait_interruptible(&mb->arrival, deadline)) {
			result = self->killed ? -EINTR : -ETIMEDOUT;
			break;
		}
	}
	arch_irq_restore(f);
	return result;
}

static void wake_receivers(struct process *p)
{
	if (p->state == PROC_ALIVE)
		waitq_wake_all(&p->mbox.arrival);
}

void ipc_peer_died(int pid)
{
	(void)pid;
	/* Receivers blocked in recv_from(pid) re-check whether their peer is
	 * alive; waking every receiver is cheap at our scale. */
	process_for_each(wake_receivers);
}
