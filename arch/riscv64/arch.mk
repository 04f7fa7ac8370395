# riscv64 build and run settings, included by the top-level Makefile.
CROSS        := riscv64-unknown-elf-
CC           := $(CROSS)gcc
LD           := $(CROSS)ld
OBJCOPY      := $(CROSS)objcopy
# GCC 12 needs _zicsr/_zifencei to assemble CSR and fence.i; see
# qemu-toolchain-facts.md. -mno-relax keeps gp-relative relaxation away.
ARCH_CFLAGS  := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
                -fno-omit-frame-pointer -fno-pic -fno-pie
ARCH_LDFLAGS := -T arch/riscv64/kernel.ld -z max-page-size=4096 --no-relax
ARCH_SRCS    := $(wildcard arch/riscv64/*.c arch/riscv64/*.S)
ARCH_BOOTABLE := $(BUILD)/kernel.bin
GDB_ARCH     := riscv:rv64
TOOLCHAIN_CHECK := $(CC)

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	$(Q)$(OBJCOPY) -O binary $< $@

OPENSBI      := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
UBOOT        := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
QEMU         := qemu-system-riscv64
ifeq ($(BOOT),uboot)
QEMU_MEM     := 256M
else
QEMU_MEM     ?= 128M
endif
# The display and where the serial console goes; make run-gui replaces it.
QEMU_DISPLAY ?= -nographic
QEMU_BASE     = -M virt -m $(QEMU_MEM) -bios $(OPENSBI) -no-reboot $(QEMU_DISPLAY) \
                -global virtio-mmio.force-legacy=false
ifeq ($(BOOT),uboot)
QEMU_KERNEL  := -kernel $(UBOOT)
else
QEMU_KERNEL  := -kernel $(ARCH_BOOTABLE)
endif
QEMU_CMDLINE_FLAG := -append
VIRTIO_BLK_DEV := virtio-blk-device
VIRTIO_NET_DEV := virtio-net-device
# The desktop's devices (make run-gui, screenshot, gui-test only).
GUI_DEVICES  := -device virtio-gpu-device,xres=1024,yres=768 -device virtio-keyboard-device \
                -device virtio-tablet-device
# With a window or VNC: the serial console stays on this terminal, Ctrl-A X quits.
GUI_SERIAL   := -serial mon:stdio

# User programs: RV64GC with hardware floating point (the lp64d ABI, the
# toolchain's default multilib); the kernel switches each thread's F/D
# registers (fpu.c). USER_MARCH is shared with the newlib build and tsubame-cc.
USER_MARCH   := -march=rv64gc -mabi=lp64d -mcmodel=medany
USER_ARCH_CFLAGS := $(USER_MARCH) -mno-relax -fno-omit-frame-pointer
USER_LIBGCC = $(shell $(CC) $(USER_MARCH) -print-libgcc-file-name 2>/dev/null)
# newlib and programs built with tsubame-cc (lib/posix/posix.mk).
USER_TARGET  := riscv64-unknown-elf
USER_TOOLS   := $(CROSS)
USER_TARGET_CC := $(CC)
USER_TARGET_CFLAGS :=
AR           := $(CROSS)ar
