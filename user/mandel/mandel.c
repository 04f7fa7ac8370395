/* mandel: the Mandelbrot set in fixed-point arithmetic (user programs have
 * no floating point), drawn band by band. Click zooms in twice around the
 * point; r resets the view. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"
#include "tsubame.h"

#define W 360
#define H 270
#define FRAC 28                     /* fixed point: value * 2^28 */
#define ONE (1ll << FRAC)
#define MAX_ITER 96
#define BAND 30                     /* rows per blit */

static int win;
static int64_t cx, cy, span;        /* centre and width of the view */
static uint32_t band[W * BAND];

static uint32_t color(int n)
{
	if (n >= MAX_ITER)
		return 0x000000;
	uint32_t t = (uint32_t)n * 255 / MAX_ITER;
	return (t * 3 % 256) << 16 | (t * 5 % 256) << 8 | (255 - t);
}

static int iterate(int64_t x0, int64_t y0)
{
	int64_t x = 0, y = 0;
	int n = 0;

	for (; n < MAX_ITER; n++) {
		int64_t xx = (x * x) >> FRAC, yy = (y * y) >> FRAC;
		if (xx + yy > 4 * ONE)
			break;
		y = ((x * y) >> (FRAC - 1)) + y0;
		x = xx - yy + x0;
	}
	return n;
}

static void render(void)
{
	int64_t step = span / W;

	for (int y0 = 0; y0 < H; y0 += BAND) {
		for (int y = 0; y < BAND && y0 + y < H; y++)
			for (int x = 0; x < W; x++)
				band[y * W + x] = color(iterate(cx + (x - W / 2) * step,
								cy + (y0 + y - H / 2) * step));
		gui_blit(win, 0, y0, W, BAND, band);
		gui_present(win);
	}
}

static void reset(void)
{
	cx = -ONE / 2 - ONE / 4;
	cy = 0;
	span = 3 * ONE;
}

int main(void)
{
	win = gui_window_or_exit("Mandelbrot", W, H);
	reset();
	render();
	for (;;) {
		struct guip_event ev;
		gui_next(&ev, 0);
		if (ev.kind == GUIP_EV_DOWN && span > 64) {
			cx += (ev.x - W / 2) * (span / W);
			cy += (ev.y - H / 2) * (span / W);
			span /= 2;
			render();
		} else if (ev.kind == GUIP_EV_KEY && ev.value == 'r') {
			reset();
			render();
		}
	}
}
