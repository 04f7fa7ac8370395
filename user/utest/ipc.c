/* utest ipc: calls and replies, messages and who accepts them, the
 * accounts that bound what a sender can queue, and what happens when
 * either side gives up or dies (docs/ARCHITECTURE.md, "IPC"). The helper
 * modes are the other processes these checks need. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"
#include "utest.h"

static char big[TSB_IPC_MAX_MSG + 1];

static int start(const char *mode, const char *arg)
{
	char *argv[] = { SELF, (char *)mode, (char *)arg, NULL };
	return spawn(SELF, argv, NULL);
}

/* Starts a helper that opens its mailbox, and waits until it has: a
 * probe (a call given up at once, or for "sink" an empty message) is no
 * longer refused. */
static int start_server(const char *mode, const char *arg)
{
	bool sink = strcmp(mode, "sink") == 0;
	int pid = start(mode, arg);
	for (int i = 0; pid > 0 && i < 2000; i++) {
		int r = sink ? ipc_send(pid, "", 0, TSB_NO_WAIT) : ipc_request(pid, "", 0, 0, TSB_NO_WAIT);
		if (r > 0 && !sink)
			ipc_cancel(r);
		if (r != -ECONNREFUSED)
			break;
		sleep_ms(5);
	}
	return pid;
}

static int stop(int pid)
{
	int status = -1;
	kill(pid);
	waitpid(pid, &status, 0);
	return status;
}

/* A server: answers calls with their own bytes and sends messages back
 * to their sender, until "quit". */
int mode_echo(void)
{
	static char buf[TSB_IPC_MAX_MSG];
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS | TSB_IPC_ACCEPT_MESSAGES);
	for (;;) {
		struct tsb_ipc_info in;
		long n = ipc_recv(&in, buf, sizeof buf, TSB_FOREVER);
		if (n < 0)
			return fail("echo recv", n);
		bool quit = n == 4 && memcmp(buf, "quit", 4) == 0;
		if (in.kind == TSB_IPC_CALL)
			ipc_reply(in.token, buf, (size_t)n); /* never blocks, whatever the caller does */
		else if (!quit)
			ipc_send(in.sender, buf, (size_t)n, TSB_FOREVER);
		if (quit)
			return 0;
	}
}

/* A server that takes nothing off its queue. */
int mode_deaf(void)
{
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS | TSB_IPC_ACCEPT_MESSAGES);
	for (;;)
		sleep_ms(1000);
}

/* Accepts messages from its parent only, and never reads them. */
int mode_sink(void)
{
	ipc_accept(getppid(), TSB_IPC_ACCEPT_MESSAGES);
	for (;;)
		sleep_ms(1000);
}

/* Takes one call, answers it after `ms` and exits with the errno of the
 * answer (0 if it was delivered). */
int mode_late(int ms)
{
	static char buf[256];
	struct tsb_ipc_info in;
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS);
	long n = ipc_recv(&in, buf, sizeof buf, 10000);
	if (n < 0 || in.kind != TSB_IPC_CALL)
		return fail("late: no call", n);
	sleep_ms((uint64_t)ms);
	int r = ipc_reply(in.token, buf, (size_t)n);
	if (ipc_reply(in.token, buf, (size_t)n) != (r == 0 ? -ENOENT : r))
		return fail("late: a token answers twice", r); /* one-shot */
	return -r;
}

/* Takes one call and exits without answering it. */
int mode_vanish(void)
{
	static char buf[256];
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS);
	return ipc_recv(NULL, buf, sizeof buf, 10000) >= 0 ? 0 : 1;
}

/* Sends one 60000-byte message to pid, without waiting: exit 0 if queued. */
int mode_sendone(int pid)
{
	int r = ipc_send(pid, big, 60000, TSB_NO_WAIT);
	return r == 0 ? 0 : fail("sendone", r);
}

/* Makes a call to pid and exits before the answer comes. */
int mode_callexit(int pid)
{
	int t;
	for (int i = 0; i < 2000 && (t = ipc_request(pid, "x", 1, 16, 1000)) == -ECONNREFUSED; i++)
		sleep_ms(5); /* until it has opened its mailbox */
	return t > 0 ? 0 : fail("callexit request", t);
}

