#!/usr/bin/env bash
# A deliberate kernel fault (command line "faulttest") must be reported
# with cause, address, pc and a backtrace, and power QEMU off with a failure
# status: never a silent hang, never a clean exit.
# Usage: kernel-fault.sh ARCH BUILD qemu args...
set -u
arch=$1 build=$2
shift 2
log=$build/fault-test.log
timeout --foreground -k 5 60 "$@" </dev/null >"$log" 2>&1
rc=$?
pass=0 fail=0
check() { # check NAME CONDITION-RESULT
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "[PASS] $1"; else fail=$((fail + 1)); echo "[FAIL] $1"; fi
}
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]; check "exits with a failure status (got $rc)" $?
grep -aq 'KERNEL FAULT: .*page fault' "$log"; check "names the cause" $?
grep -aq '  address 0x10$' "$log" || grep -aq '  address 0x10.$' "$log"; check "reports the faulting address" $?
grep -aq '  pc      0x' "$log"; check "reports the pc" $?
[ "$(grep -ac '  \[<0x' "$log")" -ge 2 ]; check "prints a backtrace of 2+ frames" $?
echo "fault-test-$arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
