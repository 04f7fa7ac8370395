/* x86_64 constants and register layouts that generic code sees through
 * arch.h. Memory layout (4-level paging, 48-bit virtual addresses):
 *
 *   0x0000000000000000 .. USER_TOP            user space (lower half)
 *   DIRECT_MAP_BASE    .. +RAM                all RAM at PA + DIRECT_MAP_BASE
 *   KSTACK_AREA_BASE   .. +1 GiB              kernel stacks with guard pages
 *   KERNEL_VIRT_OFFSET + 1 MiB                kernel image (-mcmodel=kernel
 *                                              needs it in the top 2 GiB)
 */
#ifndef ARCH_DEFS_H
#define ARCH_DEFS_H

#include <stdint.h>

#define ARCH_NAME "x86_64"
#define ARCH_ELF_MACHINE 62 /* EM_X86_64: the only executables we load */
#define PAGE_SIZE 4096ul /* size_t, as on riscv64: generic code prints it with %zu */
#define PAGE_SHIFT 12

#define KERNEL_VIRT_OFFSET 0xffffffff80000000ULL
#define DIRECT_MAP_BASE    0xffff800000000000ULL
#define USER_TOP           0x0000800000000000ULL
#define KERNEL_HALF_BASE 0xffff800000000000ULL /* the upper half: kernel mappings shared by every address space */
#define KSTACK_AREA_BASE   0xffffc00000000000ULL
#define KSTACK_AREA_SIZE   0x0000000040000000ULL /* 1 GiB */

/* Callee-saved state of a kernel thread (System V ABI). The offsets are
 * used by switch.S; context.c checks them at compile time. */
struct arch_context {
	uint64_t rsp; /* 0: points at the return address of arch_context_switch */
	uint64_t rbx; /* 8 */
	uint64_t rbp; /* 16 */
	uint64_t r12; /* 24 */
	uint64_t r13; /* 32 */
	uint64_t r14; /* 40 */
	uint64_t r15; /* 48 */
};

/* Register save area built by vectors.S on every trap and interrupt, lowest
 * address first: the stub pushes rax..r15 after vector and error code, on
 * top of what the CPU pushed (rip..ss). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;  /* CPU error code, 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* A user thread's x87/MMX/SSE state while it is not in the registers: the
 * FXSAVE image (fpu.c), which must be 16-byte aligned. */
struct arch_fpu {
	_Alignas(16) uint8_t fxsave[512];
};

/* What the entry code needs per CPU (struct cpu's member `arch`, at a fixed
 * offset so that vectors.S can reach it through %gs). */
struct arch_cpu {
	uint64_t apic_id;
};

struct cpu;
/* struct cpu starts with a pointer to itself: %gs:0 (kernel GS base). */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
