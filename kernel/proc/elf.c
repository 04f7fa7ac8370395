/* Loader for static ELF64 executables. The file is untrusted: every field
 * is checked before use, and a bad file is an error (-ENOEXEC), never a
 * fault. Segments are read straight from the VFS into the new pages. */
#include <string.h>

#include "kernel/heap.h"
#include "kernel/process.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

#define EI_NIDENT 16
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAX_PHDRS 16

struct elf64_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* The machine number this kernel runs: EM_RISCV (243) or EM_X86_64 (62). */
#define ELF_MACHINE_EXPECTED ARCH_ELF_MACHINE

static int check_header(const struct elf64_ehdr *h, uint64_t file_size)
{
	if (memcmp(h->ident, "\x7f" "ELF", 4) != 0)
		return -ENOEXEC;
	if (h->ident[4] != 2 || h->ident[5] != 1 || h->ident[6] != 1) /* 64-bit, LE, v1 */
		return -ENOEXEC;
	if (h->type != ET_EXEC || h->machine != ELF_MACHINE_EXPECTED)
		return -ENOEXEC;
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > MAX_PHDRS)
		return -ENOEXEC;
	if (h->phoff > file_size || (uint64_t)h->phnum * sizeof(struct elf64_phdr) > file_size - h->phoff)
		return -ENOEXEC;
	return 0;
}

static int check_segment(const struct elf64_phdr *p, uint64_t file_size)
{
	if (p->filesz > p->memsz || p->offset > file_size || p->filesz > file_size - p->offset)
		return -ENOEXEC;
	if (p->vaddr < USER_BASE || p->memsz > USER_STACK_TOP ||
	    p->vaddr + p->memsz > USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE ||
	    p->vaddr + p->memsz < p->vaddr)
		return -ENOEXEC;
	if ((p->flags & PF_W) && (p->flags & PF_X))
		return -ENOEXEC; /* W^X: refuse writable code */
	if (p->align > 1 && (p->vaddr % PAGE_SIZE) != (p->offset % PAGE_SIZE))
		return -ENOEXEC;
	return 0;
}

static unsigned prot_of(uint32_t flags)
{
	return TSB_PROT_READ | (flags & PF_W ? TSB_PROT_WRITE : 0) | (flags & PF_X ? TSB_PROT_EXEC : 0);
}

/* Reads file bytes [off, off+len) into the address space at dst, straight
 * into its fresh frames through the direct map (as_map hands them out in
 * physically contiguous runs): the file system, and with it the device,
 * writes each run in place, with no bounce copy. */
static int load_bytes(struct addrspace *as, struct vfs_file *f, uint64_t off, uintptr_t dst, size_t len)
{
	while (len) {
		size_t n = len;
		void *k = as_direct(as, dst, &n);
		if (!k)
			return -EFAULT; /* as_map mapped it just before: cannot happen */
		int64_t got = vfs_pread(f, off, k, n);
		if (got != (int64_t)n)
			return got < 0 ? (int)got : -ENOEXEC;
		off += n;
		dst += n;
		len -= n;
	}
	return 0;
}

/* A loadable segment and its page range. */
struct segment {
	const struct elf64_phdr *ph;
	uintptr_t start, stop;
};

/* The PT_LOAD segments with contents, checked, in address order (the ELF
 * spec requires it) and with page ranges that do not overlap. */
