# shellcheck shell=bash
# shellcheck disable=SC2034 # status, lines, stderr and stderr_lines are set for the tests
# Helpers for burrow's system tests (bats), in the style of podman's test/system/helpers.bash.
#
# Each test runs the real binary ($BURROW) as the calling, unprivileged user, with its own
# XDG_DATA_HOME, XDG_RUNTIME_DIR, XDG_CONFIG_HOME, --root and --runroot under $BATS_TEST_TMPDIR.
# Each .bats file gets a busybox root filesystem, built once in setup_file, in $ROOTFS.
#
#   run_burrow [RC] ARGS…   run burrow; fail unless it exits RC (default 0; '?' accepts any).
#                           Sets $status, $output (stdout), $stderr, ${lines[@]}, ${stderr_lines[@]}.
#   is ACTUAL REGEX [WHAT]  fail unless ACTUAL matches REGEX as a whole (ERE, may span lines).
#   requires FEATURE…       skip, saying why, unless the machine has it: userns, subuid,
#                           nosubuid, fuse, tty.
#   die MESSAGE             fail the test with MESSAGE.
#   wait_for_output, wait_for_exit, assert_nothing_left: for containers run in the background.

BURROW=${BURROW:-burrow}
BURROW_TIMEOUT=${BURROW_TIMEOUT:-60}
BURROW_SOURCE_DIR=${BURROW_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# The default capabilities (DESIGN.md, as podman): CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4,
# KILL 5, SETGID 6, SETUID 7, SETPCAP 8, NET_BIND_SERVICE 10, SYS_CHROOT 18, SETFCAP 31.
DEFAULT_CAP_BITS=(0 1 3 4 5 6 7 8 10 18 31)

################################################################################
# setup and teardown

# Called by the default setup_file: builds the file's root filesystem once.
burrow_setup_file() {
    export ROOTFS=$BATS_FILE_TMPDIR/rootfs
    if [[ ! -d $ROOTFS ]]; then
        "$BURROW_SOURCE_DIR/tests/system/lib/mkrootfs.sh" "$ROOTFS" >&2
    fi
}

# Called by the default setup: isolates the test's state from the user's and from other tests.
burrow_setup() {
    export XDG_DATA_HOME=$BATS_TEST_TMPDIR/data
    export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/config
    export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
    mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
    chmod 0700 "$XDG_RUNTIME_DIR"
    _BURROW_OPTS=(--root "$BATS_TEST_TMPDIR/root" --runroot "$BATS_TEST_TMPDIR/runroot")
    # A marker no other test uses: name it in a container's command line to find its processes.
    MARKER=burrow-test-$$-$BATS_TEST_NUMBER-$RANDOM
    _MOUNTS_BEFORE=$(mount_snapshot)
}

# For the image tests: builds the images of lib/mkimage.sh once for the file, in $IMAGES.
burrow_setup_images() {
    export IMAGES=$BATS_FILE_TMPDIR/images
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$IMAGES" >&2
}

# Called by the default teardown: the store holds files owned by subordinate ids, which only
# root of the user namespace can remove.
burrow_teardown() {
    local dir
    for dir in "$BATS_TEST_TMPDIR/root" "$BATS_TEST_TMPDIR/runroot"; do
        if [[ -d $dir ]]; then
            "$BURROW" unshare rm -rf "$dir" >/dev/null 2>&1 || true
        fi
    done
}

setup_file() {
    burrow_setup_file
}

setup() {
    burrow_setup
}

teardown() {
    burrow_teardown
}

################################################################################
# running burrow

# The options every burrow command of this test gets (for commands built by hand).
burrow_opts() {
    printf '%q ' "${_BURROW_OPTS[@]}"
}

run_burrow() {
    local expected_rc=0
    case ${1:-} in
    '?')
        expected_rc=
        shift
        ;;
    [0-9] | [0-9][0-9] | [0-9][0-9][0-9])
        expected_rc=$1
        shift
        ;;
    esac

    local errfile=$BATS_TEST_TMPDIR/.run_burrow.stderr
    local cmd
    cmd="burrow $(printf '%q ' "$@")"
    echo "\$ $cmd"
    status=0
    # --foreground keeps burrow in the terminal's process group (for -t under script).
    output=$(timeout --foreground --kill-after=10 "$BURROW_TIMEOUT" \
        "$BURROW" "${_BURROW_OPTS[@]}" "$@" 2>"$errfile") || status=$?
    stderr=$(<"$errfile")
    lines=()
    stderr_lines=()
    if [[ -n $output ]]; then
        mapfile -t lines <<<"$output"
    fi
    if [[ -n $stderr ]]; then
        mapfile -t stderr_lines <<<"$stderr"
    fi
    [[ -z $output ]] || echo "$output"
    [[ -z $stderr ]] || echo "[stderr] $stderr"

    if [[ $status -eq 124 ]]; then
        die "timed out after ${BURROW_TIMEOUT}s: $cmd"
    fi
    if [[ -n $expected_rc && $status -ne $expected_rc ]]; then
        die "exit code is $status; expected $expected_rc
command: $cmd
stdout:  $output
stderr:  $stderr"
    fi
}

################################################################################
# assertions

die() {
    echo "#/vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" >&2
    echo "#| FAIL: $*" >&2
    echo "#\\^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^" >&2
    false
}

is() {
    local actual=$1 expected=$2 what=${3:-value}
    local re="^(${expected})\$"
    if [[ $actual =~ $re ]]; then
        return 0
    fi
    die "$what
#| expected: /$expected/
#| actual:   '$actual'"
}

