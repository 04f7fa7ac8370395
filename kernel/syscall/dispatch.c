/* The system-call table: numbers from tsubame/syscall.h, shared with the
 * user library. An unknown number is -ENOSYS, never a crash. */
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"
#include "tsubame/syscall.h"

#define X(nr, name) SYSCALL(name);
#include "table.h"
#undef X

static const syscall_fn table[SYS_MAX] = {
#define X(nr, name) [nr] = sys_##name,
#include "table.h"
#undef X
};

void syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = arch_syscall_nr(tf);
	long ret = -ENOSYS;

	/* A killed process that asks for its next message has nothing in
	 * progress: the moment a deferred kill (the file server's) waits for. */
	struct process *p = process_current();
	if (p && (nr == SYS_IPC_RECV || nr == SYS_IPC_RECV_FROM) && process_kill_due(p, true))
		process_exit(TSB_STATUS(TSB_EXIT_KILLED, 0));

	if (nr < SYS_MAX && table[nr])
		ret = table[nr](arch_syscall_arg(tf, 0), arch_syscall_arg(tf, 1), arch_syscall_arg(tf, 2),
				arch_syscall_arg(tf, 3), arch_syscall_arg(tf, 4), arch_syscall_arg(tf, 5));
	struct thread *t = thread_current();
	if (t->frame_replaced)
		t->frame_replaced = false; /* exec: the frame now starts the new image */
	else
		arch_syscall_set_return(tf, (uint64_t)ret);
}
