#!/usr/bin/env bash
# Runs the net host tests and prints "net: N passed, M failed", where N and
# M count the Check test cases plus the bounded fuzz run as one test.
# Exits non-zero if anything failed.
#   run.sh OUTDIR FUZZ_SECONDS               unit tests, then fuzzing
#   run.sh --fuzz-only OUTDIR FUZZ_SECONDS   fuzzing alone (make net-fuzz)
set -u
fuzz_only=0
if [ "${1:-}" = --fuzz-only ]; then
	fuzz_only=1
	shift
fi
out=$1
secs=$2
passed=0
failed=0

if [ $fuzz_only = 0 ]; then
	"$out/unit" | tee "$out/unit.log"
	unit_rc=${PIPESTATUS[0]}
	line=$(grep -E '^net-unit: [0-9]+ passed, [0-9]+ failed$' "$out/unit.log" | tail -1)
	if [ -n "$line" ]; then
		passed=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
		failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	# A runner that died before its summary, or exited badly, is a failure.
	if [ -z "$line" ] || { [ "$unit_rc" != 0 ] && [ "$failed" = 0 ]; }; then
		failed=$((failed + 1))
	fi
fi

# Seeds are recorded from live exchanges on the simulated link (mkseed).
# The bounded run starts from the seeds alone so that it stays repeatable
# and its corpus small; the long run keeps and grows its corpus.
seeds=$out/fuzz-seed
corpus=$out/fuzz-corpus
[ $fuzz_only = 0 ] && corpus=$out/fuzz-corpus-bounded && rm -rf "$corpus"
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$out/fuzz-artifacts"
"$out/mkseed" "$seeds" 2>"$out/mkseed.log"
seed_rc=$?

# The long run stops after FUZZ_RUNS executions (make fuzz: 10 million),
# or at the time cap; its corpus stays in $out/fuzz-corpus for the next run.
runs=
[ $fuzz_only = 1 ] && [ -n "${FUZZ_RUNS:-}" ] && runs=-runs=$FUZZ_RUNS
echo "net: fuzzing for ${secs}s${runs:+ or $FUZZ_RUNS runs} ..."
if [ $seed_rc = 0 ] &&
	"$out/fuzz" -max_total_time="$secs" $runs -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/fuzz-artifacts/" "$corpus" "$seeds" >"$out/fuzz.log" 2>&1; then
	grep -E '^(Done|stat::(number_of_executed_units|new_units_added))' "$out/fuzz.log" | sed 's/^/net fuzz: /'
	passed=$((passed + 1))
else
	[ $seed_rc = 0 ] || cat "$out/mkseed.log"
	tail -40 "$out/fuzz.log"
	echo "net fuzz: FAILED (log: $out/fuzz.log, inputs: $out/fuzz-artifacts/)"
	failed=$((failed + 1))
fi

echo "net: $passed passed, $failed failed"
[ "$failed" = 0 ]
