#!/usr/bin/env bash
# The guest's httpd, served through netd's TCP/IP stack, used from the host
# with curl (and Python for raw requests and the load run) through QEMU's
# port forward. Usage: http-test.sh ARCH BUILD PORT qemu...
# HTTP_LOAD_REQUESTS (default 1000) sets the size of the load run.
set -u
arch=$1 build=$2 port=$3
shift 3
here=$(dirname "$0")
log=$build/http-test.log
"$@" </dev/null >"$log" 2>&1 &
qemu=$!
tmp=$(mktemp -d)
trap 'kill $qemu 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}
# A raw request (printf format) and the first line of the answer.
raw() {
	python3 - "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
print(data.split(b"\r\n")[0].decode(errors="replace"))
PY
}
for _ in $(seq 600); do
	grep -aq 'httpd: listening' "$log" && grep -aq 'netd: address' "$log" && break
	sleep 0.1
done
grep -aq 'httpd: listening' "$log"; check "netd and httpd start" $?
url=http://127.0.0.1:$port

[ "$(curl -s -m 20 "$url/HELLO.TXT")" = "Hello from FAT32!" ]
check "curl gets HELLO.TXT" $?
type=$(curl -s -m 20 -o /dev/null -w '%{content_type}' "$url/HELLO.TXT")
[ "$type" = "text/plain; charset=utf-8" ]; check "HELLO.TXT is text/plain ($type)" $?
start=$(date +%s%N)
curl -s -m 300 -o "$tmp/big" "$url/BIG.BIN"
ms=$((($(date +%s%N) - start) / 1000000))
cmp -s "$tmp/big" "$build/BIG.BIN"
rc=$? # before check: the $(...) in its name would reset $?
check "the 4 MiB BIG.BIN arrives intact (sha256 $(sha256sum <"$tmp/big" | cut -c1-12), $ms ms)" $rc
curl -s -m 60 -o "$tmp/elf" "$url/bin/utest.elf"
cmp -s "$tmp/elf" "$build/user/utest.elf"; rc=$?
check "a $(stat -c %s "$build/user/utest.elf")-byte binary arrives intact" $rc
curl -s -m 20 -D "$tmp/h" -o "$tmp/list" "$url/"
grep -q 'href="/HELLO.TXT"' "$tmp/list" && grep -q 'href="/bin/"' "$tmp/list" && grep -qi '^content-type: text/html' "$tmp/h"
check "/ is an HTML listing with links" $?
curl -s -m 20 "$url/bin" | grep -q 'href="/bin/httpd.elf"'; check "/bin lists its programs" $?
code=$(curl -s -m 20 -o "$tmp/404" -w '%{http_code}' "$url/nope.txt")
[ "$code" = 404 ] && grep -q '404 Not Found' "$tmp/404"; check "a missing file is 404 with a body (got $code)" $?
code=$(curl -s -m 20 --path-as-is -o /dev/null -w '%{http_code}' "$url/../HELLO.TXT")
[ "$code" = 400 ]; check "/../HELLO.TXT is refused (got $code)" $?
code=$(curl -s -m 20 --path-as-is -o /dev/null -w '%{http_code}' "$url/bin/../../bin/shell.elf")
[ "$code" = 400 ]; check "/bin/../../ is refused (got $code)" $?
code=$(curl -s -m 20 --path-as-is -o /dev/null -w '%{http_code}' "$url/%2e%2e/HELLO.TXT")
[ "$code" = 400 ]; check "an encoded .. is refused (got $code)" $?
curl -s -m 20 -I "$url/BIG.BIN" >"$tmp/head"
grep -q '^HTTP/1.1 200' "$tmp/head" && grep -qi '^content-length: 4194304' "$tmp/head"
check "HEAD gives the headers and the length" $?
size=$(curl -s -m 20 --head -o /dev/null -w '%{size_download}' "$url/BIG.BIN")
[ "$size" = 0 ]; check "HEAD has no body (got $size bytes)" $?
curl -s -v -m 20 -o /dev/null -o /dev/null "$url/HELLO.TXT" "$url/bin/" 2>"$tmp/v"
grep -q 'Re-using existing connection' "$tmp/v"; check "keep-alive: two requests on one connection" $?
curl -s -m 20 -0 -D "$tmp/h10" -o /dev/null "$url/HELLO.TXT"
grep -qi '^connection: close' "$tmp/h10"; check "HTTP/1.0 without keep-alive is closed" $?
curl -s -m 20 -0 -H 'Connection: keep-alive' -D "$tmp/h10k" -o /dev/null "$url/HELLO.TXT"
grep -qi '^connection: keep-alive' "$tmp/h10k"; check "HTTP/1.0 with Connection: keep-alive is kept" $?
long=$(head -c 2000 /dev/zero | tr '\0' a)
code=$(curl -s -m 20 -o "$tmp/414" -w '%{http_code}' "$url/$long")
[ "$code" = 414 ] && grep -q 'URI Too Long' "$tmp/414"; check "a 2000-byte path is 414 (got $code)" $?
code=$(curl -s -m 20 -X POST -D "$tmp/h405" -o /dev/null -w '%{http_code}' "$url/HELLO.TXT")
[ "$code" = 405 ] && grep -qi '^allow: GET, HEAD' "$tmp/h405"; check "POST is 405 with Allow (got $code)" $?
line=$(raw 'GARBAGE\r\n\r\n')
[ "$line" = "HTTP/1.1 400 Bad Request" ]; check "a malformed request line is 400 ($line)" $?
line=$(raw 'GET /HELLO.TXT HTTP/9.9\r\n\r\n')
[ "$line" = "HTTP/1.1 400 Bad Request" ]; check "an unknown HTTP version is 400 ($line)" $?
line=$(raw "GET /$(head -c 5000 /dev/zero | tr '\0' b)")
[ "$line" = "HTTP/1.1 414 URI Too Long" ]; check "a request line that never ends is 414 ($line)" $?
# Several clients at once: connections held open and idle must not stop
# another client from being served.
# The holder keeps them until told (a file appears), so they are still
# open however long a busy machine takes to serve the fourth.
rm -f "$tmp/held" "$tmp/release"
python3 - "$port" "$tmp" <<'PY' &
import os, socket, sys, time
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(3)]
open(os.path.join(sys.argv[2], "held"), "w").close()
end = time.monotonic() + 120
while not os.path.exists(os.path.join(sys.argv[2], "release")) and time.monotonic() < end:
    time.sleep(0.1)
PY
idle=$!
for _ in $(seq 300); do [ -e "$tmp/held" ] && break; sleep 0.1; done
[ "$(curl -s -m 60 "$url/HELLO.TXT")" = "Hello from FAT32!" ]
check "served while three other connections sit idle" $?
touch "$tmp/release"
wait $idle
pids=""
for i in 1 2 3 4; do curl -s -m 120 -o "$tmp/p$i" "$url/bin/utest.elf" & pids="$pids $!"; done
wait $pids
ok=0
for i in 1 2 3 4; do cmp -s "$tmp/p$i" "$build/user/utest.elf" || ok=1; done
check "four downloads at once arrive intact" $ok
python3 "$here/http-load.py" "$url/HELLO.TXT" "$here/../image/disk/HELLO.TXT" "${HTTP_LOAD_REQUESTS:-1000}" 8 >"$tmp/load"
status=$?
cat "$tmp/load"
check "load run: $(tail -1 "$tmp/load" | sed 's/^load: //')" "$status"
grep -aq 'crashed\|fault' "$log"; [ $? -ne 0 ]; check "no process crashed" $?
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
echo "http-test-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || tail -c 3000 "$log"
[ "$fail" -eq 0 ]
