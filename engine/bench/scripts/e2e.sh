#!/usr/bin/env bash
# End-to-end wall time and peak memory of `pillar scan --plan` and
# `pillar scan --snapshot` on synthetic workloads, warm compile cache.
#
#   engine/bench/scripts/e2e.sh [SIZES...]     (default: 100 1000 10000 100000 1000000)
#
# Prints a markdown table for docs/performance.md.
set -euo pipefail
source "$(dirname "$0")/measure.sh"
sizes=("${@:-100 1000 10000 100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"

build_release >&2
# Warm the compile cache once, so every row below is a warm start.
warm_cache >&2

echo "| resources | plan MB | scan --plan s | peak MiB | snapshot MB | scan --snapshot s | peak MiB | exit |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    generate "$size" >&2
    read -r psecs pmib pcode < <(measure "$work/e2e-plan-$size.log" "$pillar" scan --plan "$work/plan-$size.json" --format sarif -o "$work/plan-$size.sarif")
    read -r ssecs smib scode < <(measure "$work/e2e-snap-$size.log" "$pillar" scan --snapshot "$work/snapshot-$size.json" --format sarif -o "$work/snapshot-$size.sarif")
    pmb=$(( $(stat -c %s "$work/plan-$size.json") / 1000000 ))
    smb=$(( $(stat -c %s "$work/snapshot-$size.json") / 1000000 ))
    echo "| $size | $pmb | $psecs | $pmib | $smb | $ssecs | $smib | $pcode/$scode |"
done
