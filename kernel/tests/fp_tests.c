/* User floating point: each process's FP registers and control word are its
 * own across system calls, preemption and switches; a new program (spawn or
 * exec) starts from the initial state whatever the CPU held before, also
 * after a process was killed in the middle of FP work. The user half is
 * user/utest/fp.c. */
#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "tsubame/errno.h"

#define UTEST "/bin/utest.elf"

static int start(const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = { UTEST, (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	return process_spawn(process_kernel(), UTEST, argv, NULL, 0);
}

static int finish(int pid)
{
	int st = -1;
	if (pid < 0)
		return pid;
	return process_wait(process_kernel(), pid, &st, 0) == pid ? st : -ECHILD;
}

#define EXITED_0(st) (TSB_STATUS_WHY(st) == TSB_EXIT_NORMAL && TSB_STATUS_CODE(st) == 0)

/* Several processes hold distinctive registers and rounding modes at once:
 * two yield to each other 400 times, two never yield and are preempted by
 * the timer (for 300 ms: several 50 ms slices), and two run compiled FP code
 * with yields and sleeps. Every one ends with exact results. */
SELFTEST(fp_registers_are_per_process)
{
	static const char *const what[] = { "fpregs", "fpregs", "fpregs", "fpregs", "fpcalc", "fpcalc" };
	static const char *const count[] = { "400", "400", "300", "300", "60000", "60000" };
	static const char *const call[] = { "yield", "yield", "clock", "clock", NULL, NULL };
	enum { N = 6 };
	int pid[N];
	char seed[N][8];
	unsigned long switches = sched_context_switches();

	for (int i = 0; i < N; i++) {
		fmt_snprintf(seed[i], sizeof seed[i], "%d", i + 1);
		pid[i] = start(what[i], seed[i], count[i], call[i]);
		CHECKF(pid[i] > 0, "spawn %d: %d", i, pid[i]);
	}
	for (int i = 0; i < N; i++) {
		int st = finish(pid[i]);
		CHECKF(EXITED_0(st), "%s %s: status %#x", what[i], seed[i], st);
	}
	/* Each yielder switches away 400 times while the other runs: the
	 * processes took turns. */
	CHECKF(sched_context_switches() - switches >= 400, "only %lu switches",
	       sched_context_switches() - switches);
}

/* A process leaves distinctive FP state behind by exiting; the next
 * program, started by a kernel thread (which loads nothing), sees none of
 * it. */
SELFTEST(fp_new_process_starts_clean)
{
	int st = finish(start("fpdirty", "exit", NULL, NULL));
	CHECKF(EXITED_0(st), "fpdirty exit: status %#x", st);
	st = finish(start("fpinit", NULL, NULL, NULL));
	CHECKF(EXITED_0(st), "fpinit after an exit: status %#x", st);
	/* Also while other processes keep their own state in the registers. */
	int busy = start("fpregs", "9", "200", "yield");
	st = finish(start("fpinit", NULL, NULL, NULL));
	CHECKF(EXITED_0(st), "fpinit beside fpregs: status %#x", st);
	st = finish(busy);
	CHECKF(EXITED_0(st), "fpregs: status %#x", st);
}

SELFTEST(fp_exec_starts_clean)
{
	int st = finish(start("fpdirty", "exec", NULL, NULL)); /* becomes utest fpinit */
	CHECKF(EXITED_0(st), "fpdirty exec -> fpinit: status %#x", st);
}

/* CPU time pid has used so far (0 once it is gone). */
static uint64_t cpu_ns_of(int pid)
{
	uint64_t ns = 0;
	irq_flags_t f = arch_irq_save();
	struct process *p = process_find(pid);
	if (p && p->thread)
		ns = p->thread->cpu_ns;
	arch_irq_restore(f);
	return ns;
}

/* Killed while its registers are full: the others and the next program
 * are unaffected. */
SELFTEST(fp_killed_while_using_fp)
{
	int victim = start("fpdirty", "spin", NULL, NULL);
	int busy = start("fpregs", "5", "200", "yield");
	CHECK(victim > 0 && busy > 0);
	/* 20 ms of CPU: well past its start-up, into the spin with its FP
	 * registers loaded (however slowly the machine runs). */
	for (int i = 0; i < 1000 && cpu_ns_of(victim) < 20 * 1000000ull; i++)
		thread_sleep_ns(10 * 1000000ull);
	CHECKF(cpu_ns_of(victim) >= 20 * 1000000ull, "the victim ran only %llu ns",
	       (unsigned long long)cpu_ns_of(victim));
	CHECK(process_kill(process_kernel(), victim) == 0);
	int st = finish(victim);
	CHECKF(TSB_STATUS_WHY(st) == TSB_EXIT_KILLED, "fpdirty spin: status %#x", st);
	st = finish(busy);
	CHECKF(EXITED_0(st), "fpregs beside the killed one: status %#x", st);
	st = finish(start("fpinit", NULL, NULL, NULL));
	CHECKF(EXITED_0(st), "fpinit after the kill: status %#x", st);
}
