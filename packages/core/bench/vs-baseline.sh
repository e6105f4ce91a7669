#!/usr/bin/env bash
# Runs the router overhead benchmark against an earlier commit and the working tree, alternating, in one
# run on one machine, so the comparison is not skewed by a noisy neighbour at one moment.
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
for round in $(seq 1 "$rounds"); do
  echo "=== round $round: baseline $ref"
  LLMO_CORE_ENTRY="$dir/src/index.ts" node --expose-gc --import tsx bench/router-overhead.bench.ts
  echo "=== round $round: working tree"
  node --expose-gc --import tsx bench/router-overhead.bench.ts
done
rm -rf "$dir"
