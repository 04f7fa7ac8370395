/* Handles the kernel proxy holds for open files and directories. A
 * handle is a slot number plus a generation, so a stale or forged handle
 * is recognised instead of reaching another file. */
#include <string.h>

#include "fat32d.h"
#include "tsubame/errno.h"

#define MAX_HANDLES 256

struct slot {
	bool used;
	unsigned dev;
	uint32_t gen;
	struct fat32_node node;
};

static struct slot slots[MAX_HANDLES];

int handle_open(unsigned dev, const struct fat32_node *node, uint64_t *handle)
{
	for (uint32_t i = 0; i < MAX_HANDLES; i++) {
		struct slot *s = &slots[i];
		if (s->used)
			continue;
		s->used = true;
		s->dev = dev;
		s->gen++;
		s->node = *node;
		fat32_hold(volumes[dev], &s->node); /* follows renames, sees deletion */
		*handle = (uint64_t)s->gen << 32 | i;
		return 0;
	}
	return -ENFILE;
}

struct fat32_node *handle_get(unsigned dev, uint64_t handle)
{
	uint32_t i = (uint32_t)handle;

	if (i >= MAX_HANDLES || !slots[i].used || slots[i].dev != dev ||
	    slots[i].gen != (uint32_t)(handle >> 32))
		return NULL;
	return &slots[i].node;
}

int handle_close(unsigned dev, uint64_t handle)
{
	struct fat32_node *n = handle_get(dev, handle);

	if (!n)
		return -EBADF;
	struct slot *s = &slots[(uint32_t)handle];
	fat32_release(volumes[dev], n);
	s->used = false;
	return 0;
}
