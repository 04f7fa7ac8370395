/* snake: steer with the arrow keys (or w a s d), eat the red food, don't
 * bite yourself or the wall. Space starts again after a crash. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"
#include "tsubame.h"

#define COLS 32
#define ROWS 24
#define CELL 12
#define W (COLS * CELL)
#define H (ROWS * CELL)
#define STEP_MS 140
#define MAX_LEN (COLS * ROWS)

static int win;
static int sx[MAX_LEN], sy[MAX_LEN], len, dx, dy, food_x, food_y, score;
static bool dead;

static void cell(int x, int y, uint32_t c)
{
	gui_fill(win, x * CELL + 1, y * CELL + 1, CELL - 2, CELL - 2, c);
}

static bool on_snake(int x, int y)
{
	for (int i = 0; i < len; i++)
		if (sx[i] == x && sy[i] == y)
			return true;
	return false;
}

static void place_food(void)
{
	do {
		food_x = rand() % COLS;
		food_y = rand() % ROWS;
	} while (on_snake(food_x, food_y));
	cell(food_x, food_y, 0xe04040);
}

static void status(void)
{
	char t[40];
	snprintf(t, sizeof t, dead ? "score %d - space: again" : "score %d", score);
	gui_fill(win, 0, 0, W, GUIP_FONT_H + 2, 0x203020);
	gui_text(win, 4, 1, t, strlen(t), 0xd0e0d0, GUIP_TRANSPARENT, 1);
}

static void start(void)
{
	srand((unsigned)clock_ns());
	gui_fill(win, 0, 0, W, H, 0x203020);
	len = 4;
	for (int i = 0; i < len; i++) {
		sx[i] = COLS / 2 - i;
		sy[i] = ROWS / 2;
		cell(sx[i], sy[i], 0x70c050);
	}
	dx = 1;
	dy = 0;
	score = 0;
	dead = false;
	place_food();
	status();
	gui_present(win);
}

static void step(void)
{
	int nx = sx[0] + dx, ny = sy[0] + dy;

	if (nx < 0 || ny < 1 || nx >= COLS || ny >= ROWS || on_snake(nx, ny)) {
		dead = true;
		status();
		return;
	}
	bool eat = nx == food_x && ny == food_y;
	if (!eat)
		cell(sx[len - 1], sy[len - 1], 0x203020);
	else if (len < MAX_LEN)
		len++;
	memmove(sx + 1, sx, sizeof sx[0] * (len - 1));
	memmove(sy + 1, sy, sizeof sy[0] * (len - 1));
	sx[0] = nx;
	sy[0] = ny;
	cell(nx, ny, 0x70c050);
	if (eat) {
		score++;
		place_food();
		status();
	}
}

static void steer(int key)
{
	int ndx = dx, ndy = dy;
	switch (key) {
	case GUIP_KEY_UP: case 'w': ndx = 0; ndy = -1; break;
	case GUIP_KEY_DOWN: case 's': ndx = 0; ndy = 1; break;
	case GUIP_KEY_LEFT: case 'a': ndx = -1; ndy = 0; break;
	case GUIP_KEY_RIGHT: case 'd': ndx = 1; ndy = 0; break;
	}
	if (ndx != -dx || ndy != -dy) { /* no turning back into yourself */
		dx = ndx;
		dy = ndy;
	}
}

int main(void)
{
	win = gui_window_or_exit("Snake", W, H);
	start();
	uint64_t due = clock_ns() + STEP_MS * 1000000ull;
	for (;;) {
		struct guip_event ev;
		if (!gui_next(&ev, dead ? 0 : due)) {
			step();
			gui_present(win);
			due = clock_ns() + STEP_MS * 1000000ull;
		} else if (ev.kind == GUIP_EV_KEY && dead && ev.value == ' ') {
			start();
			due = clock_ns() + STEP_MS * 1000000ull;
		} else if (ev.kind == GUIP_EV_KEY) {
			steer(ev.value);
		}
	}
}
