/* Message IPC (see kernel/include/kernel/ipc.h for the model). A message
 * is copied once from the sender into a kernel buffer on the receiver's
 * queue, and once out to the receiver; a reply is copied once from the
 * server into the caller's reservation, and once out to the caller. One
 * CPU: interrupts off is the lock for every queue, account and call slot. */
#include "kernel/ipc.h"

#include <string.h>

#include "kernel/fsproxy.h"
#include "kernel/heap.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

struct message {
	struct list_node link;      /* in the receiver's queue */
	struct list_node sent_link; /* in the sender's `sent` list */
	struct process *from, *to;
	struct ipc_account *payer;
	int sender;
	uint32_t kind;              /* TSB_IPC_MESSAGE or TSB_IPC_CALL */
	unsigned slot;              /* a call: the caller's slot and its generation */
	uint32_t gen;
	size_t len, cost;
	size_t reserve;             /* a call: its reply's room, charged with it and kept until the call ends */
	unsigned char data[];
};

/* Tokens and tickets name a call slot and its generation, so that an old
 * one never matches a later call in the same slot. */
#define GEN_BITS 24u
#define GEN_MASK ((1u << GEN_BITS) - 1)

static bool trace;

bool ipc_trace_set(bool on)
{
	bool was = trace;
	trace = on;
	return was;
}

/* The first word of a message, for the trace: taken before the message
 * is queued (the receiver may free it as soon as it is). */
static uint32_t first_word(const void *data, size_t len)
{
	uint32_t word = 0;
	memcpy(&word, data, len < 4 ? len : 4);
	return word;
}

static void trace_msg(const char *what, int from, int to, uint32_t word, size_t len, int err)
{
	if (!trace)
		return;
	kprintf("ipc: t=%llu ms %d -> %d %s op=%u len=%zu%s\n",
		(unsigned long long)(arch_timer_ns() / 1000000), from, to, what, word, len,
		err ? " (not delivered)" : "");
}

static void account_init(struct ipc_account *a, unsigned max_msgs, size_t max_bytes)
{
	*a = (struct ipc_account){ .max_msgs = max_msgs, .max_bytes = max_bytes };
	waitq_init(&a->space);
}

static bool account_has_room(const struct ipc_account *a, size_t cost)
{
	return a->msgs < a->max_msgs && a->bytes + cost <= a->max_bytes;
}

void mailbox_init(struct mailbox *mb)
{
	memset(mb, 0, sizeof *mb);
	list_init(&mb->msgs);
	list_init(&mb->sent);
	waitq_init(&mb->arrival);
	account_init(&mb->out, IPC_OUT_MAX_MSGS, IPC_OUT_MAX_BYTES);
	account_init(&mb->in, IPC_IN_MAX_MSGS, IPC_IN_MAX_BYTES);
}

/* Something arrived for p: a message or a reply. */
static void notify(struct process *p)
{
	waitq_wake_all(&p->mbox.arrival);
	if (p->wake_on_ipc && p->thread)
		thread_wake(p->thread); /* poll, netd's frame wait, the gui's input wait */
}

bool ipc_pending(const struct process *p)
{
	if (p->mbox.count)
		return true;
	for (int i = 0; i < IPC_MAX_CALLS; i++)
		if (p->mbox.calls[i].state == CALL_DONE)
			return true;
	return false;
}

static struct message *message_new(size_t len)
{
	struct message *m = kmalloc(sizeof *m + (len ? len : 1));

	if (m) {
		memset(m, 0, sizeof *m);
		m->len = len;
		m->cost = sizeof *m + len;
		m->kind = TSB_IPC_MESSAGE;
	}
	return m;
}

/* Ends a call slot that has no reply coming: the caller sees `status`. */
static void call_fail(struct process *caller, struct ipc_call *c, int status)
{
	c->request = NULL;
	c->state = CALL_DONE;
	c->status = status;
	c->reply_len = 0;
	notify(caller);
}

/* Takes m off both lists and refunds whoever paid for it. */
static void unlink_message(struct message *m)
{
	list_remove(&m->link);
	list_remove(&m->sent_link);
	m->to->mbox.count--;
	m->payer->msgs--;
	m->payer->bytes -= m->cost;
	waitq_wake_all(&m->payer->space);
}

/* A queued message that nobody will receive: a request among them fails
 * its call with `why`. */
static void discard(struct message *m, int why)
{
	unlink_message(m);
	if (m->kind == TSB_IPC_CALL) {
		struct ipc_call *c = &m->from->mbox.calls[m->slot];
		if (c->request == m)
			call_fail(m->from, c, why);
	}
	kfree(m);
}

