/* The gui client library: each call is one IPC message to the gui service
 * (tsubame/guiproto.h). Only window creation is a call that waits for its
 * reply; drawing is sent, and a fast client waits when its own account of
 * queued messages is full. Events come back as messages from the gui,
 * which the client accepts from the gui alone. */
#include "gui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define SEND_TIMEOUT_MS 5000

static int gui;
static union {
	struct guip_request rq;
	char bytes[sizeof(struct guip_request) + GUIP_MAX_DATA];
} msg;

int gui_pid(void)
{
	if (gui <= 0) {
		int pid = proc_find("gui.elf");
		gui = pid > 0 ? pid : 0;
	}
	return gui ? gui : -ENODEV;
}

/* Sends a request; with `reply`, as a call that waits for the gui's
 * answer (one event). */
static int send(struct guip_request *rq, const void *data, size_t len, struct guip_event *reply)
{
	int pid = gui_pid();

	if (pid < 0)
		return pid;
	if (len > GUIP_MAX_DATA)
		return -EMSGSIZE;
	rq->magic = GUIP_MAGIC;
	rq->len = (uint32_t)len;
	msg.rq = *rq;
	if (len)
		memcpy(msg.bytes + sizeof *rq, data, len);
	long r = reply ? ipc_call(pid, msg.bytes, sizeof *rq + len, reply, sizeof *reply, SEND_TIMEOUT_MS)
		       : ipc_send(pid, msg.bytes, sizeof *rq + len, SEND_TIMEOUT_MS);
	if (r == -ESRCH)
		gui = 0; /* gone; a restarted gui is found again next time */
	if (reply && r >= 0)
		r = r == sizeof *reply && reply->magic == GUIP_MAGIC ? 0 : -EPROTO;
	return (int)r;
}

int gui_event(struct guip_event *ev, long timeout_ms)
{
	int pid = gui_pid();

	if (pid < 0)
		return pid;
	for (;;) {
		long r = ipc_recv_from(pid, ev, sizeof *ev, timeout_ms);
		if (r < 0)
			return (int)r;
		if (r == sizeof *ev && ev->magic == GUIP_MAGIC)
			return 0;
	}
}

int gui_window(const char *title, int w, int h)
{
	struct guip_request rq = { .op = GUIP_CREATE, .w = w, .h = h };
	size_t n = strnlen(title, GUIP_TITLE_MAX);
	struct guip_event ev;
	int pid = gui_pid();

	if (pid < 0)
		return pid;
	/* Events come from the gui alone; everyone else's messages are refused. */
	int err = ipc_accept(pid, TSB_IPC_ACCEPT_MESSAGES);
	if (!err)
		err = send(&rq, title, n, &ev);
	if (!err && ev.kind != GUIP_EV_CREATED)
		err = -EPROTO;
	return err ? err : ev.value;
}

int gui_destroy(int win)
{
	struct guip_request rq = { .op = GUIP_DESTROY, .win = win };
	return send(&rq, NULL, 0, NULL);
}

int gui_fill(int win, int x, int y, int w, int h, uint32_t color)
{
	struct guip_request rq = { .op = GUIP_FILL, .win = win, .x = x, .y = y, .w = w, .h = h,
				   .color = color };
	return send(&rq, NULL, 0, NULL);
}

int gui_line(int win, int x0, int y0, int x1, int y1, uint32_t color)
{
	struct guip_request rq = { .op = GUIP_LINE, .win = win, .x = x0, .y = y0, .w = x1, .h = y1,
				   .color = color };
	return send(&rq, NULL, 0, NULL);
}

int gui_text(int win, int x, int y, const char *s, size_t n, uint32_t fg, uint32_t bg, int scale)
{
	struct guip_request rq = { .op = GUIP_TEXT, .win = win, .x = x, .y = y, .w = scale,
				   .color = fg, .bg = bg };
	return send(&rq, s, n, NULL);
}

int gui_blit(int win, int x, int y, int w, int h, const uint32_t *pixels)
{
	if (w <= 0 || h <= 0 || w > GUIP_MAX_DATA / 4)
		return -EINVAL;
	int rows = GUIP_MAX_DATA / 4 / w;
	for (int r = 0; r < h; r += rows) {
		int n = h - r < rows ? h - r : rows;
		struct guip_request rq = { .op = GUIP_BLIT, .win = win, .x = x, .y = y + r, .w = w, .h = n };
		int err = send(&rq, pixels + (size_t)r * w, (size_t)n * w * 4, NULL);
		if (err)
			return err;
	}
	return 0;
}

int gui_present(int win)
{
	struct guip_request rq = { .op = GUIP_PRESENT, .win = win };
	return send(&rq, NULL, 0, NULL);
}

int gui_window_or_exit(const char *title, int w, int h)
{
	int win = gui_window(title, w, h);

	if (win < 0) {
		printf("%s: no window: %s\n", title, strerror(win));
		exit(1);
	}
	return win;
}

int gui_next(struct guip_event *ev, uint64_t due_ns)
{
	uint64_t now = clock_ns();
	long wait = !due_ns ? TSB_FOREVER : now >= due_ns ? TSB_NO_WAIT
			    : (long)((due_ns - now) / 1000000) + 1;
	int err = gui_event(ev, wait);

	if (err == -ETIMEDOUT)
		return 0;
	if (err)
		exit(1);
	if (ev->kind == GUIP_EV_CLOSE)
		exit(0);
	return 1;
}
