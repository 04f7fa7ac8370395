/* gui: the desktop. It owns the display and the input devices (gui
 * authority from init), composes the windows of its clients, and sleeps
 * whenever nothing happens: in SYS_INPUT_READ, which also ends when a client
 * request arrives, with the clock's next minute as the only timeout.
 * Without a display it says so and exits with status 0 (init leaves it). */
#include <stdio.h>

#include "compositor.h"
#include "tsubame.h"

static char msg[TSB_IPC_MAX_MSG];
static struct tsb_input_event events[64];

static void serve_requests(void)
{
	struct tsb_ipc_info info;
	long n;

	/* The buffer holds the largest message IPC allows: none stays stuck. */
	while ((n = ipc_recv(&info, msg, sizeof msg, TSB_NO_WAIT)) >= 0)
		requests_handle(&info, msg, n);
}

int main(void)
{
	int err = screen_init();

	if (err == -ENODEV) {
		printf("gui: no display device; the desktop is not started\n");
		return 0;
	}
	if (err) {
		printf("gui: cannot use the display: %s\n", strerror(err));
		return 1;
	}
	/* Any program may be a client: calls (CREATE) and drawing messages
	 * from anyone, each charged to its sender. */
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS | TSB_IPC_ACCEPT_MESSAGES);
	taskbar_init();
	printf("gui: desktop on a %dx%d display\n", screen.w, screen.h);
	for (;;) {
		screen_render();
		long n = input_read(events, 64, taskbar_clock_wait_ms());
		if (n > 0)
			input_handle(events, (int)n);
		serve_requests();
		reap_children();
		taskbar_tick();
	}
}
