/* Round-robin scheduling of kernel threads. Threads switch only inside
 * schedule(), with interrupts disabled; the timer asks for a switch when a
 * slice is used up, and the arch performs it at interrupt exit, after the
 * interrupt controller was acknowledged. */
#include "kernel/sched.h"

#include <string.h>

#include "kernel/heap.h"
#include "kernel/printk.h"
#include "kernel/vm.h"

static struct thread boot_thread;
static struct thread *current = &boot_thread;
static struct thread *idle;
static struct list_node run_queue = LIST_INIT(run_queue);
static struct list_node sleepers = LIST_INIT(sleepers); /* timed waits, any order */
static struct list_node all_threads = LIST_INIT(all_threads);
static struct list_node zombies = LIST_INIT(zombies);
static int next_tid = 1;
static bool need_resched;
static unsigned slice_left = SCHED_SLICE_TICKS;
static unsigned long switches;

struct thread *thread_current(void)
{
	return current;
}

unsigned long sched_context_switches(void)
{
	return switches;
}

static void make_runnable(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	if (t != idle)
		list_push_back(&run_queue, &t->link);
}

/* User FP registers are switched eagerly (arch.h): they always belong to
 * the running thread, or to the user thread that ran last if a kernel-only
 * thread runs, so no CPU ever holds state another CPU may need. */
static void fpu_switch(struct thread *prev, struct thread *next)
{
	if (prev->user_fpu && prev->state != THREAD_DEAD)
		arch_fpu_save(&prev->fpu, arch_user_frame(prev->kstack_top));
	if (next->user_fpu)
		arch_fpu_load(&next->fpu, arch_user_frame(next->kstack_top));
}

/* Frees threads that exited; never the current one, whose stack is live. */
static void reap_zombies(void)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &zombies) {
		struct thread *t = list_entry(n, struct thread, link);
		if (t == current)
			continue;
		list_remove(&t->link);
		kstack_free(t->kstack_top);
		kfree(t);
	}
}

/* Interrupts off is the scheduler's lock (one CPU): every entry point
 * that touches its lists checks it holds it, as xv6's sched() does. */
static void assert_irqs_off(const char *who)
{
	if (arch_irq_enabled())
		panic("%s called with interrupts on", who);
}

/* Picks the next thread and switches to it. Interrupts must be off. */
static void schedule(void)
{
	struct thread *prev = current;

	assert_irqs_off("schedule");

	if (prev->state == THREAD_RUNNING && prev != idle)
		make_runnable(prev);
	struct list_node *n = list_pop_front(&run_queue);
	struct thread *next = n ? list_entry(n, struct thread, link) : idle;
	need_resched = false;
	slice_left = SCHED_SLICE_TICKS;
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		return;
	}
	next->state = THREAD_RUNNING;
	uint64_t now = arch_timer_ns();
	prev->cpu_ns += now - prev->ran_since;
	next->ran_since = now;
	current = next;
	switches++;
	if (next->root != prev->root)
		arch_pt_activate(next->root ? next->root : kernel_root);
	arch_set_kernel_stack(next->kstack_top ? next->kstack_top : (uintptr_t)__boot_stack_top);
	fpu_switch(prev, next);
	arch_context_switch(&prev->ctx, &next->ctx);
	/* Back on prev's stack. */
	reap_zombies();
}

static void thread_trampoline(void *arg)
{
	struct thread *t = arg;

	reap_zombies();
	arch_irq_enable();
	t->fn(t->arg);
	thread_exit();
}

static void idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		irq_flags_t f = arch_irq_save();
		if (!list_empty(&run_queue)) {
			schedule();
			arch_irq_restore(f);
			continue;
		}
		arch_wait_for_interrupt(); /* re-enables interrupts */
	}
}

static struct thread *thread_alloc(const char *name)
{
	struct thread *t = kzalloc(sizeof *t);

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof t->name);
	list_init(&t->link);
	list_init(&t->sleep_link);
	irq_flags_t f = arch_irq_save();
	t->tid = next_tid++;
	list_push_back(&all_threads, &t->all_link);
	arch_irq_restore(f);
	return t;
}

struct thread *thread_create_suspended(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = thread_alloc(name);

	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	t->state = THREAD_BLOCKED;
	/* The context's stack starts below the space kept for a user trap
	 * frame at the very top. */
	arch_context_init(&t->ctx, (uintptr_t)arch_user_frame(t->kstack_top), thread_trampoline, t);
	return t;
}

void thread_start(struct thread *t)
{
	irq_flags_t f = arch_irq_save();
	make_runnable(t);
	arch_irq_restore(f);
}