static int calls_and_replies(int echo)
{
	char buf[64], back[64];
	long r;

	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "ping %d", i);
		if ((r = ipc_call(echo, buf, strlen(buf) + 1, back, sizeof back, 10000)) != (long)strlen(buf) + 1 ||
		    strcmp(back, buf) != 0)
			return fail("call round trip", r);
	}
	for (size_t i = 0; i < 65536; i++)
		big[i] = (char)(i * 7);
	static char bigback[65536];
	if ((r = ipc_call(echo, big, 65536, bigback, sizeof bigback, 10000)) != 65536 || memcmp(bigback, big, 65536))
		return fail("64 KiB call", r);
	if ((r = ipc_call(echo, big, TSB_IPC_MAX_MSG + 1, back, sizeof back, 2000)) != -EMSGSIZE)
		return fail("oversize request", r);
	/* A reply longer than the room the caller reserved: an error for both. */
	if ((r = ipc_call(echo, "0123456789", 10, back, 4, 10000)) != -EMSGSIZE)
		return fail("reply larger than the reservation", r);
	/* The reply waits in its reservation until the caller asks for it. */
	int t = ipc_request(echo, "later", 6, sizeof back, 1000);
	if (t <= 0)
		return fail("request", t);
	struct tsb_pollfd p = { TSB_POLL_IPC, TSB_POLL_IN, 0 };
	if ((r = poll(&p, 1, 10000)) != 1)
		return fail("poll sees the waiting reply", r);
	if ((r = ipc_await(t, back, sizeof back, TSB_NO_WAIT)) != 6 || strcmp(back, "later") != 0)
		return fail("await of an answered call", r);
	if ((r = ipc_await(t, back, sizeof back, TSB_NO_WAIT)) != -EINVAL)
		return fail("await twice", r);
	if ((r = ipc_call(0, "x", 1, back, sizeof back, 100)) != -ECONNREFUSED)
		return fail("a call to the kernel", r);
	if ((r = ipc_call(getpid(), "x", 1, back, sizeof back, 100)) != -EDEADLK)
		return fail("a call to ourselves", r);
	if ((r = ipc_reply(0x123456789abcull, "x", 1)) != -ESRCH && r != -ENOENT)
		return fail("a forged token", r);
	return 0;
}

