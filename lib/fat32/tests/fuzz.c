/* libFuzzer harness: the input is a (small) disk image. Mount it, walk every
 * directory, read every file, then try a few writes. Any crash, hang or
 * sanitizer report is a bug; error returns are fine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fat32.h"
#include "hostdev.h"

#define MAX_IMAGE  (4u << 20)
#define MAX_DEPTH  6
#define MAX_ENTRIES 4000
#define READ_LIMIT (256u << 10)

static uint8_t buf[8192];

static void read_file(struct fat32 *fs, struct fat32_node *n)
{
	for (uint64_t off = 0; off < n->size && off < READ_LIMIT; off += 3000)
		if (fat32_read(fs, n, off, buf, 3000) < 0)
			return;
	(void)fat32_read(fs, n, 0, buf, sizeof(buf));  /* whole sectors: the direct path */
}

static void walk(struct fat32 *fs, struct fat32_node *dir, int depth, int *budget)
{
	struct fat32_dirent de;
	uint32_t cookie = 0;

	while (*budget > 0 && fat32_readdir(fs, dir, &cookie, &de) == 1) {
		struct fat32_stat st;
		struct fat32_node again;
		(*budget)--;
		(void)fat32_stat(fs, &de.node, &st);
		(void)fat32_lookup_at(fs, dir, de.name, &again);
		(void)fat32_lookup_at(fs, dir, de.short_name, &again);
		if (de.node.attr & FAT32_ATTR_DIR) {
			if (depth < MAX_DEPTH)
				walk(fs, &de.node, depth + 1, budget);
		} else {
			read_file(fs, &de.node);
		}
	}
}

/* The first regular file in the root, for in-place writes. */
static int first_file(struct fat32 *fs, struct fat32_node *out)
{
	struct fat32_node root;
	struct fat32_dirent de;
	uint32_t cookie = 0;

	fat32_root(fs, &root);
	for (int i = 0; i < 64 && fat32_readdir(fs, &root, &cookie, &de) == 1; i++) {
		if (!(de.node.attr & FAT32_ATTR_DIR)) {
			*out = de.node;
			return 0;
		}
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fat32_config cfg = {4, 4};  /* tiny caches: eviction on every path */
	struct hostdev dev;
	struct fat32 *fs;
	struct fat32_node root, n;
	struct fat32_statfs sf;
	int budget = MAX_ENTRIES;

	if (size < 512 || size > MAX_IMAGE)
		return 0;
	uint8_t *img = malloc(size & ~(size_t)511);
	memcpy(img, data, size & ~(size_t)511);
	hostdev_mem(&dev, img, size & ~(size_t)511);
	if (fat32_mount(&fs, &dev.bd, &cfg) == 0) {
		fat32_root(fs, &root);
		walk(fs, &root, 0, &budget);
		(void)fat32_statfs(fs, &sf);

		memset(buf, 'w', sizeof(buf));
		if (fat32_create(fs, "/Fuzz Created File.txt", &n) == 0) {
			(void)fat32_write(fs, &n, 700, buf, 5000);
			(void)fat32_read(fs, &n, 0, buf, sizeof(buf));
			(void)fat32_truncate(fs, &n, 100);
		}
		(void)fat32_mkdir(fs, "/fuzzdir", NULL);
		(void)fat32_rename(fs, "/Fuzz Created File.txt", "/fuzzdir/moved.txt");
		if (first_file(fs, &n) == 0) {
			fat32_hold(fs, &n);
			(void)fat32_write(fs, &n, n.size, buf, 1000);
			(void)fat32_truncate(fs, &n, n.size / 2);
			(void)fat32_read(fs, &n, 0, buf, sizeof(buf));
			fat32_release(fs, &n);
		}
		(void)fat32_unlink(fs, "/fuzzdir/moved.txt");
		(void)fat32_rmdir(fs, "/fuzzdir");
		(void)fat32_flush(fs);
		(void)fat32_unmount(fs);
	}
	free(img);
	return 0;
}
