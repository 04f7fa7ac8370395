#!/usr/bin/env bash
# Builds the FAT32 test images with mkfs.fat and fills them with mtools (no
# root, no loop mounts). For each image NAME it leaves NAME.img and a host
# tree src-NAME/ holding exactly the files written into it, so tests can
# compare the library's view with the source. Usage: mkimages.sh OUTDIR
set -euo pipefail
out=$1
export MTOOLS_SKIP_CHECK=1   # mtools otherwise objects to the geometry of image files
rm -rf "$out"
mkdir -p "$out"

# The host tree for one image, deterministic pseudo-random contents:
# gentree DIR CLUSTER_SIZE. One python run per tree keeps this fast.
gentree() {
	python3 - "$1" "$2" <<'PY'
import os, random, sys
root, cs = sys.argv[1], int(sys.argv[2])
def gen(rel, size):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(random.Random(rel).randbytes(size))
gen('big.bin', 3 * 1024 * 1024 + 123)
gen('empty.bin', 0)
gen('one.bin', 1)
gen('exact.bin', cs)
gen('UPPER.TXT', 700)
gen('lower.txt', 701)
gen('Docs/ReadMe.txt', 1500)
gen('Docs/A Long File Name With Spaces.text', 5000)
gen('Docs/nested/deeper/deepest/file.dat', cs + 1)
gen('Mixed Case Dir/Some Mixed Case Name.TXT', 2048)
for i in (1, 2, 3):
    gen('alias/longfilename%d.txt' % i, 100 * i)
for i in range(120):
    gen('many/f%03d.txt' % i, i * 7 % 300)
for i in range(40):
    gen('many/a rather long file name %02d.data' % i, 64)
gen('frag/A.bin', cs * 10)
gen('../B.bin', cs * 10)
gen('frag/C.bin', cs * 10)
gen('frag/D.bin', cs * 30 + 17)
PY
}

# mkimg NAME SECTORS_PER_CLUSTER SIZE_KIB PARTITIONED(0/1)
# mtools treats FAT32 with fewer than 65525 clusters as FAT12, so the sizes
# here are the smallest that give a "real" FAT32 for each cluster size.
mkimg() {
	local name=$1 spc=$2 kib=$3 part=$4
	local img=$out/$name.img src=$out/src-$name m
	mkdir -p "$src"
	if [ "$part" = 1 ]; then
		# MBR with one FAT32 (LBA) partition at sector 2048.
		truncate -s $((1024 * 1024 + kib * 1024)) "$img"
		local secs=$((kib * 2))
		printf "\\x80\\xfe\\xff\\xff\\x0c\\xfe\\xff\\xff\\x00\\x08\\x00\\x00$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' \
			$((secs & 255)) $((secs >> 8 & 255)) $((secs >> 16 & 255)) $((secs >> 24 & 255)))" |
			dd of="$img" bs=1 seek=446 conv=notrunc status=none
		printf '\x55\xaa' | dd of="$img" bs=1 seek=510 conv=notrunc status=none
		mkfs.fat -F 32 -s "$spc" -n TSUBAME --offset 2048 "$img" "$kib" >/dev/null
		m="$img@@1M"
	else
		mkfs.fat -C -F 32 -s "$spc" -n TSUBAME "$img" "$kib" >/dev/null
		m="$img"
	fi
	gentree "$src" $((spc * 512))

	# Boundary sizes, and one multi-MiB file (written first: contiguous).
	mcopy -i "$m" "$src/big.bin" "$src/empty.bin" "$src/one.bin" "$src/exact.bin" \
		"$src/UPPER.TXT" "$src/lower.txt" ::/

	# Nested directories, long and mixed-case names.
	mmd -i "$m" ::/Docs ::/Docs/nested ::/Docs/nested/deeper ::/Docs/nested/deeper/deepest \
		"::/Mixed Case Dir" ::/alias ::/many ::/frag
	mcopy -i "$m" "$src/Docs/ReadMe.txt" "$src/Docs/A Long File Name With Spaces.text" ::/Docs/
	mcopy -i "$m" "$src/Docs/nested/deeper/deepest/file.dat" ::/Docs/nested/deeper/deepest/
	mcopy -i "$m" "$src/Mixed Case Dir/Some Mixed Case Name.TXT" "::/Mixed Case Dir/"

	# Long names whose aliases collide: mtools makes LONGFI~1 .. ~3.
	mcopy -i "$m" "$src/alias/"longfilename*.txt ::/alias/

	# A directory spanning several clusters (8.3 and long names).
	mcopy -i "$m" "$src/many/"* ::/many/

	# Fragmentation: A, B, C in a row; delete B; reset FSInfo's next-free
	# hint so mtools fills B's gap with D, which then continues after C.
	mcopy -i "$m" "$src/frag/A.bin" "$src/../B.bin" "$src/frag/C.bin" ::/frag/
	mdel -i "$m" ::/frag/B.bin
	rm -f "$src/../B.bin"
	printf '\x02\x00\x00\x00' | dd of="$img" bs=1 seek=$((part * 1024 * 1024 + 512 + 492)) conv=notrunc status=none
	mcopy -i "$m" "$src/frag/D.bin" ::/frag/

	# The image must start out clean, or the write tests prove nothing.
	if [ "$part" = 1 ]; then
		dd if="$img" of="$out/check.img" bs=1M skip=1 status=none
		fsck.fat -n "$out/check.img" >/dev/null
		rm -f "$out/check.img"
	else
		fsck.fat -n "$img" >/dev/null
	fi
}

mkimg p512 1 36864 1      # 512 B clusters, MBR-partitioned
mkimg f4k 8 266240 0      # 4 KiB clusters, partitionless
mkimg f32k 64 2130000 0   # 32 KiB clusters, partitionless (a sparse file)

# Small volumes that mtools cannot handle but the library and fsck can.
mkfs.fat -C -F 32 -s 1 -n SMALL "$out/small.img" 4096 >/dev/null 2>&1
mkfs.fat -C -F 32 -s 8 -n SMALL4K "$out/small4k.img" 8192 >/dev/null 2>&1
mkfs.fat -C -F 32 -s 64 -n SMALL32K "$out/small32k.img" 16384 >/dev/null 2>&1
# Not FAT32.
mkfs.fat -C -F 16 "$out/fat16.img" 16384 >/dev/null
mkfs.fat -C -F 12 "$out/fat12.img" 1024 >/dev/null
touch "$out/stamp"
