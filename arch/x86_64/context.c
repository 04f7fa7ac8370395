/* A new kernel context: its stack is set up so that the first switch to it
 * "returns" into context_start (switch.S), which calls entry(arg). */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "kernel/printk.h"

/* switch.S depends on this layout. */
_Static_assert(offsetof(struct arch_context, rsp) == 0, "arch_context layout");
_Static_assert(offsetof(struct arch_context, rbx) == 8, "arch_context layout");
_Static_assert(offsetof(struct arch_context, rbp) == 16, "arch_context layout");
_Static_assert(offsetof(struct arch_context, r12) == 24, "arch_context layout");
_Static_assert(offsetof(struct arch_context, r15) == 48, "arch_context layout");

extern char context_start[];

void context_entry_returned(void);
void context_entry_returned(void)
{
	panic("kernel thread entry function returned");
}

void arch_context_init(struct arch_context *ctx, uintptr_t stack_top, void (*entry)(void *),
		       void *arg)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15ULL);

	/* ret pops context_start, leaving rsp = top - 8: the alignment a
	 * function sees on entry (the ABI wants rsp + 8 to be 16-aligned). */
	*--sp = 0; /* fake return address of context_start */
	*--sp = (uint64_t)(uintptr_t)context_start;
	*ctx = (struct arch_context){
		.rsp = (uint64_t)(uintptr_t)sp,
		.r12 = (uint64_t)(uintptr_t)entry,
		.r13 = (uint64_t)(uintptr_t)arg,
	};
}
