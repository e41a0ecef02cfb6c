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

# generate SIZE: writes $work/plan-SIZE.json and $work/snapshot-SIZE.json once.
generate() {
    local size=$1
    if [ ! -s "$work/plan-$size.json" ] || [ ! -s "$work/snapshot-$size.json" ]; then
        "$gen" --resources "$size" --seed 1 --plan "$work/plan-$size.json" --snapshot "$work/snapshot-$size.json"
    fi
}

# measure LOG CMD...: runs CMD, prints "<seconds> <peak MiB> <exit code>".
# A command that exits non-zero still reports its figures: pillar exits 1
# when it finds violations, which is the normal case here.
measure() {
    local log=$1; shift
    local stats; stats=$(mktemp)
    local code=0
    /usr/bin/time -f "%e %M" -o "$stats" "$@" >"$log" 2>&1 || code=$?
    local secs kib
    read -r secs kib <"$stats" || true
    # GNU time writes "Command exited with non-zero status N" first then.
    if [ -z "$kib" ] || ! [[ "$secs" =~ ^[0-9.]+$ ]]; then
        read -r secs kib < <(tail -n 1 "$stats")
    fi
    rm -f "$stats"
    echo "$secs $(( ${kib:-0} / 1024 )) $code"
}

# warm_cache: one small scan, so that every measured run loads the packs from
# the compile cache. (A bare `pillar scan` would try to collect from AWS.)
warm_cache() {
    generate 100
    "$pillar" scan --plan "$work/plan-100.json" --format json -o /dev/null >/dev/null 2>&1 || true
}