static bool names(const struct mailbox *mb, int pid)
{
	for (int i = 0; i < IPC_ACCEPT_MAX; i++)
		if (mb->accept_from[i] == pid)
			return true;
	return false;
}

/* Which account pays for m if `to` takes it at all: the receiver's for
 * what it asked for, the sender's for what it sends a server; NULL if
 * `to` refuses it. The kernel's messages are always taken. */
static struct ipc_account *payer_for(struct process *from, struct process *to, const struct message *m)
{
	if (from == process_kernel())
		return &from->mbox.out;
	if (m->kind == TSB_IPC_CALL)
		return to->mbox.accept_anyone & TSB_IPC_ACCEPT_CALLS ? &from->mbox.out : NULL;
	if (names(&to->mbox, from->pid))
		return &to->mbox.in;
	return to->mbox.accept_anyone & TSB_IPC_ACCEPT_MESSAGES ? &from->mbox.out : NULL;
}

/* Queues m at dest if dest takes it and the paying account has room.
 * *full gets the account to wait on after -EAGAIN. Interrupts off. */
static int post(struct process *from, int dest, struct message *m, struct ipc_account **full)
{
	struct process *to = process_find(dest);

	if (!to || to->state != PROC_ALIVE || to->mbox.closed)
		return -ESRCH;
	struct ipc_account *payer = payer_for(from, to, m);
	if (!payer)
		return -ECONNREFUSED; /* to does not take this from us */
	if (!account_has_room(payer, m->cost + m->reserve)) {
		*full = payer;
		return -EAGAIN;
	}
	m->from = from;
	m->to = to;
	m->payer = payer;
	payer->msgs++;
	payer->bytes += m->cost + m->reserve; /* the reservation stays charged after the request is taken */
	list_push_back(&to->mbox.msgs, &m->link);
	list_push_back(&from->mbox.sent, &m->sent_link);
	to->mbox.count++;
	notify(to);
	return 0;
}

/* post, waiting up to the timeout while the paying account is full.
 * Interrupts off. */
static int post_wait(struct process *self, int dest, struct message *m, long timeout_ms)
{
	uint64_t deadline = timer_deadline(timeout_ms);

	for (;;) {
		struct ipc_account *full = NULL;
		int err = post(self, dest, m, &full);
		if (err != -EAGAIN || timeout_ms == TSB_NO_WAIT)
			return err;
		if (!waitq_wait_interruptible(&full->space, deadline))
			return self->killed ? -EINTR : -ETIMEDOUT;
	}
}

int ipc_send_kernel(int dest, const void *buf, size_t len)
{
	struct message *m = message_new(len);
	struct ipc_account *full;

	if (!m)
		return -ENOMEM;
	memcpy(m->data, buf, len);
	irq_flags_t f = arch_irq_save();
	int err = post(process_kernel(), dest, m, &full);
	arch_irq_restore(f);
	trace_msg("msg", 0, dest, first_word(buf, len), len, err);
	if (err)
		kfree(m);
	return err;
}

/* A kernel copy of a user message, stamped with the sender's pid. */
static int message_from_user(uintptr_t ubuf, size_t len, struct message **out)
{
	if (len > TSB_IPC_MAX_MSG)
		return -EMSGSIZE;
	struct message *m = message_new(len);
	if (!m)
		return -ENOMEM;
	int err = copy_from_user(m->data, ubuf, len);
	if (err) {
		kfree(m);
		return err;
	}
	m->sender = process_current()->pid; /* stamped here: a process cannot claim another id */
	*out = m;
	return 0;
}

int ipc_send(int dest, uintptr_t ubuf, size_t len, long timeout_ms)
{
	struct process *self = process_current();
	struct message *m;

	if (len > TSB_IPC_MAX_MSG)
		return -EMSGSIZE;
	if (timeout_check(timeout_ms))
		return -EINVAL;
	if (dest == 0) /* to the kernel: a reply for the fat32d proxy */
		return fsproxy_deliver(self->pid, ubuf, len);
	int err = message_from_user(ubuf, len, &m);
	if (err)
		return err;
	uint32_t word = first_word(m->data, len);
	irq_flags_t f = arch_irq_save();
	err = post_wait(self, dest, m, timeout_ms);
	arch_irq_restore(f);
	trace_msg("msg", self->pid, dest, word, len, err);
	if (err)
		kfree(m);
	return err;
}

