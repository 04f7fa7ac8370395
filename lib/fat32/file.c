/* File data: read, write and truncate. A request is cut into runs of
 * physically contiguous clusters; within a run, whole sectors move between
 * the device and the caller's buffer in one request and only the partial
 * sectors at either end go through the cache. The node remembers the last
 * (cluster index -> cluster) it reached so sequential calls do not re-walk
 * the chain; the hint dies when any chain is freed (fs->chain_gen). */
#include "fat32_int.h"

enum io_mode { IO_READ, IO_WRITE, IO_ZERO };

int zero_sectors(struct fat32 *fs, uint64_t lba, uint32_t count)
{
	/* Few sectors go through the cache and keep it warm; many are written
	 * in bulk from the (then emptied) cache memory. */
	if (count > fs->datac.n / 4)
		return cache_zero(&fs->datac, lba, count);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t *p;
		int rc = cache_get(&fs->datac, lba + i, false, &p);
		if (rc)
			return rc;
		memset(p, 0, SECTOR_SIZE);
		cache_dirty(&fs->datac, p);
	}
	return 0;
}

/* Part of one sector through the cache. */
static int io_partial(struct fat32 *fs, uint64_t lba, uint32_t off, uint8_t *buf, uint32_t n, enum io_mode mode)
{
	uint8_t *p;
	int rc = cache_get(&fs->datac, lba, true, &p);

	if (rc)
		return rc;
	if (mode == IO_READ) {
		memcpy(buf, p + off, n);
		return 0;
	}
	if (mode == IO_WRITE)
		memcpy(p + off, buf, n);
	else
		memset(p + off, 0, n);
	cache_dirty(&fs->datac, p);
	return 0;
}

/* n bytes at byte `off` of the contiguous sectors starting at lba. */
static int io_contig(struct fat32 *fs, uint64_t lba, uint32_t off, uint8_t *buf, uint32_t n, enum io_mode mode)
{
	uint32_t whole;
	int rc;

	lba += off / SECTOR_SIZE;
	off %= SECTOR_SIZE;
	if (off || n < SECTOR_SIZE) {
		uint32_t part = SECTOR_SIZE - off < n ? SECTOR_SIZE - off : n;
		rc = io_partial(fs, lba, off, buf, part, mode);
		if (rc)
			return rc;
		if (buf)
			buf += part;
		n -= part;
		lba++;
	}
	whole = n / SECTOR_SIZE;
	if (whole) {
		if (mode == IO_READ) {
			rc = dev_read(&fs->bd, lba, whole, buf);
			if (!rc)
				cache_overlay(&fs->datac, lba, whole, buf);
		} else if (mode == IO_WRITE) {
			cache_discard(&fs->datac, lba, whole);
			rc = dev_write(&fs->bd, lba, whole, buf);
		} else {
			rc = zero_sectors(fs, lba, whole);
		}
		if (rc)
			return rc;
		if (buf)
			buf += (size_t)whole * SECTOR_SIZE;
		n -= whole * SECTOR_SIZE;
		lba += whole;
	}
	return n ? io_partial(fs, lba, 0, buf, n, mode) : 0;
}

static void set_hint(struct fat32 *fs, struct fat32_node *nd, uint32_t idx, uint32_t cl)
{
	nd->hint_index = idx;
	nd->hint_cluster = cl;
	nd->hint_gen = fs->chain_gen;
}

/* The cluster at chain position idx, from the hint when it is usable. */
static int chain_at(struct fat32 *fs, struct fat32_node *nd, uint32_t idx, uint32_t *out)
{
	uint32_t cl = nd->first_cluster, i = 0, next;

	if (idx >= fs->cluster_count)
		return -EUCLEAN;  /* no chain is that long */
	if (nd->hint_cluster && nd->hint_gen == fs->chain_gen && nd->hint_index <= idx) {
		cl = nd->hint_cluster;
		i = nd->hint_index;
	}
	if (!cl_valid(fs, cl))
		return -EUCLEAN;
	for (; i < idx; i++) {
		int rc = fat_next(fs, cl, &next);
		if (rc)
			return rc;
		if (!next)
			return -EUCLEAN;  /* chain shorter than the file size */
		cl = next;
	}
	set_hint(fs, nd, idx, cl);
	*out = cl;
	return 0;
}

