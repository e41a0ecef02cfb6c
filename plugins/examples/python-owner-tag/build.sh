#!/usr/bin/env bash
# Builds the Python example pack into a WebAssembly component:
#   plugins/examples/python-owner-tag/build/owner_tag.wasm
# Needs componentize-py (PyPI, pinned below). It is installed into a private
# virtualenv ($PILLAR_COMPONENTIZE_VENV, default ~/.cache/pillar/componentize-venv)
# on first use. Takes ~30 s; the component is ~18 MB.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${PILLAR_COMPONENTIZE_VENV:-$HOME/.cache/pillar/componentize-venv}"
version="0.25.1"
if ! "$venv/bin/componentize-py" --version 2>/dev/null | grep -q "$version"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "componentize-py==$version"
fi
mkdir -p "$here/build"
cd "$here"
"$venv/bin/componentize-py" -d "$root/wit/v0.2" -w rule-pack componentize app -o build/owner_tag.wasm.tmp
mv build/owner_tag.wasm.tmp build/owner_tag.wasm
echo "built $here/build/owner_tag.wasm"
