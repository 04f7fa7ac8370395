/* Dispatch of external interrupts to the driver that registered the line. */
#include "kernel/irq.h"

#include "arch.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

struct irq_slot {
	irq_handler_fn fn;
	void *ctx;
	unsigned long count;
};

static struct irq_slot slots[IRQ_MAX];

int irq_register(unsigned irq, irq_handler_fn fn, void *ctx)
{
	if (irq >= IRQ_MAX || !fn)
		return -EINVAL;
	if (slots[irq].fn)
		return -EBUSY;
	slots[irq].ctx = ctx;
	slots[irq].fn = fn;
	int err = arch_irq_unmask(irq);
	if (err)
		slots[irq].fn = NULL;
	return err;
}

void irq_unregister(unsigned irq)
{
	if (irq >= IRQ_MAX)
		return;
	arch_irq_mask(irq);
	slots[irq].fn = NULL;
}

unsigned long irq_count(unsigned irq)
{
	return irq < IRQ_MAX ? slots[irq].count : 0;
}

void irq_dispatch(unsigned irq)
{
	if (irq >= IRQ_MAX || !slots[irq].fn) {
		kprintf(KERN_WARNING "irq: spurious interrupt on line %u\n", irq);
		return;
	}
	slots[irq].count++;
	slots[irq].fn(slots[irq].ctx);
}
