#ifndef TSUBAME_STDLIB_H
#define TSUBAME_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
_Noreturn void exit(int status);
_Noreturn void abort(void);
int atoi(const char *s);
long strtol(const char *s, char **end, int base);
char *getenv(const char *name);
#define RAND_MAX 0x7fffffff
int rand(void);
void srand(unsigned seed);

#endif
