/* IDT setup and the C side of every trap and interrupt. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "gdt.h"
#include "kernel/extable.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "x86.h"

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* present, DPL, gate type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
} __attribute__((packed));

#define GATE_INTR 0x8e      /* interrupt gate, DPL 0: IF cleared on entry */
#define GATE_INTR_USER 0xee /* same, but `int` from user mode is allowed */
#define TRAP_STUB_SIZE 16   /* vectors.S aligns each stub to 16 bytes */

extern char trap_stubs[];
static struct idt_entry idt[256];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved (22)", "reserved (23)", "reserved (24)",
	"reserved (25)", "reserved (26)", "reserved (27)", "hypervisor injection",
	"VMM communication", "security exception", "reserved (31)",
};

static void set_gate(unsigned v, uint8_t type, uint8_t ist)
{
	uint64_t a = (uint64_t)(uintptr_t)&trap_stubs[v * TRAP_STUB_SIZE];

	idt[v] = (struct idt_entry){
		.offset_lo = a & 0xffff,
		.selector = GDT_KCODE,
		.ist = ist,
		.type = type,
		.offset_mid = (a >> 16) & 0xffff,
		.offset_hi = a >> 32,
	};
}

/* Safe to call more than once: arch_start calls it before kmain so that an
 * early fault is reported instead of triple-faulting (with -no-reboot QEMU
 * would then exit 0 and a broken boot would look like a pass). */
void arch_init_traps(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	gdt_init();
	syscall_init();
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, GATE_INTR, 0);
	set_gate(3, GATE_INTR_USER, 0);
	set_gate(2, GATE_INTR, IST_NMI);
	set_gate(8, GATE_INTR, IST_DF);
	set_gate(18, GATE_INTR, IST_MC);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

uintptr_t arch_trap_pc(const struct trap_frame *tf)
{
	return tf->rip;
}

/* NMI, #DF and #MC say nothing about the code they interrupted: never
 * fixed up, never blamed on user code. */
static bool fatal_vector(unsigned v)
{
	return v == 2 || v == 8 || v == 18;
}

static void exception(struct trap_frame *tf)
{
	unsigned v = tf->vector;
	bool user = (tf->cs & 3) != 0;
	uintptr_t addr = v == 14 ? read_cr2() : 0; /* before anything can fault again */

	if (user && !fatal_vector(v)) {
		trap_user_fault(tf, exception_names[v], addr);
		return;
	}
	if (!user && v == 3) { /* int3 is a trap: rip is already past it */
		trap_breakpoint_hits++;
		return;
	}
	if (!user && !fatal_vector(v)) {
		uintptr_t fixup = extable_fixup(tf->rip);
		if (fixup) {
			tf->rip = fixup;
			return;
		}
	}
	kprintf(KERN_EMERG "\ntrap: vector %u error %#lx rip %#lx rsp %#lx rflags %#lx cs %#lx\n", v,
		tf->error, tf->rip, tf->rsp, tf->rflags, tf->cs);
	if (v == 14)
		kprintf(KERN_EMERG "trap: page fault at %#lx: %s, %s, %s mode\n", addr,
			tf->error & 1 ? "protection violation" : "not present",
			tf->error & 16 ? "fetch" : tf->error & 2 ? "write" : "read",
			tf->error & 4 ? "user" : "kernel");
	kernel_fault(exception_names[v], addr, tf->rip, tf->rbp);
}

static void interrupt(struct trap_frame *tf)
{
	uint64_t v = tf->vector;

	if (v >= VEC_IRQ_BASE && v < VEC_IRQ_BASE + NR_IRQ) {
		/* EOI after the handler: a level-triggered line must be quiet by
		 * then, or it would fire again at once. */
		irq_dispatch(v - VEC_IRQ_BASE);
		lapic_eoi();
	} else if (v == VEC_TIMER) {
		timer_vector();
		lapic_eoi();
	} else if (v == VEC_SPURIOUS || (v >= VEC_PIC_BASE && v < VEC_PIC_BASE + 16)) {
		/* Spurious: nothing was put in service, so no EOI. */
	} else {
		kprintf("trap: unexpected vector %lu at rip %#lx\n", v, tf->rip);
	}
}

/* Called from vectors.S with interrupts off (all gates are interrupt gates,
 * and SFMASK clears IF on syscall). */
void trap_dispatch(struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf)
{
	bool user = (tf->cs & 3) != 0;

	/* Interrupt gates do not clear RFLAGS.AC: user code may have set it,
	 * or the trap hit a copy_*_user, and AC set would turn SMAP off for
	 * this handler and any thread it switches to. iretq restores AC. */
	user_access_end();
	if (tf->vector == VEC_SYSCALL) {
		trap_syscall(tf);
	} else if (tf->vector < 32) {
		exception(tf);
		if (!user)
			return; /* resume the faulting kernel code as it was */
	} else {
		interrupt(tf);
	}
	trap_exit(user);
	if (user)
		user_return_check(tf);
}
