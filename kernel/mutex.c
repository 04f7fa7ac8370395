#include "kernel/mutex.h"

#include "kernel/printk.h"

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	waitq_init(&m->waiters);
}

void mutex_lock(struct mutex *m)
{
	irq_flags_t f = arch_irq_save();

	if (m->owner == thread_current())
		panic("mutex_lock: %s already holds this mutex", thread_current()->name);
	while (m->owner)
		waitq_wait(&m->waiters, 0);
	m->owner = thread_current();
	arch_irq_restore(f);
}

void mutex_unlock(struct mutex *m)
{
	irq_flags_t f = arch_irq_save();

	if (m->owner != thread_current())
		panic("mutex_unlock: not the owner");
	m->owner = NULL;
	waitq_wake_one(&m->waiters);
	arch_irq_restore(f);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner == thread_current();
}
