/* httpd's parts: the pool (main.c), a worker's connections (worker.c),
 * request parsing (request.c), responses (respond.c), content types
 * (mime.c). */
#ifndef HTTPD_H
#define HTTPD_H

#include <stdbool.h>
#include <stddef.h>

#include "tsubame.h"

#define HTTPD_PORT 8080         /* as in the seed */
#define HTTPD_WORKERS 8         /* connections served at once */
#define REQUEST_MAX 4096        /* request line and headers */
#define URI_MAX 1024            /* longer targets are 414 */
#define IDLE_MS 10000           /* a keep-alive connection waits this long for a request */

struct request {
	bool head;                  /* HEAD: headers only */
	bool keep_alive;            /* after the response (Connection, HTTP version) */
	char path[TSB_PATH_MAX];    /* decoded, normalised, absolute */
};

/* Parses the request in buf (the header block, NUL-terminated); 0 or an
 * HTTP status (400, 405, 414) to answer with. */
int parse_request(char *buf, struct request *rq);

void respond_error(int conn, const struct request *rq, int status, const char *detail);
void respond_path(int conn, struct request *rq);   /* may clear keep_alive */
const char *content_type(const char *path);

void worker_main(int listener);

#endif