static int messages(int echo)
{
	char buf[64];
	long r;

	/* Until we accept echo's messages, what it sends back is refused.
	 * A call after a message is a barrier: echo serves in order, so once
	 * the call is answered the message has been handled. */
	if ((r = ipc_send(echo, "A0", 3, 1000)) != 0)
		return fail("send", r);
	if ((r = ipc_call(echo, "sync", 5, buf, sizeof buf, 10000)) != 5)
		return fail("barrier call", r);
	if ((r = ipc_recv(NULL, buf, sizeof buf, TSB_NO_WAIT)) != -EAGAIN)
		return fail("a message we did not accept arrived", r);
	if ((r = ipc_accept(echo, TSB_IPC_ACCEPT_MESSAGES)) != 0)
		return fail("accept echo", r);
	int echo2 = start_server("echo", NULL);
	if (echo2 < 0 || (r = ipc_accept(echo2, TSB_IPC_ACCEPT_MESSAGES)) != 0)
		return fail("accept echo2", r);
	/* recv_from leaves other senders' messages queued, in order. */
	ipc_send(echo2, "A1", 3, 1000);
	ipc_send(echo2, "A2", 3, 1000);
	if ((r = ipc_call(echo2, "sync", 5, buf, sizeof buf, 10000)) != 5) /* both are back now */
		return fail("barrier call", r);
	ipc_send(echo, "B1", 3, 1000);
	if ((r = ipc_recv_from(echo, buf, sizeof buf, 10000)) != 3 || strcmp(buf, "B1") != 0)
		return fail("recv_from(echo) skipped echo2's messages", r);
	struct tsb_ipc_info in;
	if (ipc_recv(&in, buf, sizeof buf, 10000) != 3 || in.sender != echo2 || in.kind != TSB_IPC_MESSAGE ||
	    strcmp(buf, "A1") != 0)
		return fail("first queued message", in.sender);
	if (ipc_recv(&in, buf, sizeof buf, 10000) != 3 || in.sender != echo2 || strcmp(buf, "A2") != 0)
		return fail("second queued message", in.sender);
	/* A small buffer is an error, not a truncation. */
	ipc_send(echo, "0123456789", 10, 1000);
	if ((r = ipc_recv_from(echo, buf, 4, 10000)) != -EMSGSIZE)
		return fail("recv into a 4-byte buffer", r);
	if ((r = ipc_recv_from(echo, buf, sizeof buf, 10000)) != 10)
		return fail("the message stayed queued", r);
	if ((r = ipc_recv(&in, buf, sizeof buf, TSB_NO_WAIT)) != -EAGAIN)
		return fail("recv no-wait", r);
	uint64_t t0 = clock_ns();
	if ((r = ipc_recv(&in, buf, sizeof buf, 50)) != -ETIMEDOUT)
		return fail("recv 50 ms", r);
	if (clock_ns() - t0 < 45000000ull)
		return fail("timeout came early (ns)", (long)(clock_ns() - t0));
	/* The death of a peer wakes a receiver waiting for it. */
	ipc_send(echo2, "quit", 4, 1000);
	if ((r = ipc_recv_from(echo2, buf, sizeof buf, TSB_FOREVER)) != -ESRCH)
		return fail("recv_from a dead peer", r);
	int status;
	waitpid(echo2, &status, 0);
	if ((r = ipc_send(echo2, "x", 1, 1000)) != -ESRCH)
		return fail("send to a dead process", r);
	if ((r = ipc_accept(echo2, TSB_IPC_ACCEPT_MESSAGES)) != -ESRCH)
		return fail("accept a dead process", r);
	if ((r = ipc_accept(echo, TSB_IPC_ACCEPT_CALLS)) != -EINVAL || (r = ipc_accept(TSB_IPC_ANYONE, 0x80)) != -EINVAL)
		return fail("accept with bad kinds", r);
	return 0;
}

static int refusals(void)
{
	char buf[16];
	long r;
	int plain = start("spin", NULL);

	if (plain < 0)
		return fail("spawn", plain);
	if ((r = ipc_send(plain, "junk", 4, TSB_NO_WAIT)) != -ECONNREFUSED)
		return fail("a message to a process that accepts none", r);
	if ((r = ipc_call(plain, "junk", 4, buf, sizeof buf, 100)) != -ECONNREFUSED)
		return fail("a call to a process that serves none", r);
	stop(plain);
	return 0;
}

/* Messages a process accepted from us are charged to it: its account
 * fills, and then we wait or fail; nobody else is affected. */
static int receiver_account(void)
{
	long r, sent = 0;
	int sink = start_server("sink", NULL);

	while ((r = ipc_send(sink, big, 60000, TSB_NO_WAIT)) == 0)
		sent++;
	if (r != -EAGAIN || sent == 0 || sent > 5)
		return fail("a receiver's full account gives -EAGAIN", r);
	if ((r = ipc_send(sink, big, 60000, 30)) != -ETIMEDOUT)
		return fail("a receiver's full account with a timeout", r);
	stop(sink);
	return 0;
}

/* What we send to a server is charged to us: our account fills, not the
 * server's mailbox; another sender still gets through. */
