/* The file commands. Every path is made absolute first (path.c), every
 * failure is reported as "cmd: path: reason" with the path as the user
 * typed it, and a command carries on with its other arguments after one
 * fails, returning non-zero at the end. Data moves in 64 KiB chunks, so
 * files of any size copy in constant memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "time/civil.h"

#define CHUNK (64 * 1024)
#define COLUMNS 80 /* assumed terminal width for `ls` without -l */

static char *chunk_buffer(void)
{
	static char *buf;
	if (!buf)
		buf = malloc(CHUNK);
	return buf;
}

/* ---- ls ---- */

struct entry {
	char *name;
	uint64_t size;
	bool is_dir;
	bool dated;     /* mtime asked for (ls -l stats every entry) */
	int64_t mtime;  /* seconds since 1970, UTC; 0: none kept */
};

static void print_entries(struct entry *e, size_t n, bool lng)
{
	if (lng) {
		for (size_t i = 0; i < n; i++) {
			char when[20] = "-               "; /* no date known: as wide as one */
			if (e[i].dated && e[i].mtime) { /* 0: the file system keeps no date */
				struct civil_time t;
				civil_from_unix(e[i].mtime, &t);
				snprintf(when, sizeof when, "%04lld-%02u-%02u %02u:%02u", (long long)t.year, t.month,
					 t.day, t.hour, t.min);
			}
			if (e[i].is_dir)
				outf("dir  %12s  %s  %s/\n", "-", when, e[i].name);
			else
				outf("file %12llu  %s  %s\n", (unsigned long long)e[i].size, when, e[i].name);
		}
		return;
	}
	if (!out_is_console()) { /* into a file: one name per line */
		for (size_t i = 0; i < n; i++)
			outf("%s%s\n", e[i].name, e[i].is_dir ? "/" : "");
		return;
	}
	/* On the console: names in columns, filled top to bottom. */
	size_t width = 1;
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(e[i].name) + (e[i].is_dir ? 1 : 0);
		if (w > width)
			width = w;
	}
	width += 2;
	size_t cols = COLUMNS / width ? COLUMNS / width : 1;
	size_t rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;
			if (i >= n)
				break;
			const char *slash = e[i].is_dir ? "/" : "";
			if (c + 1 == cols || i + rows >= n) /* the last column: no padding */
				outf("%s%s", e[i].name, slash);
			else
				outf("%s%s%*s", e[i].name, slash, (int)(width - strlen(e[i].name) - strlen(slash)), "");
		}
		out_write("\n", 1);
	}
}

static void sort_entries(struct entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++) { /* insertion sort: directories are small */
		struct entry t = e[i];
		size_t j = i;
		while (j > 0 && strcmp(e[j - 1].name, t.name) > 0) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = t;
	}
}

static int list_dir(const char *cmd, const char *typed, const char *abs, bool lng)
{
	static struct tsb_dirent d;
	struct entry *list = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	int fd = open(abs, TSB_O_READ | TSB_O_DIR);
	if (fd < 0) {
		report(cmd, typed, fd);
		return 1;
	}
	for (;;) {
		int r = readdir(fd, &d);
		if (r <= 0) {
			err = r;
			break;
		}
		d.name[sizeof d.name - 1] = '\0';
		if (strcmp(d.name, ".") == 0 || strcmp(d.name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct entry *bigger = realloc(list, ncap * sizeof *list);
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			list = bigger;
			cap = ncap;
		}
		size_t len = strlen(d.name) + 1;
		if (!(list[n].name = malloc(len))) {
			err = -ENOMEM;
			break;
		}
		memcpy(list[n].name, d.name, len);
		list[n].size = d.size;
		list[n].is_dir = d.is_dir != 0;
		list[n].dated = false;
		if (lng) { /* the listing has no dates: ask each entry */
			static char full[TSB_PATH_MAX];
			struct tsb_stat st;
			bool root = abs[0] == '/' && abs[1] == '\0';
			if (snprintf(full, sizeof full, "%s/%s", root ? "" : abs, d.name) < (int)sizeof full &&
			    stat(full, &st) == 0) {
				list[n].dated = true;
				list[n].mtime = st.mtime;
			}
		}
		n++;
	}
	close(fd);
	sort_entries(list, n);
	print_entries(list, n, lng);
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	if (err < 0) {
		report(cmd, typed, err);
		return 1;
	}
	return 0;
}

int cmd_ls(int argc, char **argv)
{
	bool lng = false;
	int first = 1, failed = 0;
	char abs[TSB_PATH_MAX];

	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		for (const char *o = argv[first] + 1; *o; o++) {
			if (*o != 'l') {
				printf("%s: -%c: unknown option\nusage: ls [-l] [PATH...]\n", argv[0], *o);
				return 2;
			}
			lng = true;
		}
	}
	int npaths = argc - first;
	for (int i = first; i < argc || (npaths == 0 && i == first); i++) {
		const char *typed = npaths ? argv[i] : ".";
		struct tsb_stat st;
		int r = path_resolve(typed, abs, sizeof abs);
		if (r == 0)
			r = stat(abs, &st);
		if (r < 0) {
			report(argv[0], typed, r);
			failed = 1;
			continue;
		}
		if (!st.is_dir) {
			struct entry e = { (char *)typed, st.size, false, true, st.mtime };
			print_entries(&e, 1, lng);
			continue;
		}
		if (npaths > 1)
			outf("%s:\n", typed);
		failed |= list_dir(argv[0], typed, abs, lng);
	}
	return failed;
}

