/* riscv64 (Sv39) constants behind the arch interface. */
#ifndef ARCH_DEFS_H
#define ARCH_DEFS_H

#include <stdint.h>

#define ARCH_NAME "riscv64"
#define ARCH_ELF_MACHINE 243 /* EM_RISCV: the only executables we load */
#define PAGE_SIZE 4096ul
#define PAGE_SHIFT 12

/* Sv39 gives 256 GiB at each end. The direct map of physical memory starts
 * the upper half, and the kernel image lives inside it (VA = PA + offset),
 * so a kernel address and its direct-map address are the same. */
#define DIRECT_MAP_BASE 0xffffffc000000000ull
#define KERNEL_VIRT_OFFSET DIRECT_MAP_BASE
#define USER_TOP 0x0000004000000000ull
#define KERNEL_HALF_BASE 0xffffffc000000000ull /* the upper half: kernel mappings shared by every address space */
#define KSTACK_AREA_BASE 0xffffffe000000000ull
#define KSTACK_AREA_SIZE 0x0000000040000000ull

/* Callee-saved registers kept across arch_context_switch. */
struct arch_context {
	uint64_t ra, sp;
	uint64_t s[12];
};

/* Saved by the trap entry: all 31 general registers, then CSRs. */
struct trap_frame {
	uint64_t regs[32]; /* regs[0] holds the trapped sp-independent x0 slot: unused */
	uint64_t sepc, sstatus, scause, stval;
};

/* A user thread's F/D state while it is not in the registers (fpu_copy.S). */
struct arch_fpu {
	uint64_t f[32];
	uint64_t fcsr; /* rounding mode and accrued exception flags */
};

/* What the trap entry needs per CPU (struct cpu's member `arch`). In kernel
 * mode tp holds this CPU's struct cpu. */
struct arch_cpu {
	uint64_t hartid;
};

struct cpu;
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__("mv %0, tp" : "=r"(c));
	return c;
}

#endif