/* First queued message from `from` (or anything with IPC_ANY: calls
 * included). */
static struct message *find(struct mailbox *mb, int from)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &mb->msgs) {
		struct message *m = list_entry(n, struct message, link);
		if (from == IPC_ANY || (m->sender == from && m->kind == TSB_IPC_MESSAGE))
			return m;
	}
	return NULL;
}

static uint64_t make_token(int pid, unsigned slot, uint32_t gen)
{
	return (uint64_t)(uint32_t)pid << 32 | (uint64_t)(gen & GEN_MASK) << 8 | slot;
}

long ipc_recv(int from, struct tsb_ipc_info *info, uintptr_t ubuf, size_t len, long timeout_ms)
{
	struct process *self = process_current();
	struct mailbox *mb = &self->mbox;
	long result;

	if (timeout_check(timeout_ms))
		return -EINVAL;
	if (from != IPC_ANY && from == self->pid)
		return -EDEADLK; /* waiting for a message from ourselves */
	uint64_t deadline = timer_deadline(timeout_ms);
	irq_flags_t f = arch_irq_save();
	for (;;) {
		struct message *m = find(mb, from);
		if (m) {
			if (m->len > len) {
				result = -EMSGSIZE; /* left queued: never truncated */
				break;
			}
			if (!as_check(self->as, ubuf, m->len, TSB_PROT_WRITE)) {
				result = -EFAULT; /* left queued: a call's token is not lost */
				break;
			}
			unlink_message(m);
			*info = (struct tsb_ipc_info){ .sender = m->sender, .kind = m->kind };
			if (m->kind == TSB_IPC_CALL) {
				m->from->mbox.calls[m->slot].request = NULL; /* taken: now only a reply ends it */
				info->token = make_token(m->sender, m->slot, m->gen);
			}
			arch_irq_restore(f);
			int err = copy_to_user(ubuf, m->data, m->len);
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

/* ---- Calls ---- */

static long make_ticket(unsigned slot, uint32_t gen)
{
	return (long)((gen & GEN_MASK) * IPC_MAX_CALLS + slot + 1);
}

/* The caller's slot a ticket names, if it is still that call. */
static struct ipc_call *ticket_call(struct process *self, long ticket)
{
	if (ticket <= 0 || ticket > (long)((GEN_MASK + 1u) * IPC_MAX_CALLS))
		return NULL;
	unsigned slot = (unsigned)((ticket - 1) % IPC_MAX_CALLS);
	uint32_t gen = (uint32_t)((ticket - 1) / IPC_MAX_CALLS);
	struct ipc_call *c = &self->mbox.calls[slot];
	return c->state != CALL_FREE && (c->gen & GEN_MASK) == gen ? c : NULL;
}

/* Frees a call slot; the reservation goes with it unless a server is
 * copying into it right now (CALL_FILLING): then that server frees it. */
static void call_release(struct process *self, struct ipc_call *c)
{
	if (c->request)
		discard(c->request, 0); /* still queued: it never reaches the server */
	self->mbox.out.bytes -= c->reply_max;
	waitq_wake_all(&self->mbox.out.space);
	if (c->state != CALL_FILLING)
		kfree(c->reply);
	c->reply = NULL;
	c->request = NULL;
	c->state = CALL_FREE;
	c->gen++;
}

long ipc_request(int dest, uintptr_t ubuf, size_t len, size_t reply_max, long timeout_ms)
{
	struct process *self = process_current();
	struct ipc_call *c = NULL;
	struct message *m;

	if (len > TSB_IPC_MAX_MSG || reply_max > TSB_IPC_MAX_MSG)
		return -EMSGSIZE;
	if (timeout_check(timeout_ms))
		return -EINVAL;
	if (dest == self->pid)
		return -EDEADLK;
	if (dest == 0)
		return -ECONNREFUSED; /* the kernel takes no calls */
	for (int i = 0; i < IPC_MAX_CALLS && !c; i++)
		if (self->mbox.calls[i].state == CALL_FREE)
			c = &self->mbox.calls[i];
	if (!c)
		return -EBUSY; /* TSB_IPC_MAX_CALLS are outstanding */
	/* The reply's room is reserved now, so that the server's reply never
	 * has to find any. */
	void *reply = kmalloc(reply_max ? reply_max : 1);
	if (!reply)
		return -ENOMEM;
	int err = message_from_user(ubuf, len, &m);
	if (err) {
		kfree(reply);
		return err;
	}
	unsigned slot = (unsigned)(c - self->mbox.calls);
	m->kind = TSB_IPC_CALL;
	m->slot = slot;
	m->gen = c->gen;
	m->reserve = reply_max;
	uint32_t word = first_word(m->data, len);
	irq_flags_t f = arch_irq_save();
	err = post_wait(self, dest, m, timeout_ms);
	if (!err) {
		c->state = CALL_SENT;
		c->server = dest;
		c->request = m;
		c->reply = reply;
		c->reply_max = reply_max;
		c->reply_len = 0;
		c->status = 0;
	}
	arch_irq_restore(f);
	trace_msg("call", self->pid, dest, word, len, err);
	if (err) {
		kfree(m);
		kfree(reply);
		return err;
	}
	return make_ticket(slot, c->gen);
}

long ipc_await(long ticket, uintptr_t ubuf, size_t len, long timeout_ms)
{
	struct process *self = process_current();
	long result;

	if (timeout_check(timeout_ms))
		return -EINVAL;
	uint64_t deadline = timer_deadline(timeout_ms);
	irq_flags_t f = arch_irq_save();
	struct ipc_call *c = ticket_call(self, ticket);
	for (;;) {
		if (!c) {
			result = -EINVAL; /* no such call (finished or cancelled) */
			break;
		}
		if (c->state == CALL_DONE) {
			if (c->status < 0) {
				result = c->status;
				call_release(self, c);
				break;
			}
			if (c->reply_len > len) {
				result = -EMSGSIZE; /* kept: ask again with a larger buffer */
				break;
			}
			if (!as_check(self->as, ubuf, c->reply_len, TSB_PROT_WRITE)) {
				result = -EFAULT;
				break;
			}
			/* The slot stays ours while we copy: nobody else frees a
			 * finished call. */
			arch_irq_restore(f);
			int err = copy_to_user(ubuf, c->reply, c->reply_len);
			f = arch_irq_save();
			result = err ? err : (long)c->reply_len;
			call_release(self, c);
			break;
		}
		if (timeout_ms == TSB_NO_WAIT) {
			result = -EAGAIN;
			break;
		}
		if (!waitq_wait_interruptible(&self->mbox.arrival, deadline)) {
			result = self->killed ? -EINTR : -ETIMEDOUT; /* the call goes on */
			break;
		}
	}
	arch_irq_restore(f);
	return result;
}

int ipc_cancel(long ticket)
{
	struct process *self = process_current();
	irq_flags_t f = arch_irq_save();
	struct ipc_call *c = ticket_call(self, ticket);

	if (c)
		call_release(self, c);
	arch_irq_restore(f);
	return c ? 0 : -EINVAL;
}

/* The call a token names, if the current process may answer it now. */
static struct ipc_call *token_call(uint64_t token, struct process **caller, int *err)
{
	unsigned slot = (unsigned)(token & 0xff);
	uint32_t gen = (uint32_t)(token >> 8) & GEN_MASK;
	struct process *p = process_find((int)(token >> 32));

	*caller = p;
	if (!p || p->state != PROC_ALIVE || (int)(token >> 32) <= 0) {
		*err = -ESRCH;
		return NULL;
	}
	struct ipc_call *c = slot < IPC_MAX_CALLS ? &p->mbox.calls[slot] : NULL;
	if (!c || c->state != CALL_SENT || (c->gen & GEN_MASK) != gen || c->request ||
	    c->server != process_current()->pid) {
		*err = -ENOENT;
		return NULL;
	}
	return c;
}

int ipc_reply(uint64_t token, uintptr_t ubuf, size_t len)
{
	struct process *self = process_current(), *caller;
	int err;

	if (!as_check(self->as, ubuf, len, TSB_PROT_READ))
		return -EFAULT; /* the call stays open: answer it from a good buffer */
	irq_flags_t f = arch_irq_save();
	struct ipc_call *c = token_call(token, &caller, &err);
	if (c && len > c->reply_max) {
		call_fail(caller, c, -EMSGSIZE); /* the caller learns it too */
		err = -EMSGSIZE;
		c = NULL;
	}
	if (!c) {
		arch_irq_restore(f);
		return err;
	}
	/* Copy with interrupts on: the caller may cancel or die meanwhile.
	 * FILLING tells them the reservation is ours until we are done. */
	int pid = caller->pid;
	uint32_t gen = c->gen;
	void *dst = c->reply;
	c->state = CALL_FILLING;
	arch_irq_restore(f);
	err = copy_from_user(dst, ubuf, len);
	f = arch_irq_save();
	caller = process_find(pid);
	if (caller && caller->state == PROC_ALIVE && c->state == CALL_FILLING && c->gen == gen) {
		c->state = CALL_DONE;
		c->status = err;
		c->reply_len = err ? 0 : len;
		notify(caller);
	} else {
		kfree(dst); /* the caller gave up or died while we copied */
		err = caller && caller->state == PROC_ALIVE ? -ENOENT : -ESRCH;
	}
	arch_irq_restore(f);
	if (trace)
		kprintf("ipc: t=%llu ms %d -> %d reply len=%zu%s\n",
			(unsigned long long)(arch_timer_ns() / 1000000), self->pid, pid, len,
			err ? " (not delivered)" : "");
	return err;
}

/* ---- Who may send to whom ---- */

bool ipc_accept_has_room(const struct process *p)
{
	for (int i = 0; i < IPC_ACCEPT_MAX; i++)
		if (!p->mbox.accept_from[i])
			return true;
	return false;
}

int ipc_accept_pid(struct process *p, int pid)
{
	int *free_slot = NULL;

	for (int i = 0; i < IPC_ACCEPT_MAX; i++) {
		if (p->mbox.accept_from[i] == pid)
			return 0;
		if (!p->mbox.accept_from[i] && !free_slot)
			free_slot = &p->mbox.accept_from[i];
	}
	if (!free_slot)
		return -ENOSPC;
	*free_slot = pid;
	return 0;
}

int ipc_accept(int who, uint32_t kinds)
{
	struct process *self = process_current();
	int err = 0;

	if (who == TSB_IPC_ANYONE) {
		if (kinds & ~(uint32_t)(TSB_IPC_ACCEPT_MESSAGES | TSB_IPC_ACCEPT_CALLS))
			return -EINVAL;
		self->mbox.accept_anyone = kinds;
		return 0;
	}
	if (who <= 0 || (kinds & ~(uint32_t)TSB_IPC_ACCEPT_MESSAGES))
		return -EINVAL; /* calls are taken from anyone or no one */
	irq_flags_t f = arch_irq_save();
	struct process *p = process_find(who);
	if (!kinds) {
		for (int i = 0; i < IPC_ACCEPT_MAX; i++)
			if (self->mbox.accept_from[i] == who)
				self->mbox.accept_from[i] = 0;
	} else if (!p || p->state != PROC_ALIVE) {
		err = -ESRCH;
	} else {
		err = ipc_accept_pid(self, who);
	}
	arch_irq_restore(f);
	return err;
}

/* ---- A process dies ---- */

/* Every other process: calls it made to the dead one fail, and the dead
 * pid leaves its accept list; receivers waiting for the dead one wake. */
static void forget_peer(struct process *p, void *arg)
{
	struct process *dead = arg;

	if (p == dead)
		return;
	for (int i = 0; i < IPC_MAX_CALLS; i++) {
		struct ipc_call *c = &p->mbox.calls[i];
		if (c->state == CALL_SENT && c->server == dead->pid)
			call_fail(p, c, -ESRCH);
	}
	for (int i = 0; i < IPC_ACCEPT_MAX; i++)
		if (p->mbox.accept_from[i] == dead->pid)
			p->mbox.accept_from[i] = 0;
	if (p->state == PROC_ALIVE)
		waitq_wake_all(&p->mbox.arrival); /* a recv_from(dead) returns -ESRCH */
}

void ipc_process_exit(struct process *p)
{
	struct mailbox *mb = &p->mbox;
	struct list_node *n;

	irq_flags_t f = arch_irq_save();
	mb->closed = true;
	mb->accept_anyone = 0;
	/* What was queued for us: senders are refunded, callers told. */
	while ((n = mb->msgs.next) != &mb->msgs)
		discard(list_entry(n, struct message, link), -ESRCH);
	/* What we sent that is still queued elsewhere dies with us. */
	while ((n = mb->sent.next) != &mb->sent)
		discard(list_entry(n, struct message, sent_link), -ESRCH);
	for (int i = 0; i < IPC_MAX_CALLS; i++)
		if (mb->calls[i].state != CALL_FREE)
			call_release(p, &mb->calls[i]);
	waitq_wake_all(&mb->in.space);  /* senders waiting for our room: we are gone */
	waitq_wake_all(&mb->out.space);
	waitq_wake_all(&mb->arrival);
	process_for_each(forget_peer, p);
	arch_irq_restore(f);
}
