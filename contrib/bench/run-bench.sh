#!/usr/bin/env bash
# Times the start and exit of a container that runs `true`, for burrow and beside it:
#   the floor   unshare -Urmpf --mount-proc true  (namespaces alone, no container set-up)
#   crun        crun run, bundle from `crun spec --rootless` on the same rootfs   (if installed)
#   podman      podman run --rm --network none --rootfs R true                    (if installed;
#               podman's --rootfs is a switch that makes the image argument a path)
# and, for reference, unshare with all the namespaces burrow creates (-Urmpfinu -C), and unshare
# with burrow's subordinate maps (--map-auto: newuidmap and newgidmap, as burrow).
# Each command gets 3 warm-up runs and then RUNS timed ones (hyperfine when installed, else a
# loop around `date +%s%N`). Prints the median and 90th percentile, the ratio to the floor, and
# burrow's ratio to crun.
#
# Usage: contrib/bench/run-bench.sh [-n RUNS] [BURROW]
#   RUNS     timed runs per command (default 30, at least 20)
#   BURROW   the binary (default: build/src/burrow of this tree)
# Run it as a normal user with /etc/subuid ranges on an otherwise idle machine. It writes only
# under a temporary folder, which it removes.
#
# crun (and podman through it) refuses hosts with a hybrid cgroup layout whose cgroup2 hierarchy
# has controllers ("cgroups in hybrid mode not supported"). There, run the bench in a mount
# namespace without that hierarchy; nothing changes outside it:
#   sudo unshare -m sh -c 'umount -l /sys/fs/cgroup/unified; exec runuser -u "$SUDO_USER" -- contrib/bench/run-bench.sh'
set -euo pipefail

runs=30
while getopts n: opt; do
    case $opt in
    n) runs=$OPTARG ;;
    *)
        echo "usage: $0 [-n RUNS] [BURROW]" >&2
        exit 2
        ;;
    esac
done
shift $((OPTIND - 1))
if ((runs < 20)); then
    echo "run-bench: at least 20 runs, for a median worth reading" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")/../.." && pwd)
burrow=${1:-$here/build/src/burrow}
if [[ ! -x $burrow ]]; then
    echo "run-bench: $burrow not found: build burrow first (cmake -S . -B build && cmake --build build)" >&2
    exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
    echo "run-bench: note: running as root; the figures that matter are a normal user's" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/burrow-bench.XXXXXX")
# podman's pause process is found through XDG_RUNTIME_DIR: one of this run's own, started in
# this mount namespace, rather than one another shell left with the cgroup2 hierarchy mounted
export XDG_RUNTIME_DIR=$tmp/xdg
mkdir -m 0700 "$XDG_RUNTIME_DIR"
cleanup() {
    local pause
    pause=$(cat "$XDG_RUNTIME_DIR/libpod/tmp/pause.pid" 2>/dev/null || true)
    if [[ $pause =~ ^[0-9]+$ ]]; then
        kill "$pause" 2>/dev/null || true
    fi
    # podman's storage holds files owned by subordinate ids: remove them from inside.
    if [[ -d $tmp/podman-root ]]; then
        podman --root "$tmp/podman-root" --runroot "$tmp/podman-run" unshare rm -rf "$tmp/podman-root" 2>/dev/null || true
    fi
    rm -rf "$tmp" 2>/dev/null || "$burrow" unshare rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT

rootfs=$tmp/rootfs
"$here/tests/system/lib/mkrootfs.sh" "$rootfs"

# "START COUNT" of the user's first range in FILE (/etc/subuid or /etc/subgid); nothing if none.
subid_range() {
    awk -F: -v n="$(id -un)" -v u="$(id -u)" '($1 == n || $1 == u) && $3 > 0 { print $2, $3; exit }' "$1" 2>/dev/null || true
}

# Prints the times of NAME's runs, one a line, in milliseconds; returns non-zero (with the
# command's error in $tmp/NAME.err) when the command fails.
time_command() {
    local name=$1
    shift
    if ! "$@" >/dev/null 2>"$tmp/$name.err"; then
        return 1
    fi
    if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
        local cmdline
        cmdline=$(printf '%q ' "$@")
        hyperfine --shell=none --warmup 3 --runs "$runs" --export-json "$tmp/$name.json" \
            --style none "$cmdline" >/dev/null 2>"$tmp/$name.err" || return 1
        jq -r '.results[0].times[] * 1000' "$tmp/$name.json"
    else
        local i start end
        for i in 1 2 3; do
            "$@" >/dev/null 2>&1
        done
        for ((i = 0; i < runs; i++)); do
            start=$(date +%s%N)
            "$@" >/dev/null 2>>"$tmp/$name.err" || return 1
            end=$(date +%s%N)
            awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1000000 }'
        done
    fi
}

