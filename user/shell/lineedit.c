/* The line editor. The kernel does not echo, so everything the user sees
 * of a line being typed is written here. The screen is kept in step with
 * relative cursor moves only (backspace and ESC [ n D), so the editor never
 * needs to know the terminal's width or where the prompt ended.
 *
 * Keys: printable characters (ASCII and any UTF-8 character) insert at
 * the cursor; Backspace (0x7f or 0x08) and Delete (ESC [ 3 ~, or Ctrl-D on
 * a non-empty line) remove a character; Left/Right, Home/End (also
 * Ctrl-A/Ctrl-E) move; Up/Down walk the history; Ctrl-U clears the line,
 * Ctrl-K cuts to its end, Ctrl-W cuts the word before the cursor, Ctrl-L
 * clears the screen; Ctrl-C abandons the line; Enter (CR or LF; a CR LF
 * pair counts once) accepts it. Anything else (other control bytes, bytes
 * that are not well-formed UTF-8) is ignored, so no input can corrupt the
 * line.
 *
 * The line is UTF-8 and the cursor always sits between characters: one
 * key moves or deletes one character, whatever its byte count. On the
 * screen a character takes utf8_columns() cells (2 for CJK: terminals
 * draw them double width), so cursor moves count columns, not bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "utf8/utf8.h"

#define HIST_MAX 64 /* kept lines; the oldest go first */

static char *history[HIST_MAX];
static int hist_len;   /* entries in use, oldest at index 0 */

struct editor {
	char *buf;
	size_t cap;        /* longest line allowed (excluding the NUL) */
	size_t len, pos;   /* line length and cursor, in bytes */
	int browse;        /* 0: the line being typed; k: the k-th newest entry */
	char *saved;       /* the line being typed, while browsing the history */
};

static bool skip_lf; /* the last line ended with CR: a following LF is part of it */

static void emit(const char *s, size_t n)
{
	if (n)
		console_write(s, n);
}

static void emits(const char *s)
{
	emit(s, strlen(s));
}

static void bell(void)
{
	emit("\a", 1);
}

static void cursor_left(size_t n)
{
	char seq[24];
	if (n == 1) {
		emit("\b", 1);
	} else if (n > 1) {
		snprintf(seq, sizeof seq, "\x1b[%zuD", n);
		emits(seq);
	}
}

/* Where the character before / after byte offset `at` starts. */
static size_t prev_char(const struct editor *e, size_t at)
{
	while (at > 0 && ((uint8_t)e->buf[--at] & 0xC0) == 0x80)
		;
	return at;
}

static size_t next_char(const struct editor *e, size_t at)
{
	if (at < e->len)
		at++;
	while (at < e->len && ((uint8_t)e->buf[at] & 0xC0) == 0x80)
		at++;
	return at;
}

/* Screen columns of the bytes [from, to) of the line. */
static size_t columns(const struct editor *e, size_t from, size_t to)
{
	const uint8_t *p = (const uint8_t *)e->buf + from, *end = (const uint8_t *)e->buf + to;
	size_t cols = 0;
	while (p < end) {
		uint32_t cp;
		if (utf8_next(&p, end, &cp) == 0)
			cols += utf8_columns(cp);
		else { /* cannot happen: only whole characters get in */
			p++;
			cols++;
		}
	}
	return cols;
}

/* Rewrites the line from the cursor to its end, erases what was beyond
 * it, and puts the cursor back. */
static void redraw_tail(struct editor *e)
{
	emit(e->buf + e->pos, e->len - e->pos);
	emits("\x1b[K");
	cursor_left(columns(e, e->pos, e->len));
}

/* Inserts one character (n bytes of UTF-8) at the cursor. */
static void insert(struct editor *e, const char *c, size_t n)
{
	if (e->len + n > e->cap) {
		bell(); /* full: refuse the key, keep what is there */
		return;
	}
	memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos);
	memcpy(e->buf + e->pos, c, n);
	e->len += n;
	emit(c, n);
	e->pos += n;
	if (e->pos < e->len) /* inserted in the middle: shift the rest right */
		redraw_tail(e);
}

