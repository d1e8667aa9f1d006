#!/usr/bin/env bats
# How burrow reads its command line: "--", unknown flags and commands, host namespaces, groups and
# the resource flags that cannot be enforced here.

# shellcheck disable=SC2016,SC2153,SC2154

load helpers

@test "flags: \"--\" ends run's flags; what follows is the command, dashes included" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" -- echo -n -e 'a\tb'
    is "$output" "$(printf 'a\tb')" "echo got its own flags"
    run_burrow run --rootfs "$ROOTFS" -e X=1 -- sh -c 'echo X=$X'
    is "$output" "X=1" "flags before -- still apply"
    run_burrow run --rootfs "$ROOTFS" echo -- kept
    is "$output" "-- kept" "a -- after the command's first word belongs to the command"
}

@test "flags: an unknown flag of run is an error, not a command" {
    run_burrow 125 run --rootfs "$ROOTFS" --no-such-flag true
    is_one_error_line "unknown flag: --no-such-flag"
}

@test "flags: an unknown command is named" {
    run_burrow 125 no-such-command
    is_one_error_line ".*unrecognized command .burrow no-such-command.*"
}

@test "flags: --pid host sees the host's processes" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --pid host sh -c 'test -d /proc/1 && echo $$'
    [[ $output -gt 1 ]] || die "the shell is not pid 1 with --pid host: '$output'"
    run_burrow run --rootfs "$ROOTFS" sh -c 'echo $$'
    is "$output" "1" "own pid namespace by default"
}

@test "flags: --uts host keeps the host's name; --ipc host runs" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --uts host hostname
    is "$output" "$(hostname)" "the host's name"
    run_burrow 125 run --rootfs "$ROOTFS" --uts host --hostname x true
    is_one_error_line ".*--hostname.*--uts host.*"
    run_burrow run --rootfs "$ROOTFS" --ipc host true
    run_burrow 125 run --rootfs "$ROOTFS" --ipc shareable-typo true
    is_one_error_line ".*--ipc.*"
}

@test "flags: --group-add adds supplementary groups by name and number" {
    requires userns subuid
    run_burrow run --rootfs "$ROOTFS" --user 1000:1000 --group-add audio --group-add 4242 id -G
    is "$output" "1000 29 4242" "primary, then the added groups"
    run_burrow 125 run --rootfs "$ROOTFS" --group-add no-such-group true
    is_one_error_line ".*no-such-group.*"
}

@test "flags: resource limits that cannot be enforced warn once and the container runs" {
    requires userns
    if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
        skip "this host has cgroup v2: the limits may be enforced here"
    fi
    for flags in "--cpus 1.5" "--pids-limit 100" "-m 64m" "-c 512" "--cpus 1 -m 1g --pids-limit 5"; do
        # shellcheck disable=SC2086
        run_burrow run --rootfs "$ROOTFS" $flags echo ran
        is "$output" "ran" "the container ran with $flags"
        local warns
        warns=$(grep -c "resource limits are not enforced" <<<"$stderr")
        is "$warns" "1" "one warning with $flags"
    done
    run_burrow 125 run --rootfs "$ROOTFS" --cpus lots true
    is_one_error_line ".*--cpus.*"
    run_burrow 125 run --rootfs "$ROOTFS" -m 12q true
    is_one_error_line ".*--memory.*"
}
