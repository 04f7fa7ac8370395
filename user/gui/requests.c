/* Client requests (tsubame/guiproto.h). Everything is checked here: the
 * header, the payload length, that the window exists and belongs to the
 * sender (the kernel stamps the sender's pid), sizes and scales; drawing is
 * clipped to the window. A bad message is dropped; a bad call is answered
 * with its error. Answers go through ipc_reply, which never blocks: a
 * client that does not read cannot stall the desktop. */
#include <stdio.h>
#include <string.h>

#include "compositor.h"
#include "tsubame.h"

static void answer(const struct tsb_ipc_info *info, int kind, int win, int value)
{
	struct guip_event ev = { GUIP_MAGIC, (uint16_t)kind, 0, win, 0, 0, value };
	ipc_reply(info->token, &ev, sizeof ev);
}

static int create(int sender, const struct guip_request *rq, const char *data)
{
	char title[GUIP_TITLE_MAX + 1];
	size_t n = rq->len < GUIP_TITLE_MAX ? rq->len : GUIP_TITLE_MAX;
	int err = 0;

	memcpy(title, data, n);
	title[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)title[i] < 0x20)
			title[i] = ' ';
	struct window *w = window_create(sender, title, rq->w, rq->h, &err);
	return w ? w->id : err;
}

/* Carries out one request; returns 0 or -errno. */
static int handle(int sender, bool call, const void *msg, long len)
{
	struct guip_request rq;

	if (len < (long)sizeof rq)
		return -EPROTO;
	memcpy(&rq, msg, sizeof rq);
	const char *data = (const char *)msg + sizeof rq;
	if (rq.magic != GUIP_MAGIC || rq.len != (uint64_t)len - sizeof rq || rq.len > GUIP_MAX_DATA)
		return -EPROTO;
	if (rq.op == GUIP_CREATE) /* only as a call: the id is its answer */
		return call ? create(sender, &rq, data) : -EPROTO;
	struct window *w = window_find(sender, rq.win);
	if (!w)
		return -EBADF;
	struct surface *s = &w->content;
	struct rect all = { 0, 0, s->w, s->h };
	switch (rq.op) {
	case GUIP_DESTROY:
		window_destroy(w);
		return 0;
	case GUIP_FILL:
		draw_fill(s, all, (struct rect){ rq.x, rq.y, rq.w, rq.h }, rq.color);
		return 0;
	case GUIP_LINE:
		draw_line(s, all, rq.x, rq.y, rq.w, rq.h, rq.color);
		return 0;
	case GUIP_TEXT:
		if (rq.w < 1 || rq.w > GUIP_MAX_SCALE)
			return -EINVAL;
		draw_text(s, all, rq.x, rq.y, data, rq.len, rq.color, rq.bg, rq.w);
		return 0;
	case GUIP_BLIT:
		if (rq.w <= 0 || rq.h <= 0 || rq.w > GUIP_MAX_DATA / 4 || (uint64_t)rq.w * (uint64_t)rq.h * 4 != rq.len)
			return -EINVAL;
		draw_blit(s, all, rq.x, rq.y, (const uint32_t *)data, rq.w, rq.h, rq.w);
		return 0;
	case GUIP_PRESENT:
		damage(window_content_rect(w));
		return 0;
	default:
		return -ENOSYS;
	}
}

void requests_handle(const struct tsb_ipc_info *info, const void *msg, long len)
{
	bool call = info->kind == TSB_IPC_CALL;
	int r = len < 0 ? (int)len : handle(info->sender, call, msg, len);

	if (!call)
		return;
	bool create = len >= (long)sizeof(struct guip_request) && ((const struct guip_request *)msg)->op == GUIP_CREATE;
	if (create && r != -EPROTO)
		answer(info, GUIP_EV_CREATED, r > 0 ? r : 0, r);
	else
		answer(info, GUIP_EV_STATUS, 0, r);
}

/* Apps the launcher started are our children: collect them, and take away
 * the windows of any that ended without closing them (and of other
 * programs that are gone). */
void reap_children(void)
{
	int status, pid;

	while ((pid = waitpid(-1, &status, TSB_WNOHANG)) > 0)
		windows_destroy_owned(pid);
	windows_destroy_dead_owners();
}
