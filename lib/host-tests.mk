# Host unit tests of the arch-independent libraries, built for the host with
# ASan/UBSan and the Check framework. Included by the top-level Makefile.

HOST_CC      := gcc
HOST_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O1 -g \
                -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
                -Ilib/include -Ilib -iquote lib/libc/include $(shell pkg-config --cflags check 2>/dev/null)
HOST_LDLIBS  = $(shell pkg-config --libs check 2>/dev/null)

LIBTEST_SRCS := lib/tests/unit_main.c lib/tests/suites.c lib/tests/test_fmt.c lib/tests/test_fdt.c \
                lib/tests/test_string.c lib/tests/string_renamed.c lib/tests/test_path.c \
                lib/tests/test_libc.c lib/tests/libc_renamed.c \
                lib/tests/test_time.c lib/tests/test_telnet.c lib/tests/test_utf8.c \
                lib/fmt/fmt.c lib/fdt/fdt.c lib/fdt/fdt_pci.c lib/path/path.c lib/time/civil.c lib/telnet/telnet.c \
                lib/utf8/utf8.c
LIBTEST_BIN  := $(BUILD_HOST)/libtests
VIRT_DTB     := $(BUILD_HOST)/virt.dtb

$(LIBTEST_BIN): $(LIBTEST_SRCS) $(wildcard lib/*/*.h lib/include/*/*.h lib/tests/*.h) | $(DEPS_STAMP)
	$(call MSG,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -DUNIT_NAME='"libs"' -o $@ $(LIBTEST_SRCS) $(HOST_LDLIBS)

# The device tree QEMU's riscv virt board gives a 128 MiB guest.
$(VIRT_DTB): | $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)qemu-system-riscv64 -M virt,dumpdtb=$@ -m 128M -display none >/dev/null 2>&1

.PHONY: lib-host-test
lib-host-test: $(LIBTEST_BIN) $(VIRT_DTB)
	$(Q)TSUBAME_TEST_DTB=$(VIRT_DTB) CK_FORK=yes $(LIBTEST_BIN)
