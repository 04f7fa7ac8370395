/* Console input. The kernel hands over raw bytes with no echo and no line
 * discipline; this file only buffers them. Reading several bytes per call
 * keeps a pasted line cheap, and the stash keeps what the user typed while
 * a foreground program ran (the shell watches the console then, for
 * Ctrl-C), so that type-ahead is not lost. */
#include <string.h>

#include "shell.h"

#define STASH 512

static char pending[STASH];
static size_t pend_head, pend_len; /* a FIFO of bytes not yet handed out */

void in_stash(const char *buf, size_t n)
{
	for (size_t i = 0; i < n && pend_len < STASH; i++) /* full: drop the rest */
		pending[(pend_head + pend_len++) % STASH] = buf[i];
}

int in_getc(long timeout_ms)
{
	if (pend_len == 0) {
		char buf[64];
		long n = console_read(buf, sizeof buf, timeout_ms);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EPIPE; /* a redirected console whose other side hung up */
		in_stash(buf, (size_t)n);
		if (pend_len == 0)
			return -EAGAIN;
	}
	unsigned char c = (unsigned char)pending[pend_head];
	pend_head = (pend_head + 1) % STASH;
	pend_len--;
	return c;
}

void in_unget(int c)
{
	if (pend_len == STASH)
		return;
	pend_head = (pend_head + STASH - 1) % STASH;
	pending[pend_head] = (char)c;
	pend_len++;
}

/* Sticky until the next command starts, so that a command working through
 * several files stops at all of them, not only the current one. */
static bool interrupted;

bool in_interrupted(void)
{
	char buf[64];
	long n = console_read(buf, sizeof buf, TSB_NO_WAIT);

	for (long i = 0; i < n; i++) {
		if (buf[i] == 0x03)
			interrupted = true;
		else
			in_stash(&buf[i], 1);
	}
	return interrupted;
}

void in_clear_interrupt(void)
{
	interrupted = false;
}
