/* Thousands of random operations against an in-memory model of the tree,
 * compared continuously; fsck.fat must find the volume clean at the end.
 * The seed is printed; FAT32_SEED=<n> replays a run. */
#define _GNU_SOURCE
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "tests.h"
#include "tsubame/errno.h"

#define MAXN      64            /* model nodes, root included */
#define OPS       5000

struct mnode {
	bool used, dir;
	int parent;
	char name[96];
	uint8_t *data;
	size_t size;
	bool held;                  /* files keep a held node */
	struct fat32_node node;
};

static struct mnode m[MAXN];
static uint64_t rng;
static unsigned done[8];  /* successful operations by kind, for the log */
enum { D_CREATE, D_WRITE, D_TRUNC, D_REMOVE, D_RENAME, D_NOSPC, D_REFUSED, D_REMOUNT };
static struct vol v;
static size_t max_file;  /* per variant: the small volume should fill up */

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void path_of(int i, char *buf, size_t cap)
{
	if (i == 0) {
		snprintf(buf, cap, "/");
		return;
	}
	char parent[1024];
	path_of(m[i].parent, parent, sizeof(parent));
	snprintf(buf, cap, "%s%s%s", parent, m[i].parent ? "/" : "", m[i].name);
}

static int child_named(int dir, const char *name)
{
	for (int i = 1; i < MAXN; i++)
		if (m[i].used && m[i].parent == dir && !strcasecmp(m[i].name, name))
			return i;
	return -1;
}

static int count_children(int dir)
{
	int n = 0;

	for (int i = 1; i < MAXN; i++)
		n += m[i].used && m[i].parent == dir;
	return n;
}

static bool below(int node, int top)  /* node == top or inside it */
{
	for (int i = 0; i < 64 && node > 0; i++, node = m[node].parent)
		if (node == top)
			return true;
	return node == top;
}

static int free_slot(void)
{
	for (int i = 1; i < MAXN; i++)
		if (!m[i].used)
			return i;
	return -1;
}

/* A random existing node of the wanted kind (0 file, 1 dir, 2 any); -1 if none. */
static int pick(int kind)
{
	int c[MAXN], n = 0;

	for (int i = 1; i < MAXN; i++)
		if (m[i].used && (kind == 2 || m[i].dir == (kind == 1)))
			c[n++] = i;
	return n ? c[rnd((uint32_t)n)] : -1;
}

static int pick_dir(void)  /* root included */
{
	int d = pick(1);

	return d < 0 || rnd(3) == 0 ? 0 : d;
}

static void random_name(char *out, size_t cap)
{
	static const char *stems[] = {"a", "b", "File", "data", "LONG name", "Mixed Case", "x", "README", "notes",
				      "caf\xc3\xa9", "some very long file name that goes on and on", "UP", "lo",
				      "dots.in.name", "plus+sign", " lead"};
	static const char *exts[] = {"", ".txt", ".TXT", ".c", ".tar.gz", ".html", ".Dat", ".x"};

	if (rnd(3) == 0)
		snprintf(out, cap, "%s%u%s", stems[rnd(16)], rnd(50), exts[rnd(8)]);
	else
		snprintf(out, cap, "%s%s", stems[rnd(16)], exts[rnd(8)]);
}

static void drop(int i)
{
	if (m[i].held)
		fat32_release(v.fs, &m[i].node);
	free(m[i].data);
	memset(&m[i], 0, sizeof(m[i]));
}

static void hold(int i)
{
	char p[1024];

	path_of(i, p, sizeof(p));
	ck_assert_int_eq(fat32_lookup(v.fs, p, &m[i].node), 0);
	fat32_hold(v.fs, &m[i].node);
	m[i].held = true;
}

/* A node for file i: its held node, or sometimes a fresh lookup. */
static struct fat32_node *file_node(int i, struct fat32_node *tmp)
{
	char p[1024];