# "MEDIAN P90" of the numbers on stdin.
summarize() {
    sort -g | awk '{ v[NR] = $1 }
        END {
            median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            p90 = v[int(NR * 0.9 + 0.999999)]
            printf "%.2f %.2f\n", median, p90
        }'
}

names=()
labels=()
declare -A median p90 skipped

bench() {
    local name=$1 label=$2
    shift 2
    names+=("$name")
    labels+=("$label")
    echo "timing $label ..." >&2
    local times
    if times=$(time_command "$name" "$@"); then
        read -r "median[$name]" "p90[$name]" <<<"$(summarize <<<"$times")"
    else
        skipped[$name]=$(grep -v '^\s*$' "$tmp/$name.err" | tail -1)
        echo "  failed: ${skipped[$name]}" >&2
    fi
}

bench floor "unshare -Urmpf --mount-proc true" unshare -Urmpf --mount-proc true

bench all-ns "unshare -Urmpfinu -C --mount-proc true" unshare -Urmpfinu -C --mount-proc true

# The floor with the same maps as burrow's: util-linux runs newuidmap and newgidmap too, which the
# single-id floor above does not pay (they are setuid programs that load libaudit and libselinux).
bench floor-subid "unshare --map-auto -rmpf --mount-proc true" \
    unshare --map-auto --map-root-user -mpf --mount-proc true

bench burrow "burrow run --rootfs R --network none true" \
    "$burrow" --root "$tmp/burrow-root" --runroot "$tmp/burrow-run" run --rootfs "$rootfs" --network none true

if command -v crun >/dev/null; then
    bundle=$tmp/crun-bundle
    mkdir -p "$bundle" "$tmp/crun-state"
    (cd "$bundle" && crun spec --rootless)
    jq --arg root "$rootfs" '.root.path = $root | .process.args = ["true"] | .process.terminal = false' \
        "$bundle/config.json" >"$bundle/config.json.new"
    crun_label="crun run (crun spec --rootless, one id)"
    # The same maps as burrow's when the user has ranges: crun then runs newuidmap/newgidmap too.
    read -r uid_start uid_count <<<"$(subid_range /etc/subuid)"
    read -r gid_start gid_count <<<"$(subid_range /etc/subgid)"
    if [[ -n $uid_start && -n $gid_start ]]; then
        jq --argjson uid "$(id -u)" --argjson gid "$(id -g)" \
            --argjson us "$uid_start" --argjson uc "$uid_count" --argjson gs "$gid_start" --argjson gc "$gid_count" \
            '.linux.uidMappings = [{containerID: 0, hostID: $uid, size: 1}, {containerID: 1, hostID: $us, size: $uc}]
           | .linux.gidMappings = [{containerID: 0, hostID: $gid, size: 1}, {containerID: 1, hostID: $gs, size: $gc}]' \
            "$bundle/config.json.new" >"$bundle/config.json"
        crun_label="crun run (subordinate maps, same rootfs)"
    else
        mv "$bundle/config.json.new" "$bundle/config.json"
    fi
    bench crun "$crun_label" crun --root "$tmp/crun-state" run --bundle "$bundle" "burrow-bench-$$"
else
    names+=(crun)
    labels+=("crun run")
    skipped[crun]="crun is not installed"
fi

if command -v podman >/dev/null; then
    bench podman "podman run --rm --network none --rootfs R true" \
        podman --root "$tmp/podman-root" --runroot "$tmp/podman-run" run --rm --network none --rootfs "$rootfs" true
else
    names+=(podman)
    labels+=("podman run")
    skipped[podman]="podman is not installed"
fi

echo
echo "burrow $("$burrow" --version 2>/dev/null | awk '{ print $NF }'), $(uname -r), $(nproc) cores, $runs runs after 3 warm-ups$(command -v hyperfine >/dev/null && echo ', hyperfine')"
printf '%-50s %10s %10s %9s\n' command "median ms" "p90 ms" "x floor"
floor=${median[floor]:-}
for i in "${!names[@]}"; do
    name=${names[$i]}
    if [[ -n ${skipped[$name]:-} ]]; then
        printf '%-50s %s\n' "${labels[$i]}" "not measured: ${skipped[$name]}"
        continue
    fi
    ratio=-
    if [[ -n $floor ]]; then
        ratio=$(awk -v a="${median[$name]}" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
    fi
    printf '%-50s %10s %10s %9s\n' "${labels[$i]}" "${median[$name]}" "${p90[$name]}" "$ratio"
done
if [[ -n ${median[burrow]:-} && -n ${median[floor-subid]:-} ]]; then
    awk -v a="${median[burrow]}" -v b="${median[floor-subid]}" \
        'BEGIN { printf "burrow / floor with subordinate maps (median): %.2f\n", a / b }'
fi
if [[ -n ${median[burrow]:-} && -n ${median[crun]:-} ]]; then
    awk -v a="${median[burrow]}" -v b="${median[crun]}" 'BEGIN { printf "burrow / crun (median): %.2f\n", a / b }'
fi
