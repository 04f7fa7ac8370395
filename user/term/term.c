/* term: a terminal window running the shell. The shell's console is a pair
 * of pipes (TSB_SPAWN_CONSOLE); what it prints is drawn here, with the
 * control sequences its line editor uses (\r \n \b \t, ESC[nA/B/C/D, ESC[K,
 * ESC[H, ESC[2J) and UTF-8 (non-ASCII characters as a box each, see
 * PLACEHOLDER); typed keys are written to its input. One poll() waits
 * for both the shell's output and the gui's events. When the shell exits
 * the window closes; when the window is closed the shell sees the end of
 * its input and exits. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"
#include "tsubame.h"
#include "utf8/utf8.h"

#define COLS 80
#define ROWS 25
#define MARGIN 4
#define W (COLS * GUIP_FONT_W + 2 * MARGIN)
#define H (ROWS * GUIP_FONT_H + 2 * MARGIN)
#define FG 0xd8d8d8
#define BG 0x101418
#define CURSOR 0x6fb0e0

static int win;
static char grid[ROWS][COLS];
static bool dirty[ROWS];
static int row, col, shown_row, shown_col;
static int esc_state;          /* 0 text, 1 after ESC, 2 inside ESC [ */
static int esc_num;

static void clear_rows(int from, int to)
{
	for (int r = from; r < to; r++) {
		memset(grid[r], ' ', COLS);
		dirty[r] = true;
	}
}

static void newline(void)
{
	col = 0;
	if (++row < ROWS)
		return;
	memmove(grid[0], grid[1], (ROWS - 1) * COLS);
	memset(grid[ROWS - 1], ' ', COLS);
	row = ROWS - 1;
	for (int r = 0; r < ROWS; r++)
		dirty[r] = true;
}

static void csi(char final, int n)
{
	int k = n > 0 ? n : 1;

	switch (final) {
	case 'A': row = row - k < 0 ? 0 : row - k; break;
	case 'B': row = row + k >= ROWS ? ROWS - 1 : row + k; break;
	case 'C': col = col + k >= COLS ? COLS - 1 : col + k; break;
	case 'D': col = col - k < 0 ? 0 : col - k; break;
	case 'H': row = col = 0; break;
	case 'J': if (n == 2) clear_rows(0, ROWS); break;
	case 'K':
		memset(grid[row] + col, ' ', COLS - col);
		dirty[row] = true;
		break;
	default: break; /* colours and the rest: ignored */
	}
}

/* The font has ASCII only: any other character is drawn as this box
 * (the font's glyph for what it does not have), one per character, in as
 * many cells as a terminal gives it (utf8_columns: 2 for CJK), so that
 * the shell's cursor moves, which count columns, land where they should. */
#define PLACEHOLDER '\x7f'
static uint8_t u8seq[4];
static unsigned u8len, u8need; /* bytes of a UTF-8 character so far, and due */

static void put_cell(char c)
{
	if (col >= COLS)
		newline();
	grid[row][col++] = c;
	dirty[row] = true;
}

static void put_character(void)
{
	const uint8_t *p = u8seq;
	uint32_t cp;
	unsigned width = utf8_next(&p, u8seq + u8len, &cp) == 0 ? utf8_columns(cp) : 1;
	if (width == 0)
		return; /* a combining mark: nothing of its own to show */
	if (col + (int)width > COLS)
		newline();
	put_cell(PLACEHOLDER);
	if (width == 2)
		put_cell(' ');
}

/* Bytes >= 0x80: UTF-8 characters; a malformed byte shows as one box. */
static bool put_utf8(char c)
{
	uint8_t b = (uint8_t)c;
	if (u8need) {
		if ((b & 0xC0) == 0x80) {
			u8seq[u8len++] = b;
			if (u8len == u8need) {
				put_character();
				u8need = 0;
			}
			return true;
		}
		put_cell(PLACEHOLDER); /* cut short: the bytes so far were one bad character */
		u8need = 0;
	}
	if (b < 0x80)
		return false;
	unsigned n = utf8_length(b);
	if (n < 2) {
		put_cell(PLACEHOLDER);
	} else {
		u8seq[0] = b;
		u8len = 1;
		u8need = n;
	}
	return true;
}

