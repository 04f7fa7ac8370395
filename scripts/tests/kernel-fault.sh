#!/usr/bin/env bash
# Deliberate kernel faults must be reported with cause, address, pc and a
# backtrace, and power QEMU off with a failure status: never a silent hang,
# never a clean exit. Two boots: "faulttest" (a store to an unmapped
# address) and "stacktest" (unbounded recursion into the stack guard page).
# Usage: kernel-fault.sh ARCH BUILD CMDLINE_FLAG qemu args...
set -u
arch=$1 build=$2 flag=$3
shift 3
pass=0 fail=0
check() { # check NAME STATUS
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}

for mode in faulttest stacktest; do
	log=$build/fault-test-$mode.log
	timeout --foreground -k 5 60 "$@" "$flag" "$mode" </dev/null >"$log" 2>&1
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]
	check "$mode: exits with a failure status, no hang (got $rc)" $?
	grep -aq '  pc      0x' "$log"; check "$mode: reports the pc" $?
	[ "$(grep -ac '  \[<0x' "$log")" -ge 2 ]; check "$mode: prints a backtrace of 2+ frames" $?
	if [ "$mode" = faulttest ]; then
		grep -aq 'KERNEL FAULT: .*page fault' "$log"; check "$mode: names the cause" $?
		grep -aqE '  address 0x10.?$' "$log"; check "$mode: reports the faulting address" $?
	else
		grep -aqE 'KERNEL FAULT: (kernel stack overflow|double fault)' "$log"
		check "$mode: reports the stack overflow" $?
	fi
done
echo "fault-test-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
