/* The arch interface: everything generic code (kernel/, drivers/) needs from a
 * CPU architecture, and nothing more. Each arch implements it under
 * arch/<arch>/; the per-arch constants (memory layout, page size) come from
 * arch/<arch>/include/arch_defs.h, found through the include path.
 *
 * Naming: arch_* functions are implemented by the arch, except the
 * page-table operations (arch_pt_* but activate/current), which are written
 * once in kernel/pagetable.c over the arch's entry format; the functions
 * the arch calls back into generic code are declared at the bottom. */
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

/* A memory-mapped device the firmware described (FDT nodes: see
 * kernel/firmware/fdt_boot.c). */
struct platform_device {
	char compatible[24];
	uint64_t base, size;
	unsigned irq;
};

#define BOOT_MAX_DEVICES 16
#define BOOT_MAX_CPUS 8 /* = MAX_CPUS (kernel/cpu.h) */

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
	/* The CPUs the firmware describes as usable (riscv: FDT /cpus harts that
	 * are okay and S-mode capable; x86: MADT local APICs that are enabled),
	 * by arch id (hart id / APIC id), the boot CPU first. Ids need not be
	 * contiguous or start at 0. More than BOOT_MAX_CPUS are reported and
	 * left stopped. */
	uint64_t cpu_ids[BOOT_MAX_CPUS];
	int ncpus;
};

/* Generic entry point, called once by the arch on the boot CPU with the
 * early console working, running in the upper half on the boot stack. */
void kmain(struct boot_info *bi);

/* ---- Early console (polled; usable from the first line of kmain) ---- */
void arch_console_putc(char c); /* a line feed goes out as CR LF */
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
bool arch_irq_enabled(void);           /* are interrupts on on this CPU? */
void arch_wait_for_interrupt(void);    /* idle until the next interrupt */
/* Route external interrupt line `irq` (a platform number: PLIC source or
 * I/O APIC GSI) to this CPU and unmask it. Returns 0 or -errno. */
int arch_irq_unmask(unsigned irq);
void arch_irq_mask(unsigned irq);

/* ---- CPUs (SMP) ----
 * Generic code keeps one struct cpu per CPU (kernel/include/kernel/cpu.h);
 * its member `arch` (struct arch_cpu, arch_defs.h) is what the arch's entry
 * code needs per CPU. */
struct cpu;
/* The struct cpu of the CPU running this code, in O(1) (riscv: tp; x86:
 * the GS base, swapped on every entry from and exit to user mode). Valid on
 * the boot CPU from arch_cpu_set_this in kmain on, on a secondary from its
 * first C code on. Defined as a static inline in arch_defs.h. */
static inline struct cpu *arch_this_cpu(void);
/* Makes c the running CPU's struct cpu (kmain, for the boot CPU). */
void arch_cpu_set_this(struct cpu *c);
/* Starts the stopped secondary CPU c (c->arch_id; riscv: SBI HSM
 * hart_start; x86: INIT-SIPI-SIPI through a trampoline below 1 MiB). It
 * runs on the stack ending at stack_top, sets up its own traps, interrupt
 * controller context and timer, makes c its this-CPU pointer and calls
 * secondary_main(c) with interrupts off. Returns 0 once it is running
 * there, or -errno (e.g. -ETIMEDOUT) if it did not come: the caller then
 * reports it and goes on without it. */
int arch_cpu_start(struct cpu *c, uintptr_t stack_top);
/* Raises the inter-processor interrupt on c (which may be this CPU); c
 * then calls ipi_interrupt() from its interrupt handler. */
