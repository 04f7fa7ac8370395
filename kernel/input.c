/* The input event queue between the virtio-input interrupt handlers and
 * the gui service's SYS_INPUT_READ. Interrupts off is its lock. */
#include "kernel/input.h"

#include "arch.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

#define QUEUE_LEN 256

static struct tsb_input_event queue[QUEUE_LEN];
static unsigned head, count;
static unsigned long dropped;
static struct waitq arrival = { .waiters = { &arrival.waiters, &arrival.waiters } };

void input_push(uint16_t type, uint16_t code, int32_t value)
{
	irq_flags_t f = arch_irq_save();
	if (count == QUEUE_LEN) {
		dropped++;
	} else {
		queue[(head + count++) % QUEUE_LEN] = (struct tsb_input_event){ type, code, value };
		waitq_wake_all(&arrival);
	}
	arch_irq_restore(f);
}

long input_read(struct tsb_input_event *out, size_t max, long timeout_ms)
{
	struct process *p = process_current();
	uint64_t deadline = timer_deadline(timeout_ms);
	long n = 0;

	if (timeout_check(timeout_ms))
		return -EINVAL;
	irq_flags_t f = arch_irq_save();
	/* A message arriving while we sleep ends the wait (ipc.c wakes us);
	 * one already queued is checked here, with interrupts off, so that
	 * none slips in between the check and the sleep. */
	if (p)
		p->wake_on_ipc = true;
	while (count == 0) {
		if (p && ipc_pending(p)) {
			n = -EAGAIN;
			break;
		}
		if (timeout_ms == TSB_NO_WAIT || (deadline && arch_timer_ns() >= deadline)) {
			n = -ETIMEDOUT;
			break;
		}
		if (!waitq_wait_interruptible(&arrival, deadline) && thread_current()->interrupted) {
			n = -EINTR;
			break;
		}
	}
	for (; n >= 0 && count && (size_t)n < max; n++) {
		out[n] = queue[head];
		head = (head + 1) % QUEUE_LEN;
		count--;
	}
	if (p)
		p->wake_on_ipc = false;
	arch_irq_restore(f);
	return n;
}

unsigned long input_dropped(void)
{
	return dropped;
}
