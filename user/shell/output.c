/* Where a built-in's output goes. Built-ins write through out_write() and
 * outf(); the dispatcher points them at a file for "> FILE" / ">> FILE" and
 * back at the console afterwards. Errors bypass this (report() writes to
 * the console), like standard error does elsewhere, so "ls /nope > f"
 * still shows the reason on the screen. A failed write (a full disk) is
 * remembered and reported once, instead of once per line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "shell.h"

static int out_fd = -1; /* -1: the console */
static int out_err;     /* the first write error on out_fd */

int out_redirect(const char *abs_path, bool append)
{
	int flags = TSB_O_WRITE | TSB_O_CREATE | (append ? TSB_O_APPEND : TSB_O_TRUNC);
	int fd = open(abs_path, flags);
	if (fd < 0)
		return fd;
	out_fd = fd;
	out_err = 0;
	return 0;
}

int out_restore(void)
{
	int err = out_err;
	if (out_fd >= 0) {
		int r = close(out_fd);
		if (!err && r < 0)
			err = r; /* a file system may only report a write failure here */
	}
	out_fd = -1;
	out_err = 0;
	return err;
}

bool out_is_console(void)
{
	return out_fd < 0;
}

void out_write(const char *buf, size_t n)
{
	if (out_fd < 0) {
		console_write(buf, n);
		return;
	}
	while (n > 0 && !out_err) {
		long w = write(out_fd, buf, n);
		if (w <= 0) {
			out_err = w < 0 ? (int)w : -EIO;
			break;
		}
		buf += w;
		n -= (size_t)w;
	}
}

void outf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void report(const char *cmd, const char *what, int err)
{
	if (what)
		printf("%s: %s: %s\n", cmd, what, strerror(err));
	else
		printf("%s: %s\n", cmd, strerror(err));
}
