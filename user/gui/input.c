/* Input: the tablet's absolute pointer and buttons, and the keyboard's
 * key codes (Linux evdev numbering, US layout), turned into window
 * management (raise, focus, drag, close, launch) and client events. */
#include "compositor.h"
#include "tsubame.h"

#define KEY_LEFTCTRL 29
#define KEY_LEFTSHIFT 42
#define KEY_RIGHTSHIFT 54
#define KEY_RIGHTCTRL 97
#define KEY_UP 103
#define KEY_LEFT 105
#define KEY_RIGHT 106
#define KEY_DOWN 108
#define KEY_DELETE 111

/* Characters for key codes 0..57, without and with shift. */
static const char plain[] = "\0\x1b" "1234567890-=\b\t" "qwertyuiop[]\n\0" "asdfghjkl;'`\0\\"
			    "zxcvbnm,./\0*\0 ";
static const char shifted[] = "\0\x1b" "!@#$%^&*()_+\b\t" "QWERTYUIOP{}\n\0" "ASDFGHJKL:\"~\0|"
			      "ZXCVBNM<>?\0*\0 ";

static int px, py, new_x, new_y;       /* pointer: shown, and as of the latest events */
static bool left, new_left;
static bool shift, ctrl;
static struct window *dragging, *pressed_in;
static int drag_dx, drag_dy;

static void press(void)
{
	struct window *w = window_at(px, py);

	if (!w) {
		if (rect_contains(taskbar_rect(), px, py))
			taskbar_click(px, py);
		return;
	}
	window_raise(w);
	if (rect_contains(window_close_rect(w), px, py)) {
		/* The window goes at once; its owner is told and may exit. */
		int owner = w->owner, id = w->id;
		window_destroy(w);
		struct window gone = { .owner = owner, .id = id };
		window_send(&gone, GUIP_EV_CLOSE, 0, 0, 0);
	} else if (rect_contains(window_title_rect(w), px, py)) {
		dragging = w;
		drag_dx = px - w->frame.x;
		drag_dy = py - w->frame.y;
	} else {
		struct rect c = window_content_rect(w);
		if (rect_contains(c, px, py)) {
			pressed_in = w;
			window_send(w, GUIP_EV_DOWN, px - c.x, py - c.y, 1);
		}
	}
}

static void release(void)
{
	struct window *w = pressed_in;

	dragging = NULL;
	pressed_in = NULL;
	if (w && w->used) {
		struct rect c = window_content_rect(w);
		window_send(w, GUIP_EV_UP, px - c.x, py - c.y, 1);
	}
}

/* Applies the pointer state collected since the last SYN. */
static void pointer_sync(void)
{
	if (new_x != px || new_y != py) {
		px = new_x;
		py = new_y;
		cursor_move(px, py);
		if (dragging && dragging->used) {
			window_move(dragging, px - drag_dx, py - drag_dy);
		} else if (pressed_in && pressed_in->used) {
			struct rect c = window_content_rect(pressed_in);
			window_send(pressed_in, GUIP_EV_MOVE, px - c.x, py - c.y, 1);
		}
	}
	if (new_left != left) {
		left = new_left;
		if (left)
			press();
		else
			release();
	}
}

static int key_value(unsigned code)
{
	switch (code) {
	case KEY_UP: return GUIP_KEY_UP;
	case KEY_DOWN: return GUIP_KEY_DOWN;
	case KEY_LEFT: return GUIP_KEY_LEFT;
	case KEY_RIGHT: return GUIP_KEY_RIGHT;
	case KEY_DELETE: return GUIP_KEY_DELETE;
	}
	if (code >= sizeof plain - 1)
		return 0;
	char c = (shift ? shifted : plain)[code];
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return c & 0x1f;
	return (unsigned char)c;
}

static void key(unsigned code, int value)
{
	if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
		shift = value != 0;
		return;
	}
	if (code == KEY_LEFTCTRL || code == KEY_RIGHTCTRL) {
		ctrl = value != 0;
		return;
	}
	struct window *w = window_focused();
	int v = value ? key_value(code) : 0; /* presses and repeats only */
	if (v && w)
		window_send(w, GUIP_EV_KEY, 0, 0, v);
}

void input_handle(const struct tsb_input_event *ev, int n)
{
	for (int i = 0; i < n; i++) {
		const struct tsb_input_event *e = &ev[i];
		switch (e->type) {
		case TSB_EV_ABS: {
			int64_t v = e->value < 0 ? 0 : e->value > TSB_INPUT_ABS_MAX ? TSB_INPUT_ABS_MAX : e->value;
			if (e->code == TSB_ABS_X)
				new_x = (int)(v * (screen.w - 1) / TSB_INPUT_ABS_MAX);
			else if (e->code == TSB_ABS_Y)
				new_y = (int)(v * (screen.h - 1) / TSB_INPUT_ABS_MAX);
			break;
		}
		case TSB_EV_KEY:
			if (e->code == TSB_BTN_LEFT)
				new_left = e->value != 0;
			else if (e->code < 0x100)
				key(e->code, e->value);
			break;
		case TSB_EV_SYN:
			pointer_sync();
			break;
		}
	}
}

/* A destroyed window must not stay the target of a drag or a press. */
void input_forget(struct window *w)
{
	if (dragging == w) dragging = NULL;
	if (pressed_in == w) pressed_in = NULL;
}
