#!/usr/bin/env bash
# Builds the libFuzzer targets (cmake --preset fuzz) and runs each for
# SECONDS (default 25), seeded from the real files, corpus kept in
# build-fuzz/corpus/<target>. Prints the executions of each target; exits
# non-zero on the first crash, leak or undefined behavior (libFuzzer writes
# the input that caused it into build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-25}"

cmake --preset fuzz >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target endaccept_fuzzers

declare -A seeds=(
  [reply_decoder]="harness/fuzz/seeds"
  [case_loader]="cases"
  [report_reader]="harness/fuzz/seeds-reports"
)
for target in reply_decoder case_loader report_reader; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="build-fuzz/fuzz-$target.log"
  # shellcheck disable=SC2086  # the seed directories are words
  if ! (cd build-fuzz && "harness/fuzz/endaccept_${target}_fuzzer" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "../$corpus" $(printf '../%s ' ${seeds[$target]})) \
        >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target FAILED (input and log in build-fuzz/)" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $target clean, $runs executions in ${seconds} s"
done
