#!/usr/bin/env bash
# Hostile packs against a large synthetic snapshot, at 1 and 8 worker
# threads: wall seconds, host peak RSS and the failure each pack got, beside
# a clean scan. docs/sandbox.md quotes the figures.
#
#   engine/bench/scripts/hostile.sh [SIZE]      (default 2000 resources)
#
# Uses $PILLAR (default: the release binary measure.sh builds) and the test
# packs the dev-only engine/test-packs crate built (`cargo test` builds them).
set -euo pipefail
source "$(dirname "$0")/measure.sh"

size=${1:-2000}
if [ -z "${PILLAR:-}" ]; then
    build_release
else
    pillar=$PILLAR
fi
[ -x "$gen" ] || gen="$(dirname "$pillar")/pillar-gen"
generate "$size" snapshot
snapshot="$work/snapshot-$size.json"

# The newest build of the test packs (other checkouts may have built older
# sets into the same target dir).
packs_dir=$(find "$target" -path '*wasm-testing-*/wasm32-wasip2/release/pillar_testing_copies_secrets.wasm' \
    -printf '%T@ %h\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
if [ -z "$packs_dir" ]; then
    echo "no test packs under $target: run cargo test -p pillar-evaluate first" >&2
    exit 1
fi

"$pillar" scan --snapshot "$snapshot" --format json -o /dev/null >/dev/null 2>&1 || true

printf '%-28s %7s %8s %8s  %s\n' pack threads seconds peak_MiB failure
for threads in 1 8; do
    for pack in clean sleeps slow_batches holds_memory memory_bomb findings_flood \
        output_flood control_chars copies_secrets huge_error infinite_loop; do
        args=(scan --snapshot "$snapshot" --format json -o "$work/hostile.json" --threads "$threads")
        if [ "$pack" != clean ]; then
            args+=(--rules "$packs_dir/pillar_testing_$pack.wasm")
        fi
        rm -f "$work/hostile.json"
        read -r secs mib code _ < <(measure "$work/hostile.log" "$pillar" "${args[@]}")
        if [ ! -s "$work/hostile.json" ]; then
            echo "$pack: no report (exit $code):" >&2
            cat "$work/hostile.log" >&2
            exit 1
        fi
        failure=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print("; ".join(f["kind"]+": "+f["message"][:70] for f in d.get("failures",[])) or "-")' "$work/hostile.json")
        printf '%-28s %7s %8s %8s  %s\n' "$pack" "$threads" "$secs" "$mib" "$failure"
    done
done
