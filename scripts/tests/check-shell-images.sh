#!/usr/bin/env bash
# After scripts/tests/shell-session.py: what the shell wrote must be on the
# image files as the host's mtools read them, what it removed must be gone,
# and both FAT32 volumes must be clean. Usage:
#   check-shell-images.sh ARCH DISK HOSTFS
# Ends with `shell-image-check-ARCH: N passed, M failed`; non-zero on failure.
set -u
if [ $# -ne 3 ]; then
	echo "usage: check-shell-images.sh ARCH DISK HOSTFS" >&2
	exit 2
fi
arch=$1 disk=$2 hostfs=$3
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME CONDITION-RESULT [DETAIL]
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1)); echo "[PASS] $1"
	else
		fail=$((fail + 1)); echo "[FAIL] $1${3:+: $3}"
	fi
}

# The bytes of a file on an image (the FAT partition starts at 1 MiB).
fetch() { # fetch IMG PATH OUT
	rm -f "$3"
	mcopy -n -i "$1@@1M" "::$2" "$3" 2>/dev/null
}

# exists IMG PATH: 0 if mtools finds the file or directory
exists() {
	mdir -i "$1@@1M" "::$2" >/dev/null 2>&1
}

same_content() { # same_content NAME IMG PATH EXPECTED-TEXT
	local got=$tmp/got
	if ! fetch "$2" "$3" "$got"; then
		check "$1" 1 "$3 is missing"
		return
	fi
	printf '%s' "$4" >"$tmp/want"
	cmp -s "$got" "$tmp/want"
	check "$1" $? "$3 holds $(head -c 80 "$got" | od -c | head -3 | tr -s ' ' | tr '\n' ' ')"
}

note=$'hello shell\nmore\n'
same_content "/note.txt holds what echo > and >> wrote" "$disk" /note.txt "$note"
same_content "/host/moved.txt holds the copied and moved note" "$hostfs" /moved.txt "$note"
same_content "/host/across.txt was moved from the other file system" "$hostfs" /across.txt $'across\n'

# Names typed in UTF-8 at the console (shell-session.py): mtools reads the
# long names as UTF-8 in a UTF-8 locale.
for name in 日本語.txt コピー.txt; do
	got=$(LC_ALL=C.UTF-8 mtype -i "$hostfs@@1M" "::/$name" 2>&1)
	[ "$got" = "日本語のテキスト" ]
	rc=$?
	check "/host/$name has its UTF-8 name and content" $rc "$got"
done

! exists "$hostfs" /copy.txt; check "/host/copy.txt is gone after mv" $?
! exists "$disk" /across.txt; check "/across.txt is gone after mv to /host" $?
! exists "$hostfs" /gone.txt; check "/host/gone.txt is gone after rm" $?
! exists "$hostfs" /newdir; check "/host/newdir is gone after rmdir" $?
! exists "$hostfs" /sub; check "/host/sub (made with a relative path) is gone" $?
! exists "$hostfs" /ps.txt; check "/host/ps.txt is gone after rm" $?
! exists "$disk" /big.tmp; check "/big.tmp is gone after mv" $?

# The 4 MiB file: a 64-byte line doubled 16 times (shell-session.py).
python3 - "$tmp/big" <<'PY'
import sys
line = b"Tsubame big file line: 0123456789abcdefghijklmnopqrstuvwxyz0123\n"
with open(sys.argv[1], "wb") as f:
    f.write(line * (1 << 16))
PY
for pair in "$disk:/big.txt" "$hostfs:/big.txt"; do
	img=${pair%%:*} path=${pair#*:}
	name="$(basename "$img"):$path is the 4 MiB file, byte for byte"
	if fetch "$img" "$path" "$tmp/got"; then
		cmp -s "$tmp/got" "$tmp/big"
		check "$name" $? "size $(stat -c %s "$tmp/got"), first difference: $(cmp "$tmp/got" "$tmp/big" 2>&1 | head -1)"
	else
		check "$name" 1 "missing"
	fi
done

# Dates: what the guest created carries the wall clock's time (UTC), not
# 1980-01-01. The session ended when QEMU last wrote the image, so each
# stamp must lie within the session before that (FAT keeps minutes here).
dated() { # dated IMG DIR NAME: 0 if mdir dates DIR/NAME within the session
	mdir -i "$1@@1M" "::$2" 2>/dev/null | python3 -c '
import datetime, os, re, sys
img, name = sys.argv[1], sys.argv[2].lower()
end = datetime.datetime.fromtimestamp(os.path.getmtime(img), datetime.timezone.utc)
for line in sys.stdin:
    m = re.search(r"(\d{4})-(\d\d)-(\d\d)\s+(\d{1,2}):(\d\d)\s*(.*)$", line)
    if not m:
        continue
    short = line[0:8].strip() + ("." + line[9:12].strip() if line[9:12].strip() else "")
    if (m.group(6).strip() or short).lower() != name:
        continue
    y, mo, d, h, mi = (int(g) for g in m.groups()[:5])
    t = datetime.datetime(y, mo, d, h, mi, tzinfo=datetime.timezone.utc)
    ok = end - datetime.timedelta(minutes=30) <= t <= end + datetime.timedelta(minutes=2)
    print("%s dated %s, image written %s" % (name, t, end.replace(microsecond=0)), file=sys.stderr)
    sys.exit(0 if ok else 1)
print("%s not listed" % name, file=sys.stderr)
sys.exit(1)' "$1" "$3"
}
for spec in "$disk:/:note.txt" "$disk:/:big.txt" "$hostfs:/:moved.txt" "$hostfs:/:dated.txt" \
	"$hostfs:/:dated" "$hostfs:/:big.txt"; do
	img=${spec%%:*} rest=${spec#*:}
	dir=${rest%%:*} name=${rest#*:}
	why=$(dated "$img" "$dir" "$name" 2>&1)
	rc=$?
	check "$(basename "$img"):$dir$name is dated by the guest's clock" $rc "$why"
done

[ "$(mtype -i "$disk@@1M" ::/HELLO.TXT 2>/dev/null)" = "Hello from FAT32!" ]
check "HELLO.TXT still reads back" $?

for img in "$disk" "$hostfs"; do
	out=$("$(dirname "$0")/fsck-clean.sh" "$img")
	rc=$?
	check "fsck.fat -n is clean on $(basename "$img"), FSInfo's free count included" $rc
	[ $rc -eq 0 ] || echo "$out"
done

echo "shell-image-check-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
