/* httpd: an HTTP/1.1 server on port 8080 over netd's TCP. Design: a pool
 * of worker processes (this program started again with "worker H") that
 * all wait in accept on one listening socket, which netd lets them share
 * (NETP_SHARE). Each worker serves one connection at a time, with
 * keep-alive, so HTTPD_WORKERS clients are served at once; the parent
 * only supervises and replaces a worker that dies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"

static int workers[HTTPD_WORKERS];

static int start_worker(int listener)
{
	char handle[16];
	snprintf(handle, sizeof handle, "%d", listener);
	char *argv[] = { "/bin/httpd.elf", "worker", handle, NULL };
	char *envp[] = { NULL };
	int pid = spawn("/bin/httpd.elf", argv, envp);
	if (pid < 0) {
		printf("httpd: cannot start a worker: %s\n", strerror(pid));
		return 0;
	}
	int err = net_share(listener, pid);
	if (err < 0) {
		printf("httpd: cannot share the socket with worker %d: %s\n", pid, strerror(err));
		kill(pid);
		return err;
	}
	return pid;
}

/* Listens (waiting up to 10 s for netd) and starts every worker. */
static int listen_and_start(void)
{
	int l = tcp_listen_wait(HTTPD_PORT, 16, 10000);
	if (l < 0) {
		printf("httpd: cannot listen on port %d: %s\n", HTTPD_PORT, strerror(l));
		exit(1);
	}
	for (int i = 0; i < HTTPD_WORKERS; i++)
		workers[i] = start_worker(l);
	return l;
}

/* Worker i ended: start another. If the listening socket died with a
 * restarted netd, listen again and replace all of them. */
static void replace(int i, int *l)
{
	sleep_ms(100); /* no tight loop if workers keep dying */
	int pid = start_worker(*l);
	workers[i] = pid > 0 ? pid : 0;
	if (!net_handle_lost(pid))
		return;
	printf("httpd: the listening socket is gone (netd restarted?); listening again\n");
	for (int j = 0; j < HTTPD_WORKERS; j++)
		if (workers[j] > 0)
			kill(workers[j]); /* reaped below like any other child */
	*l = listen_and_start();
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "worker") == 0) {
		worker_main(atoi(argv[2]));
		return 0;
	}
	int l = listen_and_start();
	printf("httpd: listening on port %d with %d workers\n", HTTPD_PORT, HTTPD_WORKERS);
	service_ready();
	for (;;) {
		int status;
		int pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			sleep_ms(1000);
			continue;
		}
		for (int i = 0; i < HTTPD_WORKERS; i++)
			if (workers[i] == pid) {
				printf("httpd: worker %d ended (status %#x); starting another\n", pid, status);
				replace(i, &l);
			}
	}
}
