/* life: Conway's Game of Life on a wrapping 80x60 board, a generation
 * every 150 ms, drawn as one blit. Click toggles a cell; space pauses;
 * r seeds a new random board. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"
#include "tsubame.h"

#define COLS 80
#define ROWS 60
#define CELL 5
#define W (COLS * CELL)
#define H (ROWS * CELL)
#define STEP_MS 150

static uint8_t board[ROWS][COLS], next[ROWS][COLS];
static uint32_t pixels[W * H];
static int win;

static void seed(void)
{
	srand((unsigned)clock_ns());
	for (int r = 0; r < ROWS; r++)
		for (int c = 0; c < COLS; c++)
			board[r][c] = rand() % 4 == 0;
}

static void step(void)
{
	for (int r = 0; r < ROWS; r++)
		for (int c = 0; c < COLS; c++) {
			int n = 0;
			for (int dr = -1; dr <= 1; dr++)
				for (int dc = -1; dc <= 1; dc++)
					if (dr || dc)
						n += board[(r + dr + ROWS) % ROWS][(c + dc + COLS) % COLS];
			next[r][c] = n == 3 || (n == 2 && board[r][c]);
		}
	memcpy(board, next, sizeof board);
}

static void draw(void)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			bool edge = x % CELL == CELL - 1 || y % CELL == CELL - 1;
			pixels[y * W + x] = board[y / CELL][x / CELL] ? (edge ? 0x2a6f2a : 0x7fd35b)
								      : (edge ? 0x1c1c1c : 0x111111);
		}
	gui_blit(win, 0, 0, W, H, pixels);
	gui_present(win);
}

int main(void)
{
	bool paused = false;

	win = gui_window_or_exit("Life", W, H);
	seed();
	draw();
	uint64_t due = clock_ns() + STEP_MS * 1000000ull;
	for (;;) {
		struct guip_event ev;
		if (!gui_next(&ev, paused ? 0 : due)) {
			step();
			draw();
			due = clock_ns() + STEP_MS * 1000000ull;
		} else if (ev.kind == GUIP_EV_KEY && ev.value == ' ') {
			paused = !paused;
			due = clock_ns() + STEP_MS * 1000000ull;
		} else if (ev.kind == GUIP_EV_KEY && ev.value == 'r') {
			seed();
			draw();
		} else if (ev.kind == GUIP_EV_DOWN && ev.x >= 0 && ev.y >= 0 && ev.x < W && ev.y < H) {
			board[ev.y / CELL][ev.x / CELL] ^= 1;
			draw();
		}
	}
}
