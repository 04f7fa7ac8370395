/* Path resolution and the namespace calls: lookup, readdir, create, mkdir,
 * unlink, rmdir, rename. Each path call resolves the parent directory and
 * hands the last component to the matching *_at call. */
#include "fat32_int.h"

/* Next path component: skips slashes, returns its length (0 at the end). */
static size_t next_comp(const char **p, const char **comp)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	*comp = s;
	while (*s && *s != '/')
		s++;
	*p = s;
	return (size_t)(s - *comp);
}

/* Refreshes a node and checks that it is a directory. */
static int dir_node(struct fat32 *fs, struct fat32_node *dir)
{
	int rc = node_refresh(fs, dir);

	if (rc)
		return rc;
	return dir->attr & FAT32_ATTR_DIR ? 0 : -ENOTDIR;
}

/* Validates a name for use as a new entry; *len becomes its stored length. */
static int new_name(const char *name, size_t *len)
{
	if (*len > FAT32_NAME_MAX)
		return -ENAMETOOLONG;
	if (name_dots(name, *len))
		return -EINVAL;
	return name_check(name, *len, len);
}

/* Finds an existing entry by name in dir. */
static int find_in(struct fat32 *fs, struct fat32_node *dir, const char *name, size_t len, struct dir_found *f)
{
	int rc = dir_node(fs, dir);

	if (!rc)
		rc = new_name(name, &len);
	return rc ? rc : dir_find(fs, dir->first_cluster, name, len, f);
}

/* The value a ".." entry stores for dir: 0 means the root. */
static uint32_t dotdot_value(const struct fat32 *fs, const struct fat32_node *dir)
{
	return dir->first_cluster == fs->root_cluster ? 0 : dir->first_cluster;
}

static int lookup_in(struct fat32 *fs, struct fat32_node *dir, const char *name, size_t len, struct fat32_node *out)
{
	struct dir_found f;
	int rc;

	if (name_dots(name, len) == 1) {
		rc = dir_node(fs, dir);
		if (rc || out == dir)
			return rc;
		*out = *dir;
		out->flags &= (uint8_t)~NODE_HELD;
		out->held_next = NULL;
		return 0;
	}
	rc = find_in(fs, dir, name, len, &f);
	if (rc)
		return rc;
	node_fill(out, dir->first_cluster, &f);
	return 0;
}

/* Resolves all but the last component into *dir. Returns 1 if the path
 * names the root itself, else 0 with the last component in name/len. */
static int walk_parent(struct fat32 *fs, const char *path, struct fat32_node *dir, const char **name, size_t *len)
{
	const char *p = path, *comp, *next;
	size_t n, m;

	fat32_root(fs, dir);
	n = next_comp(&p, &comp);
	if (!n)
		return 1;
	while ((m = next_comp(&p, &next)) != 0) {
		int rc = lookup_in(fs, dir, comp, n, dir);
		if (rc)
			return rc;
		comp = next;
		n = m;
	}
	*name = comp;
	*len = n;
	return 0;
}

int fat32_lookup(struct fat32 *fs, const char *path, struct fat32_node *out)
{
	struct fat32_node dir;
	const char *name;
	size_t len;
	int rc = walk_parent(fs, path, &dir, &name, &len);

	if (rc == 1) {
		fat32_root(fs, out);
		return 0;
	}
	return rc ? rc : lookup_in(fs, &dir, name, len, out);
}

int fat32_lookup_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out)
{
	return lookup_in(fs, dir, name, strlen(name), out);
}

int fat32_readdir(struct fat32 *fs, struct fat32_node *dir, uint32_t *cookie, struct fat32_dirent *out)
{
	struct dir_cursor c;
	struct dir_found f;
	int rc = dir_node(fs, dir);

	if (rc)
		return rc;
	dir_cursor_init(&c, dir->first_cluster);
	/* Resume the chain walk where the previous call stopped. */
	if (dir->hint_cluster && dir->hint_gen == fs->chain_gen) {
		c.idx = dir->hint_index;
		c.cluster = dir->hint_cluster;
	}
	rc = dir_next(fs, &c, cookie, &f);
	if (c.cluster) {
		dir->hint_index = c.idx;
		dir->hint_cluster = c.cluster;
		dir->hint_gen = fs->chain_gen;
	}
	if (rc <= 0)
		return rc;
	memcpy(out->name, f.name, sizeof(out->name));
	memcpy(out->short_name, f.short_name, sizeof(out->short_name));
	node_fill(&out->node, dir->first_cluster, &f);
	return 1;
}

