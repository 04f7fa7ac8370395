/* The console on COM1: the shared 16550 driver over port I/O. */
#include "acpi.h"
#include "arch.h"
#include "io.h"
#include "serial/ns16550.h"
#include "x86.h"

#define COM1 0x3f8
#define COM1_ISA_IRQ 4

static uint8_t port_read(void *ctx, unsigned reg) { return inb((uint16_t)((uintptr_t)ctx + reg)); }
static void port_write(void *ctx, unsigned reg, uint8_t v) { outb((uint16_t)((uintptr_t)ctx + reg), v); }

static const struct ns16550 com1 = { port_read, port_write, (void *)(uintptr_t)COM1 };

void uart_init(void)
{
	ns16550_init(&com1, 1, 0); /* 115200 baud = 115200 / 1, polled for now */
}

void arch_console_putc(char c)
{
	ns16550_putc(&com1, c);
}

int arch_console_getc(void)
{
	return ns16550_getc(&com1);
}

/* ISA IRQ 4, wherever the MADT says it is wired (edge, active high unless
 * overridden); OUT2, which gates the line on a PC, is set by ns16550_init.
 * Called after the ACPI tables were read (arch_init_platform). */
int arch_console_enable_rx_irq(unsigned *irq)
{
	ns16550_enable_rx_irq(&com1);
	*irq = acpi_isa_irq_to_gsi(COM1_ISA_IRQ);
	return 0;
}
