#!/usr/bin/env bash
# Runs the router overhead benchmark against an earlier commit and the working tree, alternating, in one
# run on one machine, so the comparison is not skewed by a noisy neighbour at one moment. Both are bundled
# with esbuild first, as an application's bundler or tsup would: through tsx, esbuild's keepNames wraps
# every closure in a `__name()` call, which is a cost no user pays and would skew the comparison.
# Usage: bash bench/vs-baseline.sh <git-ref> [rounds]   (from packages/core)
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:?usage: bench/vs-baseline.sh <git-ref> [rounds]}
rounds=${2:-3}
dir=.bench-baseline
rm -rf "$dir"
mkdir -p "$dir"
# Only core's sources: they resolve zod from this package's node_modules.
git archive "$ref" src | tar -x -C "$dir"
bundle() { npx esbuild "$1" --bundle --format=esm --platform=node --target=es2022 --log-level=warning --outfile="$2"; }
bundle "$dir/src/index.ts" "$dir/baseline.mjs"
bundle src/index.ts "$dir/working.mjs"
echo "=== same-process A/B (a = $ref, b = working tree), median of 30 alternating blocks"
node --import tsx bench/ab-overhead.bench.ts "$dir/baseline.mjs" "$dir/working.mjs"
out=$(mktemp)
for round in $(seq 1 "$rounds"); do
  echo "=== round $round: baseline $ref" | tee -a "$out"
  LLMO_CORE_ENTRY="$dir/baseline.mjs" node --expose-gc --import tsx bench/router-overhead.bench.ts | tee -a "$out"
  echo "=== round $round: working tree" | tee -a "$out"
  LLMO_CORE_ENTRY="$dir/working.mjs" node --expose-gc --import tsx bench/router-overhead.bench.ts | tee -a "$out"
done
rm -rf "$dir"
# The least overhead of each row over the rounds: noise on a shared machine only ever adds time.
echo
echo "Least router overhead per call over $rounds rounds (µs/call):"
awk '
  /^=== round/ { variant = ($4 == "baseline") ? "baseline" : "working tree" }
  /^router\./ && $2 ~ /^[0-9]+$/ {
    key = $1 " conc " $2; v = $6 + 0
    if (!((variant, key) in best) || v < best[variant, key]) best[variant, key] = v
    keys[key] = 1
  }
  END {
    printf "%-32s %12s %14s %8s\n", "scenario", "baseline", "working tree", "change"
    for (k in keys) printf "%-32s %12.1f %14.1f %+7.0f%%\n", k, best["baseline", k], best["working tree", k], (best["working tree", k] / best["baseline", k] - 1) * 100
  }' "$out"
rm -f "$out"
