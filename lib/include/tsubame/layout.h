/* The user address space, the same on every arch: part of the ABI, since
 * user programs and fat32d's window checks rely on these addresses. Every
 * region lies below TSB_USER_LAYOUT_END, the smallest user half of any
 * supported arch (riscv64's Sv39: 256 GiB); the kernel checks at compile
 * time that its arch's USER_TOP is not below it (kernel/proc/addrspace.c),
 * so a new arch with a smaller user half fails to build, not to run. */
#ifndef TSUBAME_LAYOUT_H
#define TSUBAME_LAYOUT_H

#define TSB_PAGE_SIZE 4096u                   /* mmap, munmap and protection granularity */
#define TSB_USER_BASE 0x400000ul              /* lowest address an ELF may use (lib/libc/user.ld) */
#define TSB_USER_MMAP_BASE 0x1000000000ul     /* anonymous mmap and brk's limit */
#define TSB_FS_WINDOW_BASE 0x2000000000ul     /* a file server's data window (fsproto.h) */
#define TSB_USER_STACK_TOP 0x3ffffff000ul     /* one unmapped page below the end */
#define TSB_USER_STACK_SIZE (256ul * 1024)
#define TSB_USER_LAYOUT_END 0x4000000000ul

#endif
