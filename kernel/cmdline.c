#include "kernel/cmdline.h"

#include <string.h>

/* Finds `key` as a whole word (followed by space, '=' or end). */
static const char *find_word(const char *s, const char *key)
{
	size_t n = strlen(key);

	while (s && *s) {
		while (*s == ' ')
			s++;
		if (strncmp(s, key, n) == 0 && (s[n] == '\0' || s[n] == ' ' || s[n] == '='))
			return s + n;
		s = strchr(s, ' ');
	}
	return NULL;
}

bool cmdline_has(const char *cmdline, const char *word)
{
	const char *p = find_word(cmdline, word);
	return p && *p != '=';
}

bool cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
	const char *p = find_word(cmdline, key);
	size_t n = 0;

	if (!p || *p != '=' || size == 0)
		return false;
	for (p++; p[n] && p[n] != ' ' && n + 1 < size; n++)
		out[n] = p[n];
	out[n] = '\0';
	return true;
}