# Burrow's own failure: exactly one line on stderr, `Error: …`, matching REGEX after "Error: ".
is_one_error_line() {
    local regex=${1:-.+}
    if [[ ${#stderr_lines[@]} -ne 1 ]]; then
        die "expected one line on stderr, got ${#stderr_lines[@]}:
$stderr"
    fi
    is "$stderr" "Error: ($regex)" "the error line"
}

# Nothing of this test is left behind: no process whose command line holds MARKER (default: the
# test's $MARKER) and no mount added to or removed from the host's mount table.
assert_nothing_left() {
    local marker=${1:-$MARKER}
    local procs
    # A dying container's last process can take a moment to be reaped.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        procs=$(pgrep -a -u "$(id -u)" -f -- "$marker" || true)
        [[ -n $procs ]] || break
        sleep 0.2
    done
    if [[ -n $procs ]]; then
        die "processes left behind:
$procs"
    fi
    local now
    now=$(mount_snapshot)
    if [[ $now != "$_MOUNTS_BEFORE" ]]; then
        die "the host's mount table changed:
$(diff <(echo "$_MOUNTS_BEFORE") <(echo "$now"))"
    fi
}

# The host's mounts as seen by this test: mount point, file system type and source.
mount_snapshot() {
    awk '{ for (i = 7; $i != "-"; i++) {}; print $5, $(i + 1), $(i + 2) }' /proc/self/mountinfo | sort
}

# The value of FIELD in /proc/self/status inside a container, e.g. `status_field CapEff` after
# run_burrow … cat /proc/self/status.
status_field() {
    local field=$1
    awk -v f="$field:" '$1 == f { print $2 }' <<<"$output"
}

# A capability mask as /proc/PID/status prints it, from bit numbers.
cap_mask() {
    local mask=0 bit
    for bit in "$@"; do
        mask=$((mask | (1 << bit)))
    done
    printf '%016x\n' "$mask"
}

default_cap_mask() {
    cap_mask "${DEFAULT_CAP_BITS[@]}"
}

# Every capability the running kernel knows: what a user namespace's root may hold.
full_cap_mask() {
    local last
    last=$(</proc/sys/kernel/cap_last_cap)
    printf '%016x\n' $(((1 << (last + 1)) - 1))
}

# Waits until FILE holds a line matching REGEX; fails after SECONDS (default 20).
wait_for_output() {
    local regex=$1 file=$2 seconds=${3:-20}
    local deadline=$((SECONDS + seconds))
    while ! grep -qE -- "$regex" "$file" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            die "timed out after ${seconds}s waiting for /$regex/ in $file:
$(cat "$file" 2>/dev/null)"
        fi
        sleep 0.1
    done
}

# Waits at most SECONDS (default 30) for the background job PID to exit and sets $wait_rc to
# its exit code. On timeout, kills it and every process of the user whose command line matches
# PATTERN (default: $MARKER), and fails, showing OUTFILE (the job's output) when given.
wait_for_exit() {
    local pid=$1 seconds=${2:-30} pattern=${3:-$MARKER} outfile=${4:-}
    local deadline=$((SECONDS + seconds)) state
    while state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) && [[ $state != Z ]]; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            pkill -KILL -u "$(id -u)" -f -- "$pattern" || true
            wait "$pid" || true
            die "process $pid did not exit within ${seconds}s${outfile:+; its output:
$(cat "$outfile")}"
        fi
        sleep 0.1
    done
    wait_rc=0
    wait "$pid" || wait_rc=$?
}

################################################################################
# what the machine has

# The first subordinate range of the calling user in FILE (/etc/subuid or /etc/subgid), as
# "START COUNT"; nothing when there is none.
subid_range() {
    local file=$1 name uid
    name=$(id -un)
    uid=$(id -u)
    [[ -r $file ]] || return 0
    awk -F: -v n="$name" -v u="$uid" '($1 == n || $1 == u) && $3 > 0 { print $2, $3; exit }' "$file"
}

has_subid_ranges() {
    [[ -n $(subid_range /etc/subuid) && -n $(subid_range /etc/subgid) ]] &&
        command -v newuidmap >/dev/null && command -v newgidmap >/dev/null
}

requires() {
    local feature
    for feature in "$@"; do
        case $feature in
        userns)
            if ! unshare --user true 2>/dev/null; then
                skip "this machine does not let an unprivileged user create a user namespace (unshare -U fails; see 'burrow info')"
            fi
            ;;
        subuid)
            if ! has_subid_ranges; then
                skip "$(id -un) has no range in /etc/subuid and /etc/subgid, or newuidmap/newgidmap are missing"
            fi
            ;;
        nosubuid)
            if [[ -n $(subid_range /etc/subuid) ]]; then
                skip "$(id -un) has a range in /etc/subuid: this file runs as a user without one (.ci/run runs it as burrownosub)"
            fi
            ;;
        fuse)
            if [[ ! -r /dev/fuse || ! -w /dev/fuse ]] || ! command -v fuse-overlayfs >/dev/null; then
                skip "/dev/fuse is not usable by $(id -un) or fuse-overlayfs is missing"
            fi
            ;;
        tty)
            if ! command -v script >/dev/null; then
                skip "script(1) from util-linux is needed to give burrow a terminal"
            fi
            ;;
        *)
            die "requires: unknown feature '$feature'"
            ;;
        esac
    done
}