void arch_send_ipi(const struct cpu *c);
/* A hint inside spin loops (x86 pause; nothing on riscv). */
void arch_cpu_relax(void);

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
 * The arch_pt_* operations are the one exception to "implemented by the
 * arch": they are written once, in kernel/pagetable.c, over the entry
 * format each arch supplies (see "Page-table format" below), so that every
 * arch obeys the same contract, stated here and checked by the selftest
 * (kernel/tests/pt_tests.c).
 *
 * A page table is identified by the physical address of its root. It
 * covers two halves: the user half [0, USER_TOP) and the kernel half
 * [KERNEL_HALF_BASE, top], shared by every table made from kernel_root.
 * A range [va, va+size) is valid when va and size are page-aligned, size
 * is nonzero, it does not wrap and it lies inside one half; otherwise a
 * call taking a range returns -EINVAL and changes nothing.
 *
 * Flags are the generic PTE_* below. A mapping needs at least one of R, W
 * and X; an unknown bit is -EINVAL. What translate reports is what the
 * hardware enforces: W implies R on every arch, and an arch that cannot
 * map a page unreadable (x86) reports R for every page; NOCACHE is
 * reported only where the arch has a cache attribute for it (x86; on
 * riscv QEMU's device memory is uncached by its physical attributes).
 * SMALL is a request, never reported. */
#define PTE_R     0x01u  /* readable */
#define PTE_W     0x02u  /* writable */
#define PTE_X     0x04u  /* executable */
#define PTE_USER  0x08u  /* accessible from user mode */
#define PTE_SMALL 0x10u  /* force base pages (so parts can be changed later) */
#define PTE_GLOBAL 0x20u /* kernel mapping shared by every address space */
#define PTE_NOCACHE 0x40u /* device memory */

typedef uint64_t pt_root_t;
/* Allocates an empty root; the kernel half's root entries are copied from
 * `kernel_root` if nonzero. 0 or -ENOMEM. */
int arch_pt_create(pt_root_t *out, pt_root_t kernel_root);
/* Maps [va, va+size) to [pa, pa+size) with the largest pages that the
 * alignment of va and pa and the size allow (unless PTE_SMALL), going
 * below an existing table where a large page would not fit.
 * -EINVAL: invalid range, pa not page-aligned or beyond what the arch can
 * address, bad flags. -EEXIST: some page of the range is already mapped.
 * -ENOMEM: no frame for a table. On any error nothing of the range stays
 * mapped (tables made on the way may stay). */
int arch_pt_map(pt_root_t root, uintptr_t va, uint64_t pa, size_t size, unsigned flags);
/* Removes every mapping inside [va, va+size); holes are skipped. With
 * free_frames, the frames behind the removed mappings go back to the frame
 * allocator (all frames of a large page). -EINVAL (and nothing changed)
 * for an invalid range or one that covers only part of a large page. */
int arch_pt_unmap(pt_root_t root, uintptr_t va, size_t size, bool free_frames);
/* Gives every page in [va, va+size) the flags (physical addresses and page
 * sizes stay). -EINVAL: invalid range or flags, or only part of a large
 * page covered; -ENOENT: some page of the range is not mapped. Either
 * error changes nothing. */
int arch_pt_protect(pt_root_t root, uintptr_t va, size_t size, unsigned flags);
/* How many bytes from va (up to max) are mapped to physically contiguous
 * memory, and in *pa (if not NULL) the address behind va; 0 if va is
 * unmapped or in neither half. A run ends at the end of its half. One walk
 * per page table, not per page. */
size_t arch_pt_contig(pt_root_t root, uintptr_t va, size_t max, uint64_t *pa);
/* The physical address behind va (any byte offset) in *pa and the flags of
 * its mapping in *flags; either may be NULL. -ENOENT if va is not mapped,
 * -EINVAL if it lies in neither half. */
int arch_pt_translate(pt_root_t root, uintptr_t va, uint64_t *pa, unsigned *flags);
/* Frees every table of the user half, and the root. The user mappings'
 * frames are the caller's (unmap them first). */
void arch_pt_destroy(pt_root_t root);
/* Implemented by the arch: */
void arch_pt_activate(pt_root_t root); /* load it; flushes all non-global translations */
pt_root_t arch_pt_current(void);

/* ---- Page-table format (for kernel/pagetable.c only) ----
 * arch/<arch>/include/arch_pte.h defines, as static inlines for speed:
 *   PT_LEVELS (levels of 512 entries, root = PT_LEVELS - 1, 4 KiB leaves
 *   at 0), PT_KERNEL_FIRST (first root entry of the kernel half),
 *   PT_PHYS_LIMIT (first physical address a leaf cannot hold), pte_t,
 *   pte_present(e), pte_is_leaf(e, level) (present entries only; always
 *   true at level 0), pte_table_pa(e), pte_leaf_pa(e, level),
 *   pte_table(pa, user) (an entry pointing at a table; `user` if it leads
 *   to user pages), pte_leaf(pa, flags, level) (generic PTE_* in; it must
 *   equal pte_pa_bits(pa) | pte_leaf(0, flags, level), so that a run of
 *   leaves is encoded with one flag computation), pte_pa_bits(pa),
 *   pte_flags(e) (generic PTE_* out, as described above) and
 *   pt_max_leaf_level() (largest level a leaf may sit at).
 * And the TLB of this CPU, called only for the active table or the kernel
 * half: */
/* Translations in [va, va+size) were removed or lost rights (leaf entries
 * only: the walker never frees or changes a table in use). */
void arch_tlb_flush_range(uintptr_t va, size_t size);
/* [va, va+size) went from unmapped to mapped (nothing to do where the
 * TLB never caches a missing entry). */
void arch_tlb_flush_new(uintptr_t va, size_t size);

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
/* Length of the NUL-terminated user string at usrc, or max if none of its
 * first max bytes is NUL. -EFAULT if usrc is not below USER_TOP, if a byte
 * it reads faults, or if the bytes run up to USER_TOP without a NUL before
 * max is reached (such a string is not a user string). */
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
 * a PCI function; `line` is its Interrupt Line register as the firmware
 * left it (drivers/pci reads it: config space is only read there), which
 * an arch without routing tables may go by (x86). 0, -EINVAL (bad pin or
 * function), -ENOENT (not routed), -ENOTSUP (routed to a controller the
 * kernel does not drive). */
int arch_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, unsigned line,
		  unsigned *irq);

