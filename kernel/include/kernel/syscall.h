/* System-call handlers: one function per call, grouped by area in
 * kernel/syscall/sys_*.c, listed in kernel/syscall/table.h. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

typedef uint64_t sysarg_t;
typedef long (*syscall_fn)(sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t);

#define SYSCALL(name) \
	long sys_##name(sysarg_t a0, sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4, sysarg_t a5)
/* Marks the arguments a call does not take. */
static inline void unused_args(int n, ...) { (void)n; }
#define UNUSED_ARGS(...) unused_args(0, __VA_ARGS__)

/* A pid argument is a 32-bit int: a wider value is no process (it must not
 * reach pid 1 by truncation, as 0x100000001 did). */
static inline int pid_fits(sysarg_t a)
{
	return (int64_t)a == (int64_t)(int32_t)a;
}

struct trap_frame;
/* Runs the call the frame asks for and stores its result (kernel/trap.c
 * calls it, interrupts on). */
void syscall_dispatch(struct trap_frame *tf);

#endif
