/* The 16550 UART, as on QEMU's riscv virt (MMIO) and PC COM1 (port I/O).
 * The register access differs per platform, so the caller passes accessors. */
#ifndef DRIVERS_NS16550_H
#define DRIVERS_NS16550_H

#include <stdint.h>

struct ns16550 {
	uint8_t (*read)(void *ctx, unsigned reg);
	void (*write)(void *ctx, unsigned reg, uint8_t val);
	void *ctx;
};

/* 8N1, FIFOs on, receive interrupt enabled only if rx_irq. `divisor` for
 * the baud rate (0 leaves the firmware's setting). */
void ns16550_init(const struct ns16550 *u, uint16_t divisor, int rx_irq);
/* Console output: a line feed goes out as CR LF. */
void ns16550_putc(const struct ns16550 *u, char c);
int ns16550_getc(const struct ns16550 *u); /* -1 when nothing is waiting */
void ns16550_enable_rx_irq(const struct ns16550 *u);

#endif
