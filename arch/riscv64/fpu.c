/* User F/D state, switched eagerly by the scheduler (see arch.h). The
 * user's sstatus.FS, saved in its trap frame on every trap, says whether
 * the registers changed since they were loaded: Dirty means they must be
 * saved; Initial or Clean means the copy in struct arch_fpu is current.
 * The vector unit (sstatus.VS) stays Off for user code: its state is not
 * kept, so a vector instruction is an illegal instruction. */
#include <stddef.h>

#include "arch.h"
#include "riscv.h"

_Static_assert(offsetof(struct arch_fpu, fcsr) == 256, "fpu_copy.S layout");

void riscv_fpu_store(struct arch_fpu *f);
void riscv_fpu_restore(const struct arch_fpu *f);

void arch_fpu_init(struct arch_fpu *f)
{
	*f = (struct arch_fpu){ 0 }; /* fcsr 0: round to nearest, even; no flags */
}

void arch_fpu_save(struct arch_fpu *f, struct trap_frame *tf)
{
	if ((tf->sstatus & SSTATUS_FS) != SSTATUS_FS_DIRTY)
		return;
	riscv_fpu_store(f);
	tf->sstatus = (tf->sstatus & ~SSTATUS_FS) | SSTATUS_FS_CLEAN;
}

void arch_fpu_load(const struct arch_fpu *f, struct trap_frame *tf)
{
	riscv_fpu_restore(f);
	if ((tf->sstatus & SSTATUS_FS) == SSTATUS_FS_DIRTY)
		tf->sstatus = (tf->sstatus & ~SSTATUS_FS) | SSTATUS_FS_CLEAN;
}
