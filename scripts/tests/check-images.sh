#!/usr/bin/env bash
# After a selftest run: what the guest wrote must be on the image files, and
# both FAT32 volumes must still be clean. Usage: check-images.sh ARCH DISK HOSTFS
set -u
arch=$1 disk=$2 hostfs=$3
pass=0 fail=0
check() {
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}

# Scratch region (disklayout.h: DISK_SCRATCH_LBA 1024, 256 sectors, seed 0x5c).
python3 - "$disk" <<'PY'
import sys
with open(sys.argv[1], "rb") as f:
    f.seek(1024 * 512)
    got = f.read(256 * 512)
want = bytes(((o * 7 + (o >> 9) * 13 + 0x5c) & 0xff) for o in range(256 * 512))
sys.exit(0 if got == want else 1)
PY
rc=$? # (a $(...) in check's name would reset $? before check sees it)
check "the guest's scratch writes landed in $(basename "$disk")" $rc

for img in "$disk" "$hostfs"; do
	out=$("$(dirname "$0")/fsck-clean.sh" "$img")
	rc=$?
	check "fsck.fat -n is clean on $(basename "$img"), FSInfo's free count included" $rc
	[ $rc -eq 0 ] || echo "$out"
done
[ "$(mtype -i "$disk@@1M" ::/HELLO.TXT 2>/dev/null)" = "Hello from FAT32!" ]
check "HELLO.TXT still reads back through mtools" $?

# Files the selftest's VFS tests left for us (kernel/tests/vfs_tests.c).
msg="written by the Tsubame selftest"
[ "$(mtype -i "$disk@@1M" "::/guest dir/Guest Long Name.txt" 2>/dev/null)" = "$msg" ]
check "a long-named file in a new directory reads back through mtools" $?
[ "$(mtype -i "$hostfs@@1M" ::/FROMGUEST.TXT 2>/dev/null)" = "$msg" ]
check "a file written to /host reads back through mtools" $?
tmp=$(mktemp)
mcopy -n -o -i "$disk@@1M" "::/guest dir/pattern.bin" "$tmp" 2>/dev/null
python3 - "$tmp" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
want = bytes(((i * 13 + (i >> 11)) & 0xff) for i in range(300000))
sys.exit(0 if data == want else 1)
PY
check "a 300 KB file the guest wrote is byte-identical" $?
rm -f "$tmp"
mdir -i "$disk@@1M" ::/ 2>/dev/null | grep -qi "bigfile\|renamed"
[ $? -ne 0 ]
check "files the guest deleted are gone" $?

echo "image-check-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
