/* Input events from every input device (keyboards, tablets), queued in
 * arrival order for the gui service. */
#ifndef KERNEL_INPUT_H
#define KERNEL_INPUT_H

#include <stddef.h>

#include "tsubame/syscall.h"

/* Called by drivers, from their interrupt handler. When the queue is
 * full the event is dropped (and counted). */
void input_push(uint16_t type, uint16_t code, int32_t value);
/* Moves up to max queued events into out. Waits up to timeout_ms
 * (TSB_NO_WAIT, ms or TSB_FOREVER) for the first one. Returns the count,
 * -ETIMEDOUT, -EINTR (killed), or -EAGAIN when an IPC message is queued for
 * the calling process (it waits for both at once). */
long input_read(struct tsb_input_event *out, size_t max, long timeout_ms);
unsigned long input_dropped(void);

#endif
