/* fetch [-t SECONDS] URL [FILE]: an HTTP/1.0 GET through netd. Prints the status, the
 * body's length and CRC-32 (so a test can compare it with the original),
 * and writes the body to FILE if given, else to the console if short. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define DEFAULT_TIMEOUT_MS 15000 /* for the connect and each receive */
#define SHOW_MAX 4096 /* bodies up to this size are printed when no FILE is given */

static char buf[8192];

static uint32_t crc32_update(uint32_t crc, const char *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= (uint8_t)*p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Splits http://HOST[:PORT][/PATH] into its parts. */
static bool parse_url(const char *url, char *host, size_t hmax, uint16_t *port, const char **path)
{
	if (strncmp(url, "http://", 7) != 0)
		return false;
	const char *h = url + 7, *slash = strchr(h, '/'), *colon = strchr(h, ':');
	*path = slash ? slash : "/";
	const char *hend = colon && (!slash || colon < slash) ? colon : slash ? slash : h + strlen(h);
	if (hend == h || (size_t)(hend - h) >= hmax)
		return false;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port = 80;
	if (hend == colon) {
		long p = strtol(colon + 1, NULL, 10);
		if (p <= 0 || p > 65535)
			return false;
		*port = (uint16_t)p;
	}
	return true;
}

static long timeout_ms = DEFAULT_TIMEOUT_MS;

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "-t") == 0) {
		timeout_ms = strtol(argv[2], NULL, 10) * 1000;
		argc -= 2, argv += 2;
	}
	char host[64];
	uint16_t port;
	const char *path;
	uint32_t ip;
	if ((argc != 2 && argc != 3) || timeout_ms <= 0 || !parse_url(argv[1], host, sizeof host, &port, &path)) {
		printf("usage: fetch [-t SECONDS] http://HOST[:PORT]/PATH [FILE]\n");
		return 2;
	}
	int err = resolve_host(host, &ip);
	if (err < 0) {
		printf("fetch: %s: %s\n", host, strerror(err));
		return 1;
	}
	int out = -1;
	if (argc == 3 && (out = open(argv[2], TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC)) < 0) {
		printf("fetch: %s: %s\n", argv[2], strerror(out));
		return 1;
	}
	int c = tcp_connect(ip, port, timeout_ms);
	if (c < 0) {
		printf("fetch: connect to %s:%u: %s\n", host, port, strerror(c));
		return 1;
	}
	int n = snprintf(buf, sizeof buf, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: tsubame-fetch\r\n\r\n", path, host);
	long r = tcp_send(c, buf, (size_t)n);
	/* Headers first (up to the blank line), then the body. */
	size_t have = 0;
	char *body = NULL;
	while (r >= 0 && !body && have < sizeof buf - 1) {
		r = tcp_recv(c, buf + have, sizeof buf - 1 - have, timeout_ms);
		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = '\0';
		if ((body = strstr(buf, "\r\n\r\n")) != NULL)
			body += 4;
	}
	if (!body) {
		printf("fetch: no HTTP response: %s\n", r < 0 ? strerror((int)r) : "the headers never ended");
		tcp_close(c);
		return 1;
	}
	int status = strncmp(buf, "HTTP/1.", 7) == 0 ? atoi(buf + 9) : 0;
	uint64_t total = 0;
	uint32_t crc = 0;
	static char shown[SHOW_MAX + 1];
	size_t nshown = 0;
	size_t chunk = have - (size_t)(body - buf);
	const char *p = body;
	for (;;) {
		crc = crc32_update(crc, p, chunk);
		total += chunk;
		if (out >= 0 && write(out, p, chunk) != (long)chunk) {
			printf("fetch: cannot write %s\n", argv[2]);
			return 1;
		}
		for (size_t i = 0; out < 0 && i < chunk && nshown < SHOW_MAX; i++)
			shown[nshown++] = p[i];
		r = tcp_recv(c, buf, sizeof buf, timeout_ms);
		if (r <= 0)
			break;
		chunk = (size_t)r, p = buf;
	}
	tcp_close(c);
	if (out >= 0)
		close(out);
	if (r < 0) {
		printf("fetch: receiving: %s after %llu bytes\n", strerror((int)r), (unsigned long long)total);
		return 1;
	}
	if (out < 0 && total <= SHOW_MAX) {
		shown[nshown] = '\0';
		printf("%s", shown);
	}
	printf("fetch: status %d, %llu bytes, crc32 %08x\n", status, (unsigned long long)total, crc);
	return status == 200 ? 0 : 1;
}
