/* External interrupt lines: drivers register a handler for a platform
 * interrupt number (PLIC source or GSI), which arch_irq_unmask routes. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#define IRQ_MAX 256

typedef void (*irq_handler_fn)(void *ctx);

int irq_register(unsigned irq, irq_handler_fn fn, void *ctx);
void irq_unregister(unsigned irq);
unsigned long irq_count(unsigned irq);

#endif
