#!/usr/bin/env bash
# Times burrow's image and container storage, and podman's beside it, each tool and each case in
# a store of its own under a temporary folder:
#   run     burrow run --rm --network none IMAGE true, once per storage driver: overlay (the
#           kernel's), fuse-overlayfs and vfs. podman the same with its overlay driver (the
#           kernel's), its overlay driver with fuse-overlayfs as mount program, and vfs.
#   create  N containers of IMAGE (create --network none IMAGE true in a loop, each create timed),
#           then
#   ps      ps -a with 100 and with 1000 containers, for burrow and podman.
#   load    load -i of a docker-archive of 5 layers, about 150 MB, into an empty store: burrow's
#           store is removed before each run (burrow system reset -f), podman's emptied
#           (podman rmi -a -f); neither is timed.
# IMAGE is localhost/busybox:latest, loaded from the docker-archive that
# tests/system/lib/mkimage.sh writes; mkimage.sh --big writes the 150 MB one.
# Each run and ps command gets 3 warm-up runs and then RUNS timed ones, each load 1 warm-up run
# and LOAD_RUNS timed ones (hyperfine when installed, else a loop around bash's clock). Prints the
# median and 90th percentile in milliseconds, burrow's ratio to podman, and whether the targets
# are met: run --rm on the overlay driver in under 1/5 of podman's time, and ps -a with 1000
# containers in under 50 ms.
#
# Usage: contrib/bench/bench-storage.sh [-n RUNS] [-l LOAD_RUNS] [BURROW]
#   RUNS       timed runs of each run and ps command (default 20, at least 10)
#   LOAD_RUNS  timed runs of each load (default 5, at least 3)
#   BURROW     the binary (default: build/src/burrow of this tree)
# Run it as a normal user with /etc/subuid and /etc/subgid ranges on an otherwise idle machine;
# it takes a few minutes, most of them podman's 1000 creates. It writes only under a temporary
# folder, which it removes. Needs bash 5, and what mkimage.sh needs (jq, skopeo, openssl,
# busybox-static).
#
# podman runs with --cgroup-manager cgroupfs --events-backend file, which is what it picks by
# itself without a systemd user session, so that its figures do not depend on one. Its
# XDG_RUNTIME_DIR (and burrow's) is a folder of the temporary one: podman then starts a pause
# process of its own rather than joining one that the user's other podman commands left running,
# and this script ends it when it is done. Each podman container holds one of the user's podman
# locks (2048 in all, shared by every podman store) until it is removed: stop the script with
# Ctrl-C or kill, not kill -9, so that it removes the 1000 it made.
#
# crun (and podman through it) refuses hosts with a hybrid cgroup layout whose cgroup2 hierarchy
# has controllers ("cgroups in hybrid mode not supported"). There, run the bench in a mount
# namespace without that hierarchy; nothing changes outside it:
#   sudo unshare -m sh -c 'umount -l /sys/fs/cgroup/unified; exec runuser -u "$SUDO_USER" -- contrib/bench/bench-storage.sh'
set -euo pipefail

runs=20
load_runs=5
usage() {
    echo "usage: $0 [-n RUNS] [-l LOAD_RUNS] [BURROW]" >&2
    exit 2
}
while getopts n:l: opt; do
    case $opt in
    n) runs=$OPTARG ;;
    l) load_runs=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
