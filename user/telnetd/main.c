/* telnetd: shell sessions over telnet on port 2323. It accepts each
 * connection, starts this program again as "session H" for it, hands the
 * connection over (NETP_SHARE, then its own close) and goes back to
 * accept; a session is one process with its own shell, so sessions are
 * independent and a crash ends only one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telnetd.h"
#include "tsubame.h"

#define REAP_MS 1000 /* accept wakes up this often to reap ended sessions */

static int sessions;

static void reap(void)
{
	int status;
	while (sessions > 0 && waitpid(-1, &status, TSB_WNOHANG) > 0)
		sessions--;
}

static void start_session(int conn)
{
	char handle[16];
	snprintf(handle, sizeof handle, "%d", conn);
	char *argv[] = { "/bin/telnetd.elf", "session", handle, NULL };
	char *envp[] = { "PATH=/bin", NULL };
	int pid = spawn("/bin/telnetd.elf", argv, envp);
	int err = pid < 0 ? pid : net_share(conn, pid);
	if (err < 0) {
		printf("telnetd: cannot start a session: %s\n", strerror(err));
		if (pid > 0)
			kill(pid);
	}
	if (pid > 0)
		sessions++;
	tcp_close(conn); /* the session holds it now */
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "session") == 0)
		return session_main(atoi(argv[2]));
	int l = tcp_listen_wait(TELNETD_PORT, 8, 10000);
	if (l < 0) {
		printf("telnetd: cannot listen on port %d: %s\n", TELNETD_PORT, strerror(l));
		return 1;
	}
	printf("telnetd: listening on port %d\n", TELNETD_PORT);
	service_ready();
	for (;;) {
		reap();
		if (sessions >= TELNETD_SESSIONS) {
			sleep_ms(100);
			continue;
		}
		int c = tcp_accept(l, REAP_MS);
		if (c >= 0) {
			start_session(c);
		} else if (net_handle_lost(c)) {
			/* netd was restarted and took the socket with it */
			printf("telnetd: the listening socket is gone (%s); listening again\n", strerror(c));
			if ((l = tcp_listen_wait(TELNETD_PORT, 8, 10000)) < 0)
				return 1; /* init starts us again */
		} else if (c != -ETIMEDOUT) {
			sleep_ms(100);
		}
	}
}
