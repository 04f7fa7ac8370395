#!/usr/bin/env bash
# Is the FAT32 volume of a Tsubame image (partition at 1 MiB) clean?
#   fsck-clean.sh IMG
# Clean means: fsck.fat -n finds nothing to change (exit 0, and nothing
# printed beyond its banner and summary: it reports a wrong FSInfo free
# count with the same exit status as damage) and the FSInfo sector's free
# cluster count, unless it says "unknown", is the number of free entries in
# the FAT, counted here independently of fsck.fat. Prints what is wrong;
# exits 0 if clean.
set -u
img=$1
part=$(mktemp)
trap 'rm -f "$part"' EXIT
dd if="$img" of="$part" bs=1M skip=1 status=none || exit 2
out=$(fsck.fat -n "$part" 2>&1)
rc=$?
extra=$(echo "$out" | grep -v -e '^fsck\.fat [0-9]' -e "^$part: [0-9]* files, [0-9]*/[0-9]* clusters$")
bad=0
if [ $rc -ne 0 ] || [ -n "$extra" ]; then
	echo "fsck.fat -n (exit $rc):"
	echo "$out" | head -20
	bad=1
fi
python3 - "$part" <<'PY' || bad=1
import struct, sys
with open(sys.argv[1], "rb") as f:
    bs = f.read(512)
    bps, spc, rsvd, nfats = struct.unpack_from("<HBHB", bs, 11)
    total, fatsz, _, _, _, fsinfo = struct.unpack_from("<IIHHIH", bs, 32)
    clusters = (total - rsvd - nfats * fatsz) // spc
    f.seek(fsinfo * bps)
    fsi = f.read(512)
    f.seek(rsvd * bps)
    fat = f.read(fatsz * bps)
lead, struc, free, nxt = struct.unpack_from("<I", fsi, 0)[0], *struct.unpack_from("<III", fsi, 484)
if lead != 0x41615252 or struc != 0x61417272:
    print("FSInfo: bad signatures")
    sys.exit(1)
real = sum(1 for c in range(2, clusters + 2) if struct.unpack_from("<I", fat, 4 * c)[0] & 0x0FFFFFFF == 0)
if free != 0xFFFFFFFF and free != real:
    print("FSInfo says %d clusters are free, the FAT has %d" % (free, real))
    sys.exit(1)
PY
exit $bad
