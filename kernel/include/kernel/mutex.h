/* A sleeping lock for code that may block (file systems, drivers). */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <stdbool.h>

#include "kernel/sched.h"

struct mutex {
	struct thread *owner;
	struct waitq waiters;
};

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m); /* by the current thread */

#endif
