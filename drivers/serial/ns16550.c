#include "ns16550.h"

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void ns16550_init(const struct ns16550 *u, uint16_t divisor, int rx_irq)
{
	u->write(u->ctx, IER, 0);
	if (divisor) {
		u->write(u->ctx, LCR, LCR_DLAB);
		u->write(u->ctx, DLL, divisor & 0xff);
		u->write(u->ctx, DLM, divisor >> 8);
	}
	u->write(u->ctx, LCR, LCR_8N1);
	u->write(u->ctx, FCR, 0x07); /* enable and clear FIFOs */
	u->write(u->ctx, MCR, 0x0b); /* DTR, RTS, OUT2 (OUT2 gates the PC's IRQ line) */
	if (rx_irq)
		u->write(u->ctx, IER, 0x01);
}

static void put_byte(const struct ns16550 *u, uint8_t b)
{
	while (!(u->read(u->ctx, LSR) & LSR_THR_EMPTY))
		;
	u->write(u->ctx, THR, b);
}

void ns16550_putc(const struct ns16550 *u, char c)
{
	if (c == '\n')
		put_byte(u, '\r'); /* terminals want CR LF */
	put_byte(u, (uint8_t)c);
}

int ns16550_getc(const struct ns16550 *u)
{
	if (!(u->read(u->ctx, LSR) & LSR_DATA_READY))
		return -1;
	return u->read(u->ctx, RBR);
}

void ns16550_enable_rx_irq(const struct ns16550 *u)
{
	u->write(u->ctx, IER, 0x01); /* received data available */
}
