/* Intrusive doubly linked lists (circular, with a head node). */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *prev, *next;
};

#define LIST_INIT(name) { &(name), &(name) }
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(node, type, member) container_of(node, type, member)

static inline void list_init(struct list_node *h) { h->prev = h->next = h; }
static inline bool list_empty(const struct list_node *h) { return h->next == h; }

static inline void list_insert_between(struct list_node *n, struct list_node *prev, struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

static inline void list_push_back(struct list_node *h, struct list_node *n)
{
	list_insert_between(n, h->prev, h);
}

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline struct list_node *list_pop_front(struct list_node *h)
{
	if (list_empty(h))
		return NULL;
	struct list_node *n = h->next;
	list_remove(n);
	return n;
}

#define list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif
