/* Client requests (tsubame/guiproto.h). Everything is checked here: the
 * header, the payload length, that the window exists and belongs to the
 * sender (the kernel stamps the sender's pid), sizes and scales; drawing is
 * clipped to the window. A bad request is dropped. */
#include <stdio.h>
#include <string.h>

#include "compositor.h"
#include "tsubame.h"

static void created(int sender, int value)
{
	struct guip_event ev = { GUIP_MAGIC, GUIP_EV_CREATED, 0, value > 0 ? value : 0, 0, 0, value };
	ipc_send(sender, &ev, sizeof ev, TSB_NO_WAIT);
}

static void create(int sender, const struct guip_request *rq, const char *data)
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
	created(sender, w ? w->id : err);
}

void requests_handle(int sender, const void *msg, long len)
{
	struct guip_request rq;

	if (len < (long)sizeof rq)
		return;
	memcpy(&rq, msg, sizeof rq);
	const char *data = (const char *)msg + sizeof rq;
	if (rq.magic != GUIP_MAGIC || rq.len != (uint64_t)len - sizeof rq || rq.len > GUIP_MAX_DATA)
		return;
	if (rq.op == GUIP_CREATE) {
		create(sender, &rq, data);
		return;
	}
	struct window *w = window_find(sender, rq.win);
	if (!w)
		return;
	struct surface *s = &w->content;
	struct rect all = { 0, 0, s->w, s->h };
	switch (rq.op) {
	case GUIP_DESTROY:
		window_destroy(w);
		break;
	case GUIP_FILL:
		draw_fill(s, all, (struct rect){ rq.x, rq.y, rq.w, rq.h }, rq.color);
		break;
	case GUIP_LINE:
		draw_line(s, all, rq.x, rq.y, rq.w, rq.h, rq.color);
		break;
	case GUIP_TEXT:
		if (rq.w >= 1 && rq.w <= GUIP_MAX_SCALE)
			draw_text(s, all, rq.x, rq.y, data, rq.len, rq.color, rq.bg, rq.w);
		break;
	case GUIP_BLIT:
		if (rq.w > 0 && rq.h > 0 && rq.w <= GUIP_MAX_DATA / 4 &&
		    (uint64_t)rq.w * (uint64_t)rq.h * 4 == rq.len)
			draw_blit(s, all, rq.x, rq.y, (const uint32_t *)data, rq.w, rq.h, rq.w);
		break;
	case GUIP_PRESENT:
		damage(window_content_rect(w));
		break;
	}
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
