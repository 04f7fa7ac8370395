#!/usr/bin/env bash
# Runs a library's host tests (lib/host-lib.mk) and prints
# "NAME: N passed, M failed", where N and M count the Check test cases plus
# the bounded fuzz run as one test. Exits non-zero if anything failed.
#   host-lib-test.sh NAME TESTDIR OUTDIR FUZZ_SECONDS               unit tests, then fuzzing
#   host-lib-test.sh --fuzz-only NAME TESTDIR OUTDIR FUZZ_SECONDS   fuzzing alone (make NAME-fuzz)
# TESTDIR/seeds.sh OUTDIR SEEDDIR writes the fuzz seeds.
set -u
fuzz_only=0
if [ "${1:-}" = --fuzz-only ]; then
	fuzz_only=1
	shift
fi
name=$1
testdir=$2
out=$3
secs=$4
passed=0
failed=0

if [ $fuzz_only = 0 ]; then
	rm -rf "$out/tmp" # the unit tests' scratch files
	"$out/unit" | tee "$out/unit.log"
	unit_rc=${PIPESTATUS[0]}
	line=$(grep -E "^$name-unit: [0-9]+ passed, [0-9]+ failed\$" "$out/unit.log" | tail -1)
	if [ -n "$line" ]; then
		passed=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
		failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	# A runner that died before its summary, or exited badly, is a failure.
	if [ -z "$line" ] || { [ "$unit_rc" != 0 ] && [ "$failed" = 0 ]; }; then
		failed=$((failed + 1))
	fi
	rm -rf "$out/tmp"
fi

# The bounded run starts from the seeds alone so that it stays repeatable
# and its corpus small; the long run keeps and grows its corpus.
seeds=$out/fuzz-seed
corpus=$out/fuzz-corpus
[ $fuzz_only = 0 ] && corpus=$out/fuzz-corpus-bounded && rm -rf "$corpus"
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$out/fuzz-artifacts"
bash "$testdir/seeds.sh" "$out" "$seeds" >"$out/mkseed.log" 2>&1
seed_rc=$?

# The long run stops after FUZZ_RUNS executions (make fuzz: 10 million),
# or at the time cap; its corpus stays in $out/fuzz-corpus for the next run.
runs=
[ $fuzz_only = 1 ] && [ -n "${FUZZ_RUNS:-}" ] && runs=-runs=$FUZZ_RUNS
echo "$name: fuzzing for ${secs}s${runs:+ or $FUZZ_RUNS runs} ..."
if [ $seed_rc = 0 ] &&
	"$out/fuzz" -max_total_time="$secs" $runs -timeout=120 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/fuzz-artifacts/" "$corpus" "$seeds" >"$out/fuzz.log" 2>&1; then
	grep -E '^(Done|stat::(number_of_executed_units|new_units_added))' "$out/fuzz.log" | sed "s/^/$name fuzz: /"
	passed=$((passed + 1))
else
	[ $seed_rc = 0 ] || { echo "$name: making the fuzz seeds failed:"; cat "$out/mkseed.log"; }
	[ $seed_rc != 0 ] || tail -40 "$out/fuzz.log"
	echo "$name fuzz: FAILED (log: $out/fuzz.log, inputs: $out/fuzz-artifacts/)"
	failed=$((failed + 1))
fi

echo "$name: $passed passed, $failed failed"
[ "$failed" = 0 ]
