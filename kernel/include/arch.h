/* The arch interface: everything generic code (kernel/, drivers/) needs from a
 * CPU architecture, and nothing more. Each arch implements it under
 * arch/<arch>/; the per-arch constants (memory layout, page size) come from
 * arch/<arch>/include/arch_defs.h, found through the include path.
 *
 * Naming: arch_* functions are implemented by the arch; the few functions the
 * arch calls back into generic code are declared at the bottom. */
#ifndef TSUBAME_ARCH_H
#define TSUBAME_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch_defs.h" /* ARCH_NAME, ARCH_ELF_MACHINE, PAGE_SIZE, KERNEL_VIRT_OFFSET, DIRECT_MAP_BASE, USER_TOP, KSTACK_AREA_* */

/* ---- Boot information, filled by the arch before kmain() ---- */

#define BOOT_MAX_RANGES 32
#define BOOT_CMDLINE_MAX 256

struct phys_range {
	uint64_t base;
	uint64_t size;
};

/* A memory-mapped device the firmware described (riscv: FDT nodes). */
struct platform_device {
	char compatible[24];
	uint64_t base, size;
	unsigned irq;
};

#define BOOT_MAX_DEVICES 16

struct boot_info {
	struct phys_range ram[BOOT_MAX_RANGES];      /* usable RAM as the firmware reports it */
	int nram;
	struct phys_range reserved[BOOT_MAX_RANGES]; /* inside RAM but not ours: firmware, FDT, Multiboot data */
	int nreserved;
	struct phys_range mmio[8];                   /* device registers the arch already uses
	                                                (early console, power-off): vm_init keeps them mapped */
	int nmmio;
	struct platform_device devices[BOOT_MAX_DEVICES]; /* for generic drivers to probe */
	int ndevices;
	char cmdline[BOOT_CMDLINE_MAX];              /* kernel command line, "" if none */
	uint64_t timer_hz;                           /* timebase / calibrated counter frequency */
	const char *firmware;                        /* e.g. "OpenSBI (FDT)" or "Multiboot" */
};

/* Generic entry point, called once by the arch on the boot CPU with the
 * early console working, running in the upper half on the boot stack. */
void kmain(struct boot_info *bi);

/* ---- Early console (polled; usable from the first line of kmain) ---- */
void arch_console_putc(char c);
int arch_console_getc(void); /* -1 if no byte is waiting */
/* Turns on the console's receive interrupt; *irq gets the platform
 * interrupt line to register. -ENODEV if input can only be polled. */
int arch_console_enable_rx_irq(unsigned *irq);

/* ---- Interrupts ---- */
typedef unsigned long irq_flags_t;
void arch_irq_enable(void);
void arch_irq_disable(void);
irq_flags_t arch_irq_save(void);       /* disable, return previous state */
void arch_irq_restore(irq_flags_t f);
void arch_wait_for_interrupt(void);    /* idle until the next interrupt */
/* Route external interrupt line `irq` (a platform number: PLIC source or
 * I/O APIC GSI) to this CPU and unmask it. Returns 0 or -errno. */
int arch_irq_unmask(unsigned irq);
void arch_irq_mask(unsigned irq);

/* ---- Late platform init: traps, interrupt controller, timer ---- */
void arch_init_traps(void);           /* trap vectors; faults are reported from here on */
void arch_init_platform(struct boot_info *bi); /* interrupt controllers, timer calibration */

/* ---- Timer ---- */
uint64_t arch_timer_ns(void);               /* monotonic ns since an arbitrary origin */
void arch_timer_set_deadline(uint64_t ns);  /* one-shot interrupt at arch_timer_ns() >= ns */

/* ---- Traps and faults ---- */
struct trap_frame; /* arch-defined register save area */
uintptr_t arch_trap_pc(const struct trap_frame *tf);
/* Executes a breakpoint instruction; the trap handler counts it and resumes
 * after it (see trap_breakpoint_hits). */
void arch_breakpoint(void);
/* Executes an illegal instruction under an exception-table fixup: returns
 * 1 if the trap was caught and control resumed at the fixup, 0 if not. */
int arch_probe_illegal_insn(void);
/* Walks the frame-pointer chain starting at `fp`, calling `fn` for each
 * return address, at most `max` frames; stops at a bad frame. */
void arch_backtrace(uintptr_t fp, void (*fn)(uintptr_t pc), int max);
uintptr_t arch_frame_pointer(void);

