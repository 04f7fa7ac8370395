#!/usr/bin/env bash
# Writes U-Boot's extlinux.conf (distro boot) into a disk image, with the
# kernel command line to pass. Usage: extlinux.sh IMAGE KERNEL_PATH CMDLINE
set -eu
img=$1 kernel=$2 cmdline=$3
conf=$(mktemp)
cat >"$conf" <<EOC
default tsubame
timeout 0
label tsubame
	kernel $kernel
	append $cmdline
EOC
mmd -D s -i "$img@@1M" ::/extlinux 2>/dev/null || true
mcopy -o -i "$img@@1M" "$conf" ::/extlinux/extlinux.conf
rm -f "$conf"
