/* Gives lib/libc/string.c's functions host-safe names for testing. Used both
 * with -include when compiling string.c and by the test. */
#ifndef STRING_RENAME_H
#define STRING_RENAME_H
#include <stddef.h>
void *tsb_memcpy(void *restrict d, const void *restrict s, size_t n);
void *tsb_memmove(void *d, const void *s, size_t n);
void *tsb_memset(void *d, int c, size_t n);
int tsb_memcmp(const void *a, const void *b, size_t n);
void *tsb_memchr(const void *s, int c, size_t n);
size_t tsb_strlen(const char *s);
size_t tsb_strnlen(const char *s, size_t m);
int tsb_strcmp(const char *a, const char *b);
int tsb_strncmp(const char *a, const char *b, size_t n);
char *tsb_strchr(const char *s, int c);
char *tsb_strrchr(const char *s, int c);
char *tsb_strstr(const char *h, const char *n);
size_t tsb_strlcpy(char *d, const char *s, size_t n);
#endif
