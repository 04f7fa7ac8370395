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

[ "$(mtype -i "$disk@@1M" ::/HELLO.TXT 2>/dev/null)" = "Hello from FAT32!" ]
check "HELLO.TXT still reads back" $?

for img in "$disk" "$hostfs"; do
	part=$tmp/part
	dd if="$img" of="$part" bs=1M skip=1 status=none
	out=$(fsck.fat -n "$part" 2>&1)
	rc=$?
	rm -f "$part"
	check "fsck.fat -n is clean on $(basename "$img")" $rc
	[ $rc -eq 0 ] || echo "$out" | head -20
done

echo "shell-image-check-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
