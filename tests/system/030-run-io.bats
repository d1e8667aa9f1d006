#!/usr/bin/env bats
# burrow run: terminals (-t), standard input (-i), file descriptors and signals.

# Containers run shell code in single quotes; the helpers set ROOTFS, stderr and stderr_lines.
# shellcheck disable=SC2016,SC2153,SC2154

load helpers

# Runs the shell command CMD in a new pseudo-terminal (script(1)); sets $status and $output
# (with the terminal's \r removed).
run_in_pty() {
    local cmd=$1
    echo "\$ script -qec '$cmd' /dev/null"
    status=0
    output=$(timeout --kill-after=10 "$BURROW_TIMEOUT" script -qec "$cmd" /dev/null </dev/null) || status=$?
    output=${output//$'\r'/}
    lines=()
    if [[ -n $output ]]; then
        mapfile -t lines <<<"$output"
    fi
    echo "$output"
    if [[ $status -eq 124 ]]; then
        die "timed out after ${BURROW_TIMEOUT}s: $cmd"
    fi
}

# The burrow command line, quoted for a shell: `$(burrow_cmd) run …`.
burrow_cmd() {
    printf '%q ' "$BURROW" "${_BURROW_OPTS[@]}"
}

@test "io: -t gives the container a pty of its own with the terminal's size" {
    requires userns tty
    run_in_pty "stty rows 33 cols 101; $(burrow_cmd) run -t --rootfs $(printf %q "$ROOTFS") sh -c 'tty; stty size; ls /proc/self/fd'"
    is "$status" 0 "exit code"
    is "${lines[0]}" /dev/pts/0 "tty: the first pty of a new devpts instance"
    is "${lines[1]}" "33 101" "stty size: the window size of the outer terminal"
    is "${lines[2]}" "0 *1 *2 *3" "open fds: 0, 1, 2 and ls's own"
}

@test "io: -t restores the host terminal, also when burrow fails" {
    requires userns tty
    local r d
    r=$(printf %q "$ROOTFS")
    d=$(printf %q "$BATS_TEST_TMPDIR")
    run_in_pty "cd $d; stty -g > before; $(burrow_cmd) run -t --rootfs $r true; stty -g > after-ok; $(burrow_cmd) run -t --rootfs $r --user no-such-user true; stty -g > after-error; $(burrow_cmd) run -t --rootfs $r sh -c 'exit 3'; stty -g > after-exit"
    local f
    for f in after-ok after-error after-exit; do
        is "$(cat "$BATS_TEST_TMPDIR/$f")" "$(cat "$BATS_TEST_TMPDIR/before")" "terminal settings, $f"
    done
}

@test "io: -t follows the terminal's size on SIGWINCH" {
    requires userns tty
    run_in_pty "stty rows 33 cols 101; $(burrow_cmd) run -t --rootfs $(printf %q "$ROOTFS") sh -c 'stty size; sleep 2; stty size' </dev/tty & sleep 1; stty rows 40 cols 120; wait"
    is "${lines[0]}" "33 101" "size at start"
    is "${lines[1]}" "40 120" "size after the outer terminal was resized"
}

@test "io: -it runs an interactive shell" {
    requires userns tty
    local input=$BATS_TEST_TMPDIR/input
    printf 'echo "typed $((6 * 7))"\nexit 5\n' >"$input"
    run_in_pty "$(burrow_cmd) run -it --rootfs $(printf %q "$ROOTFS") sh < $(printf %q "$input")"
    is "$status" 5 "exit code of the shell"
    is "$output" ".*typed 42.*" "the shell ran the typed command"
}

@test "io: without -t there is no tty" {
    requires userns
    run_burrow 1 run --rootfs "$ROOTFS" tty
    is "$output" "not a tty" "tty"
    run_burrow run --rootfs "$ROOTFS" ls /proc/self/fd
    is "$output" "0
1
2
3" "open fds: 0, 1, 2 and ls's own"
}

@test "io: stdin is closed without -i" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" cat <<<"hi"
    is "$output" "" "cat read nothing"
    run_burrow run --rootfs "$ROOTFS" sh -c 'read -r line; echo "rc=$?"' <<<"hi"
    is "$output" "rc=1" "read gets EOF at once"
}

@test "io: -i passes stdin" {
    requires userns
    run_burrow run -i --rootfs "$ROOTFS" cat <<<"hi"
    is "$output" hi "cat read stdin"

    local data=$BATS_TEST_TMPDIR/stdin-data
    head -c 4000000 /dev/urandom >"$data"
    run_burrow run --interactive --rootfs "$ROOTFS" md5sum <"$data"
    is "$output" "$(md5sum <"$data" | cut -d' ' -f1) +-" "4 MB through stdin, unchanged"
}

@test "io: stdout carries binary data unchanged" {
    requires userns
    local out=$BATS_TEST_TMPDIR/out
    timeout "$BURROW_TIMEOUT" "$BURROW" "${_BURROW_OPTS[@]}" run --rootfs "$ROOTFS" cat /bin/busybox >"$out"
    is "$(md5sum <"$out" | cut -d' ' -f1)" "$(md5sum <"$ROOTFS/bin/busybox" | cut -d' ' -f1)" "checksum of busybox written to stdout"
}

# Starts a container that traps SIG and exits 7 when it arrives; sends SIG to burrow.
forward_signal() {
    local sig=$1
    local out=$BATS_TEST_TMPDIR/out-$sig
    # A shell's background job starts with SIGINT and SIGQUIT ignored: give burrow the defaults,
    # as a terminal would (inherited dispositions have a test of their own below).
    env --default-signal "$BURROW" "${_BURROW_OPTS[@]}" run --rootfs "$ROOTFS" \
        sh -c "trap 'echo got $sig; exit 7' $sig; echo ready; while :; do sleep 0.1; done # $MARKER" \
        >"$out" 2>&1 3>&- &
    local pid=$!
    wait_for_output '^ready$' "$out"
    kill -s "$sig" "$pid"
    wait_for_exit "$pid" 20 "$MARKER" "$out"
    is "$wait_rc" 7 "burrow's exit code after SIG$sig"
    is "$(cat "$out")" "ready
got $sig" "the container's output"
}

@test "io: the container's process starts with no signal blocked or ignored" {
    requires userns
    # burrow itself may be started with signals ignored (nohup, a shell's background job) and
    # blocks some while it works: none of that reaches the container, as with docker and podman.
    local wrapper=$BATS_TEST_TMPDIR/burrow-ignoring
    printf '#!/bin/bash\ntrap "" INT QUIT HUP USR1\nexec %q "$@"\n' "$BURROW" >"$wrapper"
    chmod +x "$wrapper"
    BURROW=$wrapper run_burrow run --rootfs "$ROOTFS" grep -E '^Sig(Blk|Ign):' /proc/self/status
    is "${lines[0]}" "SigBlk:[[:space:]]+0000000000000000" "blocked signals"
    is "${lines[1]}" "SigIgn:[[:space:]]+0000000000000000" "ignored signals"
}

@test "io: SIGTERM to burrow reaches the container" {
    requires userns
    forward_signal TERM
    assert_nothing_left
}

@test "io: SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 reach the container" {
    requires userns
    local sig
    for sig in INT HUP QUIT USR1 USR2; do
        forward_signal "$sig"
    done
    assert_nothing_left
}