static int collect_segments(const struct elf64_phdr *ph, int phnum, uint64_t file_size,
			    struct segment *segs, int *n)
{
	*n = 0;
	for (int i = 0; i < phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		int err = check_segment(&ph[i], file_size);
		if (err)
			return err;
		uintptr_t start = ph[i].vaddr & ~(PAGE_SIZE - 1);
		uintptr_t stop = (ph[i].vaddr + ph[i].memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (*n && start < segs[*n - 1].stop)
			return -ENOEXEC; /* overlapping or out of order */
		segs[(*n)++] = (struct segment){ &ph[i], start, stop };
	}
	return *n ? 0 : -ENOEXEC;
}

/* One writable mapping for the whole image, so that its frames come in one
 * physically contiguous run where the allocator has one (adjacent segments
 * then load with one read); the pages between segments are unmapped again.
 * Each segment gets its real permissions once it is loaded. */
static int map_image(struct addrspace *as, const struct segment *segs, int n)
{
	uintptr_t lo = segs[0].start, hi = segs[n - 1].stop;
	int err = as_map(as, lo, hi - lo, TSB_PROT_READ | TSB_PROT_WRITE);

	if (err == -EEXIST)
		return -ENOEXEC;
	for (int i = 1; !err && i < n; i++)
		if (segs[i].start > segs[i - 1].stop)
			err = as_unmap(as, segs[i - 1].stop, segs[i].start - segs[i - 1].stop);
	return err;
}

/* Zero bytes at va (fresh frames are zero; this undoes a read that ran
 * over a segment's bss on its way to the next segment). */
static int zero_bytes(struct addrspace *as, uintptr_t va, size_t len)
{
	while (len) {
		size_t n = len;
		void *k = as_direct(as, va, &n);
		if (!k)
			return -EFAULT;
		memset(k, 0, n);
		va += n;
		len -= n;
	}
	return 0;
}

/* Reads the segments' file bytes. A segment joins the previous one's read
 * when it follows in adjacent pages at the same file-to-memory distance:
 * the bytes between the two are then the file's bytes, as if each page were
 * mapped from the file (and a bss in between is zeroed again). */
static int load_segments(struct addrspace *as, struct vfs_file *f, const struct segment *segs, int n)
{
	int err = 0;
	for (int i = 0, j; !err && i < n; i = j + 1) {
		const struct elf64_phdr *first = segs[i].ph;
		uint64_t delta = first->vaddr - first->offset;
		for (j = i; j + 1 < n && segs[j + 1].start == segs[j].stop &&
			    segs[j + 1].ph->vaddr - segs[j + 1].ph->offset == delta && segs[j + 1].ph->filesz;
		     j++)
			;
		const struct elf64_phdr *last = segs[j].ph;
		err = load_bytes(as, f, first->offset, first->vaddr, last->vaddr + last->filesz - first->vaddr);
		for (int k = i; !err && k < j; k++)
			if (segs[k].ph->memsz > segs[k].ph->filesz)
				err = zero_bytes(as, segs[k].ph->vaddr + segs[k].ph->filesz,
						 segs[k].ph->memsz - segs[k].ph->filesz);
	}
	return err;
}

int elf_load(struct addrspace *as, const char *path, uintptr_t *entry, uintptr_t *end)
{
	struct vfs_file *f;
	struct vfs_stat st;
	struct elf64_ehdr h;
	struct elf64_phdr ph[MAX_PHDRS];
	/* The ELF header and program headers nearly always sit in the first
	 * few hundred bytes: they come with the open, no read needed. */
	char head[VFS_HEAD_MAX];
	struct vfs_head hd = { head, sizeof head, 0 };
	int err = vfs_open_stat(path, VFS_O_READ, &f, &st, &hd);

	if (err)
		return err;
	if (st.is_dir)
		err = -EISDIR;
	int64_t got = (int64_t)hd.len;
	if (!err && got < (int64_t)sizeof h)
		err = got < 0 ? (int)got : -ENOEXEC; /* an I/O error is not a bad file */
	if (!err) {
		memcpy(&h, head, sizeof h);
		err = check_header(&h, st.size);
	}
	size_t phbytes = err ? 0 : (size_t)h.phnum * sizeof ph[0];
	if (!err && h.phoff + phbytes <= (uint64_t)got) {
		memcpy(ph, head + h.phoff, phbytes);
	} else if (!err) {
		got = vfs_pread(f, h.phoff, ph, phbytes);
		if (got != (int64_t)phbytes)
			err = got < 0 ? (int)got : -ENOEXEC;
	}
	struct segment segs[MAX_PHDRS];
	int nsegs = 0;
	if (!err)
		err = collect_segments(ph, h.phnum, st.size, segs, &nsegs);
	if (!err)
		err = map_image(as, segs, nsegs);
	if (!err)
		err = load_segments(as, f, segs, nsegs);
	uintptr_t top = 0;
	bool entry_ok = false;
	for (int i = 0; !err && i < nsegs; i++) {
		const struct elf64_phdr *p = segs[i].ph;
		err = as_protect(as, segs[i].start, segs[i].stop - segs[i].start, prot_of(p->flags));
		if (h.entry >= p->vaddr && h.entry < p->vaddr + p->memsz && (p->flags & PF_X))
			entry_ok = true;
		top = segs[i].stop;
	}
	if (!err && !entry_ok)
		err = -ENOEXEC; /* the entry point must be in executable code */
	vfs_close(f);
	if (!err) {
		*entry = h.entry;
		*end = top;
	}
	return err;
}
