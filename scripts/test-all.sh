#!/usr/bin/env bash
# `make test`: host unit tests, then every arch's entry in ci/matrix.sh.
# Each step prints a line "NAME: N passed, M failed" (or fails without one,
# which counts as one failure); the sums end the run as "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
. ci/matrix.sh

total_pass=0 total_fail=0
results=()
logdir=build/test-logs
mkdir -p "$logdir"

# run_step NAME make-args...: runs make, echoes its output, adds its counts.
run_step() {
	local name=$1
	shift
	local log=$logdir/$name.log
	echo "=== $name: make $* ==="
	make --no-print-directory "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local line
	line=$(grep -aE '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | tr -d '\r')
	local p=0 f=0
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # the step failed without counting it (build error, crash, timeout)
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	results+=("$(printf '%-28s %4d passed, %3d failed%s' "$name" "$p" "$f" "$([ "$rc" -ne 0 ] && echo "  (exit $rc)")")")
}

run_step host-libs lib-host-test
run_step host-fat32 fat32-host-test
run_step host-net net-host-test
for arch in $MATRIX_ARCHES; do
	targets_var=MATRIX_$arch
	for t in ${!targets_var}; do
		run_step "$arch-$t" ARCH="$arch" "$t"
	done
done

echo
echo "=== summary ==="
printf '%s\n' "${results[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