/* Brent's cycle detection over the first clusters of the runs a node
 * visits in order, carried across calls. Inside a run the clusters only
 * grow, so a loop must re-enter a run start: a chain that loops back on
 * itself within the file size is caught within a few trips around the
 * loop, whatever the request sizes. A cluster seen again at a later
 * position is always a loop, so forward jumps (seeks) keep the state;
 * positions already seen are skipped. */
static bool loop_seen(struct fat32 *fs, struct fat32_node *nd, uint32_t idx, uint32_t cl)
{
	bool valid = nd->loop_power && nd->loop_gen == fs->chain_gen;

	if (valid && idx <= nd->loop_index)
		return false;
	if (!valid) {
		nd->loop_saved = 0;
		nd->loop_power = 1;
		nd->loop_steps = 0;
		nd->loop_gen = fs->chain_gen;
	}
	nd->loop_index = idx;
	if (cl == nd->loop_saved)
		return true;
	if (++nd->loop_steps == nd->loop_power) {
		nd->loop_saved = cl;
		nd->loop_power *= 2;
		nd->loop_steps = 0;
	}
	return false;
}

static int file_io(struct fat32 *fs, struct fat32_node *nd, uint32_t pos, uint8_t *buf, uint32_t n,
		   enum io_mode mode)
{
	uint32_t shift = fs->cluster_shift;

	while (n) {
		uint32_t ci = pos >> shift, cl, len, next, chunk;
		uint64_t end = (uint64_t)pos + n;
		uint32_t need = (uint32_t)((end - 1) >> shift) - ci + 1;
		int rc = chain_at(fs, nd, ci, &cl);
		if (rc)
			return rc;
		if (loop_seen(fs, nd, ci, cl))
			return -EUCLEAN;
		/* As many adjacent clusters as the chain links in a row: one
		 * device request. */
		rc = fat_run(fs, cl, need, &len, &next);
		if (rc)
			return rc;
		if (next) /* the next request starts there without a FAT lookup */
			set_hint(fs, nd, ci + len, next);
		else
			set_hint(fs, nd, ci + len - 1, cl + len - 1);
		uint64_t run_end = (uint64_t)(ci + len) << shift;
		chunk = (uint32_t)((run_end < end ? run_end : end) - pos);
		rc = io_contig(fs, cl_lba(fs, cl), pos - (ci << shift), buf, chunk, mode);
		if (rc)
			return rc;
		pos += chunk;
		n -= chunk;
		if (buf)
			buf += chunk;
	}
	return 0;
}

static uint32_t clusters_for(const struct fat32 *fs, uint64_t size)
{
	return (uint32_t)((size + cl_size(fs) - 1) >> fs->cluster_shift);
}

/* Makes the chain long enough for `size` bytes. On failure every cluster it
 * allocated is freed again, so the file is as before. */
static int chain_grow(struct fat32 *fs, struct fat32_node *nd, uint32_t size)
{
	uint32_t need = clusters_for(fs, size), have = clusters_for(fs, nd->size);
	uint32_t cur, count, next, first_new = 0, attach = 0;
	int rc;

	if (need <= have)
		return 0;
	if (!nd->first_cluster) {
		rc = fat_alloc(fs, 0, &cur);
		if (rc)
			return rc;
		nd->first_cluster = first_new = cur;
		count = 1;
	} else {
		rc = chain_at(fs, nd, have ? have - 1 : 0, &cur);
		if (rc)
			return rc;
		count = have ? have : 1;
	}
	while (count < need) {
		rc = fat_next(fs, cur, &next);  /* reuse clusters past the size, if any */
		if (rc)
			goto undo;
		if (!next) {
			rc = fat_alloc(fs, cur, &next);
			if (rc)
				goto undo;
			if (!first_new) {
				first_new = next;
				attach = cur;
			}
		}
		cur = next;
		count++;
	}
	return 0;
undo:
	if (first_new) {
		if (attach)
			fat_set(fs, attach, FAT_EOC);
		else
			nd->first_cluster = 0;
		fat_free_chain(fs, first_new);
	}
	return rc;
}