/* ---- Page tables ----
 * A page table is identified by the physical address of its root. Flags are
 * the generic PTE_* below; the arch translates them. Mappings use the largest
 * page size that alignment allows unless PTE_SMALL is given. */
#define PTE_R     0x01u  /* readable */
#define PTE_W     0x02u  /* writable */
#define PTE_X     0x04u  /* executable */
#define PTE_USER  0x08u  /* accessible from user mode */
#define PTE_SMALL 0x10u  /* force base pages (so parts can be changed later) */
#define PTE_GLOBAL 0x20u /* kernel mapping shared by every address space */
#define PTE_NOCACHE 0x40u /* device memory */

typedef uint64_t pt_root_t;
/* Allocate an empty root; kernel half copied from `kernel_root` if nonzero. */
int arch_pt_create(pt_root_t *out, pt_root_t kernel_root);
int arch_pt_map(pt_root_t root, uintptr_t va, uint64_t pa, size_t size, unsigned flags);
/* Unmap [va, va+size); with free_frames, mapped frames go back to the frame
 * allocator. Returns 0 or -errno (e.g. -EINVAL for a partial large page). */
int arch_pt_unmap(pt_root_t root, uintptr_t va, size_t size, bool free_frames);
int arch_pt_protect(pt_root_t root, uintptr_t va, size_t size, unsigned flags);
/* How many bytes from va (up to max) are mapped to physically contiguous
 * memory, and in *pa the address behind va; 0 if va is unmapped. One walk
 * per page table, not per page. */
size_t arch_pt_contig(pt_root_t root, uintptr_t va, size_t max, uint64_t *pa);
/* Physical address behind va, or -ENOENT; *flags gets the generic flags. */
int arch_pt_translate(pt_root_t root, uintptr_t va, uint64_t *pa, unsigned *flags);
/* Free every table of the lower (user) half, and the root. */
void arch_pt_destroy(pt_root_t root);
void arch_pt_activate(pt_root_t root);
pt_root_t arch_pt_current(void);

/* ---- Kernel threads: context switch ---- */
struct arch_context; /* callee-saved registers, defined in arch_defs.h */
/* Prepare `ctx` so that switching to it calls entry(arg) on stack_top. */
void arch_context_init(struct arch_context *ctx, uintptr_t stack_top,
		       void (*entry)(void *), void *arg);
/* Save callee-saved state into *from and resume *to. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

/* ---- User mode ----
 * A user thread's kernel stack holds, at its top, the trap frame of its
 * user context. Entering user mode the first time is a return through that
 * frame; traps from user mode save into it again. */
/* Fills *tf so that returning through it runs user code at pc with stack
 * pointer sp and the first two argument registers set (interrupts on). */
void arch_user_frame_init(struct trap_frame *tf, uintptr_t pc, uintptr_t sp,
			  uintptr_t arg0, uintptr_t arg1);
/* Where a new thread's user trap frame lives, given its kernel stack top. */
struct trap_frame *arch_user_frame(uintptr_t kstack_top);
/* Leaves the kernel through *tf (which must be arch_user_frame(top) of the
 * current thread's kernel stack). */
_Noreturn void arch_enter_user(struct trap_frame *tf);
/* Called on every switch to a thread: the stack a trap from user mode
 * lands on (x86: TSS rsp0 and the syscall stack; riscv: nothing, sscratch
 * is set when returning to user mode). */
void arch_set_kernel_stack(uintptr_t top);
/* Syscall ABI: number and six arguments in, one value out. */
uint64_t arch_syscall_nr(const struct trap_frame *tf);
uint64_t arch_syscall_arg(const struct trap_frame *tf, int n);
void arch_syscall_set_return(struct trap_frame *tf, uint64_t value);
/* Copies between kernel and user memory. The caller has already checked
 * the range against the process's mappings; these add the hardware side
 * (riscv: SUM; x86: stac/clac under SMAP) and turn a fault into -EFAULT
 * through the exception table. 0 or -EFAULT. */
int arch_copy_from_user(void *dst, const void *usrc, size_t n);
int arch_copy_to_user(void *udst, const void *src, size_t n);
/* Length of the NUL-terminated user string at usrc, at most max; -EFAULT. */
long arch_strnlen_user(const char *usrc, size_t max);

