#!/usr/bin/env bash
# Builds newlib's libc and libm from Debian's newlib-source package (a
# tarball under /usr/src/newlib) into a sysroot, out of tree and quietly.
# Does nothing when the sysroot was built from the same tarball, script and
# settings (the stamp holds all three), so the Makefile can call it on
# every build.
#
# usage: build-newlib.sh TARGET SYSROOT WORKDIR TOOL_PREFIX CC CFLAGS
#   TARGET       newlib's configure target: riscv64-unknown-elf, x86_64-elf
#   TOOL_PREFIX  of ar, as, ld, nm, ranlib ("" for the host's binutils)
#   CC, CFLAGS   the compiler command (with its include path) and the
#                flags every object is built with
set -eu
target=$1 sysroot=$(realpath -m "$2") work=$(realpath -m "$3") tools=$4 cc=$5 cflags=$6

tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
	echo "build-newlib: no /usr/src/newlib/newlib-*.tar.*: is newlib-source installed?" >&2
	exit 1
fi
stamp=$sysroot/.newlib-stamp
key="$(sha1sum < "$0" | cut -c1-40) $(stat -c '%n %s %Y' "$tarball") | $target | $tools | $cc | $cflags"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
	exit 0
fi

# newlib's own makefiles must not see our make's variables (ARCH=, V=, ...).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# Only what the sysroot needs: libc and libm (no libgloss: lib/posix is
# the system layer; no multilibs: one ABI per arch; no threads: one thread
# per process). printf/scanf know long long, C99 formats (%zu, %hhd, %a)
# and long double. HAVE_RENAME: rename() is a system call, not link+unlink.
log=$work/build.log
start=$(date +%s)
echo "  NEWLIB   $target -> $sysroot (log: $log)"
rm -rf "$work" "$sysroot/include" "$sysroot/lib/libc.a" "$sysroot/lib/libm.a" "$stamp"
mkdir -p "$work/src" "$work/obj" "$sysroot/lib"
tar -xf "$tarball" -C "$work/src" --strip-components=1
fail() {
	echo "build-newlib: $1 failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
}
(
	cd "$work/obj"
	"$work/src/configure" --target="$target" --prefix="$work/install" \
		--disable-multilib --disable-nls --disable-newlib-multithread \
		--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
		--enable-newlib-io-long-double \
		CC_FOR_TARGET="$cc" CFLAGS_FOR_TARGET="$cflags -DHAVE_RENAME" \
		AR_FOR_TARGET="${tools}ar" AS_FOR_TARGET="${tools}as" LD_FOR_TARGET="${tools}ld" \
		NM_FOR_TARGET="${tools}nm" RANLIB_FOR_TARGET="${tools}ranlib" \
		OBJDUMP_FOR_TARGET="${tools}objdump" READELF_FOR_TARGET="${tools}readelf" \
		STRIP_FOR_TARGET="${tools}strip"
) > "$log" 2>&1 || fail configure
make -C "$work/obj" -j"$(nproc)" all-target-newlib >> "$log" 2>&1 || fail make
make -C "$work/obj" install-target-newlib >> "$log" 2>&1 || fail "make install"
cp -r "$work/install/$target/include" "$sysroot/include"
cp "$work/install/$target/lib/libc.a" "$work/install/$target/lib/libm.a" "$sysroot/lib/"
rm -rf "$work/src" "$work/obj" "$work/install" # the log stays
echo "$key" > "$stamp"
echo "  NEWLIB   $target built in $(( $(date +%s) - start )) s"
