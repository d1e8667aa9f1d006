#!/bin/sh
# Regenerates completions/ from the command tree of a built burrow, for bash, zsh and fish.
# Run it after adding, renaming or removing a command or flag; tests/check-completions.sh
# fails until then.
#
# usage: contrib/gen-completions.sh [BURROW_BINARY]   (default: build/src/burrow)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
burrow=${1:-$src/build/src/burrow}
if [ ! -x "$burrow" ]; then
    echo "$burrow: no such program: build burrow first, or pass the binary to use" >&2
    exit 1
fi

mkdir -p "$src/completions"
gen() {
    # through a temporary file, so that a failing binary leaves the old script in place
    "$burrow" completion "$1" >"$src/completions/$2.tmp"
    mv "$src/completions/$2.tmp" "$src/completions/$2"
    echo "completions/$2"
}
gen bash burrow.bash
gen zsh _burrow
gen fish burrow.fish
