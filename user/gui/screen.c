/* The screen: a back buffer the desktop is composed into, the framebuffer
 * it is copied to with the cursor drawn on top, and the damage list that
 * says which parts need both. Nothing damaged means no work at all. */
#include <stdlib.h>
#include <string.h>

#include "compositor.h"
#include "tsubame.h"

#define MAX_DAMAGE 16
#define CURSOR_W 11
#define CURSOR_H 17

struct surface screen;
static struct surface fb;
static struct rect dmg[MAX_DAMAGE];
static int ndmg;
static int cursor_x, cursor_y;

/* The pointer, drawn for Tsubame: '#' outline, '-' fill. */
static const char *const cursor_art[CURSOR_H] = {
	"#", "##", "#-#", "#--#", "#---#", "#----#", "#-----#", "#------#", "#-------#",
	"#--------#", "#-----#####", "#--#--#", "#-# #--#", "##  #--#", "#    #--#", "     #--#",
	"      ##",
};

int screen_init(void)
{
	struct tsb_gpu_info info;
	int err = gpu_info(&info);

	if (err)
		return err;
	uint32_t *at = gpu_map();
	if (!at)
		return -ENOMEM;
	fb = (struct surface){ at, (int)info.width, (int)info.height,
			       (int)(info.stride / 4) };
	screen = (struct surface){ malloc((size_t)info.width * info.height * 4), fb.w, fb.h, fb.w };
	if (!screen.px)
		return -ENOMEM;
	cursor_x = fb.w / 2;
	cursor_y = fb.h / 2;
	damage((struct rect){ 0, 0, fb.w, fb.h });
	return 0;
}

static int area(struct rect r) { return r.w * r.h; }

void damage(struct rect r)
{
	if (!rect_clip(&r, (struct rect){ 0, 0, screen.w, screen.h }))
		return;
	/* Merge with a rectangle it overlaps when that wastes little. */
	for (int i = 0; i < ndmg; i++) {
		struct rect u = rect_union(dmg[i], r);
		if (area(u) <= area(dmg[i]) + area(r) + area(r) / 2) {
			dmg[i] = u;
			return;
		}
	}
	if (ndmg == MAX_DAMAGE) {
		for (int i = 1; i < ndmg; i++)
			dmg[0] = rect_union(dmg[0], dmg[i]);
		ndmg = 1;
		dmg[0] = rect_union(dmg[0], r);
		return;
	}
	dmg[ndmg++] = r;
}

static struct rect cursor_rect(void)
{
	return (struct rect){ cursor_x, cursor_y, CURSOR_W, CURSOR_H };
}

void cursor_move(int x, int y)
{
	if (x == cursor_x && y == cursor_y)
		return;
	damage(cursor_rect());
	cursor_x = x;
	cursor_y = y;
	damage(cursor_rect());
}

static void draw_cursor(struct rect clip)
{
	for (int row = 0; row < CURSOR_H; row++)
		for (int col = 0; cursor_art[row][col]; col++) {
			char c = cursor_art[row][col];
			if (c != ' ')
				draw_fill(&fb, clip, (struct rect){ cursor_x + col, cursor_y + row, 1, 1 },
					  c == '#' ? 0x000000u : 0xffffffu);
		}
}

static void compose(struct rect r)
{
	draw_fill(&screen, r, r, COLOR_DESKTOP);
	draw_text(&screen, r, screen.w - 7 * GUIP_FONT_W * 3 - 16, 12, "Tsubame", 7, 0x4a8aa3u,
		  GUIP_TRANSPARENT, 3);
	windows_paint(&screen, r);
	taskbar_paint(&screen, r);
	draw_blit(&fb, r, 0, 0, screen.px, screen.w, screen.h, screen.stride);
	draw_cursor(r);
}

void screen_render(void)
{
	for (int i = 0; i < ndmg; i++) {
		compose(dmg[i]);
		gpu_flush(dmg[i].x, dmg[i].y, dmg[i].w, dmg[i].h);
	}
	ndmg = 0;
}