/* ---- cat ---- */

static int cat_one(const char *cmd, const char *typed, char *last)
{
	char abs[TSB_PATH_MAX];
	char *buf = chunk_buffer();
	int r = path_resolve(typed, abs, sizeof abs);

	if (r == 0 && !buf)
		r = -ENOMEM;
	int fd = r < 0 ? r : open(abs, TSB_O_READ);
	if (fd < 0) {
		report(cmd, typed, fd);
		return 1;
	}
	long n;
	while ((n = read(fd, buf, CHUNK)) > 0) {
		out_write(buf, (size_t)n);
		*last = buf[n - 1];
		if (in_interrupted()) {
			n = -EINTR;
			break;
		}
	}
	close(fd);
	if (n < 0) {
		if (*last != '\n' && out_is_console()) {
			out_write("\n", 1); /* the message on a line of its own */
			*last = '\n';
		}
		report(cmd, typed, (int)n);
		return 1;
	}
	return 0;
}

bool cat_reads_output(int argc, char **argv, const char *out_abs)
{
	char abs[TSB_PATH_MAX];

	for (int i = 1; i < argc; i++) {
		if (path_resolve(argv[i], abs, sizeof abs) == 0 && strcmp(abs, out_abs) == 0) {
			printf("%s: %s: input file is output file\n", argv[0], argv[i]);
			return true;
		}
	}
	return false;
}

