#!/usr/bin/env bash
# The CI recipe for a C++ implementation of the accept contract in its own
# repository (examples/out-of-tree/ is one): install the suite into a fresh
# prefix, build the project's adapter against it, run the whole suite as the
# project's CTest test, collect the reports. Exit status: CTest's, so any
# unexpected result fails the job. GitHub Actions runs exactly this
# (docs/ci/github-actions.yml); so do .ci/run and tests/test_out_of_tree.py.
#
#   docs/ci/run-suite.sh [PROJECT_DIR]      (default: the current directory)
#
# Environment (all optional):
#   ENDACCEPT_SUITE        a checkout of the suite (default: the one holding this script)
#   ENDACCEPT_WORK         builds and reports go here (default: ./endaccept-ci)
#   ENDACCEPT_PREFIX       the install prefix, emptied first (default: $ENDACCEPT_WORK/prefix)
#   ENDACCEPT_SUITE_BUILD  an existing build of the suite to install from, brought up to date (default: a new one)
#   GITHUB_STEP_SUMMARY    if set, every summary.md is appended to it
set -euo pipefail

suite=$(cd "${ENDACCEPT_SUITE:-$(dirname "$0")/../..}" && pwd)
project=$(cd "${1:-.}" && pwd)
mkdir -p "${ENDACCEPT_WORK:-endaccept-ci}"
work=$(cd "${ENDACCEPT_WORK:-endaccept-ci}" && pwd)
prefix=${ENDACCEPT_PREFIX:-$work/prefix}
jobs=$(nproc 2>/dev/null || echo 2)

echo "== 1/4 install the suite ($suite) into $prefix"
suite_build=${ENDACCEPT_SUITE_BUILD:-}
if [ -z "$suite_build" ]; then
  suite_build=$work/suite-build
  # Only what a consumer needs: no self-tests, no adapters of other runtimes.
  cmake -S "$suite" -B "$suite_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DENDACCEPT_BUILD_TESTS=OFF -DENDACCEPT_BUILD_ALL_ADAPTERS=OFF
fi
cmake --build "$suite_build" --target endaccept-package --parallel "$jobs"
rm -rf "$prefix"
cmake --install "$suite_build" --prefix "$prefix"

echo "== 2/4 build the adapter ($project)"
cmake -S "$project" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix"
cmake --build "$work/build" --parallel "$jobs"

echo "== 3/4 run the suite"
status=0
ctest --test-dir "$work/build" --label-regex endaccept-conformance --output-on-failure || status=$?

echo "== 4/4 reports in $work/reports/<adapter>/"
rm -rf "$work/reports"
mkdir -p "$work/reports"
while IFS= read -r reports; do
  cp -R "$reports"/. "$work/reports/"
done < <(find "$work/build" -type d -name endaccept-reports -prune)
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  find "$work/reports" -name summary.md -exec cat {} + >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
