/* A read-only flattened device tree (DTB) parser. Every access is bounds-
 * checked against the header, so a corrupt blob yields an error, not a
 * fault. Nodes are named by their offset in the structure block. */
#ifndef TSUBAME_FDT_H
#define TSUBAME_FDT_H

#include <stddef.h>
#include <stdint.h>

struct fdt {
	const uint8_t *blob;
	uint32_t total;     /* totalsize from the header */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
};

/* Validates the header (magic, version >= 16, block bounds). 0 or -errno. */
int fdt_init(struct fdt *f, const void *blob, size_t max_size);

/* Offset of the root node. */
int fdt_root(const struct fdt *f);
/* First child / next sibling of a node; -ENOENT when there is none. */
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
/* Node name ("uart@10000000"), or NULL for a bad offset. */
const char *fdt_node_name(const struct fdt *f, int node);
/* Looks up an absolute path like "/chosen" or "/soc/plic@c000000"; a path
 * component without '@' also matches a node whose name has a unit address. */
int fdt_path(const struct fdt *f, const char *path);
/* Parent of a node (-ENOENT for the root). */
int fdt_parent(const struct fdt *f, int node);

/* Property value and its length; NULL if absent or malformed. */
const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len);
/* Reads a 1- or 2-cell big-endian number; 0 on success. */
int fdt_prop_u64(const struct fdt *f, int node, const char *name, uint64_t *out);
/* True if the node's "compatible" list contains `compat`. */
int fdt_is_compatible(const struct fdt *f, int node, const char *compat);
/* Next node after `after` (-1 = from the start) in document order that is
 * compatible with `compat`; -ENOENT when there are no more. */
int fdt_find_compatible(const struct fdt *f, int after, const char *compat);
/* Next node whose device_type property equals `type`. */
int fdt_find_device_type(const struct fdt *f, int after, const char *type);

/* The node whose "phandle" is `phandle`; -ENOENT if none. */
int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle);

/* The idx-th (address, size) pair of "reg", decoded with the parent's
 * #address-cells and #size-cells. 0 or -ENOENT. */
int fdt_reg(const struct fdt *f, int node, int idx, uint64_t *base, uint64_t *size);
/* The idx-th entry of the memory reservation block; -ENOENT past the end. */
int fdt_mem_rsv(const struct fdt *f, int idx, uint64_t *base, uint64_t *size);

uint32_t fdt_be32(const void *p);

#endif