/* Frees the chain beyond `size` bytes. */
static int chain_cut(struct fat32 *fs, struct fat32_node *nd, uint32_t size)
{
	uint32_t keep = clusters_for(fs, size), last, next;
	int rc;

	if (!nd->first_cluster)
		return 0;
	if (!keep) {
		uint32_t first = nd->first_cluster;
		nd->first_cluster = 0;
		return fat_free_chain(fs, first);
	}
	rc = chain_at(fs, nd, keep - 1, &last);
	if (!rc)
		rc = fat_next(fs, last, &next);
	if (rc || !next)
		return rc;
	rc = fat_set(fs, last, FAT_EOC);
	return rc ? rc : fat_free_chain(fs, next);
}

static int file_node(struct fat32 *fs, struct fat32_node *nd)
{
	int rc = node_refresh(fs, nd);

	if (rc)
		return rc;
	return nd->attr & FAT32_ATTR_DIR ? -EISDIR : 0;
}

int64_t fat32_read(struct fat32 *fs, struct fat32_node *nd, uint64_t off, void *buf, size_t len)
{
	int rc = file_node(fs, nd);
	uint32_t n;

	if (rc)
		return rc;
	if (off >= nd->size || !len)
		return 0;
	n = (uint32_t)(len < nd->size - off ? len : nd->size - off);
	rc = file_io(fs, nd, (uint32_t)off, buf, n, IO_READ);
	return rc ? rc : (int64_t)n;
}

int64_t fat32_write(struct fat32 *fs, struct fat32_node *nd, uint64_t off, const void *buf, size_t len)
{
	int rc = file_node(fs, nd), rc2;
	uint32_t old;

	if (rc)
		return rc;
	if (!len)
		return 0;
	if (off > FAT32_FILE_MAX || len > FAT32_FILE_MAX - off)
		return -EFBIG;
	old = nd->size;
	rc = chain_grow(fs, nd, (uint32_t)(off + len));
	if (rc)
		return rc;
	if (off > old)
		rc = file_io(fs, nd, old, NULL, (uint32_t)off - old, IO_ZERO);
	if (!rc)
		rc = file_io(fs, nd, (uint32_t)off, (uint8_t *)(uintptr_t)buf, (uint32_t)len, IO_WRITE);
	if (!rc && off + len > old)
		nd->size = (uint32_t)(off + len);
	rc2 = node_store(fs, nd);  /* even on error: it records a new first cluster */
	return rc ? rc : rc2 ? rc2 : (int64_t)len;
}

int fat32_truncate(struct fat32 *fs, struct fat32_node *nd, uint64_t size)
{
	int rc = file_node(fs, nd);
	uint32_t old;

	if (rc)
		return rc;
	if (size > FAT32_FILE_MAX)
		return -EFBIG;
	old = nd->size;
	if (size == old)
		return 0;
	if (size > old) {
		rc = chain_grow(fs, nd, (uint32_t)size);
		if (rc)
			return rc;
		rc = file_io(fs, nd, old, NULL, (uint32_t)size - old, IO_ZERO);
	} else {
		rc = chain_cut(fs, nd, (uint32_t)size);
	}
	if (!rc)
		nd->size = (uint32_t)size;
	int rc2 = node_store(fs, nd);
	return rc ? rc : rc2;
}
