# x86_64 build and run settings, included by the top-level Makefile (which
# sets BUILD first: rule targets below expand at once).
CC           := gcc
LD           := ld
OBJCOPY      := objcopy
# Kernel code model: linked in the top 2 GiB. No red zone (interrupts push
# onto the kernel stack), no x87, MMX or SSE: those registers hold the
# running user thread's state (switched eagerly, fpu.c).
ARCH_CFLAGS  := -m64 -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
                -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fno-omit-frame-pointer
ARCH_LDFLAGS := -m elf_x86_64 -z noexecstack -z max-page-size=0x1000 -T arch/x86_64/kernel.ld
ARCH_SRCS    := $(wildcard arch/x86_64/*.c arch/x86_64/*.S)
GDB_ARCH     := i386:x86-64
TOOLCHAIN_CHECK := $(CC)

# QEMU's Multiboot loader refuses ELF64 ("Cannot load x86-64 image, give a
# 32bit one"); the same image relabelled as ELF32 boots, because every
# load (physical) address fits in 32 bits.
ARCH_BOOTABLE := $(BUILD)/kernel32.elf
$(BUILD)/kernel32.elf: $(BUILD)/kernel.elf
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# isa-debug-exit: the kernel's failure exit (see power.c); exit 0 comes
# only from an ACPI power-off.
QEMU         := qemu-system-x86_64
QEMU_MEM     ?= 128M
# The display and where the serial console goes; make run-gui replaces it.
QEMU_DISPLAY ?= -display none -serial stdio
QEMU_BASE     = -M q35 -m $(QEMU_MEM) -no-reboot $(QEMU_DISPLAY) \
                -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_KERNEL  := -kernel $(ARCH_BOOTABLE)
QEMU_CMDLINE_FLAG := -append
# Modern-only virtio (1af4:1042), found by drivers/pci.
VIRTIO_BLK_DEV := virtio-blk-pci,disable-legacy=on
VIRTIO_NET_DEV := virtio-net-pci,disable-legacy=on
# The desktop's devices (make run-gui, screenshot, gui-test only); no VGA,
# so that the virtio GPU is the screen QEMU shows and dumps.
GUI_DEVICES  := -vga none -device virtio-gpu-pci,disable-legacy=on,xres=1024,yres=768 \
                -device virtio-keyboard-pci,disable-legacy=on -device virtio-tablet-pci,disable-legacy=on
GUI_SERIAL   := -serial mon:stdio

# User programs: the x86-64 baseline with SSE2 floating point; the kernel
# switches each thread's x87/SSE registers (fpu.c). USER_MARCH is shared
# with the newlib build and tsubame-cc.
USER_MARCH   := -m64 -mcmodel=small
USER_ARCH_CFLAGS := $(USER_MARCH) -fno-omit-frame-pointer
USER_LIBGCC :=
# newlib and programs built with tsubame-cc (lib/posix/posix.mk): the host
# gcc as a freestanding cross compiler, without Debian's defaults for Linux
# programs (PIE, CET notes).
USER_TARGET  := x86_64-elf
USER_TOOLS   :=
USER_TARGET_CC := gcc
USER_TARGET_CFLAGS := -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none
AR           := ar
