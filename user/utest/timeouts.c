/* utest timeouts: one rule for every blocking call (tsubame/syscall.h):
 * TSB_NO_WAIT, ms > 0 or TSB_FOREVER, and -EINVAL for any other value; a
 * huge timeout waits (its deadline saturates) instead of wrapping around
 * into the past. Each call runs in a child ("utest block CALL TIMEOUT") so
 * that one that wrongly blocks forever is seen and killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"
#include "utest.h"

#define HUGE_MS 0x7fffffffffffffffl /* 2^63 - 1 ms */

/* The call, with that timeout; exit 0 if it said -EINVAL. */
int mode_block(const char *call, const char *t)
{
	long to = strcmp(t, "huge") == 0 ? HUGE_MS : strtol(t, NULL, 10), r;
	char buf[16];

	if (strcmp(call, "recv") == 0)
		r = ipc_recv(NULL, buf, sizeof buf, to);
	else if (strcmp(call, "recv_from") == 0)
		r = ipc_recv_from(getppid(), buf, sizeof buf, to);
	else if (strcmp(call, "send") == 0)
		r = ipc_send(getppid(), "x", 1, to);
	else if (strcmp(call, "request") == 0)
		r = ipc_request(getppid(), "x", 1, 16, to);
	else if (strcmp(call, "await") == 0)
		r = ipc_await(1, buf, sizeof buf, to);
	else if (strcmp(call, "poll") == 0)
		r = poll(NULL, 0, to);
	else if (strcmp(call, "console") == 0)
		r = console_read(buf, sizeof buf, to);
	else if (strcmp(call, "sleep") == 0)
		r = sleep_ms((uint64_t)to);
	else
		return fail("unknown call", 0);
	if (r == -EINVAL)
		return 0;
	printf("utest block %s %s: returned %ld\n", call, t, r);
	return 3;
}

/* Starts "block CALL TIMEOUT", with its console on a pipe if asked. */
static int start_block(const char *call, const char *t, bool piped, int *keep)
{
	char *argv[] = { SELF, "block", (char *)call, (char *)t, NULL };
	struct tsb_spawn_opts o = { .console_in = -1, .console_out = -1 };
	int fds[2];

	*keep = -1;
	if (piped && pipe(fds) == 0) { /* we keep the write end open: no end of file */
		o.flags = TSB_SPAWN_CONSOLE;
		o.console_in = fds[0];
		*keep = fds[1];
	}
	int pid = spawn_opts(SELF, argv, NULL, &o);
	if (piped)
		close(fds[0]);
	return pid;
}

/* Waits up to ms for pid to exit; -1 if it is still there. */
static int wait_ms(int pid, int ms)
{
	int status;
	for (int i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, &status, TSB_WNOHANG) == pid)
			return status;
		sleep_ms(10);
	}
	return -1;
}

/* "-5" must be -EINVAL at once (exit 0, within 10 s however busy the
 * machine); "huge" must still be
 * waiting after 300 ms (then it is killed). */
static int check(const char *call, const char *t, bool piped)
{
	bool huge = strcmp(t, "huge") == 0;
	int keep, pid = start_block(call, t, piped, &keep), status;
	char what[64];

	if (pid < 0)
		return fail("spawn", pid);
	status = wait_ms(pid, huge ? 300 : 10000); /* a busy machine may take a while to start it */
	if (status == -1) { /* still waiting: right for "huge", wrong for "-5" */
		kill(pid);
		waitpid(pid, &status, 0);
	}
	if (keep >= 0)
		close(keep);
	snprintf(what, sizeof what, "%s%s with timeout %s %s", call, piped ? " (pipe)" : "", t,
		 huge ? "waits" : "is -EINVAL at once");
	bool ok = huge ? TSB_STATUS_WHY(status) == TSB_EXIT_KILLED : status == 0;
	return ok ? 0 : fail(what, status);
}

int mode_timeouts(void)
{
	static const char *const calls[] = { "recv", "recv_from", "send", "request", "await", "poll",
					      "console", "sleep" };
	static const char *const waits[] = { "recv", "poll", "console", "sleep" };
	int err = 0;

	for (unsigned i = 0; i < sizeof calls / sizeof calls[0] && !err; i++)
		err = check(calls[i], "-5", false);
	if (!err)
		err = check("console", "-5", true);
	for (unsigned i = 0; i < sizeof waits / sizeof waits[0] && !err; i++)
		err = check(waits[i], "huge", false);
	if (!err)
		err = check("console", "huge", true);
	return err;
}
