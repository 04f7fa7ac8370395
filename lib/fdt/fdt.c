/* See fdt.h. The structure block is a token stream: BEGIN_NODE name,
 * PROP len nameoff value, END_NODE, NOP, END. We walk it with explicit
 * bounds checks instead of building a tree, so no memory is needed. */
#include "fdt/fdt.h"

#include <string.h>
#include "tsubame/errno.h"

#define FDT_MAGIC 0xd00dfeedu
#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE 2u
#define TOK_PROP 3u
#define TOK_NOP 4u
#define TOK_END 9u
#define MAX_DEPTH 32

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

int fdt_init(struct fdt *f, const void *blob, size_t max_size)
{
	const uint8_t *b = blob;

	if (!blob || max_size < 40)
		return -EINVAL;
	if (fdt_be32(b) != FDT_MAGIC)
		return -EMEDIUMTYPE;
	f->blob = b;
	f->total = fdt_be32(b + 4);
	f->off_struct = fdt_be32(b + 8);
	f->off_strings = fdt_be32(b + 12);
	f->off_rsvmap = fdt_be32(b + 16);
	f->size_strings = fdt_be32(b + 32);
	f->size_struct = fdt_be32(b + 36);
	if (fdt_be32(b + 20) < 16 || f->total > max_size || f->total < 40)
		return -EINVAL;
	if (f->off_struct > f->total || f->size_struct > f->total - f->off_struct ||
	    f->off_strings > f->total || f->size_strings > f->total - f->off_strings ||
	    f->off_rsvmap > f->total - 16 || (f->off_struct & 3))
		return -EINVAL;
	return 0;
}

/* Token at structure offset `off`, or TOK_END if out of bounds. */
static uint32_t token(const struct fdt *f, int off)
{
	if (off < 0 || (uint32_t)off + 4 > f->size_struct)
		return TOK_END;
	return fdt_be32(f->blob + f->off_struct + off);
}

/* Length of the NUL-terminated string at structure offset, bounded; -1 if
 * it runs past the block. */
static int name_len(const struct fdt *f, int off)
{
	const char *s = (const char *)f->blob + f->off_struct + off;
	uint32_t max = f->size_struct - (uint32_t)off;
	uint32_t n = 0;

	while (n < max && s[n])
		n++;
	return n < max ? (int)n : -1;
}

/* Offset just past the token at `off`; -1 on malformed input. */
static int skip_token(const struct fdt *f, int off)
{
	switch (token(f, off)) {
	case TOK_BEGIN_NODE: {
		int n = name_len(f, off + 4);
		return n < 0 ? -1 : off + 4 + (int)align4((uint32_t)n + 1);
	}
	case TOK_PROP: {
		if ((uint32_t)off + 12 > f->size_struct)
			return -1;
		uint32_t len = fdt_be32(f->blob + f->off_struct + off + 4);
		if (len > f->size_struct - (uint32_t)off - 12)
			return -1;
		return off + 12 + (int)align4(len);
	}
	case TOK_END_NODE:
	case TOK_NOP:
		return off + 4;
	default:
		return -1;
	}
}

/* Offset just past a whole node (its END_NODE); -1 on malformed input. */
static int skip_node(const struct fdt *f, int node)
{
	int depth = 0;
	int off = node;

	do {
		uint32_t t = token(f, off);
		if (t == TOK_BEGIN_NODE)
			depth++;
		else if (t == TOK_END_NODE)
			depth--;
		else if (t != TOK_PROP && t != TOK_NOP)
			return -1;
		off = skip_token(f, off);
		if (off < 0)
			return -1;
	} while (depth > 0);
	return off;
}

/* Offset of the first token after the node's properties. */
static int after_props(const struct fdt *f, int node)
{
	int off = skip_token(f, node);

	while (off >= 0 && (token(f, off) == TOK_PROP || token(f, off) == TOK_NOP))
		off = skip_token(f, off);
	return off;
}

int fdt_root(const struct fdt *f)
{
	int off = 0;

	while (token(f, off) == TOK_NOP)
		off += 4;
	return token(f, off) == TOK_BEGIN_NODE ? off : -EINVAL;
}

int fdt_first_child(const struct fdt *f, int node)
{
	if (token(f, node) != TOK_BEGIN_NODE)
		return -EINVAL;
	int off = after_props(f, node);
	return (off >= 0 && token(f, off) == TOK_BEGIN_NODE) ? off : -ENOENT;
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	if (token(f, node) != TOK_BEGIN_NODE)
		return -EINVAL;
	int off = skip_node(f, node);
	while (off >= 0 && token(f, off) == TOK_NOP)
		off += 4;
	return (off >= 0 && token(f, off) == TOK_BEGIN_NODE) ? off : -ENOENT;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	if (token(f, node) != TOK_BEGIN_NODE || name_len(f, node + 4) < 0)
		return NULL;
	return (const char *)f->blob + f->off_struct + node + 4;
}

/* Does node name `name` match path component [c, c+n)? */
static int component_matches(const char *name, const char *c, size_t n)
{
	if (strncmp(name, c, n) != 0)
		return 0;
	return name[n] == '\0' || (name[n] == '@' && memchr(c, '@', n) == NULL);
}

