/* Parsing one request: the request line (method, target, version) and
 * the Connection header. The target is percent-decoded, stripped of its
 * query, refused if it contains ".." or a backslash (no way out of the
 * root), then normalised with lib/path. */
#include <string.h>

#include "httpd.h"
#include "path/path.h"

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool same_word(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]) || !b[i])
			return false;
	return true;
}

static int hex(char c)
{
	c = lower(c);
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX into out; false on a bad escape or a NUL. */
static bool decode(const char *in, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%') {
			if (i + 2 >= len)
				return false;
			int h = hex(in[i + 1]), l = h < 0 ? -1 : hex(in[i + 2]);
			if (l < 0)
				return false;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (c == '\0')
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static bool escapes_root(const char *p)
{
	if (strchr(p, '\\'))
		return true;
	for (const char *s = p; (s = strstr(s, "..")) != NULL; s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			return true;
	return false;
}

/* The value of header name (lower case, with ':') in the header lines. */
static const char *header(const char *lines, const char *name, size_t *len)
{
	size_t n = strlen(name);
	for (const char *l = lines; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!same_word(name, l, n))
			continue;
		const char *v = l + n;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t k = 0;
		while (v[k] && v[k] != '\r' && v[k] != '\n')
			k++;
		*len = k;
		return v;
	}
	return NULL;
}

int parse_request(char *buf, struct request *rq)
{
	char *sp1 = strchr(buf, ' ');
	char *eol = strchr(buf, '\n');
	if (!sp1 || !eol || sp1 > eol)
		return 400;
	char *target = sp1 + 1;
	char *sp2 = strchr(target, ' ');
	if (!sp2 || sp2 > eol)
		return 400;
	size_t vlen = (size_t)(eol - sp2 - 1) - (eol[-1] == '\r');
	const char *version = sp2 + 1;
	bool v11 = vlen == 8 && strncmp(version, "HTTP/1.1", 8) == 0;
	if (!v11 && !(vlen == 8 && strncmp(version, "HTTP/1.0", 8) == 0))
		return 400;
	size_t mlen = (size_t)(sp1 - buf);
	rq->head = mlen == 4 && strncmp(buf, "HEAD", 4) == 0;
	bool get = mlen == 3 && strncmp(buf, "GET", 3) == 0;
	/* Connection: HTTP/1.1 keeps it unless "close", 1.0 only with "keep-alive". */
	size_t clen = 0;
	const char *conn = header(eol + 1, "connection:", &clen);
	rq->keep_alive = v11 ? !(conn && clen == 5 && same_word("close", conn, 5))
			     : conn && clen == 10 && same_word("keep-alive", conn, 10);
	size_t blen = 0;
	const char *body = header(eol + 1, "content-length:", &blen);
	if ((body && !(blen == 1 && body[0] == '0')) || header(eol + 1, "transfer-encoding:", &blen))
		rq->keep_alive = false; /* a body we do not read: the connection ends after the answer */
	if (!get && !rq->head)
		return 405;
	size_t tlen = (size_t)(sp2 - target);
	char *query = memchr(target, '?', tlen);
	if (query)
		tlen = (size_t)(query - target);
	if (tlen > URI_MAX || tlen >= TSB_PATH_MAX)
		return 414;
	char decoded[TSB_PATH_MAX];
	if (target[0] != '/' || !decode(target, tlen, decoded) || escapes_root(decoded))
		return 400;
	return path_normalize(decoded, rq->path, sizeof rq->path) == 0 ? 0 : 414;
}
