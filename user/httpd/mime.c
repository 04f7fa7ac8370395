/* Content-Type from the file name's extension (FAT names are often upper case). */
#include <string.h>

#include "httpd.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" }, { "md", "text/plain; charset=utf-8" },
	{ "c", "text/plain; charset=utf-8" },   { "h", "text/plain; charset=utf-8" },
	{ "css", "text/css" },                  { "js", "text/javascript" },
	{ "json", "application/json" },         { "png", "image/png" },
	{ "jpg", "image/jpeg" },                { "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },                 { "svg", "image/svg+xml" },
	{ "ico", "image/x-icon" },              { "pdf", "application/pdf" },
	{ "elf", "application/x-elf" },
};

const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
			const char *e = types[i].ext, *x = dot + 1;
			while (*e && (*x == *e || *x == *e - 32))
				e++, x++;
			if (!*e && !*x)
				return types[i].type;
		}
	return "application/octet-stream";
}
