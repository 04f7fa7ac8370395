/* Contracts of arch.h around traps and user access that both arches must
 * keep: the interrupt state as arch_irq_enabled reports it, and
 * arch_strnlen_user at the top of the user half. (That user_exception runs
 * with interrupts on is asserted where it runs; proc_faults_stop_only_the_
 * process makes user faults on every arch.) */
#include <string.h>

#include "arch.h"
#include "kernel/frame.h"
#include "kernel/selftest.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"

SELFTEST(trap_irq_enabled_tracks_state)
{
	bool was = arch_irq_enabled();
	irq_flags_t f = arch_irq_save();
	bool off = !arch_irq_enabled();
	arch_irq_enable();
	bool on = arch_irq_enabled();
	arch_irq_disable();
	bool off2 = !arch_irq_enabled();
	irq_flags_t inner = arch_irq_save(); /* nested, already off */
	arch_irq_restore(inner);
	bool still_off = !arch_irq_enabled();
	arch_irq_restore(f);
	CHECK(was); /* selftests run in a thread with interrupts on */
	CHECK(off && on && off2 && still_off);
	CHECK(arch_irq_enabled() == was);
}

/* The last user page holds bytes up to USER_TOP; how far strnlen goes. */
SELFTEST(trap_strnlen_user_at_user_top)
{
	const uintptr_t page = USER_TOP - PAGE_SIZE;
	const char *end = (const char *)USER_TOP;
	pt_root_t root;
	uint64_t pa;
	long got[7];

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(frame_alloc(&pa) == 0);
	CHECK(arch_pt_map(root, page, pa, PAGE_SIZE, PTE_R | PTE_W | PTE_USER) == 0);
	char *bytes = phys_to_virt(pa);
	memset(bytes, 'x', PAGE_SIZE); /* no NUL up to USER_TOP */
	bytes[PAGE_SIZE - 40] = 0;     /* a proper string ending 40 bytes below */
	irq_flags_t f = arch_irq_save();
	arch_pt_activate(root);
	got[0] = arch_strnlen_user(end - 16, 100);   /* runs into USER_TOP */
	got[1] = arch_strnlen_user(end - 16, 16);    /* max reached exactly at USER_TOP */
	got[2] = arch_strnlen_user(end - 16, 8);     /* max reached before */
	got[3] = arch_strnlen_user(end - 50, 100);   /* NUL found */
	got[4] = arch_strnlen_user(end, 1);          /* not a user address */
	got[5] = arch_strnlen_user(end - PAGE_SIZE - 4, 100); /* unmapped page below: faults */
	got[6] = arch_strnlen_user((const char *)KERNEL_HALF_BASE, 1);
	arch_pt_activate(kernel_root);
	arch_irq_restore(f);
	arch_pt_unmap(root, page, PAGE_SIZE, true);
	arch_pt_destroy(root);
	CHECKF(got[0] == -EFAULT, "string up to USER_TOP: %ld", got[0]);
	CHECKF(got[1] == 16, "max at USER_TOP: %ld", got[1]);
	CHECKF(got[2] == 8, "max before USER_TOP: %ld", got[2]);
	CHECKF(got[3] == 10, "NUL: %ld", got[3]);
	CHECKF(got[4] == -EFAULT && got[5] == -EFAULT && got[6] == -EFAULT, "%ld %ld %ld", got[4], got[5], got[6]);
}