/* Removes the bytes from `start` to the cursor. */
static void cut_from(struct editor *e, size_t start)
{
	if (start >= e->pos) {
		bell();
		return;
	}
	size_t cols = columns(e, start, e->pos);
	memmove(e->buf + start, e->buf + e->pos, e->len - e->pos);
	e->len -= e->pos - start;
	cursor_left(cols);
	e->pos = start;
	redraw_tail(e);
}

static void delete_at_cursor(struct editor *e)
{
	if (e->pos == e->len) {
		bell();
		return;
	}
	size_t n = next_char(e, e->pos) - e->pos;
	memmove(e->buf + e->pos, e->buf + e->pos + n, e->len - e->pos - n);
	e->len -= n;
	redraw_tail(e);
}

static void move_to(struct editor *e, size_t pos)
{
	if (pos < e->pos)
		cursor_left(columns(e, pos, e->pos));
	else
		emit(e->buf + e->pos, pos - e->pos); /* rewriting moves right */
	e->pos = pos;
}

/* After a lead byte: the rest of one UTF-8 character (it arrives at once,
 * like an escape sequence), inserted whole. A malformed or cut-off
 * sequence is dropped; a byte that cannot continue it counts as a key of
 * its own. */
static void utf8_key(struct editor *e, int lead)
{
	char seq[4] = { (char)lead };
	unsigned n = utf8_length((uint8_t)lead);
	if (n < 2)
		return; /* a stray continuation byte, or no lead at all */
	for (unsigned i = 1; i < n; i++) {
		int c = in_getc(100);
		if (c < 0)
			return;
		if ((c & 0xC0) != 0x80) {
			in_unget(c);
			return;
		}
		seq[i] = (char)c;
	}
	const uint8_t *p = (const uint8_t *)seq;
	uint32_t cp;
	if (utf8_next(&p, p + n, &cp) == 0) /* no overlong forms or surrogates */
		insert(e, seq, n);
}

/* Replaces the whole line (history recall, Ctrl-U). */
static void set_line(struct editor *e, const char *s)
{
	size_t n = strlen(s);
	if (n > e->cap) { /* never half a character */
		n = e->cap;
		while (n > 0 && ((uint8_t)s[n] & 0xC0) == 0x80)
			n--;
	}
	move_to(e, 0);
	memcpy(e->buf, s, n);
	e->len = e->pos = n;
	emit(e->buf, n);
	emits("\x1b[K"); /* whatever the old line had beyond */
}

/* Up (older = +1) or Down (newer = -1) through the history. */
static void browse(struct editor *e, int dir)
{
	int to = e->browse + dir;
	if (to < 0 || to > hist_len) {
		bell();
		return;
	}
	if (e->browse == 0) { /* leaving the line being typed: keep it */
		free(e->saved);
		e->buf[e->len] = '\0';
		e->saved = malloc(e->len + 1);
		if (e->saved)
			memcpy(e->saved, e->buf, e->len + 1);
	}
	e->browse = to;
	set_line(e, to == 0 ? (e->saved ? e->saved : "") : history[hist_len - to]);
}

static void cut_word(struct editor *e)
{
	size_t p = e->pos;
	while (p > 0 && e->buf[p - 1] == ' ')
		p--;
	while (p > 0 && e->buf[p - 1] != ' ')
		p--;
	if (p == e->pos)
		bell();
	else
		cut_from(e, p);
}

/* After ESC: CSI (ESC [) or SS3 (ESC O) sequences for the cursor keys.
 * The rest of a sequence arrives at once; a lone ESC times out. */
