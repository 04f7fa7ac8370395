/* Kernel threads and the round-robin scheduler. One CPU: disabling
 * interrupts is the lock for every scheduler structure. A blocked or
 * sleeping thread is on no run queue and costs no CPU. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "kernel/list.h"

enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD };

struct thread {
	struct arch_context ctx;
	struct list_node link;      /* run queue or wait queue */
	struct list_node all_link;  /* every thread, for listings */
	struct list_node sleep_link; /* timed waits */
	enum thread_state state;
	int tid;
	char name[24];
	uintptr_t kstack_top;       /* 0 for the boot thread (uses the boot stack) */
	uint64_t wake_at_ns;        /* 0 = no timeout */
	bool woken;                 /* the last wait ended by waitq_wake_*, not a timeout or kick */
	void (*fn)(void *);
	void *arg;
	void *owner;                /* the process this thread runs, if any */
	pt_root_t root;             /* its address space; 0 = the kernel's */
	bool interruptible;         /* blocked in a wait that thread_interrupt may end */
	bool interrupted;
	bool frame_replaced;        /* exec rebuilt the user frame: keep the syscall result out */
	uint64_t cpu_ns, ran_since;
	bool user_fpu;              /* runs user code: fpu is switched with it */
	struct arch_fpu fpu;        /* its user FP registers while another thread runs */
};

/* 50 ms slices: 5 ticks. */
#define SCHED_SLICE_TICKS 5

void sched_init(void);
struct thread *thread_current(void);
/* Starts fn(arg) in a new kernel thread; NULL when out of memory. */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
/* Created but not yet runnable, so the caller can finish setting it up. */
struct thread *thread_create_suspended(const char *name, void (*fn)(void *), void *arg);
void thread_start(struct thread *t);
/* t will run a new user program: its FP registers become the initial
 * state (arch_fpu_init), at once if t is the running thread (exec). */
void thread_fpu_start(struct thread *t);
/* Ends an interruptible wait of t early (its wait returns false). */
void thread_interrupt(struct thread *t);
/* The same without marking it interrupted: "look again, something
 * happened" (e.g. an IPC message for a thread waiting for frames). */
void thread_wake(struct thread *t);
_Noreturn void thread_exit(void);
void thread_yield(void);
void thread_sleep_ns(uint64_t ns);

/* Wait queues. A waiter re-checks its condition after every wakeup. */
struct waitq {
	struct list_node waiters;
};
void waitq_init(struct waitq *wq);
/* Blocks the current thread on wq until woken or until the absolute
 * deadline (0 = none). Call with interrupts disabled (irq_save), after
 * checking the condition. Returns true if a waitq_wake_* ended it, false
 * if the deadline passed (or, for the interruptible kind, thread_wake or
 * thread_interrupt ended it early). */
bool waitq_wait(struct waitq *wq, uint64_t deadline_ns);
/* The same, but thread_interrupt (e.g. a kill) can end it early. */
bool waitq_wait_interruptible(struct waitq *wq, uint64_t deadline_ns);
void waitq_wake_all(struct waitq *wq);
/* Wakes the longest waiter; returns it (NULL if none). */
struct thread *waitq_wake_one(struct waitq *wq);

/* Called by the timer tick and at the end of every interrupt (after the
 * controller was acknowledged), with interrupts disabled. */
void sched_tick(void);
void sched_interrupt_exit(void);

unsigned long sched_context_switches(void);

#endif
