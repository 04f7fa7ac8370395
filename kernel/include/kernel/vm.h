/* The kernel's own address space: W^X mappings of the kernel image, a
 * direct map of RAM, device mappings and guarded kernel stacks. */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stddef.h>
#include <stdint.h>
#include "arch.h"

struct boot_info;

extern pt_root_t kernel_root;

/* Builds the final kernel page table and switches to it. */
void vm_init(const struct boot_info *bi);
/* Makes [pa, pa+size) reachable at phys_to_virt(pa) in the kernel half:
 * device registers and firmware tables outside RAM, mapped uncached (RAM is
 * already in the direct map and stays as it is). Returns that address or
 * NULL on failure. Idempotent. The one way to reach physical memory that
 * is not RAM, on every arch. */
void *ioremap(uint64_t pa, size_t size);

#define KSTACK_SIZE (16u * 1024)
/* A kernel stack with an unmapped guard page below it; returns the top
 * (initial stack pointer) or 0 when out of memory or slots. */
uintptr_t kstack_alloc(void);
void kstack_free(uintptr_t top);

#endif
