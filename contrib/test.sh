#!/usr/bin/env bash
# Builds burrow and runs the whole test suite, unit and system tests, under ctest: first the
# optimized build (RelWithDebInfo) in build/, then an AddressSanitizer + UndefinedBehaviorSanitizer
# build (Debug: -O0 compiles in a third of the time) in build-asan/.
#
# Usage: contrib/test.sh [--build-only]
#   --build-only      configure and build both trees, run nothing
#   BURROW_TEST_SANITIZE=0          skip the sanitizer build
#   BURROW_TEST_ALLOW_ROOT=1        run as root anyway (the system tests are meant for a normal user)
#   BURROW_TEST_JOBS=N              parallel build and test jobs (default: the number of cores)
#
# Run it as a normal user with ranges in /etc/subuid and /etc/subgid: the system tests start real
# containers as that user. Tests that need what the machine lacks skip and say why.
set -euo pipefail

build_only=false
case ${1:-} in
--build-only) build_only=true ;;
'') ;;
*)
    echo "usage: $0 [--build-only]" >&2
    exit 2
    ;;
esac

if [[ $(id -u) -eq 0 && ${BURROW_TEST_ALLOW_ROOT:-0} != 1 ]]; then
    cat >&2 <<'EOF'
contrib/test.sh: refusing to run as root.
burrow is rootless: its system tests must run as the unprivileged user who runs containers, with
ranges in /etc/subuid and /etc/subgid. Run this script as that user (.ci/run shows how to set one
up), or set BURROW_TEST_ALLOW_ROOT=1 to run as root anyway.
EOF
    exit 1
fi

cd "$(dirname "$0")/.."
jobs=${BURROW_TEST_JOBS:-$(nproc)}

section() {
    printf '\n===== %s =====\n' "$*"
}

build() {
    local dir=$1
    shift
    section "configure and build $dir"
    local start=$SECONDS
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "built $dir in $((SECONDS - start))s"
}

run_tests() {
    local dir=$1
    section "test $dir"
    # ctest's own summary closes the output: "100% tests passed, 0 tests failed out of N".
    ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

# The build time in burrow's version output is the commit's: configuring again (.ci/run builds
# first, then tests) then leaves the build as it was instead of recompiling what includes it.
if [[ -z ${SOURCE_DATE_EPOCH:-} ]] && git rev-parse --git-dir >/dev/null 2>&1; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
    export SOURCE_DATE_EPOCH
fi

sanitize=${BURROW_TEST_SANITIZE:-1}
build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBURROW_TESTS=ON -DBURROW_SANITIZE=OFF
if [[ $sanitize == 1 ]]; then
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DBURROW_TESTS=ON -DBURROW_SANITIZE=ON
fi
if $build_only; then
    exit 0
fi

run_tests build
if [[ $sanitize == 1 ]]; then
    # Any report fails the test that triggered it; leaks included.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
    run_tests build-asan
fi
