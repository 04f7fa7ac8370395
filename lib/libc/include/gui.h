/* Client side of the gui service (tsubame/guiproto.h): windows, drawing
 * into them, and their input events. Drawing shows after gui_present.
 * Every call returns >= 0 or -errno (-ENODEV: no gui is running). */
#ifndef TSUBAME_GUI_H
#define TSUBAME_GUI_H

#include <stddef.h>
#include <stdint.h>

#include "tsubame/guiproto.h"

int gui_window(const char *title, int w, int h);   /* -> window id */
int gui_destroy(int win);
int gui_fill(int win, int x, int y, int w, int h, uint32_t color);
int gui_line(int win, int x0, int y0, int x1, int y1, uint32_t color);
/* Characters at (x, y), each GUIP_FONT_W*scale wide; bg may be GUIP_TRANSPARENT. */
int gui_text(int win, int x, int y, const char *s, size_t n, uint32_t fg, uint32_t bg, int scale);
/* w*h pixels, row by row; sent in as many requests as the IPC limit needs. */
int gui_blit(int win, int x, int y, int w, int h, const uint32_t *pixels);
int gui_present(int win);
/* The next event for any of this program's windows: 0, or -ETIMEDOUT. */
int gui_event(struct guip_event *ev, long timeout_ms);
int gui_pid(void);

/* For apps' main loops. gui_window, or exit(1) with a message. */
int gui_window_or_exit(const char *title, int w, int h);
/* The next event, waiting until the clock (clock_ns) reaches due_ns, or
 * without limit for 0. 1: an event, 0: due_ns came first. A closed window
 * ends the program with status 0, a lost gui with status 1. */
int gui_next(struct guip_event *ev, uint64_t due_ns);

#endif
