#!/usr/bin/env bash
# End-to-end wall time and peak memory of `pillar scan --plan` and
# `pillar scan --snapshot` on synthetic workloads, warm compile cache.
#
#   engine/bench/scripts/e2e.sh [SIZES...]     (default: 100 1000 10000 100000 1000000)
#
# Prints a markdown table for docs/performance.md, and each run's stage
# times (`pillar scan --timings`) in $work/e2e-*.log. Plans larger than
# PILLAR_E2E_PLAN_MAX resources (default 300000) are not scanned: a plan
# takes about 20 KiB of memory per resource, so a million-resource plan
# needs about 20 GiB. Reports are deleted after each size to spare disk.
set -euo pipefail
source "$(dirname "$0")/measure.sh"
sizes=("${@:-100 1000 10000 100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"

build_release >&2
# Warm the compile cache once, so every row below is a warm start.
warm_cache >&2

plan_max="${PILLAR_E2E_PLAN_MAX:-300000}"
echo "| resources | plan MB | scan --plan s | CPU s | peak MiB | snapshot MB | scan --snapshot s | CPU s | peak MiB | exit |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    plan_row="not run | | | |"
    pcode="-"
    if [ "$size" -le "$plan_max" ]; then
        generate "$size" plan >&2
        read -r psecs pmib pcode pcpu < <(measure "$work/e2e-plan-$size.log" "$pillar" scan --timings --plan "$work/plan-$size.json" --format sarif -o "$work/plan-$size.sarif")
        pmb=$(( $(stat -L -c %s "$work/plan-$size.json") / 1000000 ))
        plan_row="$pmb | $psecs | $pcpu | $pmib |"
        rm -f "$work/plan-$size.sarif"
    fi
    generate "$size" snapshot >&2
    read -r ssecs smib scode scpu < <(measure "$work/e2e-snap-$size.log" "$pillar" scan --timings --snapshot "$work/snapshot-$size.json" --format sarif -o "$work/snapshot-$size.sarif")
    rm -f "$work/snapshot-$size.sarif"
    smb=$(( $(stat -L -c %s "$work/snapshot-$size.json") / 1000000 ))
    echo "| $size | $plan_row $smb | $ssecs | $scpu | $smib | $pcode/$scode |"
done