int cmd_cat(int argc, char **argv)
{
	int failed = 0;
	char last = '\n';

	if (argc < 2) {
		printf("usage: cat FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc && !in_interrupted(); i++)
		failed |= cat_one(argv[0], argv[i], &last);
	if (last != '\n' && out_is_console())
		out_write("\n", 1); /* keep the next prompt at the start of a line */
	return failed;
}

/* ---- cp and mv ---- */

/* Copies the file src to dst (both absolute). Names in messages are the
 * ones given in src_name/dst_name. A failed copy removes its partial
 * target, so a file is either copied whole or not at all. */
static int copy_file(const char *cmd, const char *src, const char *src_name, const char *dst,
		     const char *dst_name)
{
	char *buf = chunk_buffer();
	struct tsb_stat st;
	int err = 0;

	if (!buf) {
		report(cmd, NULL, -ENOMEM);
		return 1;
	}
	int in = open(src, TSB_O_READ);
	if (in < 0) {
		report(cmd, src_name, in);
		return 1;
	}
	if ((err = fstat(in, &st)) < 0 || st.is_dir) {
		report(cmd, src_name, err < 0 ? err : -EISDIR);
		close(in);
		return 1;
	}
	int out = open(dst, TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC);
	if (out < 0) {
		report(cmd, dst_name, out);
		close(in);
		return 1;
	}
	const char *bad = NULL;
	for (;;) {
		long n = in_interrupted() ? -EINTR : read(in, buf, CHUNK);
		if (n <= 0) {
			if (n < 0) {
				err = (int)n;
				bad = src_name;
			}
			break;
		}
		for (long done = 0; done < n && !bad;) {
			long w = write(out, buf + done, (size_t)(n - done));
			if (w <= 0) {
				err = w < 0 ? (int)w : -EIO;
				bad = dst_name;
			}
			done += w > 0 ? w : 0;
		}
		if (bad)
			break;
	}
	close(in);
	int c = close(out);
	if (!bad && c < 0) {
		err = c;
		bad = dst_name;
	}
	if (bad) {
		report(cmd, bad, err);
		unlink(dst);
		return 1;
	}
	return 0;
}

/* The absolute target of `src` for cp/mv: dst itself, or dst/base(src)
 * when dst is a directory. */
static int target_of(const char *src_abs, const char *dst_abs, bool dst_is_dir, char *out, size_t size)
{
	if (!dst_is_dir) {
		strlcpy(out, dst_abs, size);
		return 0;
	}
	const char *base = path_base(src_abs);
	if (!*base)
		return -EINVAL; /* "/" itself */
	int n = snprintf(out, size, "%s%s%s", dst_abs, strcmp(dst_abs, "/") == 0 ? "" : "/", base);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int move_one(const char *cmd, const char *src, const char *src_name, const char *dst)
{
	struct tsb_stat st;
	int r = rename(src, dst);

	if (r == -EEXIST && stat(dst, &st) == 0 && !st.is_dir && unlink(dst) == 0)
		r = rename(src, dst); /* mv replaces an existing file, as elsewhere */
	if (r != -EXDEV) {
		if (r < 0)
			report(cmd, src_name, r);
		return r < 0;
	}
	/* Another file system: copy, then remove the original. */
	if ((r = stat(src, &st)) < 0 || st.is_dir) {
		if (r == 0)
			printf("%s: %s: cannot move a directory to another file system\n", cmd, src_name);
		else
			report(cmd, src_name, r);
		return 1;
	}
	if (copy_file(cmd, src, src_name, dst, dst))
		return 1;
	if ((r = unlink(src)) < 0) {
		report(cmd, src_name, r);
		return 1;
	}
	return 0;
}

static int copy_or_move(int argc, char **argv, bool move)
{
	char dst[TSB_PATH_MAX], src[TSB_PATH_MAX], target[TSB_PATH_MAX];
	struct tsb_stat st;
	int failed = 0;

	if (argc < 3) {
		printf("usage: %s SOURCE... DEST\n", argv[0]);
		return 2;
	}
	const char *dst_name = argv[argc - 1];
	int r = path_resolve(dst_name, dst, sizeof dst);
	if (r < 0) {
		report(argv[0], dst_name, r);
		return 1;
	}
	bool dst_is_dir = stat(dst, &st) == 0 && st.is_dir;
	if (argc > 3 && !dst_is_dir) {
		report(argv[0], dst_name, -ENOTDIR);
		return 1;
	}
	for (int i = 1; i < argc - 1 && !in_interrupted(); i++) {
		if ((r = path_resolve(argv[i], src, sizeof src)) == 0)
			r = target_of(src, dst, dst_is_dir, target, sizeof target);
		if (r < 0) {
			report(argv[0], argv[i], r);
			failed = 1;
			continue;
		}
		if (strcmp(src, target) == 0) {
			printf("%s: %s and %s are the same file\n", argv[0], argv[i], target);
			failed = 1;
			continue;
		}
		size_t sl = strlen(src);
		if (move && strncmp(target, src, sl) == 0 && target[sl] == '/') {
			printf("%s: %s: cannot move a directory into itself\n", argv[0], argv[i]);
			failed = 1;
			continue;
		}
		failed |= move ? move_one(argv[0], src, argv[i], target)
			       : copy_file(argv[0], src, argv[i], target, dst_is_dir ? target : dst_name);
	}
	return failed;
}

int cmd_cp(int argc, char **argv)
{
	return copy_or_move(argc, argv, false);
}

int cmd_mv(int argc, char **argv)
{
	return copy_or_move(argc, argv, true);
}

/* ---- rm, mkdir, rmdir: one call per argument ---- */

static int each_path(int argc, char **argv, int (*op)(const char *))
{
	char abs[TSB_PATH_MAX];
	int failed = 0;

	if (argc < 2) {
		printf("usage: %s PATH...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = path_resolve(argv[i], abs, sizeof abs);
		if (r == 0)
			r = op(abs);
		if (r < 0) {
			report(argv[0], argv[i], r);
			failed = 1;
		}
	}
	return failed;
}

/* unlink() may be allowed to remove directories by a file system; rm only
 * removes files, as rmdir exists for directories. */
static int remove_file(const char *abs)
{
	struct tsb_stat st;
	int r = stat(abs, &st);
	if (r == 0 && st.is_dir)
		return -EISDIR;
	return r < 0 ? r : unlink(abs);
}

int cmd_rm(int argc, char **argv)
{
	return each_path(argc, argv, remove_file);
}

int cmd_mkdir(int argc, char **argv)
{
	return each_path(argc, argv, mkdir);
}

int cmd_rmdir(int argc, char **argv)
{
	return each_path(argc, argv, rmdir);
}

/* ---- df ---- */

int cmd_df(int argc, char **argv)
{
	static char *defaults[] = { "df", "/", "/host" };
	char abs[TSB_PATH_MAX];
	int failed = 0;

	if (argc == 1) {
		argc = 3;
		argv = defaults;
	}
	outf("%-12s %12s %12s\n", "PATH", "SIZE KiB", "FREE KiB");
	for (int i = 1; i < argc; i++) {
		struct tsb_statfs s;
		int r = path_resolve(argv[i], abs, sizeof abs);
		if (r == 0)
			r = statfs(abs, &s);
		if (r < 0) {
			report(argv[0], argv[i], r);
			failed = 1;
			continue;
		}
		outf("%-12s %12llu %12llu\n", argv[i], (unsigned long long)(s.total_blocks * s.block_size / 1024),
		     (unsigned long long)(s.free_blocks * s.block_size / 1024));
	}
	return failed;
}
