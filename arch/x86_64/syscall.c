/* The syscall instruction and the kernel stack that traps from user mode
 * land on.
 *
 * No swapgs: with one CPU there is no per-CPU data to find, so the entry
 * finds its stack in a global (vectors.S), and the kernel never uses the
 * GS or FS segment (no TLS, no stack protector). User code can change its
 * GS base only by loading a GDT selector (base 0): CR4.FSGSBASE stays off
 * (cpu.c) and the base MSRs need CPL 0. Should per-CPU data in GS ever be
 * added, every entry from user mode must swapgs first, and the syscall
 * entry must do so before it touches memory. */
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "gdt.h"
#include "x86.h"

extern char syscall_entry[];       /* vectors.S */
extern uint64_t syscall_stack_top; /* vectors.S: the entry's kernel stack */

/* RFLAGS bits cleared on entry: IF (the frame is not built yet), DF (the
 * ABI), TF (no single-stepping the kernel), AC (SMAP on at once), NT
 * (iretq with NT set faults) and IOPL, RF for a clean kernel RFLAGS. */
#define SYSCALL_RFLAGS_MASK                                                          \
	(RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT | RFLAGS_IOPL | RFLAGS_RF)

void syscall_init(void)
{
	/* syscall loads CS = STAR[47:32] and SS = that + 8 (GDT_KCODE,
	 * GDT_KDATA). sysretq, unused but kept consistent, would load
	 * CS = STAR[63:48] + 16 and SS = that + 8, with RPL 3: GDT_UCODE and
	 * GDT_UDATA. No 32-bit user code segment exists, so neither
	 * compatibility-mode syscall (CSTAR) nor sysenter can be reached. */
	uint64_t star = ((uint64_t)((GDT_UDATA - 8) | 3) << 48) | ((uint64_t)GDT_KCODE << 32);

	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_SFMASK, SYSCALL_RFLAGS_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* Both entries from user mode use the same stack top: the CPU pushes an
 * interrupt frame at rsp0 (aligned down to 16 bytes), and syscall_entry
 * pushes an identical one, so the user frame is always arch_user_frame(top). */
void arch_set_kernel_stack(uintptr_t top)
{
	top &= ~(uintptr_t)15;
	tss_set_rsp0(top);
	syscall_stack_top = top;
}
