#!/usr/bin/env bash
# pillar against Checkov on the same Terraform plans: generated plans of 1k,
# 10k and 100k resources, and the real plans in ../shared/corpus/terraform-plans.
# Installs checkov from PyPI into .venv-bench (once), builds pillar in release,
# and prints wall time and peak RSS for both, with their ratios, pair by pair.
#
#   engine/bench/scripts/vs-checkov.sh [SIZES...]      (default: 1000 10000 100000)
#
# PILLAR_CHECKOV_TIMEOUT (seconds, default 3600) bounds each checkov run; a
# run that hits it is reported as ">TIMEOUT".
set -euo pipefail
source "$(dirname "$0")/measure.sh"
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
limit="${PILLAR_CHECKOV_TIMEOUT:-3600}"
venv="$root/.venv-bench"
checkov_version="${CHECKOV_VERSION:-3.3.30}"

if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet "checkov==$checkov_version" >&2
fi
build_release >&2
warm_cache >&2

row() {
    local name=$1 plan=$2 resources=$3
    local c p
    c=$(measure "$work/checkov-$name.log" timeout "$limit" "$venv/bin/checkov" -f "$plan" --framework terraform_plan --quiet --compact -o json)
    p=$(measure "$work/pillar-$name.log" "$pillar" scan --plan "$plan" --format sarif -o "$work/pillar-$name.sarif")
    read -r csecs cmib ccode _ <<<"$c"
    read -r psecs pmib pcode _ <<<"$p"
    local speed mem
    if [ "$ccode" = 124 ]; then csecs=">$limit"; speed="> $(awk -v a="$limit" -v b="$psecs" 'BEGIN{printf "%.0f", a/(b>0?b:0.001)}')×"
    else speed="$(awk -v a="$csecs" -v b="$psecs" 'BEGIN{printf "%.1f", a/(b>0?b:0.001)}')×"; fi
    mem="$(awk -v a="$cmib" -v b="$pmib" 'BEGIN{printf "%.1f", a/(b>0?b:1)}')×"
    echo "| $name | $resources | $csecs | $cmib | $psecs | $pmib | $speed | $mem | $ccode/$pcode |"
}

echo "checkov $("$venv/bin/checkov" --version 2>/dev/null), $("$pillar" --version)" >&2
echo "| plan | resources | checkov s | checkov peak MiB | pillar s | pillar peak MiB | pillar faster by | pillar smaller by | exit (checkov/pillar) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    generate "$size" >&2
    row "synthetic-$size" "$work/plan-$size.json" "$size"
done
corpus="$root/../shared/corpus/terraform-plans"
if [ -d "$corpus" ]; then
    for plan in "$corpus"/*.json; do
        n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("resource_changes") or []))' "$plan")
        row "$(basename "$plan" .json)" "$plan" "$n"
    done
else
    echo "note: $corpus not found; real plans skipped" >&2
fi
