/* Windows: a fixed table, a stacking order (bottom first) and the frame
 * around each content buffer. The topmost window has the keyboard focus. */
#include <stdlib.h>
#include <string.h>

#include "compositor.h"
#include "tsubame.h"

static struct window table[MAX_WINDOWS];
static struct window *order[MAX_WINDOWS]; /* bottom to top */
static int nwin;
static int next_id = 1;
static int cascade;

struct window *window_nth(int i) { return i >= 0 && i < nwin ? order[i] : NULL; }
struct window *window_focused(void) { return nwin ? order[nwin - 1] : NULL; }

struct rect window_content_rect(const struct window *w)
{
	return (struct rect){ w->frame.x + BORDER, w->frame.y + TITLE_H, w->content.w, w->content.h };
}

struct rect window_title_rect(const struct window *w)
{
	return (struct rect){ w->frame.x, w->frame.y, w->frame.w, TITLE_H };
}

struct rect window_close_rect(const struct window *w)
{
	return (struct rect){ w->frame.x + w->frame.w - BORDER - CLOSE_SIZE - 2,
			      w->frame.y + (TITLE_H - CLOSE_SIZE) / 2, CLOSE_SIZE, CLOSE_SIZE };
}

struct window *window_create(int owner, const char *title, int cw, int ch, int *err)
{
	int mine = 0;
	struct window *w = NULL;

	for (int i = 0; i < nwin; i++)
		mine += order[i]->owner == owner;
	for (int i = 0; i < MAX_WINDOWS && !w; i++)
		if (!table[i].used)
			w = &table[i];
	int max_w = screen.w - 2 * BORDER, max_h = screen.h - TASKBAR_H - TITLE_H - BORDER;
	if (cw <= 0 || ch <= 0 || cw > max_w || ch > max_h) {
		*err = -EINVAL;
		return NULL;
	}
	if (!w || mine >= MAX_WINDOWS_PER_CLIENT) {
		*err = -EMFILE;
		return NULL;
	}
	uint32_t *px = malloc((size_t)cw * ch * 4);
	if (!px) {
		*err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < (size_t)cw * ch; i++)
		px[i] = 0xffffffu;
	*w = (struct window){ .used = true, .id = next_id++, .owner = owner };
	strlcpy(w->title, title, sizeof w->title);
	w->content = (struct surface){ px, cw, ch, cw };
	/* Cascade new windows from the top left, wrapping before they leave
	 * the screen. */
	int fw = cw + 2 * BORDER, fh = ch + TITLE_H + BORDER;
	int x = 40 + 32 * cascade, y = 30 + 32 * cascade;
	cascade = (cascade + 1) % 8;
	if (x + fw > screen.w) x = screen.w - fw;
	if (y + fh > screen.h - TASKBAR_H) y = screen.h - TASKBAR_H - fh;
	w->frame = (struct rect){ x, y, fw, fh };
	if (window_focused())
		damage(window_title_rect(window_focused())); /* it loses the focus */
	order[nwin++] = w;
	damage(w->frame);
	damage(taskbar_rect());
	return w;
}

/* Takes w out of the stacking order; false if it was not in it. */
static bool unstack(struct window *w)
{
	int i = 0;

	while (i < nwin && order[i] != w)
		i++;
	if (i == nwin)
		return false;
	for (; i + 1 < nwin; i++)
		order[i] = order[i + 1];
	nwin--;
	return true;
}

void window_destroy(struct window *w)
{
	if (!unstack(w))
		return;
	input_forget(w);
	damage(w->frame);
	damage(taskbar_rect());
	if (window_focused())
		damage(window_title_rect(window_focused()));
	free(w->content.px);
	w->used = false;
}

void windows_destroy_owned(int owner)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (table[i].used && table[i].owner == owner)
			window_destroy(&table[i]);
}