/* ---- Floating-point state of user threads ----
 * User code may use the FPU (riscv F/D; x86 x87 and SSE); the kernel is
 * built without it and never touches those registers. So a user thread's FP
 * registers stay in the CPU while it runs kernel code (traps, system calls,
 * interrupts), and the scheduler switches them eagerly: save the old thread's,
 * load the new one's, on every switch between threads that run user code.
 * struct arch_fpu (arch_defs.h) holds them meanwhile. `tf` is the thread's
 * user trap frame (arch_user_frame of its stack top): riscv keeps the "FP
 * registers changed" state there (sstatus.FS). Interrupts off for save/load. */
/* The state every new program starts with: all registers zero, round to
 * nearest, no exception flags, FP exceptions masked. */
void arch_fpu_init(struct arch_fpu *f);
/* The CPU's FP registers into *f (riscv: only if changed since the last
 * load or save; they are then marked unchanged). */
void arch_fpu_save(struct arch_fpu *f, struct trap_frame *tf);
/* *f into the CPU's FP registers. */
void arch_fpu_load(const struct arch_fpu *f, struct trap_frame *tf);

/* ---- PCI ---- */
struct pci_host {
	uint64_t ecam_base;          /* physical base of the ECAM for bus_start */
	unsigned bus_start, bus_end;
	uint64_t mem_base, mem_size; /* window for BARs the firmware left unassigned (0: none) */
	uint64_t mem_bus_offset;     /* CPU address - PCI bus address in that window */
};
/* The PCI host bridge the firmware describes (x86: ACPI MCFG; riscv: FDT
 * pci-host-ecam-generic). -ENODEV if there is none. */
int arch_pci_host(struct pci_host *out);
/* An MSI message that raises platform interrupt *irq on this CPU (give
 * *irq to irq_register). -ENOTSUP where MSI is not available. */
int arch_msi_alloc(unsigned *irq, uint64_t *addr, uint32_t *data);
/* The platform interrupt behind legacy INTx pin (1 = INTA .. 4 = INTD) of
 * a PCI function. */
int arch_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, unsigned *irq);

/* ---- Memory ordering for device (DMA and MMIO) access ---- */
void arch_mb(void);   /* full barrier: memory and device I/O */
void arch_wmb(void);  /* earlier writes visible to the device before later ones */
void arch_rmb(void);  /* earlier reads (e.g. a used index) before later ones */

/* ---- Power ---- */
/* Power QEMU off. status 0 = success (QEMU exits 0); nonzero = failure
 * (QEMU exits nonzero). Never returns. */
_Noreturn void arch_poweroff(int status);
_Noreturn void arch_halt(void); /* stop this CPU forever, interrupts off */

/* ---- Called by the arch into generic code ---- */
void irq_dispatch(unsigned irq);        /* an external interrupt line fired */
void timer_interrupt(void);             /* the one-shot deadline passed */
/* At the end of every interrupt, after the controller was acknowledged and
 * with interrupts still disabled: may switch to another thread. */
void sched_interrupt_exit(void);
extern volatile unsigned long trap_breakpoint_hits;
/* A system call from user mode (ecall / syscall). */
void syscall_dispatch(struct trap_frame *tf);
/* An exception in user mode: the generic code kills the process (or
 * resolves the fault) and may not return to it. */
void user_exception(struct trap_frame *tf, const char *cause, uintptr_t addr);
/* An exception in kernel mode with no fixup: prints and powers off. */
_Noreturn void kernel_fault(const char *cause, uintptr_t addr, uintptr_t pc, uintptr_t fp);

/* Before every return to user mode (after interrupts, exceptions and
 * system calls alike): may end the process instead of returning. */
void user_trap_exit(void);

/* ---- Linker-script symbols, same names on every arch ---- */
extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[],
	__rodata_end[], __data_start[], __bss_start[], __bss_end[],
	__boot_stack_guard[], __boot_stack_bottom[], __boot_stack_top[], __kernel_end[];

static inline uint64_t kernel_virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - KERNEL_VIRT_OFFSET;
}
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}
/* True for an address in the direct map of RAM (which lies below the
 * kernel-stack area on every arch): physically contiguous wherever it is
 * virtually, so I/O on it needs no page-table walks. */
static inline bool in_direct_map(const void *p)
{
	uintptr_t v = (uintptr_t)p;
	return v >= DIRECT_MAP_BASE && v < KSTACK_AREA_BASE;
}
static inline uint64_t virt_to_phys(const void *p)
{
	uintptr_t v = (uintptr_t)p;
	if (v >= (uintptr_t)__kernel_start && v < (uintptr_t)__kernel_end)
		return kernel_virt_to_phys(p);
	return v - DIRECT_MAP_BASE;
}

#endif
