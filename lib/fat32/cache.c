/* Block device access and the write-back sector cache. The library keeps two
 * caches: one for FAT sectors (written to every FAT copy, so mirroring costs
 * nothing until write-back) and one for directory, FSInfo and partial data
 * sectors. Whole-sector file data bypasses both; cache_overlay and
 * cache_discard keep such direct transfers coherent with cached copies. */
#include "fat32_int.h"

/* A device that returns a positive value is treated as failing with -EIO. */
static int dev_rc(int rc)
{
	return rc < 0 ? rc : rc > 0 ? -EIO : 0;
}

int dev_read(const struct fat32_blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	if (count == 0)
		return 0;
	if (lba >= bd->sector_count || count > bd->sector_count - lba)
		return -EIO;
	return dev_rc(bd->read(bd->ctx, lba, count, buf));
}

int dev_write(const struct fat32_blockdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
	if (count == 0)
		return 0;
	if (lba >= bd->sector_count || count > bd->sector_count - lba)
		return -EIO;
	return dev_rc(bd->write(bd->ctx, lba, count, buf));
}

int cache_init(struct fat32_cache *c, const struct fat32_blockdev *bd, uint32_t n)
{
	memset(c, 0, sizeof(*c));
	c->bd = bd;
	c->n = n;
	c->copies = 1;
	c->data = fat32_shim_alloc((size_t)n * SECTOR_SIZE);
	c->slot = fat32_shim_alloc((size_t)n * sizeof(*c->slot));
	if (!c->data || !c->slot) {
		cache_destroy(c);
		return -ENOMEM;
	}
	memset(c->slot, 0, (size_t)n * sizeof(*c->slot));
	return 0;
}

void cache_destroy(struct fat32_cache *c)
{
	if (c->data)
		fat32_shim_free(c->data);
	if (c->slot)
		fat32_shim_free(c->slot);
	if (c->ra_buf)
		fat32_shim_free(c->ra_buf);
	c->data = NULL;
	c->slot = NULL;
	c->ra_buf = NULL;
	c->ra = 0;
}

int cache_set_readahead(struct fat32_cache *c, uint32_t sectors, uint64_t end)
{
	if (sectors > c->n / 2)
		sectors = c->n / 2; /* what one miss reads must not evict itself */
	if (c->ra_buf)
		fat32_shim_free(c->ra_buf);
	c->ra_buf = NULL;
	c->ra = 0;
	if (sectors < 2)
		return 0;
	c->ra_buf = fat32_shim_alloc((size_t)sectors * SECTOR_SIZE);
	if (!c->ra_buf)
		return -ENOMEM;
	c->ra = sectors;
	c->ra_end = end;
	return 0;
}

static int writeback(struct fat32_cache *c, uint32_t i)
{
	struct cache_slot *s = &c->slot[i];

	if (!s->valid || !s->dirty)
		return 0;
	for (uint32_t k = 0; k < c->copies; k++) {
		int rc = dev_write(c->bd, s->lba + k * c->stride, 1, c->data + (size_t)i * SECTOR_SIZE);
		if (rc)
			return rc;
	}
	s->dirty = false;
	return 0;
}

/* The slot holding lba, or c->n; *victim gets the least recently used
 * slot (an empty one first). */
static uint32_t lookup(const struct fat32_cache *c, uint64_t lba, uint32_t *victim)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		const struct cache_slot *s = &c->slot[i];
		if (s->valid && s->lba == lba)
			return i;
		if (!s->valid)
			v = i;
		else if (c->slot[v].valid && s->stamp - c->slot[v].stamp > UINT32_MAX / 2)
			v = i;  /* s is older (wrap-safe comparison) */
	}
	*victim = v;
	return c->n;
}

/* Gives slot i to lba (writing back what it held), as the newest. */
static int claim(struct fat32_cache *c, uint32_t i, uint64_t lba, uint8_t **out)
{
	struct cache_slot *s = &c->slot[i];
	/* Evicting a dirty sector: with a staging buffer, write back every
	 * dirty one in runs, not this one alone (a big allocation dirties the
	 * FAT sector after sector). What must precede it goes first. */
	int rc = s->valid && s->dirty && c->flush_first ? cache_flush(c->flush_first) : 0;
	if (!rc)
		rc = s->valid && s->dirty && c->ra_buf ? cache_flush(c) : writeback(c, i);

	if (rc)
		return rc;
	s->lba = lba;
	s->valid = true;
	s->dirty = false;
	s->stamp = ++c->clock;
	*out = c->data + (size_t)i * SECTOR_SIZE;
	return 0;
}

/* A miss at lba with read-ahead: one request for lba and the uncached
 * sectors right after it. It stops at the first cached one: that copy may
 * be dirty (newer than the disk), and its slot may even be written back
 * and reused while the others are installed, so data read past it could
 * already be stale. */
static int read_ahead(struct fat32_cache *c, uint64_t lba, uint32_t max)
{
	uint32_t count = 1, victim;

	while (count < max && lookup(c, lba + count, &victim) == c->n)
		count++;
	/* The claims below must not flush through ra_buf while it holds what
	 * we read: write the dirty sectors back first. */
	int rc = cache_flush(c);
	if (!rc)
		rc = dev_read(c->bd, lba, count, c->ra_buf);
	for (uint32_t k = count; !rc && k-- > 0;) { /* lba itself last: the newest */
		uint8_t *p;
		lookup(c, lba + k, &victim);
		rc = claim(c, victim, lba + k, &p);
		if (!rc)
			memcpy(p, c->ra_buf + (size_t)k * SECTOR_SIZE, SECTOR_SIZE);
	}
	return rc;
}