static int create_in(struct fat32 *fs, struct fat32_node *dir, const char *name, size_t len, bool is_dir,
		     struct fat32_node *out)
{
	struct dir_found f;
	uint8_t ent[DIRENT_SIZE];
	uint32_t now = fat_now(), cl = 0;
	int rc = dir_node(fs, dir);

	if (rc)
		return rc;
	if (name_dots(name, len))
		return -EEXIST;
	rc = new_name(name, &len);
	if (!rc)
		rc = dir_find(fs, dir->first_cluster, name, len, &f);
	if (rc != -ENOENT)
		return rc ? rc : -EEXIST;
	rc = 0;

	memset(ent, 0, sizeof(ent));
	ent[DE_ATTR] = is_dir ? FAT32_ATTR_DIR : FAT32_ATTR_ARCHIVE;
	put16(ent + DE_CRT_TIME, (uint16_t)now);
	put16(ent + DE_CRT_DATE, (uint16_t)(now >> 16));
	put16(ent + DE_WRT_TIME, (uint16_t)now);
	put16(ent + DE_WRT_DATE, (uint16_t)(now >> 16));
	put16(ent + DE_ACC_DATE, (uint16_t)(now >> 16));
	if (is_dir) {
		rc = fat_alloc(fs, 0, &cl);
		if (rc)
			return rc;
		de_set_cluster(ent, cl);
		rc = dir_init(fs, cl, dotdot_value(fs, dir), ent);
	}
	if (!rc)
		rc = dir_add(fs, dir->first_cluster, name, len, ent, &f);
	if (rc) {
		if (cl)
			fat_free_chain(fs, cl);
		return rc;
	}
	if (out)
		node_fill(out, dir->first_cluster, &f);
	return 0;
}

static int remove_in(struct fat32 *fs, struct fat32_node *dir, const char *name, size_t len, bool want_dir)
{
	struct dir_found f;
	int rc = find_in(fs, dir, name, len, &f);

	if (rc)
		return rc;
	bool is_dir = f.raw[DE_ATTR] & FAT32_ATTR_DIR;
	uint32_t cl = de_cluster(f.raw);
	if (is_dir != want_dir)
		return is_dir ? -EISDIR : -ENOTDIR;
	if (is_dir) {
		rc = dir_is_empty(fs, cl);
		if (rc)
			return rc;
	}
	rc = dir_remove(fs, dir->first_cluster, f.first_slot, f.slot, NULL);
	if (rc)
		return rc;
	nodes_killed(fs, dir->first_cluster, f.slot);
	return cl ? fat_free_chain(fs, cl) : 0;
}

/* -EINVAL if directory `dir` is `moved` or lies below it. */
static int check_not_below(struct fat32 *fs, uint32_t dir, uint32_t moved)
{
	for (uint32_t i = 0; i < MAX_DEPTH; i++) {
		uint8_t *e;
		int rc;
		if (dir == moved)
			return -EINVAL;
		if (dir == fs->root_cluster)
			return 0;
		rc = dir_parent(fs, dir, &dir, &e);
		if (rc)
			return rc;
	}
	return -EUCLEAN;
}

static int rename_in(struct fat32 *fs, struct fat32_node *odir, const char *oname, size_t olen,
		     struct fat32_node *ndir, const char *nname, size_t nlen)
{
	struct dir_found sf, f;
	uint8_t ent[DIRENT_SIZE], saved_s[LFN_MAX_ENTS + 1], saved_t[LFN_MAX_ENTS + 1], *e;
	uint32_t odc, ndc, src_cl, t_first = 0, t_slot = 0, t_cl = 0, parent;
	bool src_dir, replace = false;
	int rc = find_in(fs, odir, oname, olen, &sf);

	if (!rc)
		rc = dir_node(fs, ndir);
	if (!rc)
		rc = new_name(nname, &nlen);
	if (rc)
		return rc;
	odc = odir->first_cluster;
	ndc = ndir->first_cluster;
	src_dir = sf.raw[DE_ATTR] & FAT32_ATTR_DIR;
	src_cl = de_cluster(sf.raw);
	if (src_dir && odc != ndc) {
		rc = check_not_below(fs, ndc, src_cl);
		if (rc)
			return rc;
	}

