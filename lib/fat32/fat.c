/* The file allocation table: entry access through the FAT cache, chain
 * links, allocation and freeing, and the free-cluster count kept for
 * FSInfo. Every walk is bounded by the cluster count so that a corrupt
 * chain (a loop, a free or out-of-range link) ends in -EUCLEAN. */
#include "fat32_int.h"

#define ENTRIES_PER_SECTOR (SECTOR_SIZE / 4)
#define RUN_LOOKAHEAD 65536u /* clusters fat_run looks ahead: 256 KiB of FAT */

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
	uint32_t old = le32(p) & FAT_MASK;
	if (old != (val & FAT_MASK) && old >= 2 && old < FAT_EOC_MIN)
		fs->chain_gen++; /* a link changed (not an allocation): hints and known runs go */
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

static bool run_valid(const struct fat32 *fs, const struct fat_known_run *r)
{
	return r->len && r->gen == fs->chain_gen;
}

/* How many clusters from c on a remembered run covers (0: none). */
static uint32_t known_run(struct fat32 *fs, uint32_t c)
{
	for (unsigned i = 0; i < sizeof fs->runs / sizeof fs->runs[0]; i++) {
		struct fat_known_run *r = &fs->runs[i];
		if (run_valid(fs, r) && c >= r->start && c - r->start < r->len) {
			r->stamp = ++fs->run_clock;
			return r->start + r->len - c;
		}
	}
	return 0;
}

/* Remembers that c .. c+n-1 is a run: extends a run that contains c, or
 * takes a stale slot, or the least recently used one. */
static void remember_run(struct fat32 *fs, uint32_t c, uint32_t n)
{
	struct fat_known_run *victim = NULL;

	for (unsigned i = 0; i < sizeof fs->runs / sizeof fs->runs[0]; i++) {
		struct fat_known_run *r = &fs->runs[i];
		if (!run_valid(fs, r)) {
			if (!victim || run_valid(fs, victim))
				victim = r;
		} else if (c >= r->start && c - r->start < r->len) {
			if (c - r->start + n > r->len)
				r->len = c - r->start + n;
			return;
		} else if (!victim || (run_valid(fs, victim) && r->stamp < victim->stamp)) {
			victim = r;
		}
	}
	*victim = (struct fat_known_run){ c, n, fs->chain_gen, ++fs->run_clock };
}

int fat_run(struct fat32 *fs, uint32_t c, uint32_t max, uint32_t *len, uint32_t *next)
{
	*next = 0;
	if (!cl_valid(fs, c))
		return -EUCLEAN;
	uint32_t n = known_run(fs, c); /* c .. c + n - 1 are in the run */
	if (n >= max) {
		*len = max;
		*next = n > max ? c + max : 0;
		return 0;
	}
	/* Look further than asked (the next reads of the file will want it,
	 * and the run is remembered), but only up to the last valid cluster. */
	uint32_t room = fs->cluster_count + 2 - c;
	uint32_t scan = max > RUN_LOOKAHEAD / 16 ? (max > RUN_LOOKAHEAD ? max : RUN_LOOKAHEAD) : max * 16;
	if (scan > room)
		scan = room;
	if (!n)
		n = 1;
	/* Read the links straight out of each cached FAT sector, not one call
	 * per cluster. */
	while (n < scan) {
		uint32_t last = c + n - 1, i = last % ENTRIES_PER_SECTOR, v = 0;
		uint8_t *p;
		int rc = cache_get(&fs->fatc, fs->fat_lba + last / ENTRIES_PER_SECTOR, true, &p);
		if (rc)
			return rc;
		bool ended = false;
		for (; n < scan && i < ENTRIES_PER_SECTOR; i++, n++, last++) {
			v = le32_aligned(p + i * 4) & FAT_MASK;
			if (v != last + 1) {
				ended = true;
				break;
			}
		}
		if (!ended)
			continue; /* scan reached, or the run goes on in the next sector */
		if (n >= max)
			break; /* a bad link beyond what was asked is not this call's business */
		if (v >= FAT_EOC_MIN)
			v = 0;
		else if (!cl_valid(fs, v))
			return -EUCLEAN;
		*next = v;
		break;
	}
	if (n > 1)
		remember_run(fs, c, n);
	if (n > max)
		*next = c + max; /* the run goes on: the next cluster is known */
	*len = n < max ? n : max;
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
	if (!fs->alloc_pending) {
		fs->alloc_pending = true;
		order_writes(fs);
	}
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
		if (!fs->free_pending) {
			fs->free_pending = true;
			order_writes(fs);
		}
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
