/* The gui service: a compositor over the framebuffer the kernel lends it.
 * Windows keep their content in their own pixel buffers; the screen is
 * recomposed only where something changed (damage), into a back buffer,
 * then copied to the framebuffer with the cursor on top and flushed. */
#ifndef GUI_COMPOSITOR_H
#define GUI_COMPOSITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsubame/guiproto.h"
#include "tsubame/syscall.h"

struct rect {
	int x, y, w, h;
};

struct surface {
	uint32_t *px;
	int w, h, stride; /* stride in pixels */
};

/* Layout */
#define BORDER 2
#define TITLE_H 20
#define CLOSE_SIZE 14
#define TASKBAR_H 28
#define MAX_WINDOWS 12
#define MAX_WINDOWS_PER_CLIENT 4

/* Colours */
#define COLOR_DESKTOP 0x2d5f73u
#define COLOR_TITLE_FOCUS 0x3a6ea5u
#define COLOR_TITLE 0x7a8a99u
#define COLOR_TITLE_TEXT 0xffffffu
#define COLOR_BORDER 0x202830u
#define COLOR_CLOSE 0xc0392bu
#define COLOR_TASKBAR 0x1e2328u
#define COLOR_BUTTON 0x3c4650u
#define COLOR_BUTTON_ACTIVE 0x5a7896u
#define COLOR_TEXT 0xe8e8e8u

/* draw.c: every operation is clipped to `clip` and to the surface. */
bool rect_clip(struct rect *r, struct rect clip);
struct rect rect_union(struct rect a, struct rect b);
bool rect_contains(struct rect r, int x, int y);
void draw_fill(struct surface *s, struct rect clip, struct rect r, uint32_t c);
void draw_line(struct surface *s, struct rect clip, int x0, int y0, int x1, int y1, uint32_t c);
void draw_text(struct surface *s, struct rect clip, int x, int y, const char *t, size_t n,
	       uint32_t fg, uint32_t bg, int scale);
void draw_blit(struct surface *s, struct rect clip, int x, int y, const uint32_t *src, int w,
	       int h, int src_stride);

/* font.c: 8 rows of 5 pixels (bit 4 is the leftmost) for a character. */
const uint8_t *font_glyph(char c);

/* screen.c: the back buffer, damage, the cursor and the flush. */
extern struct surface screen;
int screen_init(void);          /* -ENODEV without a display */
void damage(struct rect r);
void screen_render(void);       /* recompose and flush what was damaged */
void cursor_move(int x, int y);

/* windows.c */
struct window {
	bool used;
	int id, owner;
	char title[GUIP_TITLE_MAX + 1];
	struct rect frame;          /* screen coordinates, decorations included */
	struct surface content;
};
struct window *window_create(int owner, const char *title, int w, int h, int *err);
void window_destroy(struct window *w);
void windows_destroy_owned(int owner);
void windows_destroy_dead_owners(void);
struct window *window_find(int owner, int id);
struct window *window_at(int x, int y);   /* the topmost under the point */
struct window *window_focused(void);      /* the topmost, or NULL */
void window_raise(struct window *w);
void window_move(struct window *w, int x, int y);
struct rect window_content_rect(const struct window *w);
struct rect window_close_rect(const struct window *w);
struct rect window_title_rect(const struct window *w);
void windows_paint(struct surface *s, struct rect clip); /* bottom to top */
/* i-th window in stacking order (bottom first), NULL past the end. */
struct window *window_nth(int i);
void window_send(struct window *w, int kind, int x, int y, int value);

/* taskbar.c */
void taskbar_init(void);
void taskbar_paint(struct surface *s, struct rect clip);
struct rect taskbar_rect(void);
void taskbar_click(int x, int y);
int taskbar_clock_wait_ms(void);  /* until the clock's minute changes */
void taskbar_tick(void);          /* redraw the clock if the minute changed */

/* input.c */
void input_handle(const struct tsb_input_event *ev, int n);
void input_forget(struct window *w);

/* requests.c */
/* One message or call (len < 0: it could not be received, -EMSGSIZE). */
void requests_handle(const struct tsb_ipc_info *info, const void *msg, long len);
void reap_children(void);

#endif
