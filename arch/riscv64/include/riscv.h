/* CSR access and bit names for RISC-V supervisor mode. */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

struct boot_info;

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(val)))
#define csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(bits)))
#define csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(bits)))

#define SSTATUS_SIE (1ul << 1)
#define SSTATUS_SPIE (1ul << 5)
#define SSTATUS_SPP (1ul << 8)
#define SSTATUS_SUM (1ul << 18)
/* FP unit state (FS) and vector unit state (VS): Off, Initial, Clean, Dirty. */
#define SSTATUS_FS (3ul << 13)
#define SSTATUS_FS_INITIAL (1ul << 13)
#define SSTATUS_FS_CLEAN (2ul << 13)
#define SSTATUS_FS_DIRTY (3ul << 13)
#define SSTATUS_VS (3ul << 9)

#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SIE_SEIE (1ul << 9)

#define SCAUSE_INTERRUPT (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9

#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS 1
#define EXC_ILLEGAL_INSN 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_INSN_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

static inline void sfence_vma_all(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }
static inline void sfence_vma(uintptr_t va) { __asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory"); }

/* Platform devices found in the FDT, kept for arch_init_platform. */
struct riscv_platform {
	uint64_t uart_pa;
	unsigned uart_irq;
	uint64_t plic_pa, plic_size;
	int plic_context;      /* S-mode context of the boot hart */
	uint32_t plic_phandle; /* what PCI interrupt-map entries name it by */
	uint64_t test_pa;      /* sifive,test finisher (power-off), 0 if absent */
	uint64_t hartid;
	uint64_t fdt_pa;
	uint64_t timebase_hz;
};
extern struct riscv_platform riscv_plat;

void plic_init(void);
unsigned plic_claim(void);
void plic_complete(unsigned irq);
void riscv_timer_init(uint64_t hz);
void riscv_console_init(void);

#endif
