/* httpd: a small HTTP/1.0 server on port 8080, over netd's TCP. GET of a
 * file returns it, of a directory a listing; errors get their status code.
 * One connection at a time, each closed after its response. */
#include <stdio.h>
#include <string.h>

#include "tsubame.h"

#define PORT 8080 /* as in the seed */

static char req[2048];
static char buf[8192];

static void send_str(int c, const char *s)
{
	tcp_send(c, s, strlen(s));
}

static void respond_status(int c, const char *status, const char *body)
{
	snprintf(buf, sizeof buf, "HTTP/1.0 %s\r\nContent-Type: text/plain\r\nContent-Length: %u\r\n"
		 "Connection: close\r\n\r\n%s", status, (unsigned)strlen(body), body);
	send_str(c, buf);
}

static void send_dir(int c, const char *path, int fd)
{
	static char body[4096];
	struct tsb_dirent d;
	size_t n = (size_t)snprintf(body, sizeof body, "Index of %s\n", path);

	while (readdir(fd, &d) == 1 && n < sizeof body - 300)
		n += (size_t)snprintf(body + n, sizeof body - n, "%s%s\n", d.name, d.is_dir ? "/" : "");
	respond_status(c, "200 OK", body);
}

static void send_file(int c, int fd, uint64_t size)
{
	snprintf(buf, sizeof buf, "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n"
		 "Content-Length: %llu\r\nConnection: close\r\n\r\n", (unsigned long long)size);
	send_str(c, buf);
	long n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (tcp_send(c, buf, (size_t)n) < 0)
			break;
}

/* Reads until the end of the request headers (or the buffer is full). */
static long read_request(int c)
{
	size_t got = 0;
	while (got < sizeof req - 1) {
		long n = tcp_recv(c, req + got, sizeof req - 1 - got);
		if (n <= 0)
			return n < 0 ? n : (long)got;
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	return (long)got;
}

static void serve(int c)
{
	char path[TSB_PATH_MAX];
	if (read_request(c) <= 0)
		return;
	if (strncmp(req, "GET ", 4) != 0) {
		respond_status(c, "405 Method Not Allowed", "only GET\n");
		return;
	}
	size_t i = 0;
	for (const char *p = req + 4; *p && *p != ' ' && *p != '\r' && *p != '\n' && i + 1 < sizeof path; p++)
		path[i++] = *p;
	path[i] = '\0';
	if (path[0] != '/') {
		respond_status(c, "400 Bad Request", "bad path\n");
		return;
	}
	struct tsb_stat st;
	int err = stat(path, &st);
	if (err) {
		snprintf(buf, sizeof buf, "%s: %s\n", path, strerror(err));
		respond_status(c, err == -ENOENT ? "404 Not Found" : "500 Internal Server Error", buf);
		return;
	}
	int fd = open(path, TSB_O_READ);
	if (fd < 0) {
		respond_status(c, "500 Internal Server Error", "cannot open\n");
		return;
	}
	if (st.is_dir)
		send_dir(c, path, fd);
	else
		send_file(c, fd, st.size);
	close(fd);
}

int main(void)
{
	int l;
	/* netd may still be starting: retry for a while. */
	for (int i = 0; (l = tcp_listen(PORT, 8)) < 0 && i < 100; i++)
		sleep_ms(100);
	if (l < 0) {
		printf("httpd: cannot listen on port %d: %s\n", PORT, strerror(l));
		return 1;
	}
	printf("httpd: listening on port %d\n", PORT);
	service_ready();
	for (;;) {
		int c = tcp_accept(l);
		if (c < 0) {
			sleep_ms(100);
			continue;
		}
		serve(c);
		tcp_close(c);
	}
}
