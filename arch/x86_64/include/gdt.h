/* Segment selectors (shared with the assembly) and the TSS. */
#ifndef X86_GDT_H
#define X86_GDT_H

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x18 /* use with RPL 3: 0x1b */
#define GDT_UCODE 0x20 /* use with RPL 3: 0x23 */
#define GDT_TSS   0x28

/* Interrupt stack table slots, used by the IDT entries of the exceptions
 * that must work even when the kernel stack pointer is bad. */
#define IST_NMI 1
#define IST_DF  2
#define IST_MC  3

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Loads GDTR, the TSS (with its IST stacks) and the segment registers. */
void gdt_init(void);
/* Stack the CPU switches to on a trap from user mode. */
void tss_set_rsp0(uint64_t rsp0);
#endif

#endif
