#!/usr/bin/env bash
# The guest's httpd, served through netd's TCP/IP stack, used from the host
# with curl through QEMU's port forward. Usage: http-test.sh ARCH BUILD PORT qemu...
set -u
arch=$1 build=$2 port=$3
shift 3
log=$build/http-test.log
"$@" </dev/null >"$log" 2>&1 &
qemu=$!
pass=0 fail=0
check() {
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}
for _ in $(seq 300); do
	grep -aq 'httpd: listening' "$log" && grep -aq 'netd: address' "$log" && break
	sleep 0.1
done
grep -aq 'httpd: listening' "$log"; check "netd and httpd start" $?
url=http://127.0.0.1:$port
[ "$(curl -s -m 20 "$url/HELLO.TXT")" = "Hello from FAT32!" ]
check "curl gets HELLO.TXT" $?
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$url/nope.txt")
[ "$code" = 404 ]; check "a missing file is 404 (got $code)" $?
curl -s -m 20 "$url/" | grep -q 'HELLO.TXT'; check "a directory gives a listing" $?
tmp=$(mktemp)
curl -s -m 60 -o "$tmp" "$url/bin/utest.elf"
cmp -s "$tmp" "$build/user/utest.elf"; check "a $(stat -c %s "$build/user/utest.elf")-byte binary arrives intact" $?
ok=0
for i in 1 2 3 4 5; do
	[ "$(curl -s -m 20 "$url/HELLO.TXT")" = "Hello from FAT32!" ] || ok=1
done
check "five requests in a row" $ok
rm -f "$tmp"
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
echo "http-test-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || tail -c 2000 "$log"
[ "$fail" -eq 0 ]
