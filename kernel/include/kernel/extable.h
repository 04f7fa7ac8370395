/* Exception fixups: a faulting kernel instruction listed in the __extable
 * section resumes at its fixup address instead of being fatal. Used for
 * probes and, later, for copies to and from user memory. */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include <stdint.h>

struct extable_entry {
	uintptr_t fault_pc;
	uintptr_t fixup_pc;
};

/* Fixup for a fault at pc, or 0 if the fault is not expected. */
uintptr_t extable_fixup(uintptr_t pc);

#endif