static void put(char c)
{
	if (esc_state == 0 && put_utf8(c))
		return;
	if (esc_state == 1) {
		esc_state = c == '[' ? 2 : 0;
		esc_num = 0;
		return;
	}
	if (esc_state == 2) {
		if (c >= '0' && c <= '9') {
			if (esc_num < 1000)
				esc_num = esc_num * 10 + (c - '0');
		} else if (c >= 0x40 && c <= 0x7e) {
			csi(c, esc_num);
			esc_state = 0;
		}
		return;
	}
	switch (c) {
	case 0x1b: esc_state = 1; break;
	case '\r': col = 0; break;
	case '\n': newline(); break;
	case '\b': if (col > 0) col--; break;
	case '\t': col = (col + 8) & ~7; if (col >= COLS) newline(); break;
	default:
		if ((unsigned char)c < 0x20 || c == 0x7f)
			break;
		put_cell(c);
		break;
	}
}

static void draw(void)
{
	dirty[shown_row] = true; /* the old cursor */
	dirty[row] = true;
	for (int r = 0; r < ROWS; r++) {
		if (!dirty[r])
			continue;
		int y = MARGIN + r * GUIP_FONT_H;
		gui_fill(win, 0, y, W, GUIP_FONT_H, BG);
		if (r == row && col < COLS)
			gui_fill(win, MARGIN + col * GUIP_FONT_W, y, GUIP_FONT_W, GUIP_FONT_H, CURSOR);
		gui_text(win, MARGIN, y, grid[r], COLS, FG, GUIP_TRANSPARENT, 1);
		dirty[r] = false;
	}
	shown_row = row;
	shown_col = col;
	gui_present(win);
}

/* Bytes a terminal sends for a key. */
static size_t key_bytes(int key, char *out)
{
	switch (key) {
	case GUIP_KEY_UP: memcpy(out, "\x1b[A", 3); return 3;
	case GUIP_KEY_DOWN: memcpy(out, "\x1b[B", 3); return 3;
	case GUIP_KEY_RIGHT: memcpy(out, "\x1b[C", 3); return 3;
	case GUIP_KEY_LEFT: memcpy(out, "\x1b[D", 3); return 3;
	case GUIP_KEY_DELETE: memcpy(out, "\x1b[3~", 4); return 4;
	case '\n': out[0] = '\r'; return 1;
	case '\b': out[0] = 0x7f; return 1;
	}
	if (key > 0 && key < 0x80) {
		out[0] = (char)key;
		return 1;
	}
	return 0;
}

static int start_shell(int *to_shell, int *from_shell)
{
	int in[2], out[2];
	int err = pipe(in);

	if (err)
		return err;
	if ((err = pipe(out)) != 0)
		return err;
	struct tsb_spawn_opts o = { .flags = TSB_SPAWN_CONSOLE, .console_in = in[0],
				    .console_out = out[1] };
	char *argv[] = { "/bin/shell.elf", NULL };
	char *envp[] = { "PATH=/bin", NULL };
	int pid = spawn_opts("/bin/shell.elf", argv, envp, &o);
	/* Our copies of the shell's ends go, so that each side sees the other
	 * one leave. */
	close(in[0]);
	close(out[1]);
	*to_shell = in[1];
	*from_shell = out[0];
	return pid;
}

int main(void)
{
	int to_shell = -1, from_shell = -1;

	win = gui_window_or_exit("Terminal", W, H);
	gui_fill(win, 0, 0, W, H, BG);
	clear_rows(0, ROWS);
	int pid = start_shell(&to_shell, &from_shell);
	if (pid < 0) {
		const char *why = strerror(pid);
		const char *s = "cannot start /bin/shell.elf: ";
		while (*s) put(*s++);
		while (*why) put(*why++);
	}
	draw();
	for (;;) {
		/* Without a shell, only the window's events are waited for. */
		struct tsb_pollfd fds[2] = { { TSB_POLL_IPC, TSB_POLL_IN, 0 }, { from_shell, TSB_POLL_IN, 0 } };
		if (poll(fds, pid > 0 ? 2 : 1, TSB_FOREVER) < 0)
			return 1;
		if (pid > 0 && fds[1].revents & (TSB_POLL_IN | TSB_POLL_HUP)) {
			char buf[512];
			long got = read(from_shell, buf, sizeof buf);
			if (got <= 0) {      /* the shell is gone */
				gui_destroy(win);
				return 0;
			}
			for (long i = 0; i < got; i++)
				put(buf[i]);
			draw();
		}
		struct guip_event ev;
		while (gui_event(&ev, TSB_NO_WAIT) == 0) {
			if (ev.kind == GUIP_EV_CLOSE)
				return 0;
			char k[4];
			size_t len = ev.kind == GUIP_EV_KEY ? key_bytes(ev.value, k) : 0;
			if (len && pid > 0)
				write(to_shell, k, len);
		}
	}
}
