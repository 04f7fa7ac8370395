/* The platform-level interrupt controller: per-source priority, and per
 * context (hart + privilege mode) enable bits, threshold and claim. */
#include "arch.h"
#include "kernel/printk.h"
#include "kernel/vm.h"
#include "riscv.h"
#include "tsubame/errno.h"

#define PLIC_PRIORITY(irq) (4 * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000 + 0x80 * (ctx) + 4 * ((irq) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200004 + 0x1000 * (ctx))
#define PLIC_MAX_IRQ 1023

static volatile uint8_t *plic;

static volatile uint32_t *reg(uint64_t off) { return (volatile uint32_t *)(plic + off); }

void plic_init(void)
{
	if (!riscv_plat.plic_pa || riscv_plat.plic_context < 0)
		panic("plic: the device tree names no PLIC context for hart %llu",
		      (unsigned long long)riscv_plat.hartid);
	plic = ioremap(riscv_plat.plic_pa, riscv_plat.plic_size);
	if (!plic)
		panic("plic: cannot map registers");
	for (unsigned i = 0; i <= PLIC_MAX_IRQ / 32; i++)
		*reg(PLIC_ENABLE(riscv_plat.plic_context, i * 32)) = 0;
	*reg(PLIC_THRESHOLD(riscv_plat.plic_context)) = 0;
	csr_set(sie, SIE_SEIE);
}

int arch_irq_unmask(unsigned irq)
{
	if (!plic)
		return -ENODEV;
	if (irq == 0 || irq > PLIC_MAX_IRQ)
		return -EINVAL;
	*reg(PLIC_PRIORITY(irq)) = 1;
	*reg(PLIC_ENABLE(riscv_plat.plic_context, irq)) |= 1u << (irq % 32);
	return 0;
}

void arch_irq_mask(unsigned irq)
{
	if (plic && irq > 0 && irq <= PLIC_MAX_IRQ)
		*reg(PLIC_ENABLE(riscv_plat.plic_context, irq)) &= ~(1u << (irq % 32));
}

unsigned plic_claim(void)
{
	return *reg(PLIC_CLAIM(riscv_plat.plic_context));
}

void plic_complete(unsigned irq)
{
	*reg(PLIC_CLAIM(riscv_plat.plic_context)) = irq;
}