	rc = dir_find(fs, ndc, nname, nlen, &f);
	if (rc == 0) {
		if (ndc == odc && f.slot == sf.slot) {
			/* Same entry: a no-op unless the spelling changes. */
			if (strlen(sf.name) == nlen && !memcmp(sf.name, nname, nlen))
				return 0;
		} else {
			bool t_dir = f.raw[DE_ATTR] & FAT32_ATTR_DIR;
			if (t_dir != src_dir)
				return t_dir ? -EISDIR : -ENOTDIR;
			t_cl = de_cluster(f.raw);
			if (t_dir) {
				rc = dir_is_empty(fs, t_cl);
				if (rc)
					return rc;
			}
			replace = true;
			t_first = f.first_slot;
			t_slot = f.slot;
		}
	} else if (rc != -ENOENT) {
		return rc;
	}

	/* Free the old names first so the new entry gets a clean alias and can
	 * reuse their slots; undo that if the new entry cannot be added. */
	if (replace) {
		rc = dir_remove(fs, ndc, t_first, t_slot, saved_t);
		if (rc)
			return rc;
	}
	rc = dir_remove(fs, odc, sf.first_slot, sf.slot, saved_s);
	if (!rc) {
		memcpy(ent, sf.raw, DIRENT_SIZE);
		rc = dir_add(fs, ndc, nname, nlen, ent, &f);
		if (rc)
			dir_restore(fs, odc, sf.first_slot, sf.slot, saved_s);
	}
	if (rc) {
		if (replace)
			dir_restore(fs, ndc, t_first, t_slot, saved_t);
		return rc;
	}

	if (replace)
		nodes_killed(fs, ndc, t_slot);
	nodes_moved(fs, odc, sf.slot, ndc, &f);
	if (src_dir && odc != ndc) {
		rc = dir_parent(fs, src_cl, &parent, &e);
		if (rc)
			return rc;
		de_set_cluster(e, dotdot_value(fs, ndir));
		cache_dirty(&fs->datac, e);
	}
	return replace && t_cl ? fat_free_chain(fs, t_cl) : 0;
}

/* ---- path and *_at wrappers ---- */

int fat32_create_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out)
{
	return create_in(fs, dir, name, strlen(name), false, out);
}

int fat32_mkdir_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out)
{
	return create_in(fs, dir, name, strlen(name), true, out);
}

int fat32_unlink_at(struct fat32 *fs, struct fat32_node *dir, const char *name)
{
	return remove_in(fs, dir, name, strlen(name), false);
}

int fat32_rmdir_at(struct fat32 *fs, struct fat32_node *dir, const char *name)
{
	return remove_in(fs, dir, name, strlen(name), true);
}

int fat32_rename_at(struct fat32 *fs, struct fat32_node *old_dir, const char *old_name, struct fat32_node *new_dir,
		    const char *new_name)
{
	return rename_in(fs, old_dir, old_name, strlen(old_name), new_dir, new_name, strlen(new_name));
}

/* walk_parent, with the error to give when the path is the root itself. */
static int parent_of(struct fat32 *fs, const char *path, struct fat32_node *dir, const char **name, size_t *len,
		     int at_root)
{
	int rc = walk_parent(fs, path, dir, name, len);

	return rc == 1 ? at_root : rc;
}

int fat32_create(struct fat32 *fs, const char *path, struct fat32_node *out)
{
	struct fat32_node dir;
	const char *name;
	size_t len;
	int rc = parent_of(fs, path, &dir, &name, &len, -EEXIST);

	return rc ? rc : create_in(fs, &dir, name, len, false, out);
}

int fat32_mkdir(struct fat32 *fs, const char *path, struct fat32_node *out)
{
	struct fat32_node dir;
	const char *name;
	size_t len;
	int rc = parent_of(fs, path, &dir, &name, &len, -EEXIST);

	return rc ? rc : create_in(fs, &dir, name, len, true, out);
}

int fat32_unlink(struct fat32 *fs, const char *path)
{
	struct fat32_node dir;
	const char *name;
	size_t len;
	int rc = parent_of(fs, path, &dir, &name, &len, -EISDIR);

	return rc ? rc : remove_in(fs, &dir, name, len, false);
}

int fat32_rmdir(struct fat32 *fs, const char *path)
{
	struct fat32_node dir;
	const char *name;
	size_t len;
	int rc = parent_of(fs, path, &dir, &name, &len, -EBUSY);

	return rc ? rc : remove_in(fs, &dir, name, len, true);
}

int fat32_rename(struct fat32 *fs, const char *old_path, const char *new_path)
{
	struct fat32_node odir, ndir;
	const char *oname, *nname;
	size_t olen, nlen;
	int rc = parent_of(fs, old_path, &odir, &oname, &olen, -EBUSY);

	if (!rc)
		rc = parent_of(fs, new_path, &ndir, &nname, &nlen, -EBUSY);
	return rc ? rc : rename_in(fs, &odir, oname, olen, &ndir, nname, nlen);
}
