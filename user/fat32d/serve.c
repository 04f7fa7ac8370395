/* One request in, one reply out. Every request gets a reply: a malformed
 * or unknown one gets an error status at once, never silence (a dropped
 * request would hang its caller until a timeout). Changes are flushed
 * to the disk before the reply, so what fat32d acknowledged survives a
 * crash of fat32d. */
#include <string.h>

#include "fat32d.h"
#include "tsubame.h"

uint64_t served[FSP_OP_MAX];

static bool mutates(uint32_t op)
{
	switch (op) {
	case FSP_CREATE_FILE: case FSP_DELETE_FILE: case FSP_CREATE_DIR: case FSP_DELETE_DIR:
	case FSP_WRITE: case FSP_TRUNCATE: case FSP_RENAME:
		return true;
	default:
		return false;
	}
}

/* The payload as a NUL-terminated path (the first of `n`); NULL if not. */
static const char *path_arg(const char *payload, uint32_t len, int n)
{
	const char *p = payload, *end = payload + len;

	for (int i = 0; i < n; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul || nul - p >= FSP_MAX_PATH)
			return NULL;
		if (i + 1 < n)
			p = nul + 1;
	}
	return p;
}

/* The kernel maps data only inside the window; anything else is a bad
 * request (and the block syscalls would refuse it anyway). */
static bool window_ok(const struct fsp_request *rq)
{
	uint64_t end = FSP_WINDOW_BASE + FSP_WINDOW_SLOTS * FSP_WINDOW_SLOT;
	return rq->count <= FSP_MAX_DATA && rq->window >= FSP_WINDOW_BASE && rq->window < end &&
	       rq->count <= end - rq->window;
}

/* A node's stat as the reply's data. */
static int put_stat(struct fat32 *fs, struct fat32_node *n, char *data, uint32_t *dlen)
{
	struct fat32_stat s;
	int err = fat32_stat(fs, n, &s);
	if (err)
		return err;
	struct fsp_stat out = { s.size, fat32_unix_time(s.modify_date, s.modify_time),
				fat32_unix_time(s.create_date, s.create_time), s.is_dir, s.attr };
	memcpy(data, &out, sizeof out);
	*dlen = sizeof out;
	return 0;
}

static int64_t do_op(const struct fsp_request *rq, const char *payload, char *data, uint32_t *dlen)
{
	struct fat32 *fs = volumes[rq->dev];
	struct fat32_node node, *h = NULL;
	const char *path = NULL, *path2 = NULL;

	switch (rq->op) {
	case FSP_OPEN: case FSP_CREATE_FILE: case FSP_DELETE_FILE:
	case FSP_CREATE_DIR: case FSP_DELETE_DIR:
		if (!(path = path_arg(payload, rq->len, 1)))
			return -EPROTO;
		break;
	case FSP_RENAME:
		if (!(path = path_arg(payload, rq->len, 1)) || !(path2 = path_arg(payload, rq->len, 2)))
			return -EPROTO;
		break;
	case FSP_LIST_DIR: case FSP_STAT: case FSP_READ: case FSP_WRITE: case FSP_TRUNCATE:
		if (!(h = handle_get(rq->dev, rq->handle)))
			return -EBADF;
		break;
	default:
		break;
	}

	switch (rq->op) {
	case FSP_OPEN: { /* the stat comes along (the kernel needs it for every
			* open), and the first bytes if asked */
		uint64_t handle;
		int err = fat32_lookup(fs, path, &node);
		if (!err)
			err = put_stat(fs, &node, data, dlen);
		uint64_t head = rq->count < FSP_OPEN_HEAD_MAX ? rq->count : FSP_OPEN_HEAD_MAX;
		if (!err && head && !(node.attr & FAT32_ATTR_DIR)) {
			int64_t got = fat32_read(fs, &node, 0, data + *dlen, (size_t)head);
			if (got < 0)
				err = (int)got;
			else
				*dlen += (uint32_t)got;
		}
		return err ? err : (err = handle_open(rq->dev, &node, &handle)) ? err : (int64_t)handle;
	}
	case FSP_CLOSE:
		return handle_close(rq->dev, rq->handle);
	case FSP_STAT:
		return put_stat(fs, h, data, dlen);
	case FSP_READ: /* straight into the caller's buffer, mapped at rq->window */
		if (!window_ok(rq))
			return -EPROTO;
		return fat32_read(fs, h, rq->offset, (void *)(uintptr_t)rq->window, (size_t)rq->count);
	case FSP_WRITE:
		if (!window_ok(rq))
			return -EPROTO;
		return fat32_write(fs, h, rq->offset, (const void *)(uintptr_t)rq->window, (size_t)rq->count);
	case FSP_TRUNCATE:
		return fat32_truncate(fs, h, rq->offset);
	case FSP_LIST_DIR: {
		static struct fat32_dirent d;
		uint32_t cookie = (uint32_t)rq->offset;
		int r = fat32_readdir(fs, h, &cookie, &d);
		if (r <= 0)
			return r < 0 ? r : (int64_t)rq->offset; /* end: the cookie stays */
		struct fsp_dirent out = { d.node.size, (d.node.attr & FAT32_ATTR_DIR) != 0, { 0 } };
		strlcpy(out.name, d.name, sizeof out.name);
		memcpy(data, &out, sizeof out);
		*dlen = sizeof out;
		return cookie;
	}
	case FSP_CREATE_FILE: return fat32_create(fs, path, NULL);
	case FSP_DELETE_FILE: return fat32_unlink(fs, path);
	case FSP_CREATE_DIR: return fat32_mkdir(fs, path, NULL);
	case FSP_DELETE_DIR: return fat32_rmdir(fs, path);
	case FSP_RENAME: return fat32_rename(fs, path, path2);
	case FSP_FLUSH: return fat32_flush(fs);
	case FSP_STATFS: {
		struct fat32_statfs s;
		int err = fat32_statfs(fs, &s);
		if (err)
			return err;
		struct fsp_statfs out = { s.cluster_size, s.total_clusters, s.free_clusters };
		memcpy(data, &out, sizeof out);
		*dlen = sizeof out;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

size_t serve(int sender, const void *req, size_t len, void *reply)
{
	struct fsp_reply *r = reply;
	struct fsp_request rq;
	char *data = (char *)reply + sizeof *r;
	uint32_t dlen = 0;
	int64_t result;

	memset(r, 0, sizeof *r);
	r->magic = FSP_MAGIC;
	if (len < sizeof rq) {
		r->status = -EPROTO; /* too short to even carry an id */
		return sizeof *r;
	}
	memcpy(&rq, req, sizeof rq);
	r->op = rq.op;
	r->id = rq.id;
	if (rq.magic != FSP_MAGIC || rq.len != len - sizeof rq)
		result = -EPROTO;
	else if (sender != 0)
		result = -EPERM; /* only the kernel's proxy is a client */
	else if (rq.dev >= FAT32D_DEVS || !volumes[rq.dev])
		result = -ENODEV;
	else if (rq.op == 0 || rq.op >= FSP_OP_MAX)
		result = -ENOSYS;
	else {
		result = do_op(&rq, (const char *)req + sizeof rq, data, &dlen);
		if (result >= 0 && mutates(rq.op)) {
			int err = fat32_flush(volumes[rq.dev]); /* durable before acknowledged */
			if (err)
				result = err;
		}
		served[rq.op]++;
	}
	if (result < 0) {
		r->status = (int32_t)result;
		dlen = 0;
	} else {
		r->value = (uint64_t)result;
	}
	r->len = dlen;
	return sizeof *r + dlen;
}