static int sender_account(void)
{
	long r, sent = 0;
	int deaf = start_server("deaf", NULL), status;
	char arg[16];

	while ((r = ipc_send(deaf, big, 60000, TSB_NO_WAIT)) == 0)
		sent++;
	if (r != -EAGAIN || sent < 2 || sent > 5)
		return fail("a sender's full account gives -EAGAIN", sent);
	if ((r = ipc_send(deaf, big, 60000, 30)) != -ETIMEDOUT)
		return fail("a sender's full account with a timeout", r);
	snprintf(arg, sizeof arg, "%d", deaf);
	int other = start("sendone", arg);
	if (other < 0 || waitpid(other, &status, 0) != other || status != 0)
		return fail("another sender is not held up by ours", status);
	/* Calls: at most TSB_IPC_MAX_CALLS open, each cancelled on demand. */
	stop(deaf);
	deaf = start_server("deaf", NULL);
	int t[TSB_IPC_MAX_CALLS];
	for (int i = 0; i < TSB_IPC_MAX_CALLS; i++)
		if ((t[i] = ipc_request(deaf, "c", 1, 16, TSB_NO_WAIT)) <= 0)
			return fail("request", t[i]);
	if ((r = ipc_request(deaf, "c", 1, 16, TSB_NO_WAIT)) != -EBUSY)
		return fail("one call too many", r);
	if ((r = ipc_await(t[0], big, 16, TSB_NO_WAIT)) != -EAGAIN)
		return fail("await before the answer", r);
	if ((r = ipc_cancel(t[0])) != 0 || (r = ipc_cancel(t[0])) != -EINVAL)
		return fail("cancel", r);
	if ((t[0] = ipc_request(deaf, "c", 1, 16, TSB_NO_WAIT)) <= 0)
		return fail("a cancelled call frees its slot", t[0]);
	/* The room reserved for replies is charged to our account too. */
	for (int i = 0; i < TSB_IPC_MAX_CALLS; i++)
		ipc_cancel(t[i]);
	for (int i = 0; i < 3; i++)
		if ((t[i] = ipc_request(deaf, "c", 1, TSB_IPC_MAX_MSG, TSB_NO_WAIT)) <= 0)
			return fail("a call with a 64 KiB reply", t[i]);
	if ((r = ipc_request(deaf, "c", 1, TSB_IPC_MAX_MSG, TSB_NO_WAIT)) != -EAGAIN)
		return fail("a fourth 64 KiB reservation does not fit the account", r);
	if ((t[3] = ipc_request(deaf, "c", 1, 16, TSB_NO_WAIT)) <= 0)
		return fail("a small one still does", t[3]);
	stop(deaf); /* a server that dies: every open call ends with -ESRCH */
	for (int i = 0; i < TSB_IPC_MAX_CALLS; i++)
		if ((r = ipc_await(t[i], big, 16, 10000)) != -ESRCH)
			return fail("await after the server died", r);
	return 0;
}

/* A server's answer never depends on the caller: it is dropped with an
 * error when the caller gave up or died. */
static int late_answers(void)
{
	char buf[16], arg[16];
	int status;
	long r;

	int late = start("late", "200");
	for (int i = 0; i < 2000 && (r = ipc_call(late, "hello", 6, buf, sizeof buf, 50)) == -ECONNREFUSED; i++)
		sleep_ms(5);
	if (r != -ETIMEDOUT)
		return fail("a call that times out", r);
	waitpid(late, &status, 0);
	if (TSB_STATUS_CODE(status) != ENOENT)
		return fail("a reply after the caller gave up is -ENOENT", status);
	late = start("late", "200");
	snprintf(arg, sizeof arg, "%d", late);
	int caller = start("callexit", arg);
	waitpid(caller, &status, 0);
	waitpid(late, &status, 0);
	if (TSB_STATUS_CODE(status) != ESRCH)
		return fail("a reply to a caller that died is -ESRCH", status);
	int vanish = start("vanish", NULL);
	for (int i = 0; i < 2000 && (r = ipc_call(vanish, "x", 1, buf, sizeof buf, 5000)) == -ECONNREFUSED; i++)
		sleep_ms(5);
	if (r != -ESRCH)
		return fail("a server that exits without answering", r);
	waitpid(vanish, &status, 0);
	return 0;
}

int mode_ipc(void)
{
	int echo = start_server("echo", NULL), status;

	if (echo < 0)
		return fail("spawn echo", echo);
	int err = calls_and_replies(echo);
	if (!err)
		err = messages(echo);
	if (!err)
		err = refusals();
	if (!err)
		err = receiver_account();
	if (!err)
		err = sender_account();
	if (!err)
		err = late_answers();
	ipc_send(echo, "quit", 4, 1000);
	waitpid(echo, &status, 0);
	return err ? err : TSB_STATUS_CODE(status) == 0 ? 0 : fail("echo exit", status);
}
