/* User x87/MMX/SSE state, switched eagerly by the scheduler (see arch.h)
 * with FXSAVE/FXRSTOR: 512 bytes that cover everything code built for the
 * x86-64 baseline (SSE2) can touch. XSAVE is not used: QEMU's default TCG
 * CPU (qemu64) does not offer it, and it would only add AVX and later
 * state, which stays disabled (CR4.OSXSAVE off, so AVX instructions fault
 * with #UD and no such state can outlive a process). The kernel is built
 * with -mno-sse -mno-mmx -mno-80387, so it never touches these registers;
 * there is no dirty bit to consult, so every switch away from a user thread
 * saves. */
#include <stddef.h>
#include <string.h>

#include "arch.h"

#define FX_FCW 0    /* x87 control word */
#define FX_MXCSR 24 /* SSE control and status */

/* The power-on (FNINIT) defaults: all x87 and SSE exceptions masked,
 * round to nearest, 64-bit x87 precision, empty x87 stack (abridged tag
 * word 0), registers zero. */
void arch_fpu_init(struct arch_fpu *f)
{
	uint16_t fcw = 0x037f;
	uint32_t mxcsr = 0x1f80;

	memset(f, 0, sizeof *f);
	memcpy(&f->fxsave[FX_FCW], &fcw, sizeof fcw);
	memcpy(&f->fxsave[FX_MXCSR], &mxcsr, sizeof mxcsr);
}

void arch_fpu_save(struct arch_fpu *f, struct trap_frame *tf)
{
	(void)tf;
	__asm__ volatile("fxsave64 %0" : "=m"(f->fxsave));
}

void arch_fpu_load(const struct arch_fpu *f, struct trap_frame *tf)
{
	(void)tf;
	__asm__ volatile("fxrstor64 %0" : : "m"(f->fxsave));
}