/* ---- Memory ordering for device (DMA and MMIO) access ---- */
void arch_mb(void);   /* full barrier: memory and device I/O */
void arch_wmb(void);  /* earlier writes visible to the device before later ones */
void arch_rmb(void);  /* earlier reads (e.g. a used index) before later ones */

/* ---- Power ---- */
/* Power QEMU off. status 0 = success (QEMU exits 0); nonzero = failure
 * (QEMU exits nonzero). Never returns. */
_Noreturn void arch_poweroff(int status);
_Noreturn void arch_halt(void); /* stop this CPU forever, interrupts off */

/* ---- Called by the arch into generic code ----
 * The arch's trap entry stays thin: it saves the frame, decodes the cause,
 * acknowledges the interrupt controller and calls these, always with
 * interrupts off; they return with interrupts off (kernel/trap.c). */
void irq_dispatch(unsigned irq);        /* an external interrupt line fired */
void timer_interrupt(void);             /* the one-shot deadline passed */
void ipi_interrupt(void);               /* arch_send_ipi reached this CPU */
/* A secondary CPU's first generic code (see arch_cpu_start): never returns. */
_Noreturn void secondary_main(struct cpu *c);
extern volatile unsigned long trap_breakpoint_hits;
/* A system call from user mode (ecall / syscall), the saved pc already
 * past the instruction: dispatched with interrupts on, since it may sleep. */
void trap_syscall(struct trap_frame *tf);
/* An exception in user mode (cause: a name to print; addr: the faulting
 * address or 0). The generic code runs with interrupts on: it kills the
 * process (or resolves the fault) and may not return. */
void trap_user_fault(struct trap_frame *tf, const char *cause, uintptr_t addr);
/* The end of every interrupt, system call and user exception (not of a
 * kernel exception that resumes, e.g. a breakpoint or an extable fixup),
 * after the interrupt controller was acknowledged: may switch to another
 * thread, and with to_user (the trap came from user mode) may end the
 * process instead of returning. */
void trap_exit(bool to_user);
/* An exception in kernel mode with no fixup: prints and powers off. */
_Noreturn void kernel_fault(const char *cause, uintptr_t addr, uintptr_t pc, uintptr_t fp);

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
