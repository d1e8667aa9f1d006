#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running container, offline: installs the packages (with
# sudo unless you are root), builds burrow in build/, makes busybox images from busybox-static
# (no registry needed), loads one and runs a container of it.
#
# Usage: contrib/quickstart.sh
#   BURROW_SKIP_DEPS=1   do not install packages (they are already there)
set -euo pipefail

cd "$(dirname "$0")/.."

step() {
    printf '\n==> %s\n' "$*"
}

if [[ ${BURROW_SKIP_DEPS:-0} != 1 ]]; then
    step "installing packages (contrib/install-deps.sh)"
    if [[ $(id -u) -eq 0 ]]; then
        contrib/install-deps.sh
    elif command -v sudo >/dev/null; then
        sudo contrib/install-deps.sh
    else
        echo "quickstart: sudo is not installed: run 'su -c contrib/install-deps.sh' as root, then BURROW_SKIP_DEPS=1 $0" >&2
        exit 1
    fi
fi

step "building burrow (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target burrow
burrow=$PWD/build/src/burrow

images=${XDG_DATA_HOME:-$HOME/.local/share}/burrow/quickstart-images
step "making busybox images offline in $images (tests/system/lib/mkimage.sh)"
tests/system/lib/mkimage.sh "$images" >/dev/null

if [[ $(id -u) -ne 0 ]] && ! grep -qE "^($(id -un)|$(id -u)):" /etc/subuid 2>/dev/null; then
    echo "note: $(id -un) has no range in /etc/subuid: burrow maps you alone to root in the container."
    echo "      For uids 1..65536 too: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $(id -un)"
fi

step "loading the image: burrow load -i $images/busybox-docker.tar"
"$burrow" load -i "$images/busybox-docker.tar"

step "running a container: burrow run --rm busybox sh -c '…'"
"$burrow" run --rm busybox sh -c 'echo hello from burrow; id; cat /proc/self/uid_map'

step "done"
echo "burrow is at $burrow. Try:"
echo "  $burrow run -it --rm busybox"
echo "  $burrow images"
echo "  $burrow info"
echo "Run the test suite with: contrib/test.sh"
