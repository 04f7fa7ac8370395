/* A worker: accepts a connection, answers its requests one after another
 * while the client keeps it alive, closes it, accepts the next. */
#include <stdio.h>
#include <string.h>

#include "httpd.h"

#define SHARE_WAIT_TRIES 200 /* the parent shares the listener just after starting us */

static char buf[REQUEST_MAX + 1];
static size_t have; /* bytes in buf: the next request(s), as received */

/* The end of the header block in buf, or NULL. */
static char *header_end(void)
{
	char *e = strstr(buf, "\r\n\r\n");
	if (e)
		return e + 4;
	e = strstr(buf, "\n\n");
	return e ? e + 2 : NULL;
}

/* Reads until buf holds a whole header block. Returns its length, 0 if
 * the client closed or stayed idle, or -414 / -400 if it is too long. */
static long read_request(int conn)
{
	for (;;) {
		buf[have] = '\0';
		char *end = header_end();
		if (end)
			return end - buf;
		if (have == REQUEST_MAX)
			return memchr(buf, '\n', have) ? -400 : -414;
		if (memchr(buf, '\0', have))
			return -400; /* a NUL in the headers */
		long n = tcp_recv(conn, buf + have, REQUEST_MAX - have, IDLE_MS);
		if (n <= 0)
			return 0;
		have += (size_t)n;
	}
}

static void serve_connection(int conn)
{
	have = 0;
	for (;;) {
		struct request rq = { .keep_alive = false };
		long len = read_request(conn);
		if (len == 0)
			return;
		if (len < 0) {
			respond_error(conn, &rq, (int)-len, len == -414 ? "the request line is too long"
								  : "the request headers are too long or malformed");
			return;
		}
		char saved = buf[len];
		buf[len] = '\0';
		int status = parse_request(buf, &rq);
		buf[len] = saved;
		if (status) {
			rq.keep_alive = false;
			respond_error(conn, &rq, status, status == 405 ? "only GET and HEAD are served"
							: status == 414 ? "the path is too long"
							: "the request is malformed or leaves the root");
			return;
		}
		respond_path(conn, &rq);
		if (!rq.keep_alive)
			return;
		memmove(buf, buf + len, have - (size_t)len); /* a pipelined next request */
		have -= (size_t)len;
	}
}

void worker_main(int listener)
{
	int tries = 0;
	for (;;) {
		int conn = tcp_accept(listener, TSB_FOREVER);
		if (conn == -EBADF && ++tries < SHARE_WAIT_TRIES) {
			sleep_ms(10); /* not shared with us yet */
			continue;
		}
		if (conn < 0) {
			printf("httpd worker %d: accept: %s\n", getpid(), strerror(conn));
			exit(1);
		}
		tries = SHARE_WAIT_TRIES;
		serve_connection(conn);
		tcp_close(conn);
	}
}
