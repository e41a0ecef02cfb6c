# Shared by the bench scripts: build the release binaries, and time a command
# for wall-clock seconds and peak RSS (GNU time). Sourced, not run.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
pillar="$target/release/pillar"
gen="$target/release/pillar-gen"
work="${PILLAR_BENCH_DIR:-${TMPDIR:-/tmp}/pillar-bench}"
mkdir -p "$work"

build_release() {
    (cd "$root" && cargo build --release --locked -p pillar-cli -p pillar-bench --bin pillar --bin pillar-gen)
}

# generate SIZE [plan|snapshot]...: writes $work/plan-SIZE.json and/or
# $work/snapshot-SIZE.json (default: both), each once.
generate() {
    local size=$1; shift
    local kinds=("${@:-plan snapshot}")
    read -r -a kinds <<<"${kinds[*]}"
    local args=()
    for kind in "${kinds[@]}"; do
        if [ ! -s "$work/$kind-$size.json" ]; then
            args+=("--$kind" "$work/$kind-$size.json")
        fi
    done
    if [ ${#args[@]} -gt 0 ]; then
        "$gen" --resources "$size" --seed 1 "${args[@]}"
    fi
}

# measure LOG CMD...: runs CMD, prints "<seconds> <peak MiB> <exit code>
# <CPU seconds (user + system)>". A command that exits non-zero still reports
# its figures: pillar exits 1 when it finds violations, the normal case here.
# CPU time is given because wall time on a shared machine includes waiting.
measure() {
    local log=$1; shift
    local stats; stats=$(mktemp)
    local code=0
    /usr/bin/time -f "%e %M %U %S" -o "$stats" "$@" >"$log" 2>&1 || code=$?
    local secs kib user sys
    # GNU time writes "Command exited with non-zero status N" first then.
    read -r secs kib user sys < <(tail -n 1 "$stats")
    rm -f "$stats"
    local cpu; cpu=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
    echo "$secs $(( ${kib:-0} / 1024 )) $code $cpu"
}

# warm_cache: one small scan, so that every measured run loads the packs from
# the compile cache. (A bare `pillar scan` would try to collect from AWS.)
warm_cache() {
    generate 100
    "$pillar" scan --plan "$work/plan-100.json" --format json -o /dev/null >/dev/null 2>&1 || true
}
