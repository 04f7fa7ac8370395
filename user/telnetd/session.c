/* One telnet session: a shell whose console is a pair of pipes, and the
 * connection. The session waits on both at once with poll: the shell's
 * output pipe, and IPC for the reply to a receive it keeps running in the
 * background at netd (tcp_recv_start). It ends when the client hangs up
 * (the shell is told by end of input, then killed if it lingers) or when
 * the shell exits (its output pipe reaches end of file). */
#include <stdio.h>

#include "telnetd.h"
#include "tsubame.h"

#define CHUNK 1024
#define SHARE_WAIT_TRIES 200 /* the parent shares the connection just after starting us */
#define SHELL_EXIT_MS 1000   /* after end of input, before the shell is killed */

static struct telnet tn;
static uint8_t in[CHUNK], data[CHUNK], answers[3 * CHUNK], out[2 * CHUNK];
static char shell_out[CHUNK];

static int start_shell(int *to_shell, int *from_shell)
{
	int a[2], b[2], err;
	if ((err = pipe(a)) < 0 || (err = pipe(b)) < 0)
		return err;
	char *argv[] = { "/bin/shell.elf", NULL };
	char *envp[] = { "PATH=/bin", NULL };
	struct tsb_spawn_opts o = { .flags = TSB_SPAWN_CONSOLE, .console_in = a[0], .console_out = b[1] };
	int pid = spawn_opts("/bin/shell.elf", argv, envp, &o);
	/* Only the shell keeps its ends: end of file then means what it says. */
	close(a[0]);
	close(b[1]);
	if (pid < 0) {
		close(a[1]);
		close(b[0]);
		return pid;
	}
	*to_shell = a[1];
	*from_shell = b[0];
	return pid;
}

/* Client bytes to the shell; false once the client is gone. */
static bool from_client(int conn, int to_shell)
{
	long n = tcp_recv_finish(in, sizeof in, TSB_NO_WAIT);
	if (n == -EAGAIN || n == -ETIMEDOUT)
		return true; /* the IPC message was not netd's reply */
	if (n <= 0)
		return false;
	size_t dn, an;
	telnet_input(&tn, in, (size_t)n, data, &dn, answers, &an);
	if (an && tcp_send(conn, answers, an) < 0)
		return false;
	if (dn && write(to_shell, data, dn) < 0)
		return false;
	return tcp_recv_start(conn, sizeof in) == 0;
}

/* Shell output to the client; false once the shell is gone. */
static bool from_shell(int conn, int pipe_fd, bool *after_cr)
{
	long n = read(pipe_fd, shell_out, sizeof shell_out);
	if (n <= 0)
		return false;
	size_t on = telnet_output(shell_out, (size_t)n, out, after_cr);
	return tcp_send(conn, out, on) == (long)on;
}

int session_main(int conn)
{
	uint8_t offer[6];
	long r = -EBADF;
	/* The first use of the shared handle may come before the share. */
	for (int i = 0; i < SHARE_WAIT_TRIES && (r = tcp_send(conn, offer, telnet_start(&tn, offer))) == -EBADF; i++)
		sleep_ms(10);
	if (r < 0)
		return 1;
	int to_shell, from;
	int shell = start_shell(&to_shell, &from);
	if (shell < 0) {
		printf("telnetd: cannot start a shell: %s\n", strerror(shell));
		tcp_close(conn);
		return 1;
	}
	bool after_cr = false, client_open = tcp_recv_start(conn, sizeof in) == 0, shell_open = true;
	while (client_open && shell_open) {
		struct tsb_pollfd p[2] = { { TSB_POLL_IPC, TSB_POLL_IN, 0 }, { from, TSB_POLL_IN, 0 } };
		if (!tcp_recv_arrived() && poll(p, 2, TSB_FOREVER) < 0)
			break;
		if (tcp_recv_arrived() || p[0].revents)
			client_open = from_client(conn, to_shell);
		if (p[1].revents)
			shell_open = from_shell(conn, from, &after_cr);
	}
	/* End of input for the shell; kill it if it does not leave. */
	close(to_shell);
	int status;
	uint64_t until = clock_ns() + SHELL_EXIT_MS * 1000000ull;
	while (waitpid(shell, &status, TSB_WNOHANG) == 0 && clock_ns() < until)
		sleep_ms(20);
	if (waitpid(shell, &status, TSB_WNOHANG) == 0) {
		kill(shell);
		waitpid(shell, &status, 0);
	}
	close(from);
	tcp_close(conn);
	return 0;
}
