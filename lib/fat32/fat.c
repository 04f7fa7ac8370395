/* The file allocation table: entry access through the FAT cache, chain
 * links, allocation and freeing, and the free-cluster count kept for
 * FSInfo. Every walk is bounded by the cluster count so that a corrupt
 * chain (a loop, a free or out-of-range link) ends in -EUCLEAN. */
#include "fat32_int.h"

#define ENTRIES_PER_SECTOR (SECTOR_SIZE / 4)

int fat_get(struct fat32 *fs, uint32_t c, uint32_t *val)
{
	uint8_t *p;
	int rc = cache_get(&fs->fatc, fs->fat_lba + c / ENTRIES_PER_SECTOR, true, &p);

	if (rc)
		return rc;
	*val = le32(p + (c % ENTRIES_PER_SECTOR) * 4) & FAT_MASK;
	return 0;
}

int fat_set(struct fat32 *fs, uint32_t c, uint32_t val)
{
	uint8_t *p;
	int rc = cache_get(&fs->fatc, fs->fat_lba + c / ENTRIES_PER_SECTOR, true, &p);

	if (rc)
		return rc;
	p += (c % ENTRIES_PER_SECTOR) * 4;
	put32(p, (le32(p) & ~FAT_MASK) | (val & FAT_MASK));  /* keep the reserved bits */
	cache_dirty(&fs->fatc, p);
	return 0;
}

int fat_next(struct fat32 *fs, uint32_t c, uint32_t *next)
{
	uint32_t v;
	int rc;

	if (!cl_valid(fs, c))
		return -EUCLEAN;
	rc = fat_get(fs, c, &v);
	if (rc)
		return rc;
	if (v >= FAT_EOC_MIN) {
		*next = 0;
		return 0;
	}
	if (!cl_valid(fs, v))
		return -EUCLEAN;
	*next = v;
	return 0;
}

int fat_run(struct fat32 *fs, uint32_t c, uint32_t max, uint32_t *len, uint32_t *next)
{
	uint32_t n = 1; /* c .. c + n - 1 are in the run */

	*next = 0;
	if (!cl_valid(fs, c))
		return -EUCLEAN;
	/* A sequential read asks this for every cluster of a file: read the
	 * links straight out of each cached FAT sector, not one call each. */
	while (n < max) {
		uint32_t last = c + n - 1, i = last % ENTRIES_PER_SECTOR, v = 0;
		uint8_t *p;
		int rc = cache_get(&fs->fatc, fs->fat_lba + last / ENTRIES_PER_SECTOR, true, &p);
		if (rc)
			return rc;
		bool ended = false;
		for (; n < max && i < ENTRIES_PER_SECTOR; i++, n++, last++) {
			v = le32(p + i * 4) & FAT_MASK;
			if (v != last + 1 || !cl_valid(fs, v)) {
				ended = true;
				break;
			}
		}
		if (!ended)
			continue; /* max reached, or the run goes on in the next sector */
		if (v >= FAT_EOC_MIN)
			v = 0;
		else if (!cl_valid(fs, v))
			return -EUCLEAN;
		*next = v;
		break;
	}
	*len = n;
	return 0;
}

static void free_count_add(struct fat32 *fs, int delta)
{
	if (fs->free_count != FREE_UNKNOWN) {
		uint64_t v = (uint64_t)fs->free_count + (uint64_t)(int64_t)delta;
		/* Out of range means the count we were given was wrong. */
		fs->free_count = v > fs->cluster_count ? FREE_UNKNOWN : (uint32_t)v;
		fs->free_exact &= fs->free_count != FREE_UNKNOWN;
	}
	fs->fsinfo_dirty = true;
}

/* Takes free cluster c: end of chain, linked after prev. */
static int take(struct fat32 *fs, uint32_t prev, uint32_t c, uint32_t *out)
{
	int rc = fat_set(fs, c, FAT_EOC);

	if (!rc && prev)
		rc = fat_set(fs, prev, c);
	if (rc)
		return rc;
	free_count_add(fs, -1);
	fs->next_free = c;
	*out = c;
	return 0;
}

int fat_alloc(struct fat32 *fs, uint32_t prev, uint32_t *out)
{
	uint32_t c = fs->next_free, v;
	int rc;

	if (fs->free_count == 0 && fs->free_exact)
		return -ENOSPC;
	/* The cluster right after the file's last keeps it contiguous; else
	 * search on from where the last allocation ended, so that appends to
	 * a file hemmed in by others do not rescan the same full region. */
	if (prev && cl_valid(fs, prev + 1)) {
		rc = fat_get(fs, prev + 1, &v);
		if (rc)
			return rc;
		if (v == 0)
			return take(fs, prev, prev + 1, out);
	}
	for (uint32_t i = 0; i < fs->cluster_count; i++, c++) {
		if (!cl_valid(fs, c))
			c = 2;
		rc = fat_get(fs, c, &v);
		if (rc)
			return rc;
		if (v == 0)
			return take(fs, prev, c, out);
	}
	/* A full scan found nothing: the count is now known to be exact. */
	fs->free_count = 0;
	fs->free_exact = true;
	fs->fsinfo_dirty = true;
	return -ENOSPC;
}

int fat_free_chain(struct fat32 *fs, uint32_t c)
{
	uint32_t v;
	int rc = 0;

	/* Even a failed walk may have freed links: hints must go. */
	fs->chain_gen++;
	for (uint32_t i = 0; c; i++) {
		if (i >= fs->cluster_count || !cl_valid(fs, c))
			return -EUCLEAN;
		rc = fat_get(fs, c, &v);
		if (rc)
			return rc;
		if (v == 0 || v == 1)
			return -EUCLEAN;  /* a loop back into what we freed, or garbage */
		rc = fat_set(fs, c, 0);
		if (rc)
			return rc;
		free_count_add(fs, 1);
		c = v >= FAT_EOC_MIN ? 0 : v;
	}
	return 0;
}

int fat_count_free(struct fat32 *fs, uint32_t *out)
{
	uint32_t n = 0, last = fs->cluster_count + 1;

	/* Sector by sector: one cache lookup per 128 entries. */
	for (uint32_t c = 2; c <= last;) {
		uint8_t *p;
		int rc = cache_get(&fs->fatc, fs->fat_lba + c / ENTRIES_PER_SECTOR, true, &p);
		if (rc)
			return rc;
		do {
			if ((le32(p + (c % ENTRIES_PER_SECTOR) * 4) & FAT_MASK) == 0)
				n++;
			c++;
		} while (c <= last && c % ENTRIES_PER_SECTOR);
	}
	*out = n;
	return 0;
}