void thread_fpu_start(struct thread *t)
{
	irq_flags_t f = arch_irq_save();
	arch_fpu_init(&t->fpu);
	t->user_fpu = true;
	if (t == current)
		arch_fpu_load(&t->fpu, arch_user_frame(t->kstack_top));
	arch_irq_restore(f);
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = thread_create_suspended(name, fn, arg);

	if (t)
		thread_start(t);
	return t;
}

void sched_init(void)
{
	boot_thread.state = THREAD_RUNNING;
	boot_thread.tid = 0;
	strlcpy(boot_thread.name, "kmain", sizeof boot_thread.name);
	list_init(&boot_thread.link);
	list_init(&boot_thread.sleep_link);
	list_push_back(&all_threads, &boot_thread.all_link);
	idle = thread_create("idle", idle_loop, NULL);
	if (!idle)
		panic("sched: cannot create the idle thread");
	list_remove(&idle->link); /* idle runs only when nothing else can */
}

_Noreturn void thread_exit(void)
{
	arch_irq_disable();
	struct thread *t = current;
	if (t == &boot_thread || t == idle)
		panic("thread_exit from %s", t->name);
	t->state = THREAD_DEAD;
	list_remove(&t->all_link);
	list_push_back(&zombies, &t->link);
	schedule();
	panic("a dead thread was scheduled");
}

void thread_yield(void)
{
	irq_flags_t f = arch_irq_save();
	schedule();
	arch_irq_restore(f);
}

void waitq_init(struct waitq *wq)
{
	list_init(&wq->waiters);
}

static void wake(struct thread *t)
{
	list_remove(&t->link);
	make_runnable(t);
	need_resched = true;
}

static bool wait_on(struct waitq *wq, uint64_t deadline_ns, bool interruptible)
{
	struct thread *t = current;

	assert_irqs_off("waitq_wait");
	if (interruptible && t->interrupted)
		return false; /* a kill arrived before we got here */
	t->state = THREAD_BLOCKED;
	t->interruptible = interruptible;
	t->woken = false;
	t->wake_at_ns = deadline_ns;
	list_push_back(&wq->waiters, &t->link);
	if (deadline_ns)
		list_push_back(&sleepers, &t->sleep_link);
	schedule();
	list_remove(&t->sleep_link);
	t->interruptible = false;
	return t->woken;
}

bool waitq_wait(struct waitq *wq, uint64_t deadline_ns)
{
	return wait_on(wq, deadline_ns, false);
}

bool waitq_wait_interruptible(struct waitq *wq, uint64_t deadline_ns)
{
	return wait_on(wq, deadline_ns, true);
}

/* Ends t's interruptible wait before its condition was signalled or its
 * deadline passed: the wait returns false, as after a timeout, and the
 * thread looks again at why it waited. */
static void end_wait_early(struct thread *t)
{
	if (t->state == THREAD_BLOCKED && t->interruptible) {
		list_remove(&t->sleep_link);
		wake(t);
	}
}

void thread_wake(struct thread *t)
{
	irq_flags_t f = arch_irq_save();
	end_wait_early(t);
	arch_irq_restore(f);
}

void thread_interrupt(struct thread *t)
{
	irq_flags_t f = arch_irq_save();
	t->interrupted = true;
	end_wait_early(t);
	arch_irq_restore(f);
}

struct thread *waitq_wake_one(struct waitq *wq)
{
	struct thread *t = NULL;
	irq_flags_t f = arch_irq_save();
	if (!list_empty(&wq->waiters)) {
		t = list_entry(wq->waiters.next, struct thread, link);
		list_remove(&t->sleep_link);
		t->woken = true;
		wake(t);
	}
	arch_irq_restore(f);
	return t;
}

void waitq_wake_all(struct waitq *wq)
{
	irq_flags_t f = arch_irq_save();
	while (!list_empty(&wq->waiters)) {
		struct thread *t = list_entry(wq->waiters.next, struct thread, link);
		list_remove(&t->sleep_link);
		t->woken = true;
		wake(t);
	}
	arch_irq_restore(f);
}

void thread_sleep_ns(uint64_t ns)
{
	struct waitq never;

	waitq_init(&never);
	irq_flags_t f = arch_irq_save();
	waitq_wait_interruptible(&never, arch_timer_ns() + ns);
	arch_irq_restore(f);
}

void sched_tick(void)
{
	uint64_t now = arch_timer_ns();
	struct list_node *n, *tmp;

	assert_irqs_off("sched_tick");
	list_for_each_safe(n, tmp, &sleepers) {
		struct thread *t = list_entry(n, struct thread, sleep_link);
		if (now >= t->wake_at_ns) {
			list_remove(&t->sleep_link);
			wake(t);
		}
	}
	if (slice_left && --slice_left == 0)
		need_resched = true;
}

void sched_interrupt_exit(void)
{
	assert_irqs_off("sched_interrupt_exit");
	if (need_resched && current->state == THREAD_RUNNING)
		schedule();
}
