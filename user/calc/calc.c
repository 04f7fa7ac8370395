/* calc: a four-function integer calculator window. Buttons are clicked or
 * typed (digits, + - * /, Enter or =, c or Escape to clear). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"
#include "tsubame.h"

#define BW 52
#define BH 44
#define PAD 6
#define DISPLAY_H 44
#define W (4 * BW + 5 * PAD)
#define H (DISPLAY_H + 2 * PAD + 4 * (BH + PAD))

static const char keys[4][4] = { { '7', '8', '9', '/' }, { '4', '5', '6', '*' },
				 { '1', '2', '3', '-' }, { 'C', '0', '=', '+' } };
static int win;
static long long acc, cur;
static char op;
static bool error;

static void draw(void)
{
	char text[32];

	gui_fill(win, 0, 0, W, H, 0x2b2f36);
	gui_fill(win, PAD, PAD, W - 2 * PAD, DISPLAY_H, 0xdfe8d0);
	if (error)
		snprintf(text, sizeof text, "error");
	else
		snprintf(text, sizeof text, "%lld", cur);
	size_t n = strlen(text);
	int tw = (int)n * GUIP_FONT_W * 2;
	gui_text(win, W - PAD - 8 - tw, PAD + (DISPLAY_H - 2 * GUIP_FONT_H) / 2, text, n, 0x1a1a1a,
		 GUIP_TRANSPARENT, 2);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++) {
			int x = PAD + c * (BW + PAD), y = DISPLAY_H + 2 * PAD + r * (BH + PAD);
			char k = keys[r][c];
			uint32_t color = k >= '0' && k <= '9' ? 0x4a5563 : k == '=' ? 0xd9822b : 0x36607e;
			gui_fill(win, x, y, BW, BH, color);
			gui_text(win, x + (BW - GUIP_FONT_W * 2) / 2, y + (BH - GUIP_FONT_H * 2) / 2, &k, 1,
				 0xffffff, GUIP_TRANSPARENT, 2);
		}
	gui_present(win);
}

static long long apply(long long a, char o, long long b)
{
	switch (o) {
	case '+': return a + b;
	case '-': return a - b;
	case '*': return a * b;
	case '/':
		if (b == 0 || (a == -9223372036854775807ll - 1 && b == -1)) {
			error = true;
			return 0;
		}
		return a / b;
	}
	return b;
}

static void press(char k)
{
	if (k == 'C' || k == 'c' || k == 0x1b) {
		acc = cur = 0;
		op = 0;
		error = false;
	} else if (error) {
		return;
	} else if (k >= '0' && k <= '9') {
		if (cur < 100000000000000ll && cur > -100000000000000ll)
			cur = cur * 10 + (cur < 0 ? -(k - '0') : k - '0');
	} else if (k == '+' || k == '-' || k == '*' || k == '/') {
		acc = op ? apply(acc, op, cur) : cur;
		op = k;
		cur = 0;
	} else if (k == '=' || k == '\n') {
		cur = op ? apply(acc, op, cur) : cur;
		op = 0;
	} else {
		return;
	}
	draw();
}

int main(void)
{
	win = gui_window_or_exit("Calculator", W, H);
	draw();
	for (;;) {
		struct guip_event ev;
		gui_next(&ev, 0);
		if (ev.kind == GUIP_EV_KEY && ev.value < 0x80)
			press((char)ev.value);
		if (ev.kind == GUIP_EV_DOWN) {
			int c = (ev.x - PAD) / (BW + PAD), r = (ev.y - DISPLAY_H - 2 * PAD) / (BH + PAD);
			if (ev.x >= PAD && ev.y >= DISPLAY_H + 2 * PAD && c < 4 && r < 4)
				press(keys[r][c]);
		}
	}
}
