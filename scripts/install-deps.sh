#!/usr/bin/env bash
# Installs every tool Tsubame's build and tests need, from Debian packages only.
# The Makefile runs this when a tool is missing; it is safe to run again.
set -eu
PKGS="make gcc binutils python3 \
  qemu-system-misc qemu-system-x86 opensbi u-boot-qemu u-boot-tools \
  gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf \
  mtools dosfstools gdb-multiarch \
  check pkg-config clang libclang-rt-14-dev curl \
  newlib-source"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
