/* Console on riscv64: the 16550 UART found in the FDT, or the SBI console
 * when the tree names no UART. */
#include "arch.h"
#include "serial/ns16550.h"
#include "riscv.h"
#include "sbi.h"
#include "tsubame/errno.h"

static uint8_t mmio_read(void *ctx, unsigned reg) { return ((volatile uint8_t *)ctx)[reg]; }
static void mmio_write(void *ctx, unsigned reg, uint8_t v) { ((volatile uint8_t *)ctx)[reg] = v; }

static struct ns16550 uart;
static int have_uart;

void riscv_console_init(void)
{
	if (!riscv_plat.uart_pa)
		return;
	uart = (struct ns16550){ mmio_read, mmio_write, phys_to_virt(riscv_plat.uart_pa) };
	ns16550_init(&uart, 0, 0); /* keep the firmware's baud rate */
	have_uart = 1;
}

void arch_console_putc(char c)
{
	if (have_uart) {
		ns16550_putc(&uart, c);
		return;
	}
	if (c == '\n')
		sbi_console_putchar('\r');
	sbi_console_putchar(c);
}

int arch_console_getc(void)
{
	return have_uart ? ns16550_getc(&uart) : -1;
}

int arch_console_enable_rx_irq(unsigned *irq)
{
	if (!have_uart || !riscv_plat.uart_irq)
		return -ENODEV;
	ns16550_enable_rx_irq(&uart);
	*irq = riscv_plat.uart_irq;
	return 0;
}
