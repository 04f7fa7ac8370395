#!/usr/bin/env bash
# init restarts a crashing service with a growing delay (100, 200, 400,
# 800 ms ...) and leaves a service that exits normally stopped. Boots with
# the "inittest" option, which adds both to init's table, and reads the log.
# Usage: init-supervision.sh ARCH BUILD CMDLINE_FLAG qemu args...
set -u
arch=$1 build=$2 flag=$3
shift 3
log=$build/init-supervision.log
# loglevel=7: init's messages stay on the console (they go to the kernel
# log, which shows only warnings on the console once booted).
"$@" "$flag" "inittest loglevel=7" </dev/null >"$log" 2>&1 &
qemu=$!
for _ in $(seq 1200); do # 120 s: a busy machine boots slowly
	grep -aq 'crasher .*restarting in 800 ms' "$log" && break
	sleep 0.1
done
sleep 0.5
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
pass=0 fail=0
check() {
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}
delays=$(grep -aoE 'crasher \(pid [0-9]+\) crashed \(CPU exception\); restarting in [0-9]+ ms' "$log" |
	grep -oE '[0-9]+ ms' | tr -d ' ms' | tr '\n' ' ')
echo "restart delays: $delays"
case "$delays" in "100 200 400 800"*) true ;; *) false ;; esac
check "a crashing service is restarted with doubling delays" $?
grep -aqE 'pid [0-9]+ \(utest.elf\): (store )?page fault at pc' "$log"
check "each crash is logged by the kernel with its cause" $?
grep -aqE 'quitter \(pid [0-9]+\) exited with status 0; not restarted' "$log"
check "a service that exits normally stays stopped" $?
[ "$(grep -ac 'init: started quitter' "$log")" -eq 1 ]
check "it was started exactly once" $?
echo "init-supervision-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