int fdt_path(const struct fdt *f, const char *path)
{
	int node = fdt_root(f);

	if (node < 0 || path[0] != '/')
		return -EINVAL;
	while (*path) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		size_t n = 0;
		while (path[n] && path[n] != '/')
			n++;
		int child = fdt_first_child(f, node);
		while (child >= 0 && !component_matches(fdt_node_name(f, child), path, n))
			child = fdt_next_sibling(f, child);
		if (child < 0)
			return -ENOENT;
		node = child;
		path += n;
	}
	return node;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[MAX_DEPTH];
	int depth = 0;
	int off = fdt_root(f);

	/* Walk from the root keeping the chain of open nodes. */
	while (off >= 0) {
		uint32_t t = token(f, off);
		if (t == TOK_BEGIN_NODE) {
			if (off == node)
				return depth > 0 ? stack[depth - 1] : -ENOENT;
			if (depth == MAX_DEPTH)
				return -ELOOP;
			stack[depth++] = off;
		} else if (t == TOK_END_NODE) {
			if (--depth <= 0)
				return -ENOENT;
		} else if (t != TOK_PROP && t != TOK_NOP) {
			return -ENOENT;
		}
		off = skip_token(f, off);
	}
	return -ENOENT;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len)
{
	if (token(f, node) != TOK_BEGIN_NODE)
		return NULL;
	for (int off = skip_token(f, node); off >= 0; off = skip_token(f, off)) {
		uint32_t t = token(f, off);
		if (t == TOK_NOP)
			continue;
		if (t != TOK_PROP)
			return NULL;
		const uint8_t *p = f->blob + f->off_struct + off;
		uint32_t plen = fdt_be32(p + 4), nameoff = fdt_be32(p + 8);
		if (nameoff >= f->size_strings)
			return NULL;
		const char *pname = (const char *)f->blob + f->off_strings + nameoff;
		size_t room = f->size_strings - nameoff;
		if (strnlen(pname, room) < room && strcmp(pname, name) == 0) {
			if (len)
				*len = (int)plen;
			return p + 12;
		}
	}
	return NULL;
}

int fdt_prop_u64(const struct fdt *f, int node, const char *name, uint64_t *out)
{
	int len;
	const uint8_t *p = fdt_prop(f, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len == 4)
		*out = fdt_be32(p);
	else if (len == 8)
		*out = (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
	else
		return -EINVAL;
	return 0;
}

int fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	int len;
	const char *p = fdt_prop(f, node, "compatible", &len);

	/* The value is a list of NUL-terminated strings. */
	for (int i = 0; p && i < len;) {
		size_t n = strnlen(p + i, (size_t)(len - i));
		if (n == strlen(compat) && strncmp(p + i, compat, n) == 0)
			return 1;
		i += (int)n + 1;
	}
	return 0;
}

/* Next BEGIN_NODE in document order after `after` (-1 = the root). */
static int next_node(const struct fdt *f, int after)
{
	int off = after < 0 ? fdt_root(f) : skip_token(f, after);

	if (after < 0)
		return off;
	while (off >= 0) {
		uint32_t t = token(f, off);
		if (t == TOK_BEGIN_NODE)
			return off;
		if (t != TOK_PROP && t != TOK_NOP && t != TOK_END_NODE)
			return -ENOENT;
		off = skip_token(f, off);
	}
	return -ENOENT;
}

int fdt_find_compatible(const struct fdt *f, int after, const char *compat)
{
	for (int n = next_node(f, after); n >= 0; n = next_node(f, n))
		if (fdt_is_compatible(f, n, compat))
			return n;
	return -ENOENT;
}

int fdt_find_device_type(const struct fdt *f, int after, const char *type)
{
	for (int n = next_node(f, after); n >= 0; n = next_node(f, n)) {
		int len;
		const char *p = fdt_prop(f, n, "device_type", &len);
		if (p && len > 0 && strnlen(p, (size_t)len) < (size_t)len && strcmp(p, type) == 0)
			return n;
	}
	return -ENOENT;
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

int fdt_reg(const struct fdt *f, int node, int idx, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent(f, node);
	uint64_t ac = 2, sc = 1; /* the spec's defaults */
	int len;

	if (parent >= 0) {
		fdt_prop_u64(f, parent, "#address-cells", &ac);
		fdt_prop_u64(f, parent, "#size-cells", &sc);
	}
	if (ac < 1 || ac > 2 || sc > 2)
		return -EINVAL;
	const uint8_t *p = fdt_prop(f, node, "reg", &len);
	uint32_t stride = (uint32_t)(ac + sc) * 4;
	if (!p || idx < 0 || len < 0 || (uint64_t)(idx + 1) * stride > (uint64_t)len)
		return -ENOENT;
	p += (uint32_t)idx * stride;
	*base = read_cells(p, (uint32_t)ac);
	*size = read_cells(p + ac * 4, (uint32_t)sc);
	return 0;
}

int fdt_mem_rsv(const struct fdt *f, int idx, uint64_t *base, uint64_t *size)
{
	uint64_t off = f->off_rsvmap + (uint64_t)idx * 16;

	if (idx < 0 || off + 16 > f->total)
		return -ENOENT;
	const uint8_t *p = f->blob + off;
	*base = read_cells(p, 2);
	*size = read_cells(p + 8, 2);
	return (*base == 0 && *size == 0) ? -ENOENT : 0;
}

int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle)
{
	for (int n = next_node(f, -1); n >= 0; n = next_node(f, n)) {
		uint64_t v;
		if ((fdt_prop_u64(f, n, "phandle", &v) == 0 ||
		     fdt_prop_u64(f, n, "linux,phandle", &v) == 0) && v == phandle)
			return n;
	}
	return -ENOENT;
}
