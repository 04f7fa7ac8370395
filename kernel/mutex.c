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
	if (!m->owner)
		m->owner = thread_current();
	/* Ownership is handed over by mutex_unlock, in arrival order, so a
	 * thread that re-locks in a loop cannot starve the others. */
	while (m->owner != thread_current())
		waitq_wait(&m->waiters, 0);
	arch_irq_restore(f);
}

void mutex_unlock(struct mutex *m)
{
	irq_flags_t f = arch_irq_save();

	if (m->owner != thread_current())
		panic("mutex_unlock: not the owner");
	m->owner = waitq_wake_one(&m->waiters); /* NULL if nobody waits */
	arch_irq_restore(f);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner == thread_current();
}
