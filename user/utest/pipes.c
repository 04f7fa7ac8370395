/* Pipes, poll and redirected consoles, as telnetd and the gui terminal use
 * them: a parent hands a child (and its children) pipe ends as console. */
#include <string.h>

#include "tsubame.h"
#include "utest.h"

/* The child side: echoes its console upper-cased until end of file, then
 * exits 7. With "grand", it first starts a grandchild that inherits the
 * redirected console and writes through it. */
int mode_upper(const char *grandchild)
{
	char buf[128];
	long n;

	if (strcmp(grandchild, "grand") == 0) {
		char *argv[] = { SELF, "upper", "hello", NULL };
		int st, pid = spawn(SELF, argv, NULL);
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return fail("grandchild", pid);
	} else if (*grandchild) {
		console_write(grandchild, strlen(grandchild));
		return 0;
	}
	while ((n = console_read(buf, sizeof buf, TSB_FOREVER)) > 0) {
		for (long i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] = (char)(buf[i] - 'a' + 'A');
		console_write(buf, (size_t)n);
	}
	return n == 0 ? 7 : fail("console read", n);
}

/* Reads from fd until `want` bytes arrived, end of file, or 2 s. */
static long read_all(int fd, char *buf, size_t want)
{
	size_t got = 0;
	uint64_t until = clock_ns() + 2000000000ull;

	while (got < want && clock_ns() < until) {
		struct tsb_pollfd p = { .fd = fd, .events = TSB_POLL_IN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		long n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return (long)got;
}

static int basics(void)
{
	int fds[2];
	char buf[16];
	long r;

	if ((r = pipe(fds)) != 0)
		return fail("pipe", r);
	struct tsb_pollfd p[3] = { { fds[0], TSB_POLL_IN, 0 }, { fds[1], TSB_POLL_OUT, 0 }, { 31, TSB_POLL_IN, 0 } };
	if ((r = poll(p, 3, 0)) != 2 || p[0].revents || p[1].revents != TSB_POLL_OUT || p[2].revents != TSB_POLL_NVAL)
		return fail("poll on an empty pipe", r);
	if ((r = write(fds[1], "hello", 5)) != 5)
		return fail("write", r);
	if ((r = poll(p, 1, TSB_FOREVER)) != 1 || p[0].revents != TSB_POLL_IN)
		return fail("poll after a write", r);
	if ((r = read(fds[0], buf, sizeof buf)) != 5 || memcmp(buf, "hello", 5) != 0)
		return fail("read", r);
	if ((r = seek(fds[0], 0, 0)) != -ESPIPE)
		return fail("seek on a pipe", r);
	if ((r = write(fds[0], "x", 1)) != -EBADF)
		return fail("write to the read end", r);
	close(fds[1]);
	if ((r = poll(p, 1, 0)) != 1 || !(p[0].revents & TSB_POLL_HUP) || (r = read(fds[0], buf, 1)) != 0)
		return fail("end of file after the writer closed", r);
	close(fds[0]);
	if ((r = pipe(fds)) != 0)
		return fail("pipe", r);
	close(fds[0]);
	if ((r = write(fds[1], "x", 1)) != -EPIPE)
		return fail("write with no reader", r);
	close(fds[1]);
	/* A full pipe takes exactly its capacity without waiting. */
	if ((r = pipe(fds)) != 0)
		return fail("pipe", r);
	static char big[8192];
	struct tsb_pollfd w = { fds[1], TSB_POLL_OUT, 0 };
	long put = 0;
	while (poll(&w, 1, 0) == 1 && put < (long)sizeof big)
		put += write(fds[1], big, 512);
	if (put != 4096 || (r = read_all(fds[0], big, sizeof big)) != 4096)
		return fail("pipe capacity", put);
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* poll waits for a pipe and IPC at once, and times out when neither comes. */
static int poll_ipc(void)
{
	int fds[2];
	long r;

	if ((r = pipe(fds)) != 0)
		return fail("pipe", r);
	struct tsb_pollfd p[2] = { { fds[0], TSB_POLL_IN, 0 }, { TSB_POLL_IPC, TSB_POLL_IN, 0 } };
	uint64_t t0 = clock_ns();
	if ((r = poll(p, 2, 50)) != 0 || clock_ns() - t0 < 40000000ull)
		return fail("poll timeout", r);
	char *argv[] = { SELF, "echo", NULL };
	int echo = spawn(SELF, argv, NULL), t = -1;
	for (int i = 0; echo > 0 && i < 2000 && (t = ipc_request(echo, "ping", 4, 8, 1000)) == -ECONNREFUSED; i++)
		sleep_ms(5); /* until it has opened its mailbox */
	if (echo < 0 || t < 0)
		return fail("start echo", t);
	if ((r = poll(p, 2, 10000)) != 1 || p[1].revents != TSB_POLL_IN || p[0].revents)
		return fail("poll woken by a reply", r);
	char buf[8];
	int st;
	if ((r = ipc_await(t, buf, sizeof buf, TSB_NO_WAIT)) != 4)
		return fail("the reply poll saw", r);
	ipc_send(echo, "quit", 4, 1000);
	waitpid(echo, &st, 0);
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* Starts `argv` with its console on two new pipes; *to writes its input,
 * *from reads its output. */
static int start_redirected(char *const argv[], int *to, int *from)
{
	int in[2], out[2];

	if (pipe(in) != 0 || pipe(out) != 0)
		return -EMFILE;
	struct tsb_spawn_opts o = { .flags = TSB_SPAWN_CONSOLE, .console_in = in[0], .console_out = out[1] };
	int pid = spawn_opts(argv[0], argv, NULL, &o);
	close(in[0]);   /* the child holds its own references now */
	close(out[1]);
	*to = in[1];
	*from = out[0];
	return pid;
}

static int redirected_console(void)
{
	char *argv[] = { SELF, "upper", "grand", NULL };
	char buf[64];
	int to, from, st;
	long r;

	int pid = start_redirected(argv, &to, &from);
	if (pid < 0)
		return fail("spawn with a redirected console", pid);
	if ((r = read_all(from, buf, 5)) != 5 || memcmp(buf, "hello", 5) != 0)
		return fail("the grandchild's output through the inherited console", r);
	write(to, "abc", 3);
	if ((r = read_all(from, buf, 3)) != 3 || memcmp(buf, "ABC", 3) != 0)
		return fail("the child's echo", r);
	close(to); /* end of file for the child */
	if ((r = waitpid(pid, &st, 0)) != pid || st != TSB_STATUS(TSB_EXIT_NORMAL, 7))
		return fail("child status after end of input", st);
	if ((r = read_all(from, buf, sizeof buf)) != 0)
		return fail("end of file once the child exited", r);
	close(from);
	/* The shell itself over pipes: runs a command, then ends at end of input. */
	char *sh[] = { "/bin/shell.elf", NULL };
	static char out[4096];
	if ((pid = start_redirected(sh, &to, &from)) < 0)
		return fail("spawn the shell", pid);
	write(to, "echo piped-shell\n", 17);
	close(to);
	r = read_all(from, out, sizeof out - 1);
	out[r > 0 ? r : 0] = '\0';
	if (!strstr(out, "\npiped-shell\n") || !strstr(out, "shell: exiting"))
		return fail("shell output over pipes", r);
	if (waitpid(pid, &st, 0) != pid || st != 0)
		return fail("shell status", st);
	close(from);
	return 0;
}

int mode_pipes(void)
{
	int r = basics();
	if (!r)
		r = poll_ipc();
	if (!r)
		r = redirected_console();
	return r;
}
