#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets everything up and runs the whole test suite: unit, QML, integration, fault, benchmarks'
# checks, and every libFuzzer target for a bounded time. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
FUZZ_SECONDS=${HCP_FUZZ_SECONDS:-20}
JOBS=$(nproc)

bash deploy/setup.sh

echo "== build (default preset)"
cmake --preset default
cmake --build --preset default -j"$JOBS"

echo "== qmllint (every QML module; a warning fails)"
cmake --build --preset default --target all_qmllint

echo "== fuzz targets (clang, libFuzzer + ASan), ${FUZZ_SECONDS}s each"
cmake --preset fuzz >/dev/null
cmake --build build-fuzz --target hcp_fuzzers -j"$JOBS"
fuzz_failed=0
while IFS= read -r fuzzer; do
  name=$(basename "$fuzzer")
  work=$(mktemp -d)
  src=$(find tests/fuzz -type d -name corpus -path "*$(basename "$(dirname "$fuzzer")")*" | head -1)
  [ -n "$src" ] && cp -r "$src"/. "$work"/ 2>/dev/null || true
  dict=$(find tests/fuzz -name '*.dict' -path "*$(basename "$(dirname "$fuzzer")")*" | head -1)
  args=(-max_total_time="$FUZZ_SECONDS" -print_final_stats=1)
  [ -n "$dict" ] && args+=(-dict="$dict")
  if "$fuzzer" "${args[@]}" "$work" > "$work.log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$work.log" | awk '{print $2}')
    echo "fuzz $name: ok, ${execs:-?} executions, 0 crashes"
  else
    echo "fuzz $name: FAILED"; tail -40 "$work.log"; fuzz_failed=1
  fi
  rm -rf "$work" "$work.log"
done < <(find build-fuzz -type f -name 'fuzz_*' -perm -u+x | sort)
[ "$fuzz_failed" = 0 ] || { echo "a fuzz target crashed"; exit 1; }

echo "== packages: build both .deb files, install them with apt, check what they set up, purge"
cpack --config build/CPackConfig.cmake -B build/packages >/dev/null
bash deploy/install-check.sh build/packages

echo "== tests"
ctest --preset default -j2 --timeout 900
