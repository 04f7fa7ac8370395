/* printf and friends on top of the shared formatter (lib/fmt). Output is
 * gathered in a small buffer and written in as few system calls as
 * possible, but always by the end of each call. */
#include <stdio.h>
#include <string.h>

#include "fmt/fmt.h"
#include "tsubame.h"

struct out {
	int fd;           /* -1: console */
	char buf[256];
	size_t n;
};

static void flush(struct out *o)
{
	if (o->n == 0)
		return;
	if (o->fd < 0)
		console_write(o->buf, o->n);
	else
		write(o->fd, o->buf, o->n);
	o->n = 0;
}

static void put(char c, void *ctx)
{
	struct out *o = ctx;
	o->buf[o->n++] = c;
	if (o->n == sizeof o->buf)
		flush(o);
}

static int vout(int fd, const char *fmt, va_list ap)
{
	struct out o = { .fd = fd };
	int n = fmt_vformat(put, &o, fmt, ap);
	flush(&o);
	return n;
}

int vprintf(const char *fmt, va_list ap) { return vout(-1, fmt, ap); }

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vout(-1, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vout(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) { return fmt_vsnprintf(buf, size, fmt, ap); }

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	console_write(s, strlen(s));
	console_write("\n", 1);
	return 0;
}

int putchar(int c)
{
	char ch = (char)c;
	console_write(&ch, 1);
	return c;
}
