/* A first-fit allocator with coalescing over the heap break. Blocks carry
 * their size in a header; free blocks form an address-ordered list so that
 * neighbours merge back into large ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define ALIGN 16u
#define GROW (64u * 1024)

struct block {
	size_t size;          /* bytes including this header */
	struct block *next;   /* only while free */
};
#define HDR ((sizeof(struct block) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static struct block *free_list;

static void insert_free(struct block *b)
{
	struct block **pp = &free_list;

	while (*pp && *pp < b)
		pp = &(*pp)->next;
	b->next = *pp;
	*pp = b;
	if (b->next && (char *)b + b->size == (char *)b->next) { /* merge right */
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (pp != &free_list) { /* merge left */
		struct block *prev = (struct block *)((char *)pp - offsetof(struct block, next));
		if ((char *)prev + prev->size == (char *)b) {
			prev->size += b->size;
			prev->next = b->next;
		}
	}
}

static int grow(size_t need)
{
	size_t n = need > GROW ? (need + GROW - 1) & ~(size_t)(GROW - 1) : GROW;
	void *p = sbrk((intptr_t)n);

	if (p == (void *)-1)
		return -1;
	struct block *b = p;
	b->size = n;
	insert_free(b);
	return 0;
}

void *malloc(size_t size)
{
	if (size == 0 || size > (1ul << 40))
		return NULL;
	size_t need = (size + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
			struct block *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= HDR + ALIGN) { /* split off the tail */
				struct block *rest = (struct block *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				*pp = rest;
				b->size = need;
			} else {
				*pp = b->next;
			}
			return (char *)b + HDR;
		}
		if (grow(need) != 0)
			return NULL;
	}
	return NULL;
}

void free(void *p)
{
	if (p)
		insert_free((struct block *)((char *)p - HDR));
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	size_t old = ((struct block *)((char *)p - HDR))->size - HDR;
	if (size <= old)
		return p;
	void *q = malloc(size);
	if (q) {
		memcpy(q, p, old);
		free(p);
	}
	return q;
}
