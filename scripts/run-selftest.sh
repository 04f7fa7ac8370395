#!/usr/bin/env bash
# Boots QEMU with the selftest command line, with a hard timeout, and turns
# the outcome into an exit status: 0 only if QEMU powered off with status 0
# AND the log holds "selftest: N passed, 0 failed". A hang, a crash or a
# failed test is non-zero. Usage: run-selftest.sh ARCH BUILD qemu args...
set -u
arch=$1 build=$2
shift 2
log=$build/selftest.log
timeout_s=${SELFTEST_TIMEOUT:-120}
mkdir -p "$build"

timeout --foreground -k 5 "$timeout_s" "$@" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -aE '^selftest: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | tr -d '\r')

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "selftest-$arch: TIMEOUT after ${timeout_s}s (see $log)"
	exit 1
fi
if [ -z "$summary" ]; then
	echo "selftest-$arch: no summary line; QEMU exited with $rc (crash? see $log)"
	exit 1
fi
if [ "$rc" -ne 0 ] || ! echo "$summary" | grep -q ' 0 failed'; then
	echo "selftest-$arch: FAILED (QEMU exit $rc): $summary"
	exit 1
fi
echo "selftest-$arch: OK: $summary"