static void escape(struct editor *e)
{
	char param[8];
	size_t np = 0;
	int c = in_getc(100);

	if (c >= 0 && (c < 0x20 || c == 0x7f))
		in_unget(c); /* ESC, then another key: that key counts */
	if (c != '[' && c != 'O')
		return; /* a lone ESC or an Alt-key: ignored */
	for (;;) {
		int d = in_getc(100);
		if (d < 0)
			return;
		if (d < 0x20 || d > 0x7e) { /* not part of a sequence: a key of its own */
			in_unget(d);
			return;
		}
		if (d >= 0x40 && d <= 0x7e) { /* the final byte */
			param[np < sizeof param ? np : sizeof param - 1] = '\0';
			switch (d) {
			case 'A': browse(e, +1); break;
			case 'B': browse(e, -1); break;
			case 'C': if (e->pos < e->len) move_to(e, next_char(e, e->pos)); break;
			case 'D': if (e->pos > 0) move_to(e, prev_char(e, e->pos)); break;
			case 'H': move_to(e, 0); break;
			case 'F': move_to(e, e->len); break;
			case '~':
				if (strcmp(param, "3") == 0)
					delete_at_cursor(e);
				else if (strcmp(param, "1") == 0 || strcmp(param, "7") == 0)
					move_to(e, 0);
				else if (strcmp(param, "4") == 0 || strcmp(param, "8") == 0)
					move_to(e, e->len);
				break;
			default: break; /* unknown keys do nothing */
			}
			return;
		}
		if (np < sizeof param - 1)
			param[np++] = (char)d;
		else
			np = sizeof param; /* too long to be a key we know */
	}
}

int line_read(const char *prompt, char *buf, size_t size)
{
	struct editor e = { .buf = buf, .cap = size - 1 };
	int result;

	if (e.cap > SH_LINE_MAX)
		e.cap = SH_LINE_MAX;
	emits(prompt);
	for (;;) {
		int c = in_getc(TSB_FOREVER);
		if (c == -EPIPE)
			return -EPIPE; /* nobody left to type: the session is over */
		if (c < 0) {
			/* -EINTR and the like: nothing to do but wait again (briefly, so
			 * that a persistent error cannot turn into a busy loop) */
			sleep_ms(10);
			continue;
		}
		bool after_cr = skip_lf;
		skip_lf = false;
		if (c == '\n' && after_cr && e.len == 0)
			continue; /* the LF of a CR LF pair that ended the previous line */
		if (c == '\r' || c == '\n') {
			skip_lf = c == '\r';
			emits("\n"); /* the console driver adds the CR */
			result = (int)e.len;
			break;
		}
		switch (c) {
		case 0x03: /* Ctrl-C */
			move_to(&e, e.len);
			emits("^C\n");
			e.len = 0;
			result = -EINTR;
			goto done;
		case 0x7f: case 0x08: cut_from(&e, e.pos ? prev_char(&e, e.pos) : e.pos); break;
		case 0x15: move_to(&e, 0); e.len = 0; redraw_tail(&e); break; /* Ctrl-U */
		case 0x0b: e.len = e.pos; redraw_tail(&e); break;             /* Ctrl-K */
		case 0x17: cut_word(&e); break;                                /* Ctrl-W */
		case 0x01: move_to(&e, 0); break;                              /* Ctrl-A */
		case 0x05: move_to(&e, e.len); break;                          /* Ctrl-E */
		case 0x04: if (e.len) delete_at_cursor(&e); break;             /* Ctrl-D */
		case 0x0c: {                                                   /* Ctrl-L */
			size_t pos = e.pos;
			emits("\x1b[H\x1b[2J");
			emits(prompt);
			emit(e.buf, e.len);
			e.pos = e.len;
			move_to(&e, pos);
			break;
		}
		case 0x1b: escape(&e); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				char ch = (char)c;
				insert(&e, &ch, 1);
			} else if (c >= 0x80) {
				utf8_key(&e, c);
			}
			break; /* other control bytes are ignored */
		}
	}
done:
	buf[e.len] = '\0';
	free(e.saved);
	return result;
}

void history_add(const char *line)
{
	if (!line[0] || (hist_len && strcmp(history[hist_len - 1], line) == 0))
		return;
	size_t n = strlen(line) + 1;
	char *copy = malloc(n);
	if (!copy)
		return; /* no memory: the line just is not remembered */
	memcpy(copy, line, n);
	if (hist_len == HIST_MAX) {
		free(history[0]);
		memmove(history, history + 1, (HIST_MAX - 1) * sizeof history[0]);
		hist_len--;
	}
	history[hist_len++] = copy;
}

void history_each(void (*fn)(int n, const char *line))
{
	for (int i = 0; i < hist_len; i++)
		fn(i + 1, history[i]);
}