(($# <= 1)) || usage
if [[ ! $runs =~ ^[0-9]+$ ]] || ((runs < 10)); then
    echo "bench-storage: at least 10 runs, for a median worth reading" >&2
    exit 2
fi
if [[ ! $load_runs =~ ^[0-9]+$ ]] || ((load_runs < 3)); then
    echo "bench-storage: at least 3 load runs" >&2
    exit 2
fi
if [[ -z ${EPOCHREALTIME:-} ]]; then
    echo "bench-storage: needs bash 5 (EPOCHREALTIME)" >&2
    exit 1
fi

here=$(cd "$(dirname "$0")/../.." && pwd)
burrow=${1:-$here/build/src/burrow}
if [[ ! -x $burrow ]]; then
    echo "bench-storage: $burrow not found: build burrow first (cmake -S . -B build && cmake --build build)" >&2
    exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
    echo "bench-storage: run it as a normal user: the figures that matter are a normal user's" >&2
    exit 1
fi

# "START COUNT" of the user's first range in FILE (/etc/subuid or /etc/subgid); nothing if none.
subid_range() {
    awk -F: -v n="$(id -un)" -v u="$(id -u)" '($1 == n || $1 == u) && $3 > 0 { print $2, $3; exit }' "$1" 2>/dev/null || true
}
if [[ -z $(subid_range /etc/subuid) || -z $(subid_range /etc/subgid) ]]; then
    echo "bench-storage: $(id -un) has no range in /etc/subuid or /etc/subgid: the images hold files of other ids than root (contrib/setup-subids.sh or usermod --add-subuids/--add-subgids)" >&2
    exit 1
fi

have_podman=false
if command -v podman >/dev/null; then
    have_podman=true
fi
fuse_overlayfs=$(command -v fuse-overlayfs || true)

# podman refuses a runroot longer than 50 characters ($tmp/p/KEY.r here): a long TMPDIR is not
# used.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bbs.XXXXXX")
if ((${#tmp} > 36)); then
    rmdir "$tmp"
    tmp=$(mktemp -d /tmp/bbs.XXXXXX)
fi
export XDG_RUNTIME_DIR=$tmp/xdg
mkdir -m 0700 "$XDG_RUNTIME_DIR"
b=()
p=()
declare -A podman_driver=() podman_opt=()

cleanup() {
    set +e
    # podman's containers hold locks of the user's lock segment, shared by all of podman's stores:
    # removing a store's folder would not give them back.
    local key
    for key in "${!podman_driver[@]}"; do
        podman_store "$key" "${podman_driver[$key]}" "${podman_opt[$key]}"
        if [[ -n $("${p[@]}" ps -a -q 2>/dev/null) ]]; then
            echo "removing podman's containers ($key) ..." >&2
            "${p[@]}" rm -a -f >/dev/null 2>&1
        fi
    done
    # podman's stores hold files owned by subordinate ids: remove them from inside, with a
    # throw-away store of its own (removing the store it runs on would pull it from under it).
    if $have_podman && [[ -d $tmp/p ]]; then
        podman --root "$tmp/pu" --runroot "$tmp/pu.r" --storage-driver vfs \
            unshare rm -rf "$tmp/p" >/dev/null 2>&1
    fi
    # podman's pause process, started for this run in $XDG_RUNTIME_DIR.
    local pause
    pause=$(cat "$XDG_RUNTIME_DIR/libpod/tmp/pause.pid" 2>/dev/null)
    if [[ $pause =~ ^[0-9]+$ ]]; then
        kill "$pause" 2>/dev/null
    fi
    rm -rf "$tmp" 2>/dev/null || "$burrow" unshare rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The commands of each tool on a store of its own: burrow_store KEY [DRIVER] sets the array b to
# burrow with the options for the store KEY; podman_store KEY DRIVER [STORAGE-OPT] sets p to
# podman with those for its store KEY (and records the store for cleanup).
burrow_store() {
    b=("$burrow" --root "$tmp/b/$1" --runroot "$tmp/b/$1.r")
    if [[ -n ${2:-} ]]; then
        b+=(--storage-driver "$2")
    fi
}
podman_store() {
    p=(podman --root "$tmp/p/$1" --runroot "$tmp/p/$1.r" --storage-driver "$2")
    if [[ -n ${3:-} ]]; then
        p+=(--storage-opt "$3")
    fi
    p+=(--cgroup-manager cgroupfs --events-backend file)
    podman_driver[$1]=$2
    podman_opt[$1]=${3:-}
}

# The last non-empty line of FILE: the error of the command that wrote it.
last_error() {
    grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -1 || true
}

now_us() {
    echo "${EPOCHREALTIME/[.,]/}"
}

# time_command KEY RUNS WARMUP PREPARE CMD...: prints the times of CMD's runs, one a line, in
# milliseconds; PREPARE names an array holding a command that runs, untimed, before each run
# ("" for none). Returns non-zero (with the command's error in $tmp/KEY.err) when the command
# fails.
time_command() {
    local key=$1 n=$2 warmup=$3 prepare_var=$4
    shift 4
    local -a prepare=()
    if [[ -n $prepare_var ]]; then
        local -n prepare_ref=$prepare_var
        prepare=("${prepare_ref[@]}")
    fi
    if ((${#prepare[@]})) && ! "${prepare[@]}" >/dev/null 2>"$tmp/$key.err"; then
        return 1
    fi
    if ! "$@" >/dev/null 2>"$tmp/$key.err"; then
        return 1
    fi
    if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
        local -a options=(--shell=none --warmup "$warmup" --runs "$n" --export-json "$tmp/$key.json" --style none)
        if ((${#prepare[@]})); then
            options+=(--prepare "$(printf '%q ' "${prepare[@]}")")
        fi
        hyperfine "${options[@]}" "$(printf '%q ' "$@")" >/dev/null 2>"$tmp/$key.err" || return 1
        jq -r '.results[0].times[] * 1000' "$tmp/$key.json"
    else
        local i start end
        for ((i = 0; i < warmup + n; i++)); do
            if ((${#prepare[@]})); then
                "${prepare[@]}" >/dev/null 2>>"$tmp/$key.err" || return 1
            fi
            start=$(now_us)
            "$@" >/dev/null 2>>"$tmp/$key.err" || return 1
            end=$(now_us)
            if ((i >= warmup)); then
                awk -v us=$((end - start)) 'BEGIN { printf "%.3f\n", us / 1000 }'
            fi
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

declare -A median p90 skipped label total
notes=()

# failed KEY REASON: KEY is not measured, for REASON.
failed() {
    skipped[$1]=${2:-failed}
    echo "  failed: ${skipped[$1]}" >&2
}

# bench_with RUNS WARMUP PREPARE KEY LABEL CMD...: times CMD (see time_command), records its
# median and p90 under KEY.
bench_with() {
    local n=$1 warmup=$2 prepare_var=$3 key=$4
    label[$key]=$5
    shift 5
    echo "timing ${label[$key]} ..." >&2
    local times
    if times=$(time_command "$key" "$n" "$warmup" "$prepare_var" "$@"); then
        read -r "median[$key]" "p90[$key]" <<<"$(summarize <<<"$times")"
    else
        failed "$key" "$(last_error "$tmp/$key.err")"
    fi
}

# bench KEY LABEL CMD...: RUNS runs after 3 warm-ups.
bench() {
    bench_with "$runs" 3 "" "$@"
}

# setup KEY LABEL CMD...: runs CMD, which KEY's measure needs; when it fails, KEY is not measured.
setup() {
    local key=$1
    label[$key]=$2
    shift 2
    if ! "$@" >/dev/null 2>"$tmp/$key.setup.err"; then
        failed "$key" "$(last_error "$tmp/$key.setup.err")"
        return 1
    fi
}

# create_containers KEY LABEL COUNT CMD...: runs CMD (a create) COUNT times, each timed; records
# the median and p90 of one create and the total in seconds under KEY.
create_containers() {
    local key=$1 count=$3 i start end
    label[$key]=$2
    shift 3
    echo "creating: ${label[$key]} ..." >&2
    : >"$tmp/$key.times"
    for ((i = 1; i <= count; i++)); do
        start=$(now_us)
        if ! "$@" >/dev/null 2>"$tmp/$key.err"; then
            failed "$key" "create $i of $count: $(last_error "$tmp/$key.err")"
            return 1
        fi
        end=$(now_us)
        echo $((end - start)) >>"$tmp/$key.times"
    done
    read -r "median[$key]" "p90[$key]" <<<"$(awk '{ printf "%.3f\n", $1 / 1000 }' "$tmp/$key.times" | summarize)"
    total[$key]=$(awk '{ s += $1 } END { printf "%.1f", s / 1e6 }' "$tmp/$key.times")
}

# expect_containers KEY COUNT CMD...: notes it when CMD (a ps -a -q) lists other than COUNT.
expect_containers() {
    local key=$1 count=$2 listed
    shift 2
    listed=$("$@" 2>/dev/null | grep -c . || true)
    if [[ $listed != "$count" ]]; then
        notes+=("${label[$key]:-$key}: ps -a -q lists $listed containers, not $count")
    fi
}

# The table's rows: label, burrow's key, podman's key.
row_labels=()
row_burrow=()
row_podman=()
row() {
    row_labels+=("$1")
    row_burrow+=("$2")
    row_podman+=("$3")
}

echo "making the images ..." >&2
img=$tmp/img
"$here/tests/system/lib/mkimage.sh" "$img" >/dev/null
"$here/tests/system/lib/mkimage.sh" --big "$img" >/dev/null
image=localhost/busybox:latest

################################################################################
# run --rm, per storage driver

for driver in overlay fuse-overlayfs vfs; do
    key=b-run-$driver
    burrow_store "$driver" "$driver"
    if setup "$key" "burrow run --rm ($driver)" "${b[@]}" load -i "$img/busybox-docker.tar"; then
        bench "$key" "burrow run --rm ($driver)" "${b[@]}" run --rm --network none "$image" true
        expect_containers "$key" 0 "${b[@]}" ps -a -q
    fi
done

# podman's counterparts.
for flavour in overlay fuse-overlayfs vfs; do
    key=p-run-$flavour
    label[$key]="podman run --rm ($flavour)"
    if ! $have_podman; then
        skipped[$key]="podman is not installed"
        continue
    fi
    case $flavour in
    overlay) podman_store overlay overlay ;;
    fuse-overlayfs)
        if [[ -z $fuse_overlayfs ]]; then
            skipped[$key]="fuse-overlayfs is not installed"
            continue
        fi
        podman_store fuse overlay "overlay.mount_program=$fuse_overlayfs"
        ;;
    vfs) podman_store vfs vfs ;;
    esac
    if setup "$key" "${label[$key]}" "${p[@]}" load -i "$img/busybox-docker.tar"; then
        bench "$key" "${label[$key]}" "${p[@]}" run --rm --network none "$image" true
        expect_containers "$key" 0 "${p[@]}" ps -a -q
    fi
done
row "run --rm true, overlay (kernel)" b-run-overlay p-run-overlay
row "run --rm true, fuse-overlayfs" b-run-fuse-overlayfs p-run-fuse-overlayfs
row "run --rm true, vfs" b-run-vfs p-run-vfs

################################################################################
# create and ps -a, 100 and 1000 containers

# The storage driver of the remaining stores: the kernel's overlay when it worked above.
store_driver=overlay
for driver in overlay fuse-overlayfs vfs; do
    if [[ -z ${skipped[b-run-$driver]:-} ]]; then
        store_driver=$driver
        break
    fi
done

# containers TOOL CMD...: creates 100 and then 900 containers with the store CMD, timing ps -a
# after each batch.
containers() {
    local tool=$1 t=${1:0:1}
    shift
    label[$t-create-1000]="$tool create, containers 101-1000"
    label[$t-ps-100]="$tool ps -a, 100 containers"
    label[$t-ps-1000]="$tool ps -a, 1000 containers"
    if ! setup "$t-create-100" "$tool create, containers 1-100" "$@" load -i "$img/busybox-docker.tar"; then
        skipped[$t-create-1000]=${skipped[$t-create-100]}
        skipped[$t-ps-100]=${skipped[$t-create-100]}
        skipped[$t-ps-1000]=${skipped[$t-create-100]}
        return 0
    fi
    local from=0 n
    for n in 100 1000; do
        if create_containers "$t-create-$n" "$tool create, containers $((from + 1))-$n" $((n - from)) \
            "$@" create --network none "$image" true; then
            expect_containers "$t-ps-$n" "$n" "$@" ps -a -q
            bench "$t-ps-$n" "$tool ps -a, $n containers" "$@" ps -a
        else
            skipped[$t-ps-$n]=${skipped[$t-create-$n]}
            if ((n == 100)); then
                skipped[$t-create-1000]=${skipped[$t-create-100]}
                skipped[$t-ps-1000]=${skipped[$t-create-100]}
            fi
            return 0
        fi
        from=$n
    done
}

burrow_store ps "$store_driver"
containers burrow "${b[@]}"
if $have_podman; then
    podman_store ps overlay
    containers podman "${p[@]}"
else
    for key in p-create-100 p-create-1000 p-ps-100 p-ps-1000; do
        skipped[$key]="podman is not installed"
    done
fi
row "create (containers 1-100), one create" b-create-100 p-create-100
row "create (containers 101-1000), one create" b-create-1000 p-create-1000
row "ps -a, 100 containers" b-ps-100 p-ps-100
row "ps -a, 1000 containers" b-ps-1000 p-ps-1000

################################################################################
# load of a 5-layer, 150 MB archive into an empty store

burrow_store load "$store_driver"
# shellcheck disable=SC2034 # used through its name
b_reset=("${b[@]}" system reset -f)
bench_with "$load_runs" 1 b_reset b-load "burrow load (5 layers, 150 MB)" "${b[@]}" load -i "$img/big-docker.tar"
if $have_podman; then
    podman_store load overlay
    # shellcheck disable=SC2034 # used through its name
    p_reset=("${p[@]}" rmi -a -f)
    bench_with "$load_runs" 1 p_reset p-load "podman load (5 layers, 150 MB)" "${p[@]}" load -i "$img/big-docker.tar"
else
    skipped[p-load]="podman is not installed"
fi
row "load -i, 5 layers, 150 MB, empty store" b-load p-load

################################################################################
# what is left running

leftover=$(pgrep -a -f -- "$tmp/" || true)
if [[ -n $leftover ]]; then
    while IFS= read -r line; do
        notes+=("left running: $line")
    done <<<"$leftover"
fi

################################################################################
# the table

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'
}
cell() {
    if [[ -n ${median[$1]:-} && -z ${skipped[$1]:-} ]]; then
        printf '%10s %9s' "${median[$1]}" "${p90[$1]}"
    else
        printf '%10s %9s' - -
    fi
}

podman_version=-
if $have_podman; then
    podman_version=$(podman --version 2>/dev/null | awk '{ print $NF }')
fi
echo
echo "burrow $("$burrow" --version 2>/dev/null | awk '{ print $NF }'), podman $podman_version, $(uname -r), $(nproc) cores"
echo "run and ps: $runs runs after 3 warm-ups; load: $load_runs runs after 1; create: each create of a loop$(command -v hyperfine >/dev/null && echo '; hyperfine')"
echo "create, ps and load stores: burrow --storage-driver $store_driver$($have_podman && echo ', podman --storage-driver overlay')"
printf '%-42s %20s %20s %8s\n' "" "burrow, ms" "podman, ms" ""
printf '%-42s %10s %9s %10s %9s %8s\n' command median p90 median p90 "b / p"
for i in "${!row_labels[@]}"; do
    bk=${row_burrow[$i]}
    pk=${row_podman[$i]}
    r=-
    if [[ -n ${median[$bk]:-} && -z ${skipped[$bk]:-} && -n ${median[$pk]:-} && -z ${skipped[$pk]:-} ]]; then
        r=$(ratio "${median[$bk]}" "${median[$pk]}")
    fi
    printf '%-42s %s %s %8s\n' "${row_labels[$i]}" "$(cell "$bk")" "$(cell "$pk")" "$r"
done

echo
for key in b-create-100 b-create-1000 p-create-100 p-create-1000; do
    if [[ -n ${total[$key]:-} ]]; then
        count=$(wc -l <"$tmp/$key.times")
        printf '%s: %s s in all, %s ms a create on average\n' "${label[$key]}" "${total[$key]}" \
            "$(awk -v s="${total[$key]}" -v n="$count" 'BEGIN { printf "%.1f", s * 1000 / n }')"
    fi
done

for key in b-run-overlay b-run-fuse-overlayfs b-run-vfs p-run-overlay p-run-fuse-overlayfs p-run-vfs \
    b-create-100 b-create-1000 p-create-100 p-create-1000 b-ps-100 b-ps-1000 p-ps-100 p-ps-1000 b-load p-load; do
    if [[ -n ${skipped[$key]:-} && ${skipped[$key]} != "podman is not installed" ]]; then
        echo "not measured: ${label[$key]:-$key}: ${skipped[$key]}"
    fi
done
if ! $have_podman; then
    echo "not measured: podman: podman is not installed"
fi
for note in "${notes[@]}"; do
    echo "note: $note"
done

echo
if [[ -n ${median[b-run-overlay]:-} && -z ${skipped[b-run-overlay]:-} && -n ${median[p-run-overlay]:-} && -z ${skipped[p-run-overlay]:-} ]]; then
    r=$(ratio "${median[b-run-overlay]}" "${median[p-run-overlay]}")
    verdict=$(awk -v a="${median[b-run-overlay]}" -v b="${median[p-run-overlay]}" 'BEGIN { print (5 * a < b) ? "met" : "NOT met" }')
    echo "target: run --rm on overlay in under 1/5 of podman's time: burrow / podman = $r: $verdict"
else
    echo "target: run --rm on overlay in under 1/5 of podman's time: not measured"
fi
if [[ -n ${median[b-ps-1000]:-} && -z ${skipped[b-ps-1000]:-} ]]; then
    verdict=$(awk -v m="${median[b-ps-1000]}" 'BEGIN { print (m < 50) ? "met" : "NOT met" }')
    echo "target: ps -a with 1000 containers in under 50 ms: median ${median[b-ps-1000]} ms: $verdict"
else
    echo "target: ps -a with 1000 containers in under 50 ms: not measured"
fi
