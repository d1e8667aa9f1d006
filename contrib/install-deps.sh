#!/usr/bin/env bash
# Installs every Debian 12 package burrow needs to build, run and test.
# Usage: sudo contrib/install-deps.sh [--bench]   (--bench adds crun and podman for contrib/bench/)
set -euo pipefail

build=(build-essential cmake pkg-config git clang-format
       libslirp-dev libglib2.0-dev libcap-dev libseccomp-dev libcli11-dev nlohmann-json3-dev
       libcurl4-openssl-dev libssl-dev libarchive-dev doctest-dev libtomlplusplus-dev)
runtime=(uidmap fuse-overlayfs fuse3 iproute2)
tests=(bats busybox-static docker-registry skopeo tmux util-linux procps curl jq zstd openssl)
extra=()
if [[ ${1:-} == --bench ]]; then
    extra=(crun podman slirp4netns hyperfine)
fi

if [[ $(id -u) -ne 0 ]]; then
    exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${build[@]}" "${runtime[@]}" "${tests[@]}" "${extra[@]}" >/dev/null
# docker-registry's package starts a system service on :5000; the tests run their own on a free port.
if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
echo "burrow: build, runtime and test packages installed"
