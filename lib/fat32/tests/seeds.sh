#!/usr/bin/env bash
# Fuzz seeds for lib/fat32 (scripts/host-lib-test.sh): tiny FAT32 volumes
# (mkfs.fat accepts them; mtools would not) filled by the library itself,
# one of them behind an MBR.  seeds.sh OUTDIR SEEDDIR
set -eu
out=$1
seeds=$2
mkfs.fat -C -F 32 -s 1 "$seeds/s1.img" 128 >/dev/null
mkfs.fat -C -F 32 -s 4 "$seeds/s4.img" 256 >/dev/null
truncate -s $((192 * 1024)) "$seeds/mbr.img"
printf '\x80\xfe\xff\xff\x0c\xfe\xff\xff\x40\x00\x00\x00\x40\x01\x00\x00' |
	dd of="$seeds/mbr.img" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$seeds/mbr.img" bs=1 seek=510 conv=notrunc status=none
mkfs.fat -F 32 -s 2 --offset 64 "$seeds/mbr.img" 160 >/dev/null
for s in s1 s4 mbr; do "$out/mkseed" "$seeds/$s.img"; done
