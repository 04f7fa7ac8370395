# FAT32 library: the sources the kernel and the file-system daemon compile,
# and the host tests (lib/host-lib.mk). Included by the top-level Makefile;
# make runs from the repository root.
#
#   FAT32_SRCS / FAT32_INCLUDE   library sources and the directory for -I
#                                (it also needs -Ilib/include for tsubame/errno.h)
#   make fat32-host-test         unit tests (ASan/UBSan) + bounded fuzz run
#   make fat32-fuzz              a long fuzz run (FAT32_FUZZ_LONG seconds)

FAT32_DIR     := lib/fat32
FAT32_SRCS    := $(addprefix $(FAT32_DIR)/,cache.c dir.c fat.c file.c name.c node.c ops.c volume.c)
FAT32_INCLUDE := $(FAT32_DIR)

BUILD_HOST ?= build/host
FAT32_T          := $(FAT32_DIR)/tests
# The calendar arithmetic and UTF-8 decoding the library uses: the kernel
# and libc compile them anyway, the host builds add them.
FAT32_HOST_SRCS  := lib/time/civil.c lib/utf8/utf8.c
FAT32_FUZZ_TIME  ?= 25
FAT32_FUZZ_LONG  ?= 14400 # a cap: make fuzz stops at FUZZ_RUNS executions first
FAT32_DEPS       := $(wildcard $(FAT32_DIR)/*.h $(FAT32_T)/*.h) lib/include/tsubame/errno.h \
                      lib/time/civil.h lib/utf8/utf8.h $(FAT32_HOST_SRCS)
FAT32_CPPFLAGS   := -I$(FAT32_INCLUDE) -Ilib/include -Ilib
FAT32_UNIT_SRCS  := $(addprefix $(FAT32_T)/,suite.c hostdev.c harness.c test_read.c test_write.c \
                      test_corrupt.c test_random.c) $(FAT32_HOST_SRCS)
FAT32_UNIT_WARN  := -Wno-format-truncation
FAT32_FUZZ_SRCS  := $(FAT32_T)/hostdev.c $(FAT32_T)/fuzz.c $(FAT32_HOST_SRCS)
FAT32_SEED_SRCS  := $(FAT32_T)/hostdev.c $(FAT32_T)/mkseed.c $(FAT32_HOST_SRCS)
FAT32_TEST_PREREQS := $(BUILD_HOST)/fat32/img/stamp
FAT32_UNIT_ENV   := FAT32_IMG_DIR=$(BUILD_HOST)/fat32/img

$(BUILD_HOST)/fat32/img/stamp: $(FAT32_T)/mkimages.sh
	bash $< $(@D)

$(eval $(call host_lib_tests,FAT32,fat32))