/* Windows of programs we did not start (a client run from the terminal)
 * are not reaped by us: drop those whose owner is gone, looking at most
 * once a second and only with a complete process list (SYS_PROC_LIST gives
 * at most 64). */
void windows_destroy_dead_owners(void)
{
	static struct tsb_procinfo procs[64];
	static uint64_t next_check;

	/* Pointer moves wake us many times a second: look at most once a second. */
	if (clock_ns() < next_check)
		return;
	next_check = clock_ns() + 1000000000ull;
	int n = proc_list(procs, 64);
	if (n < 0 || n >= 64)
		return;
	for (int i = 0; i < MAX_WINDOWS; i++) {
		if (!table[i].used)
			continue;
		bool alive = false;
		for (int k = 0; k < n && !alive; k++)
			alive = procs[k].pid == table[i].owner && strcmp(procs[k].state, "zombie") != 0;
		if (!alive)
			windows_destroy_owned(table[i].owner);
	}
}

struct window *window_find(int owner, int id)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (table[i].used && table[i].id == id && table[i].owner == owner)
			return &table[i];
	return NULL;
}

struct window *window_at(int x, int y)
{
	for (int i = nwin - 1; i >= 0; i--)
		if (rect_contains(order[i]->frame, x, y))
			return order[i];
	return NULL;
}

void window_raise(struct window *w)
{
	struct window *old = window_focused();

	if (old == w || !unstack(w))
		return;
	order[nwin++] = w;
	damage(w->frame);
	if (old)
		damage(window_title_rect(old));
	damage(taskbar_rect());
}

void window_move(struct window *w, int x, int y)
{
	/* Keep the title bar reachable. */
	if (y < 0) y = 0;
	if (y > screen.h - TASKBAR_H - TITLE_H) y = screen.h - TASKBAR_H - TITLE_H;
	if (x < 40 - w->frame.w) x = 40 - w->frame.w;
	if (x > screen.w - 40) x = screen.w - 40;
	damage(w->frame);
	w->frame.x = x;
	w->frame.y = y;
	damage(w->frame);
}

static void paint_one(struct surface *s, struct rect clip, struct window *w, bool focused)
{
	struct rect f = w->frame;

	if (!rect_clip(&f, clip))
		return;
	draw_fill(s, clip, w->frame, COLOR_BORDER);
	struct rect t = window_title_rect(w);
	t.x += 1; t.y += 1; t.w -= 2; t.h -= 1;
	draw_fill(s, clip, t, focused ? COLOR_TITLE_FOCUS : COLOR_TITLE);
	draw_text(s, clip, w->frame.x + 6, w->frame.y + (TITLE_H - GUIP_FONT_H) / 2, w->title,
		  strlen(w->title), COLOR_TITLE_TEXT, GUIP_TRANSPARENT, 1);
	struct rect c = window_close_rect(w);
	draw_fill(s, clip, c, COLOR_CLOSE);
	draw_line(s, clip, c.x + 3, c.y + 3, c.x + c.w - 4, c.y + c.h - 4, 0xffffffu);
	draw_line(s, clip, c.x + c.w - 4, c.y + 3, c.x + 3, c.y + c.h - 4, 0xffffffu);
	struct rect in = window_content_rect(w);
	draw_blit(s, clip, in.x, in.y, w->content.px, w->content.w, w->content.h, w->content.stride);
}

void windows_paint(struct surface *s, struct rect clip)
{
	for (int i = 0; i < nwin; i++)
		paint_one(s, clip, order[i], i == nwin - 1);
}

void window_send(struct window *w, int kind, int x, int y, int value)
{
	struct guip_event ev = { GUIP_MAGIC, (uint16_t)kind, 0, w->id, x, y, value };

	/* Never wait for a client: an event that does not fit its account is
	 * dropped, and a client that does not accept our events gets none. */
	if (ipc_send(w->owner, &ev, sizeof ev, TSB_NO_WAIT) == -ESRCH)
		windows_destroy_owned(w->owner);
}
