/* The gui protocol: what clients (lib/libc/gui.c) and the gui service
 * (user/gui) send each other over IPC. Requests go to the gui: CREATE as a
 * call (its answer is GUIP_EV_CREATED), the others as messages. The gui
 * answers every call (any other request sent as a call gets
 * GUIP_EV_STATUS) and otherwise sends events, which a client accepts from
 * the gui alone. Every request is checked by the gui: a bad message is
 * dropped, a bad call answered with its error; it never harms the gui or
 * other windows. Colours are 0x00RRGGBB. */
#ifndef TSUBAME_GUIPROTO_H
#define TSUBAME_GUIPROTO_H

#include <stdint.h>

#define GUIP_MAGIC 0x47554950u  /* "GUIP" */
#define GUIP_MAX_DATA (64 * 1024) /* payload bytes in one request */
#define GUIP_TITLE_MAX 40
#define GUIP_TRANSPARENT 0xff000000u /* text background: leave pixels as they are */
/* The built-in font: every character is a FONT_W x FONT_H cell at scale 1. */
#define GUIP_FONT_W 6
#define GUIP_FONT_H 10
#define GUIP_MAX_SCALE 4

enum guip_op {
	GUIP_CREATE = 1, /* w, h: content size; payload: title. Reply GUIP_EV_CREATED */
	GUIP_DESTROY,    /* win */
	GUIP_FILL,       /* win, x, y, w, h, color */
	GUIP_LINE,       /* win, (x, y) to (w, h), color */
	GUIP_TEXT,       /* win, x, y, w = scale, color, bg; payload: characters */
	GUIP_BLIT,       /* win, x, y, w, h; payload: w*h pixels, row by row */
	GUIP_PRESENT,    /* win: show what was drawn since the last present */
};

struct guip_request {
	uint32_t magic;
	uint16_t op;
	uint16_t pad;
	int32_t win;
	int32_t x, y, w, h;
	uint32_t color, bg;
	uint32_t len; /* payload bytes after this header */
};

enum guip_event_kind {
	GUIP_EV_CREATED = 1, /* value: the new window's id, or -errno */
	GUIP_EV_KEY,         /* value: a character or GUIP_KEY_* */
	GUIP_EV_DOWN,        /* x, y: pointer pressed in the content; value: button (1 left, 2 right) */
	GUIP_EV_UP,
	GUIP_EV_MOVE,        /* pointer moved with a button held after a DOWN */
	GUIP_EV_CLOSE,       /* the close button was clicked: the window is gone */
	GUIP_EV_STATUS,      /* the answer to a call other than CREATE: value 0 or -errno */
};

/* Keys beyond characters (Enter is '\n', Backspace '\b', Ctrl+letter 1..26). */
#define GUIP_KEY_UP 0x101
#define GUIP_KEY_DOWN 0x102
#define GUIP_KEY_LEFT 0x103
#define GUIP_KEY_RIGHT 0x104
#define GUIP_KEY_DELETE 0x105

struct guip_event {
	uint32_t magic;
	uint16_t kind;
	uint16_t pad;
	int32_t win;
	int32_t x, y;
	int32_t value;
};

#endif