int cache_get(struct fat32_cache *c, uint64_t lba, bool fill, uint8_t **out)
{
	uint32_t victim = 0, i;
	int rc;

	/* A chain walk asks for the same FAT sector 128 times in a row: check
	 * the last hit before searching. */
	if (c->last < c->n && c->slot[c->last].valid && c->slot[c->last].lba == lba) {
		c->slot[c->last].stamp = ++c->clock;
		*out = c->data + (size_t)c->last * SECTOR_SIZE;
		return 0;
	}
	/* Linear search: caches are tens of sectors, so this beats a hash. */
	i = lookup(c, lba, &victim);
	if (i == c->n && fill && c->ra && lba < c->ra_end) {
		uint64_t left = c->ra_end - lba;
		rc = read_ahead(c, lba, left < c->ra ? (uint32_t)left : c->ra);
		if (rc)
			return rc;
		i = lookup(c, lba, &victim);
	}
	if (i < c->n) {
		c->slot[i].stamp = ++c->clock;
		c->last = i;
		*out = c->data + (size_t)i * SECTOR_SIZE;
		return 0;
	}
	uint8_t *p;
	rc = claim(c, victim, lba, &p);
	if (rc)
		return rc;
	if (fill && (rc = dev_read(c->bd, lba, 1, p)) != 0) {
		c->slot[victim].valid = false;
		return rc;
	}
	c->last = victim;
	*out = p;
	return 0;
}

void cache_dirty(struct fat32_cache *c, const uint8_t *p)
{
	c->slot[(size_t)(p - c->data) / SECTOR_SIZE].dirty = true;
}

/* The slot of a dirty sector at lba, or c->n. */
static uint32_t dirty_slot(const struct fat32_cache *c, uint64_t lba)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->slot[i].valid && c->slot[i].dirty && c->slot[i].lba == lba)
			return i;
	return c->n;
}

#define FLUSH_RUN_MAX 64 /* sectors per coalesced write */

/* Dirty sectors in ascending order, each run of consecutive ones copied
 * into ra_buf and written with one request per FAT copy. */
static int flush_runs(struct fat32_cache *c)
{
	uint32_t idx[FLUSH_RUN_MAX];
	uint32_t max = c->ra < FLUSH_RUN_MAX ? c->ra : FLUSH_RUN_MAX;

	for (;;) {
		uint32_t first = c->n;
		for (uint32_t i = 0; i < c->n; i++)
			if (c->slot[i].valid && c->slot[i].dirty &&
			    (first == c->n || c->slot[i].lba < c->slot[first].lba))
				first = i;
		if (first == c->n)
			return 0;
		uint64_t lba = c->slot[first].lba;
		uint32_t count = 0, i = first;
		while (count < max && i < c->n) {
			memcpy(c->ra_buf + (size_t)count * SECTOR_SIZE, c->data + (size_t)i * SECTOR_SIZE, SECTOR_SIZE);
			idx[count++] = i;
			i = dirty_slot(c, lba + count);
		}
		for (uint32_t k = 0; k < c->copies; k++) {
			int rc = dev_write(c->bd, lba + k * c->stride, count, c->ra_buf);
			if (rc)
				return rc;
		}
		for (uint32_t j = 0; j < count; j++)
			c->slot[idx[j]].dirty = false;
	}
}

int cache_flush(struct fat32_cache *c)
{
	if (c->flush_first) {
		int rc = cache_flush(c->flush_first);
		if (rc)
			return rc;
	}
	if (c->ra_buf && c->ra > 1)
		return flush_runs(c);
	for (uint32_t i = 0; i < c->n; i++) {
		int rc = writeback(c, i);
		if (rc)
			return rc;
	}
	return 0;
}

/* After a direct read of [lba, lba + count) into buf: dirty cached sectors
 * are newer than the disk, so they win. */
void cache_overlay(const struct fat32_cache *c, uint64_t lba, uint32_t count, uint8_t *buf)
{
	for (uint32_t i = 0; i < c->n; i++) {
		const struct cache_slot *s = &c->slot[i];
		if (s->valid && s->dirty && s->lba >= lba && s->lba - lba < count)
			memcpy(buf + (size_t)(s->lba - lba) * SECTOR_SIZE, c->data + (size_t)i * SECTOR_SIZE,
			       SECTOR_SIZE);
	}
}

/* Before a direct write of whole sectors: cached copies are about to be
 * stale, and any dirty data in them is overwritten anyway. */
void cache_discard(struct fat32_cache *c, uint64_t lba, uint32_t count)
{
	for (uint32_t i = 0; i < c->n; i++) {
		struct cache_slot *s = &c->slot[i];
		if (s->valid && s->lba >= lba && s->lba - lba < count)
			s->valid = false;
	}
}

/* Writes count zero sectors using the cache's own memory as the zero source,
 * so large runs take few requests without a dedicated buffer. This empties
 * the cache (after writing back what is dirty). */
int cache_zero(struct fat32_cache *c, uint64_t lba, uint32_t count)
{
	int rc = cache_flush(c);

	if (rc)
		return rc;
	for (uint32_t i = 0; i < c->n; i++)
		c->slot[i].valid = false;
	memset(c->data, 0, (size_t)c->n * SECTOR_SIZE);
	while (count) {
		uint32_t chunk = count < c->n ? count : c->n;
		rc = dev_write(c->bd, lba, chunk, c->data);
		if (rc)
			return rc;
		lba += chunk;
		count -= chunk;
	}
	return 0;
}
