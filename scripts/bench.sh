#!/usr/bin/env bash
# make bench: one run that boots the guest three times and prints one table.
#   1. the bench program (in init's place) measures raw, in-kernel and
#      fat32d file paths, spawn, IPC and the kernel heap;
#   2./3. two normal boots, fat32d last (the default) and fat32d first, each
#      until init reports "all services started".
# Usage: bench.sh ARCH BUILD QUICK qemu args... (the qemu command without
# disks or -append). Writes $BUILD/bench.json; QUICK=1 is the short run
# that `make test` uses to check that this works.
set -u
arch=$1 build=$2 quick=$3
shift 3
qemu=("$@")
disk=$build/bench-disk.img hostfs=$build/bench-hostfs.img
log=$build/bench.log

cp --sparse=always "$build/disk.img" "$disk"
cp --sparse=always "$build/hostfs.img" "$hostfs"
head -c $((16 * 1024 * 1024)) /dev/urandom >"$build/bench16.bin"
mcopy -o -i "$disk@@1M" "$build/bench16.bin" ::/BENCH16.BIN
rm -f "$build/bench16.bin"
# The raw read covers the file's own sectors (contiguous: written to a
# fresh image): first cluster from mshowfat, geometry from the BPB.
lba=$(python3 - "$disk" <<'PY'
import re, struct, subprocess, sys
img = sys.argv[1]
out = subprocess.run(["mshowfat", "-i", img + "@@1M", "::/BENCH16.BIN"],
                     capture_output=True, text=True).stdout
first = int(re.search(r"<(\d+)", out).group(1))
with open(img, "rb") as f:
    f.seek(1 << 20)
    b = f.read(512)
spc, rsvd, nfats, fatsz = b[13], struct.unpack_from("<H", b, 14)[0], b[16], struct.unpack_from("<I", b, 36)[0]
print(2048 + rsvd + nfats * fatsz + (first - 2) * spc)
PY
)

disks=(-drive "file=$disk,format=raw,if=none,id=disk0"
       -device "$VIRTIO_BLK_DEV,drive=disk0,serial=tsubame-disk0"
       -drive "file=$hostfs,format=raw,if=none,id=disk1"
       -device "$VIRTIO_BLK_DEV,drive=disk1,serial=tsubame-disk1")

args="bench benchlba=$lba"
[ "$quick" = 1 ] && args="$args benchquick"
timeout --foreground -k 5 600 "${qemu[@]}" "${disks[@]}" -append "$args" </dev/null >"$log" 2>&1
rc=$?

# Boots until init says all services started; prints the ms figure.
boot_ms() {
	local out=$build/bench-boot.log
	cp --sparse=always "$build/disk.img" "$disk"
	timeout --foreground -k 2 60 "${qemu[@]}" "${disks[@]}" -append "$1" </dev/null >"$out" 2>&1 &
	local pid=$! ms=""
	for _ in $(seq 600); do
		ms=$(grep -aoE 'all services started at [0-9]+' "$out" | grep -oE '[0-9]+$' | head -n1)
		[ -n "$ms" ] && break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "${ms:-0}"
}
# Boot times vary by several ms from run to run: boot both ways
# alternately, BOOTS times each, and compare the medians.
boots=7
[ "$quick" = 1 ] && boots=1
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo ".." hi }'; }
lasts="" firsts=""
for _ in $(seq $boots); do
	lasts="$lasts $(boot_ms "")"
	firsts="$firsts $(boot_ms "fat32d=first")"
done
last=$(echo "$lasts" | median)
first=$(echo "$firsts" | median)

echo "=== Tsubame bench ($arch) ==="
sed -n '/^bench: /,/^BENCH-JSON/p' "$log" | grep -av '^BENCH-JSON' | tr -d '\r'
echo "  boot to all services started:  fat32d last ${last} ms ($(echo "$lasts" | spread)), fat32d first ${first} ms ($(echo "$firsts" | spread)), median of $boots"
if [ "$last" -gt 0 ]; then
	echo "  boot fat32d first / last: $(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.3f", a / b }')   (target <= 1.1)"
fi
json=$(grep -a '^BENCH-JSON ' "$log" | head -n1 | sed 's/^BENCH-JSON //' | tr -d '\r')
if [ -z "$json" ] || [ "$rc" -ne 0 ]; then
	echo "bench-$arch: the bench program did not finish (QEMU exit $rc; see $log)"
	echo "bench-$arch: 0 passed, 1 failed"
	exit 1
fi
echo "${json%\}},\"boot_fat32d_last_ms\":$last,\"boot_fat32d_first_ms\":$first,\"arch\":\"$arch\"}" >"$build/bench.json"
echo "results: $build/bench.json"
echo "bench-$arch: 1 passed, 0 failed"
