/* Responses: a file (Content-Length, Content-Type), a directory as an
 * HTML listing, or an error status with a short HTML body. HEAD gets the
 * same headers without the body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"

#define LISTING_MAX (256 * 1024)
#define FILE_CHUNK 16384

static char io[FILE_CHUNK];

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	default: return "Internal Server Error";
	}
}

static bool send_all(int conn, const void *p, size_t n)
{
	return tcp_send(conn, p, n) == (long)n;
}

static bool send_head(int conn, const struct request *rq, int status, const char *type, uint64_t length)
{
	char h[512];
	int n = snprintf(h, sizeof h,
			 "HTTP/1.1 %d %s\r\nServer: Tsubame httpd\r\nContent-Type: %s\r\n"
			 "Content-Length: %llu\r\nConnection: %s\r\n%s\r\n",
			 status, reason(status), type, (unsigned long long)length,
			 rq->keep_alive ? "keep-alive" : "close", status == 405 ? "Allow: GET, HEAD\r\n" : "");
	return send_all(conn, h, (size_t)n);
}

static void send_body(int conn, const struct request *rq, int status, const char *type, const char *body,
		      size_t len)
{
	if (send_head(conn, rq, status, type, len) && !rq->head)
		send_all(conn, body, len);
}

void respond_error(int conn, const struct request *rq, int status, const char *detail)
{
	char body[512];
	int n = snprintf(body, sizeof body,
			 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
			 "<body><h1>%d %s</h1><p>%s</p></body></html>\n",
			 status, reason(status), status, reason(status), detail);
	send_body(conn, rq, status, "text/html; charset=utf-8", body, (size_t)n);
}

/* Appends s to the listing, with HTML's special characters escaped. */
static bool append(char **buf, size_t *len, size_t *cap, const char *s, bool escape)
{
	for (; *s; s++) {
		const char *rep = !escape ? NULL : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;"
					   : *s == '"' ? "&quot;" : NULL;
		size_t k = rep ? strlen(rep) : 1;
		if (*len + k + 1 > *cap) {
			size_t want = *cap * 2;
			char *grown = want <= LISTING_MAX ? realloc(*buf, want) : NULL;
			if (!grown)
				return false;
			*buf = grown, *cap = want;
		}
		memcpy(*buf + *len, rep ? rep : s, k);
		*len += k;
	}
	(*buf)[*len] = '\0';
	return true;
}

static void send_listing(int conn, const struct request *rq, int fd)
{
	size_t len = 0, cap = 4096;
	char *html = malloc(cap);
	const char *base = strcmp(rq->path, "/") == 0 ? "" : rq->path;
	struct tsb_dirent d;
	bool ok = html && append(&html, &len, &cap, "<!DOCTYPE html>\n<html><head><title>Index of ", false) &&
		  append(&html, &len, &cap, rq->path, true) &&
		  append(&html, &len, &cap, "</title></head>\n<body><h1>Index of ", false) &&
		  append(&html, &len, &cap, rq->path, true) && append(&html, &len, &cap, "</h1>\n<ul>\n", false);
	int r;
	while (ok && (r = readdir(fd, &d)) == 1) {
		char size[32];
		snprintf(size, sizeof size, d.is_dir ? "" : " (%llu bytes)", (unsigned long long)d.size);
		ok = append(&html, &len, &cap, "<li><a href=\"", false) && append(&html, &len, &cap, base, true) &&
		     append(&html, &len, &cap, "/", false) && append(&html, &len, &cap, d.name, true) &&
		     append(&html, &len, &cap, d.is_dir ? "/\">" : "\">", false) &&
		     append(&html, &len, &cap, d.name, true) &&
		     append(&html, &len, &cap, d.is_dir ? "/</a>" : "</a>", false) &&
		     append(&html, &len, &cap, size, false) && append(&html, &len, &cap, "</li>\n", false);
	}
	ok = ok && append(&html, &len, &cap, "</ul></body></html>\n", false);
	if (ok)
		send_body(conn, rq, 200, "text/html; charset=utf-8", html, len);
	else
		respond_error(conn, rq, 500, "the directory listing does not fit");
	free(html);
}

static void send_file(int conn, struct request *rq, int fd, uint64_t size)
{
	if (!send_head(conn, rq, 200, content_type(rq->path), size) || rq->head)
		return;
	uint64_t sent = 0;
	long n;
	while (sent < size && (n = read(fd, io, sizeof io)) > 0) {
		if (!send_all(conn, io, (size_t)n))
			return;
		sent += (uint64_t)n;
	}
	/* The file shrank while we sent it: the promised length cannot be
	 * kept, so the connection must end. */
	if (sent < size)
		rq->keep_alive = false;
}

void respond_path(int conn, struct request *rq)
{
	char detail[TSB_PATH_MAX + 64];
	struct tsb_stat st;
	int err = stat(rq->path, &st);
	int fd = err ? err : open(rq->path, TSB_O_READ);
	if (fd < 0) {
		/* The body names the path only when it needs no HTML escaping. */
		bool plain = !strchr(rq->path, '<') && !strchr(rq->path, '>') && !strchr(rq->path, '&');
		snprintf(detail, sizeof detail, "%s: %s", plain ? rq->path : "the path", strerror(fd));
		respond_error(conn, rq, fd == -ENOENT || fd == -ENOTDIR ? 404 : 500, detail);
		return;
	}
	if (st.is_dir)
		send_listing(conn, rq, fd);
	else
		send_file(conn, rq, fd, st.size);
	close(fd);
}
