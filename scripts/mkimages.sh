#!/usr/bin/env bash
# Builds a disk image: an MBR with one FAT32 partition at LBA 2048 (U-Boot's
# distro boot needs the partition table), made with mkfs.fat and filled with
# mtools; no root, no loop mounts. The gap before the partition holds a
# known pattern (lib/include/tsubame/disklayout.h).
# Usage: mkimages.sh IMAGE LABEL SEED SIZE_MB CLUSTER_SECTORS [SRC=DST ...]
set -eu
img=$1 label=$2 seed=$3 size_mb=$4 spc=$5
shift 5
part_lba=2048
tmp=$img.tmp
rm -f "$tmp"
truncate -s "${size_mb}M" "$tmp"
total=$((size_mb * 2048))
# A FAT32 volume must have at least 65525 clusters, or every reader (mtools,
# U-Boot, our library) takes it for FAT16.
if [ $(((total - part_lba) / spc)) -lt 66000 ]; then
	echo "mkimages: ${size_mb} MiB with ${spc}-sector clusters has too few clusters for FAT32;" \
	     "use a bigger DISK_MB or a smaller CLUSTER_SECTORS" >&2
	exit 1
fi
python3 - "$tmp" "$part_lba" "$((total - part_lba))" "$seed" <<'PY'
import struct, sys
img, start, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4], 0)
with open(img, "r+b") as f:
    # MBR partition 1: active, type 0x0c (FAT32 LBA), CHS fields saturated.
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x0c, b"\xfe\xff\xff", start, count)
    f.seek(446); f.write(entry)
    f.seek(510); f.write(b"\x55\xaa")
    # Pattern region: DISK_PATTERN_LBA, DISK_PATTERN_SECTORS (disklayout.h).
    f.seek(64 * 512)
    f.write(bytes(((o * 7 + (o >> 9) * 13 + seed) & 0xff) for o in range(256 * 512)))
PY
mkfs.fat -F 32 -n "$label" -s "$spc" --offset "$part_lba" "$tmp" \
	$(((total - part_lba) / 2)) >/dev/null
for spec in "$@"; do
	src=${spec%%=*} dst=${spec#*=}
	dir=$(dirname "$dst")
	if [ "$dir" != "/" ]; then
		mmd -D s -i "$tmp@@1M" "::$dir" 2>/dev/null || true
	fi
	mcopy -o -i "$tmp@@1M" "$src" "::$dst"
done
mv "$tmp" "$img"