	if (rnd(2))
		return &m[i].node;
	path_of(i, p, sizeof(p));
	ck_assert_int_eq(fat32_lookup(v.fs, p, tmp), 0);
	return tmp;
}

static void check_file(int i)
{
	struct fat32_node tmp, *n = file_node(i, &tmp);
	uint8_t *buf = malloc(m[i].size + 1);

	ck_assert_int_eq(fat32_read(v.fs, n, 0, buf, m[i].size + 1), (int64_t)m[i].size);
	ck_assert_uint_eq(n->size, m[i].size);
	ck_assert_msg(!memcmp(buf, m[i].data, m[i].size), "file %s differs", m[i].name);
	free(buf);
}

static void check_dir(int d)
{
	char p[1024];
	struct fat32_node dn;
	struct fat32_dirent de;
	uint32_t cookie = 0;
	int seen = 0, rc;

	path_of(d, p, sizeof(p));
	ck_assert_int_eq(fat32_lookup(v.fs, p, &dn), 0);
	while ((rc = fat32_readdir(v.fs, &dn, &cookie, &de)) == 1) {
		int c = child_named(d, de.name);
		ck_assert_msg(c > 0 && !strcmp(m[c].name, de.name), "unexpected entry '%s' in %s", de.name, p);
		ck_assert_int_eq(!!(de.node.attr & FAT32_ATTR_DIR), m[c].dir);
		seen++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(seen, count_children(d));
}

static void check_all(void)
{
	for (int i = 0; i < MAXN; i++) {
		if (!m[i].used)
			continue;
		if (m[i].dir)
			check_dir(i);
		else
			check_file(i);
	}
}

static void op_create(bool dir)
{
	char name[96], p[1024], pp[1024];
	int parent = pick_dir(), slot = free_slot(), rc;

	if (slot < 0)
		return;
	random_name(name, sizeof(name));
	path_of(parent, pp, sizeof(pp));
	snprintf(p, sizeof(p), "%s/%s", pp, name);
	rc = dir ? fat32_mkdir(v.fs, p, NULL) : fat32_create(v.fs, p, NULL);
	if (child_named(parent, name) >= 0) {
		ck_assert_int_eq(rc, -EEXIST);
		return;
	}
	if (rc == -ENOSPC)
		return;
	ck_assert_msg(rc == 0, "create %s: %d", p, rc);
	m[slot] = (struct mnode){.used = true, .dir = dir, .parent = parent, .data = malloc(1)};
	snprintf(m[slot].name, sizeof(m[slot].name), "%s", name);
	if (!dir)
		hold(slot);
	done[D_CREATE]++;
}

static void op_write(void)
{
	int i = pick(0);
	struct fat32_node tmp, *n;

	if (i < 0)
		return;
	size_t off = rnd((uint32_t)m[i].size + 20000);
	size_t len = 1 + rnd(rnd(8) == 0 ? (uint32_t)max_file / 2 : rnd(4) ? 3000 : 40000);
	if (off + len > max_file)
		return;
	uint8_t *buf = malloc(len);
	fill_pattern(buf, len, (uint32_t)rng);
	n = file_node(i, &tmp);
	int64_t rc = fat32_write(v.fs, n, off, buf, len);
	if (rc == -ENOSPC) {
		free(buf);
		check_file(i);  /* unchanged */
		done[D_NOSPC]++;
		return;
	}
	done[D_WRITE]++;
	ck_assert_int_eq(rc, (int64_t)len);
	if (off + len > m[i].size) {
		m[i].data = realloc(m[i].data, off + len);
		if (off > m[i].size)
			memset(m[i].data + m[i].size, 0, off - m[i].size);
		m[i].size = off + len;
	}
	memcpy(m[i].data + off, buf, len);
	ck_assert_uint_eq(n->size, m[i].size);
	free(buf);
	check_file(i);
}

static void op_read(void)
{
	int i = pick(0);
	struct fat32_node tmp, *n;

	if (i < 0)
		return;
	size_t off = rnd((uint32_t)m[i].size + 100), len = rnd(20000);
	uint8_t *buf = malloc(len + 1);
	n = file_node(i, &tmp);
	int64_t rc = fat32_read(v.fs, n, off, buf, len);
	size_t want = off >= m[i].size ? 0 : m[i].size - off < len ? m[i].size - off : len;
	ck_assert_int_eq(rc, (int64_t)want);
	ck_assert(!memcmp(buf, m[i].data + (want ? off : 0), want));
	free(buf);
}

static void op_truncate(void)
{
	int i = pick(0);
	struct fat32_node tmp, *n;

	if (i < 0)
		return;
	size_t size = rnd(4) ? rnd(max_file / 2) : 0;
	n = file_node(i, &tmp);
	int rc = fat32_truncate(v.fs, n, size);
	if (rc == -ENOSPC) {
		done[D_NOSPC]++;
		return;
	}
	ck_assert_int_eq(rc, 0);
	done[D_TRUNC]++;
	m[i].data = realloc(m[i].data, size + 1);
	if (size > m[i].size)
		memset(m[i].data + m[i].size, 0, size - m[i].size);
	m[i].size = size;
	check_file(i);
}

static void op_remove(bool dir)
{
	int i = pick(dir ? 1 : 0);

	/* Prefer empty directories, or they pile up. */
	for (int tries = 0; dir && i > 0 && count_children(i) && tries < 4; tries++)
		i = pick(1);
	char p[1024];

	if (i < 0)
		return;
	path_of(i, p, sizeof(p));
	/* Sometimes the wrong call for the kind. */
	if (rnd(8) == 0) {
		ck_assert_int_eq(dir ? fat32_unlink(v.fs, p) : fat32_rmdir(v.fs, p), dir ? -EISDIR : -ENOTDIR);
		return;
	}
	int rc = dir ? fat32_rmdir(v.fs, p) : fat32_unlink(v.fs, p);
	if (dir && count_children(i)) {
		ck_assert_int_eq(rc, -ENOTEMPTY);
		done[D_REFUSED]++;
		return;
	}
	ck_assert_int_eq(rc, 0);
	done[D_REMOVE]++;
	if (!dir) {
		uint8_t b;
		ck_assert_int_eq(fat32_read(v.fs, &m[i].node, 0, &b, 1), -ENOENT);  /* held: now dead */
	}
	drop(i);
}

static void op_rename(void)
{
	int s = pick(2), parent = pick_dir(), t, rc;
	char name[96], from[1024], to[1024], pp[1024];

	if (s < 0)
		return;
	if (rnd(4) == 0 && count_children(parent)) {
		int c = pick(2);  /* aim at an existing name */
		parent = m[c].parent;
		snprintf(name, sizeof(name), "%s", m[c].name);
		if (rnd(2) && isalpha((unsigned char)name[0]))
			name[0] ^= 0x20;  /* the same name in another case */
	} else {
		random_name(name, sizeof(name));
	}
	path_of(s, from, sizeof(from));
	path_of(parent, pp, sizeof(pp));
	snprintf(to, sizeof(to), "%s/%s", pp, name);
	rc = fat32_rename(v.fs, from, to);
	t = child_named(parent, name);

	int expect = 0;
	if (m[s].dir && below(parent, s))
		expect = -EINVAL;
	else if (t == s)
		expect = 0;
	else if (t > 0 && m[t].dir != m[s].dir)
		expect = m[t].dir ? -EISDIR : -ENOTDIR;
	else if (t > 0 && m[t].dir && count_children(t))
		expect = -ENOTEMPTY;
	if (rc == -ENOSPC && expect == 0)
		return;
	ck_assert_msg(rc == expect, "rename %s -> %s: %d, want %d", from, to, rc, expect);
	done[rc ? D_REFUSED : D_RENAME]++;
	if (rc)
		return;
	if (t > 0 && t != s) {
		if (!m[t].dir) {
			uint8_t b;
			ck_assert_int_eq(fat32_read(v.fs, &m[t].node, 0, &b, 1), -ENOENT);
		}
		drop(t);
	}
	m[s].parent = parent;
	snprintf(m[s].name, sizeof(m[s].name), "%s", name);
	if (!m[s].dir)
		check_file(s);  /* through the held node, moved with the entry */
}

static void remount(void)
{
	done[D_REMOUNT]++;
	vol_unmount(&v);
	vol_mount(&v);
	for (int i = 1; i < MAXN; i++)
		if (m[i].used && !m[i].dir)
			hold(i);  /* the old held nodes belonged to the old mount */
}

START_TEST(random_ops)
{
	static const struct fat32_config tiny = {4, 4};
	const char *env = getenv("FAT32_SEED");
	uint32_t seed = env ? (uint32_t)strtoul(env, NULL, 0) : 20240601u;
	uint32_t used, total, free_now;
	struct fat32_statfs sf;

	seed += (uint32_t)_i;
	printf("fat32 random[%d]: seed %u (replay with FAT32_SEED=%u)\n", _i, seed, seed - (uint32_t)_i);
	fflush(stdout);
	rng = 0x9E3779B97F4A7C15ull ^ seed;
	memset(m, 0, sizeof(m));
	memset(done, 0, sizeof(done));
	m[0].used = m[0].dir = true;
	/* 512 B clusters with tiny caches and files big enough to fill the
	 * volume; 4 KiB and 32 KiB clusters with the default caches. */
	static const struct image *const img[] = {&small_image, &small4k_image, &small32k_image};
	max_file = _i == 0 ? 1024 * 1024 : 128 * 1024;
	vol_open(&v, img[_i], _i ? NULL : &tiny);

	for (int op = 0; op < OPS; op++) {
		switch (rnd(20)) {
		case 0: case 1: case 2: op_create(false); break;
		case 3: op_create(true); break;
		case 4: case 5: case 6: case 7: case 8: op_write(); break;
		case 9: case 10: op_read(); break;
		case 11: case 12: op_truncate(); break;
		case 13: op_remove(false); break;
		case 14: op_remove(true); break;
		case 15: case 16: op_rename(); break;
		case 17: check_dir(pick_dir()); break;
		case 18:
			ck_assert_int_eq(fat32_statfs(v.fs, &sf), 0);
			ck_assert_uint_le(sf.free_clusters, sf.total_clusters);
			break;
		case 19:
			if (rnd(10) == 0)
				remount();
			else if (rnd(2))
				ck_assert_int_eq(fat32_flush(v.fs), 0);
			break;
		}
		if (op % 500 == 499)
			check_all();
	}
	check_all();
	ck_assert_int_eq(fat32_statfs(v.fs, &sf), 0);
	free_now = sf.free_clusters;
	int files = 0, dirs = 0;
	for (int i = 1; i < MAXN; i++)
		if (m[i].used)
			m[i].dir ? dirs++ : files++;
	printf("fat32 random[%d]: %u creates, %u writes, %u truncates, %u removes, %u renames, %u ENOSPC, "
	       "%u refusals, %u remounts; %d files, %d dirs, %u/%u clusters free\n",
	       _i, done[D_CREATE], done[D_WRITE], done[D_TRUNC], done[D_REMOVE], done[D_RENAME], done[D_NOSPC],
	       done[D_REFUSED], done[D_REMOUNT], files, dirs, free_now, sf.total_clusters);
	for (int i = 1; i < MAXN; i++)
		if (m[i].used)
			drop(i);
	vol_unmount(&v);
	ck_assert(vol_fsck(&v, &used, &total));
	ck_assert_uint_eq(total - used, free_now);
	vol_close(&v);
}
END_TEST

void add_random_tests(Suite *s)
{
	TCase *tc = tcase_create("random");
	tcase_add_loop_test(tc, random_ops, 0, 3);
	suite_add_tcase(s, tc);
}
