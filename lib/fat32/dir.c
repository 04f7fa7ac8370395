/* Directory entries: walking a directory's slots, assembling long names
 * (VFAT LFN entries: ordinal, checksum, 13 UTF-16 units each), adding an
 * entry with its LFN run and a unique 8.3 alias, removing entries, and the
 * "." / ".." entries of a new directory. A walk stops at 65536 slots, the
 * format's limit, so a looping directory chain cannot hang it. */
#include "fat32_int.h"

static const uint8_t lfn_pos[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

#define TAIL_WINDOW 256u     /* numeric tails tracked per directory scan */
#define TAIL_MAX    999999u  /* "~999999" is the longest tail that fits */

void dir_cursor_init(struct dir_cursor *c, uint32_t first)
{
	c->first = first;
	c->idx = 0;
	c->cluster = 0;
}

/* Points *ent at a slot. Returns 1 if the slot lies past the end of the
 * chain, leaving the cursor on the last cluster (for dir_grow). The cursor
 * only walks forward, so a sequential walk costs one FAT lookup per
 * cluster. */
int dir_slot(struct fat32 *fs, struct dir_cursor *c, uint32_t slot, uint8_t **ent, uint64_t *lba, uint16_t *off)
{
	uint32_t shift = fs->cluster_shift - 5, ci = slot >> shift, next, byte;
	uint64_t sec;
	uint8_t *p;
	int rc;

	if (slot >= DIR_MAX_SLOTS)
		return 1;
	if (!c->cluster || ci < c->idx) {
		if (!cl_valid(fs, c->first))
			return -EUCLEAN;
		c->cluster = c->first;
		c->idx = 0;
	}
	while (c->idx < ci) {
		rc = fat_next(fs, c->cluster, &next);
		if (rc)
			return rc;
		if (!next)
			return 1;
		c->cluster = next;
		c->idx++;
	}
	byte = (slot & ((1u << shift) - 1)) * DIRENT_SIZE;
	sec = cl_lba(fs, c->cluster) + byte / SECTOR_SIZE;
	rc = cache_get(&fs->datac, sec, true, &p);
	if (rc)
		return rc;
	*ent = p + byte % SECTOR_SIZE;
	if (lba)
		*lba = sec;
	if (off)
		*off = (uint16_t)(byte % SECTOR_SIZE);
	return 0;
}

static bool is_lfn(const uint8_t *e)
{
	return (e[DE_ATTR] & ATTR_LFN_MASK) == ATTR_LFN;
}

static bool is_dot(const uint8_t *e)
{
	return e[0] == '.' && (!memcmp(e + 1, "          ", 10) || (e[1] == '.' && !memcmp(e + 2, "         ", 9)));
}

/* The long name as UTF-8, or false if it is unusable (empty, too long, bad
 * UTF-16, or a name we could not have looked up), in which case the short
 * name is used instead. */
static bool lfn_name(const uint16_t *u, uint32_t total, char *out)
{
	size_t n = 0, len, clean;

	while (n < total * LFN_CHARS && u[n])
		n++;
	if (!n || n > NAME_UNITS)
		return false;
	len = utf16_to_utf8(u, n, out, FAT32_NAME_MAX + 1);
	return len && !name_dots(out, len) && name_check(out, len, &clean) == 0 && clean == len;
}

/* Next visible entry at or after *slot (skipping free slots, ".", "..",
 * volume labels and stray LFN entries). Returns 1 and advances *slot past
 * it, or 0 at the end. */
int dir_next(struct fat32 *fs, struct dir_cursor *c, uint32_t *slot, struct dir_found *f)
{
	uint16_t lfn[LFN_MAX_ENTS * LFN_CHARS];
	uint32_t s, start = 0, total = 0, want = 0;
	uint8_t sum = 0;
	bool run = false;

	for (s = *slot; s < DIR_MAX_SLOTS; s++) {
		uint8_t *e = NULL;
		uint64_t lba = 0;
		uint16_t off = 0;
		int rc = dir_slot(fs, c, s, &e, &lba, &off);
		if (rc < 0)
			return rc;
		if (rc == 1 || e[0] == 0)
			break;
		if (e[0] == DE_FREE) {
			run = false;
			continue;
		}
		if (is_lfn(e)) {
			/* LFN entries are stored last-part first, ordinals counting
			 * down to 1; any break in the sequence voids the run. */
			uint32_t ord = e[0] & 0x1Fu;
			if (e[0] & LFN_LAST) {
				run = ord >= 1 && ord <= LFN_MAX_ENTS;
				total = want = ord;
				sum = e[13];
				start = s;
			} else if (!run || ord == 0 || ord != want || e[13] != sum) {
				run = false;
			}
			if (run) {
				for (uint32_t i = 0; i < LFN_CHARS; i++)
					lfn[(ord - 1) * LFN_CHARS + i] = le16(e + lfn_pos[i]);
				want--;
			}
			continue;
		}
		bool have = run && want == 0 && sfn_checksum(e) == sum;
		run = false;
		if ((e[DE_ATTR] & FAT32_ATTR_VOLUME) || is_dot(e))
			continue;
		f->slot = s;
		f->first_slot = have ? start : s;
		f->lba = lba;
		f->off = off;
		memcpy(f->raw, e, DIRENT_SIZE);
		sfn_display(e, e[DE_NTRES], f->short_name);
		if (!have || !lfn_name(lfn, total, f->name))
			memcpy(f->name, f->short_name, sizeof(f->short_name));
		*slot = s + 1;
		return 1;
	}
	*slot = s;
	if (s == DIR_MAX_SLOTS && c->cluster && c->idx == (DIR_MAX_SLOTS - 1) >> (fs->cluster_shift - 5)) {
		/* A chain going on past the limit is a loop or garbage. */
		uint32_t next;
		int rc = fat_next(fs, c->cluster, &next);
		if (rc || next)
			return rc ? rc : -EUCLEAN;
	}
	return 0;
}

int dir_find(struct fat32 *fs, uint32_t dir, const char *name, size_t len, struct dir_found *f)
{
	struct dir_cursor c;
	uint32_t slot = 0;
	int rc;

	dir_cursor_init(&c, dir);
	while ((rc = dir_next(fs, &c, &slot, f)) == 1)
		if (name_eq(f->name, name, len) || name_eq(f->short_name, name, len))
			return 0;
	return rc < 0 ? rc : -ENOENT;
}

/* One pass over the short names: is `basis` itself taken, and which tails
 * lo .. lo + TAIL_WINDOW - 1 are. */
static int scan_aliases(struct fat32 *fs, uint32_t dir, const uint8_t *basis, uint32_t lo, uint8_t *used,
			bool *taken)
{
	struct dir_cursor c;
	uint32_t num;

	dir_cursor_init(&c, dir);
	for (uint32_t s = 0; s < DIR_MAX_SLOTS; s++) {
		uint8_t *e;
		int rc = dir_slot(fs, &c, s, &e, NULL, NULL);
		if (rc < 0)
			return rc;
		if (rc == 1 || e[0] == 0)
			break;
		if (e[0] == DE_FREE || is_lfn(e))
			continue;
		if (!memcmp(e, basis, 11))
			*taken = true;
		if (sfn_tail_of(e, basis, &num) && num >= lo && num - lo < TAIL_WINDOW)
			used[(num - lo) / 8] |= (uint8_t)(1u << ((num - lo) % 8));
	}
	return 0;
}

/* Picks the short name: basis itself if allowed and free, else the basis
 * with the lowest free "~N" tail (as Linux does; no hashed tails). */
static int pick_alias(struct fat32 *fs, uint32_t dir, const uint8_t *basis, bool plain_ok, uint8_t *out)
{
	uint8_t used[TAIL_WINDOW / 8];

	for (uint32_t lo = 1; lo <= TAIL_MAX; lo += TAIL_WINDOW) {
		bool taken = false;
		int rc;
		memset(used, 0, sizeof(used));
		rc = scan_aliases(fs, dir, basis, lo, used, &taken);
		if (rc)
			return rc;
		if (plain_ok && !taken) {
			memcpy(out, basis, 11);
			return 0;
		}
		plain_ok = false;
		for (uint32_t i = 0; i < TAIL_WINDOW && lo + i <= TAIL_MAX; i++) {
			if (!(used[i / 8] & (1u << (i % 8)))) {
				sfn_with_tail(out, basis, lo + i);
				return 0;
			}
		}
	}
	return -ENOSPC;
}

/* Appends a zeroed cluster to the directory; the cursor is on its last. */
static int dir_grow(struct fat32 *fs, struct dir_cursor *c)
{
	uint32_t nc;
	int rc = fat_alloc(fs, c->cluster, &nc);

	if (rc)
		return rc;
	return zero_sectors(fs, cl_lba(fs, nc), cl_size(fs) >> SECTOR_SHIFT);
}

/* Finds `need` consecutive free slots, growing the directory if needed.
 * *past_end tells whether the run reached the end-of-directory marker. */
static int find_free(struct fat32 *fs, uint32_t dir, uint32_t need, uint32_t *start, bool *past_end)
{
	struct dir_cursor c;
	uint32_t run = 0, first = 0;
	bool end = false;

	dir_cursor_init(&c, dir);
	for (uint32_t s = 0; s < DIR_MAX_SLOTS; s++) {
		uint8_t *e;
		int rc = dir_slot(fs, &c, s, &e, NULL, NULL);
		if (rc == 1) {
			rc = dir_grow(fs, &c);
			if (!rc)
				rc = dir_slot(fs, &c, s, &e, NULL, NULL);
			if (rc == 1)
				rc = -EUCLEAN;
		}
		if (rc)
			return rc;
		/* Everything after the first 0x00 entry is free by definition. */
		if (e[0] == 0)
			end = true;
		if (end || e[0] == DE_FREE) {
			if (!run++)
				first = s;
			if (run == need) {
				*start = first;
				*past_end = end;
				return 0;
			}
		} else {
			run = 0;
		}
	}
	return -ENOSPC;
}

/* Adds an entry named `name` whose short entry (attributes, cluster, size,
 * times) is ent; bytes 0..10 and NTRes of ent are filled in here. The name
 * must have been checked and must not exist yet. */
int dir_add(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t *ent, struct dir_found *f)
{
	uint16_t u[NAME_UNITS];
	uint8_t basis[11], ntres, sum, *e;
	uint32_t nlfn, start = 0;
	size_t n;
	bool past_end = false;
	struct dir_cursor c;
	int rc = name_to_utf16(name, len, u, &n);

	if (rc)
		return rc;
	enum sfn_kind kind = sfn_basis(u, n, basis, &ntres);
	rc = pick_alias(fs, dir, basis, kind != SFN_LOSSY, ent);
	if (rc)
		return rc;
	/* A plain 8.3 name needs no LFN: its case lives in the NTRes flags. */
	nlfn = kind == SFN_EXACT && !memcmp(ent, basis, 11) ? 0 : (uint32_t)(n + LFN_CHARS - 1) / LFN_CHARS;
	ent[DE_NTRES] = nlfn ? 0 : ntres;
	sum = sfn_checksum(ent);
	rc = find_free(fs, dir, nlfn + 1, &start, &past_end);
	if (rc)
		return rc;

	dir_cursor_init(&c, dir);
	for (uint32_t i = 0; i < nlfn; i++) {
		uint32_t ord = nlfn - i;
		rc = dir_slot(fs, &c, start + i, &e, NULL, NULL);
		if (rc)
			return rc < 0 ? rc : -EUCLEAN;
		memset(e, 0, DIRENT_SIZE);
		e[0] = (uint8_t)(ord | (i == 0 ? LFN_LAST : 0));
		e[DE_ATTR] = ATTR_LFN;
		e[13] = sum;
		for (uint32_t k = 0; k < LFN_CHARS; k++) {
			size_t idx = (ord - 1) * LFN_CHARS + k;
			put16(e + lfn_pos[k], idx < n ? u[idx] : idx == n ? 0 : 0xFFFF);
		}
		cache_dirty(&fs->datac, e);
	}
	rc = dir_slot(fs, &c, start + nlfn, &e, &f->lba, &f->off);
	if (rc)
		return rc < 0 ? rc : -EUCLEAN;
	memcpy(e, ent, DIRENT_SIZE);
	cache_dirty(&fs->datac, e);
	memcpy(f->raw, ent, DIRENT_SIZE);
	f->slot = start + nlfn;
	f->first_slot = start;
	/* If we used the end marker, keep whatever stale bytes follow it
	 * invisible by putting a marker right after our entry. */
	if (past_end && dir_slot(fs, &c, start + nlfn + 1, &e, NULL, NULL) == 0 && e[0] != 0) {
		e[0] = 0;
		cache_dirty(&fs->datac, e);
	}
	return 0;
}

/* Sets the first byte of the entries first_slot..slot (an entry and its
 * LFN run): from `from`, or DE_FREE when from is NULL; the old bytes go to
 * saved if it is not NULL. */
static int set_first_bytes(struct fat32 *fs, uint32_t dir, uint32_t first_slot, uint32_t slot,
			   const uint8_t *from, uint8_t *saved)
{
	struct dir_cursor c;

	dir_cursor_init(&c, dir);
	for (uint32_t s = first_slot; s <= slot && s - first_slot <= LFN_MAX_ENTS; s++) {
		uint8_t *e;
		int rc = dir_slot(fs, &c, s, &e, NULL, NULL);
		if (rc)
			return rc < 0 ? rc : -EUCLEAN;
		if (saved)
			saved[s - first_slot] = e[0];
		e[0] = from ? from[s - first_slot] : DE_FREE;
		cache_dirty(&fs->datac, e);
	}
	return 0;
}

/* Marks an entry and its LFN run free. The old first bytes go to saved
 * (LFN_MAX_ENTS + 1 bytes, may be NULL) so dir_restore can undo it. */
int dir_remove(struct fat32 *fs, uint32_t dir, uint32_t first_slot, uint32_t slot, uint8_t *saved)
{
	return set_first_bytes(fs, dir, first_slot, slot, NULL, saved);
}

int dir_restore(struct fat32 *fs, uint32_t dir, uint32_t first_slot, uint32_t slot, const uint8_t *saved)
{
	return set_first_bytes(fs, dir, first_slot, slot, saved, NULL);
}

/* 0 if the directory holds nothing but "." and "..", else -ENOTEMPTY. */
int dir_is_empty(struct fat32 *fs, uint32_t dir)
{
	struct dir_cursor c;
	struct dir_found f;
	uint32_t slot = 0;
	int rc;

	dir_cursor_init(&c, dir);
	rc = dir_next(fs, &c, &slot, &f);
	return rc < 0 ? rc : rc ? -ENOTEMPTY : 0;
}

/* Zeroes a new directory cluster and writes "." and "..". parent is 0 for
 * the root, as the format requires. Times come from the template. */
int dir_init(struct fat32 *fs, uint32_t cluster, uint32_t parent, const uint8_t *tmpl)
{
	uint8_t *p;
	int rc = zero_sectors(fs, cl_lba(fs, cluster), cl_size(fs) >> SECTOR_SHIFT);

	if (!rc)
		rc = cache_get(&fs->datac, cl_lba(fs, cluster), true, &p);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < 2; i++) {
		uint8_t *e = p + i * DIRENT_SIZE;
		memcpy(e, tmpl, DIRENT_SIZE);
		memcpy(e, i ? "..         " : ".          ", 11);
		e[DE_ATTR] = FAT32_ATTR_DIR;
		e[DE_NTRES] = 0;
		put32(e + DE_SIZE, 0);
		de_set_cluster(e, i ? parent : cluster);
	}
	cache_dirty(&fs->datac, p);
	return 0;
}

/* The parent of a directory from its ".." entry (root for 0), and a pointer
 * to that entry, valid until the next cache call. */
int dir_parent(struct fat32 *fs, uint32_t dir, uint32_t *parent, uint8_t **dotdot)
{
	struct dir_cursor c;
	uint8_t *e;
	int rc;

	dir_cursor_init(&c, dir);
	rc = dir_slot(fs, &c, 1, &e, NULL, NULL);
	if (rc)
		return rc < 0 ? rc : -EUCLEAN;
	if (memcmp(e, "..         ", 11) || !(e[DE_ATTR] & FAT32_ATTR_DIR))
		return -EUCLEAN;
	*parent = de_cluster(e) ? de_cluster(e) : fs->root_cluster;
	*dotdot = e;
	return 0;
}
