#!/bin/sh
# Fails when the completion scripts in completions/ differ from what `burrow completion` generates
# from the command tree of the binary under test: a command or flag was added, renamed or removed
# without regenerating them.
#
# usage: tests/check-completions.sh BURROW_BINARY SOURCE_DIR
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 BURROW_BINARY SOURCE_DIR" >&2
    exit 2
fi
burrow=$1
src=$2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/burrow-completions.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$burrow" completion bash >"$tmp/burrow.bash"
"$burrow" completion zsh >"$tmp/_burrow"
"$burrow" completion fish >"$tmp/burrow.fish"

stale=0
for f in burrow.bash _burrow burrow.fish; do
    if ! diff -u "$src/completions/$f" "$tmp/$f"; then
        stale=1
    fi
done
if [ "$stale" -ne 0 ]; then
    echo "completions are stale: run $src/contrib/gen-completions.sh $burrow" >&2
    exit 1
fi
echo "completions are up to date"
