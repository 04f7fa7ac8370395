/* Clipped drawing on 32-bit surfaces: the compositor's only primitives.
 * Coordinates may be anything a client sends; clipping keeps every write
 * inside the surface. */
#include "compositor.h"

bool rect_clip(struct rect *r, struct rect clip)
{
	int64_t x0 = r->x > clip.x ? r->x : clip.x;
	int64_t y0 = r->y > clip.y ? r->y : clip.y;
	int64_t x1 = (int64_t)r->x + r->w, y1 = (int64_t)r->y + r->h;
	int64_t cx1 = (int64_t)clip.x + clip.w, cy1 = (int64_t)clip.y + clip.h;

	if (x1 > cx1) x1 = cx1;
	if (y1 > cy1) y1 = cy1;
	if (x0 >= x1 || y0 >= y1) {
		*r = (struct rect){ 0, 0, 0, 0 };
		return false;
	}
	*r = (struct rect){ (int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0) };
	return true;
}

struct rect rect_union(struct rect a, struct rect b)
{
	if (a.w <= 0 || a.h <= 0) return b;
	if (b.w <= 0 || b.h <= 0) return a;
	int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct rect){ x0, y0, x1 - x0, y1 - y0 };
}

bool rect_contains(struct rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x - r.x < r.w && y - r.y < r.h;
}

/* The clip limited to the surface. */
static bool bounds(const struct surface *s, struct rect *clip)
{
	return rect_clip(clip, (struct rect){ 0, 0, s->w, s->h });
}

void draw_fill(struct surface *s, struct rect clip, struct rect r, uint32_t c)
{
	if (!bounds(s, &clip) || !rect_clip(&r, clip))
		return;
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *row = s->px + (size_t)y * s->stride + r.x;
		for (int x = 0; x < r.w; x++)
			row[x] = c;
	}
}

void draw_line(struct surface *s, struct rect clip, int x0, int y0, int x1, int y1, uint32_t c)
{
	if (!bounds(s, &clip))
		return;
	/* Bresenham on 64-bit values; endpoints far outside cost at most the
	 * length clamped to the clip's extent. */
	int64_t dx = x1 > x0 ? (int64_t)x1 - x0 : (int64_t)x0 - x1;
	int64_t dy = y1 > y0 ? (int64_t)y1 - y0 : (int64_t)y0 - y1;
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int64_t err = dx - dy, x = x0, y = y0;
	if (dx > 4 * 4096 || dy > 4 * 4096)
		return; /* longer than any screen: a bogus request */
	for (;;) {
		if (rect_contains(clip, (int)x, (int)y))
			s->px[(size_t)y * s->stride + (size_t)x] = c;
		if (x == x1 && y == y1)
			break;
		int64_t e2 = 2 * err;
		if (e2 > -dy) { err -= dy; x += sx; }
		if (e2 < dx) { err += dx; y += sy; }
	}
}

void draw_text(struct surface *s, struct rect clip, int x, int y, const char *t, size_t n,
	       uint32_t fg, uint32_t bg, int scale)
{
	if (!bounds(s, &clip))
		return;
	for (size_t i = 0; i < n; i++, x += GUIP_FONT_W * scale) {
		struct rect cell = { x, y, GUIP_FONT_W * scale, GUIP_FONT_H * scale };
		if (!rect_clip(&cell, clip)) {
			if (x > clip.x + clip.w)
				break;
			continue;
		}
		if (bg != GUIP_TRANSPARENT)
			draw_fill(s, clip, cell, bg);
		const uint8_t *g = font_glyph(t[i]);
		for (int row = 0; row < 8; row++)
			for (int col = 0; col < 5; col++)
				if (g[row] & (0x10 >> col))
					draw_fill(s, clip, (struct rect){ x + col * scale,
						  y + (row + 1) * scale, scale, scale }, fg);
	}
}

void draw_blit(struct surface *s, struct rect clip, int x, int y, const uint32_t *src, int w,
	       int h, int src_stride)
{
	struct rect r = { x, y, w, h };

	if (!bounds(s, &clip) || !rect_clip(&r, clip))
		return;
	for (int row = 0; row < r.h; row++) {
		const uint32_t *from = src + (size_t)(r.y - y + row) * src_stride + (r.x - x);
		uint32_t *to = s->px + (size_t)(r.y + row) * s->stride + r.x;
		for (int i = 0; i < r.w; i++)
			to[i] = from[i];
	}
}
