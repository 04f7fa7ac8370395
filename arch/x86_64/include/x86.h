/* Internal interfaces between the files of the x86_64 arch layer. The
 * constants are also used by the assembly. */
#ifndef X86_H
#define X86_H

/* Platform interrupt numbers (what irq_register takes): 0..63 are I/O APIC
 * GSIs, 64..127 MSIs handed out by arch_msi_alloc. Number n arrives on
 * vector 32 + n; vectors 0-31 are CPU exceptions. */
#define NR_GSI 64
#define IRQ_MSI_BASE NR_GSI
#define NR_MSI 64
#define NR_IRQ (NR_GSI + NR_MSI)
#define VEC_IRQ_BASE 32
#define VEC_PIC_BASE 0xe0  /* the masked 8259s, moved out of the exception range */
#define VEC_TIMER 0xf0     /* local APIC timer */
#define VEC_SPURIOUS 0xff  /* local APIC spurious vector (low nibble must be 1s) */
/* Not a CPU vector: the syscall entry (vectors.S) stores it in the frame's
 * vector field, so that trap_dispatch can tell a system call from a trap. */
#define VEC_SYSCALL 0x100

/* boot.S direct-maps the first 1 GiB of physical memory; earlymap.c adds
 * the rest of RAM before kmain. */
#define EARLY_MAP_LIMIT 0x40000000ULL

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct boot_info;
struct trap_frame;

/* uart.c */
void uart_init(void);

/* multiboot.c: fills *bi from the Multiboot info at physical info_pa. */
void multiboot_parse(uint32_t info_pa, struct boot_info *bi);

/* earlymap.c: direct-maps all of bi->ram in the boot page tables, dropping
 * RAM it cannot map. */
void early_map_ram(struct boot_info *bi);

/* lapic.c */
int lapic_init(void); /* 0 or -errno; also shuts the 8259 PICs off */
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_timer_start(uint32_t count, bool masked);
uint32_t lapic_timer_current(void);

/* ioapic.c */
int ioapic_init(void); /* masks every input; 0 or -errno */
int ioapic_route(unsigned gsi); /* unmask gsi on VEC_IRQ_BASE + gsi: 0 or -errno */
void ioapic_mask(unsigned gsi);
void ioapic_mark_pci(unsigned gsi); /* level/active-low unless the MADT says otherwise */

/* syscall.c: programs the syscall MSRs (idempotent). */
void syscall_init(void);

/* user.c: makes *tf safe to iretq to user mode (user selectors, sane
 * RFLAGS, canonical rip); interrupts off. */
void user_return_check(struct trap_frame *tf);

/* vectors.S: restores the registers from *tf (on the stack, where it
 * lies) and iretqs through it. */
_Noreturn void trap_resume(struct trap_frame *tf);

/* timer.c */
void timer_calibrate(struct boot_info *bi);
/* Registers the CMOS clock as the wall clock (rtc.c). */
void x86_rtc_init(void);
void timer_vector(void);       /* the LAPIC timer fired */

#endif /* !__ASSEMBLER__ */

#endif
