/* Per-CPU state. Each CPU has one struct cpu, reached in O(1) through
 * this_cpu() (arch_this_cpu: tp on riscv, the GS base on x86). What lives
 * here is touched only by its own CPU, except where a field says otherwise
 * (the pending IPI bits, which other CPUs set atomically). */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

#define MAX_CPUS BOOT_MAX_CPUS

struct thread;

struct cpu_stats {
	uint64_t switches;     /* context switches on this CPU */
	uint64_t interrupts;   /* interrupts taken */
	uint64_t ipis;         /* inter-processor interrupts taken */
	uint64_t idle_ns;      /* time spent waiting for interrupts */
};

struct cpu {
	struct cpu *self;        /* offset 0: x86's entry code reads %gs:0 */
	struct arch_cpu arch;    /* right after it: the arch's entry code finds its fields here */
	unsigned id;             /* logical id: 0 = the boot CPU, then 1, 2, ... */
	uint64_t arch_id;        /* hart id / local APIC id */
	atomic_bool online;      /* set by the CPU itself once it runs generic code */
	struct thread *current;  /* the thread running here */
	struct thread *idle;     /* this CPU's idle thread */
	int noff;                /* push_off depth */
	bool intena;             /* interrupts were on before the outermost push_off */
	bool need_resched;       /* switch at the next interrupt exit */
	unsigned slice_left;     /* ticks left in the current thread's slice */
	uint64_t next_tick_ns;   /* this CPU's next tick deadline */
	atomic_uint ipi_pending; /* IPI_* bits, set by other CPUs */
	struct cpu_stats stats;
};

extern struct cpu cpus[MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

/* CPUs online now (the boot CPU counts from the start). */
unsigned cpu_count(void);

#endif
