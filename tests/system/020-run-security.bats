#!/usr/bin/env bats
# burrow run: capabilities, seccomp, no_new_privs, masked and read-only paths, --privileged.

# Containers run shell code in single quotes; the helpers set ROOTFS, stderr and stderr_lines.
# shellcheck disable=SC2016,SC2153,SC2154

load helpers

status_of() {
    run_burrow run --rootfs "$ROOTFS" "$@" cat /proc/self/status
}

@test "security: the default capabilities, in every set of root" {
    requires userns
    status_of
    local want
    want=$(default_cap_mask)
    is "$(status_field CapEff)" "$want" "CapEff = CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT"
    is "$(status_field CapPrm)" "$want" "CapPrm"
    is "$(status_field CapBnd)" "$want" "CapBnd"
    is "$(status_field CapAmb)" 0000000000000000 "CapAmb"
}

@test "security: a non-root --user has no capabilities" {
    requires userns subuid
    status_of --user 1000:1000
    is "$(status_field CapEff)" 0000000000000000 "CapEff"
    is "$(status_field CapPrm)" 0000000000000000 "CapPrm"
    is "$(status_field CapInh)" 0000000000000000 "CapInh"
    is "$(status_field CapAmb)" 0000000000000000 "CapAmb"
    is "$(status_field CapBnd)" "$(default_cap_mask)" "CapBnd: the default set bounds what setuid programs could get"
    is "$(status_field Seccomp)" 2 "the seccomp filter applies to a non-root user too"
}

@test "security: --cap-drop and --cap-add" {
    requires userns
    status_of --cap-drop ALL
    is "$(status_field CapEff)" 0000000000000000 "CapEff after --cap-drop ALL"
    is "$(status_field CapBnd)" 0000000000000000 "CapBnd after --cap-drop ALL"

    status_of --cap-add SYS_ADMIN
    is "$(status_field CapEff)" "$(cap_mask "${DEFAULT_CAP_BITS[@]}" 21)" "CapEff after --cap-add SYS_ADMIN (bit 21)"

    status_of --cap-add CAP_NET_RAW --cap-drop CHOWN
    is "$(status_field CapEff)" "$(cap_mask 1 3 4 5 6 7 8 10 13 18 31)" "CapEff after --cap-add CAP_NET_RAW --cap-drop CHOWN"

    status_of --cap-drop ALL --cap-add KILL
    is "$(status_field CapEff)" "$(cap_mask 5)" "CapEff after --cap-drop ALL --cap-add KILL"
}

@test "security: a capability is what lets root mount" {
    requires userns
    run_burrow 1 run --rootfs "$ROOTFS" mount -t tmpfs x /mnt
    is "$stderr" ".*(Operation not permitted|[Pp]ermission denied).*" "mount without CAP_SYS_ADMIN"

    run_burrow run --rootfs "$ROOTFS" --cap-add SYS_ADMIN sh -c 'mount -t tmpfs x /mnt && awk "\$2 == \"/mnt\" { print \$3 }" /proc/mounts'
    is "$output" tmpfs "mount with --cap-add SYS_ADMIN"
}

@test "security: a bad capability name" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS" --cap-add NO_SUCH_CAP sh -c "echo $MARKER"
    is_one_error_line ".*NO_SUCH_CAP.*"
    is "$output" "" "nothing ran"
    run_burrow 125 run --rootfs "$ROOTFS" --cap-drop CAP_BOGUS sh -c "echo $MARKER"
    is_one_error_line ".*CAP_BOGUS.*"
    assert_nothing_left
}

@test "security: the default seccomp filter is on" {
    requires userns
    local host_filters
    host_filters=$(awk '$1 == "Seccomp_filters:" { print $2 }' /proc/self/status)
    status_of
    is "$(status_field Seccomp)" 2 "Seccomp (2 = filter)"
    is "$(status_field Seccomp_filters)" "$((host_filters + 1))" "Seccomp_filters: one more than the host's"
}

@test "security: a syscall the default profile forbids fails; unconfined it works" {
    requires userns
    # personality(ADDR_NO_RANDOMIZE) is outside the values the containers/common profile allows
    # (0, 8, 0x20000, 0x20008, 0xffffffff) and needs no privilege, so only seccomp stops it.
    run_burrow 1 run --rootfs "$ROOTFS" linux64 -R true
    is "$stderr" ".*Function not implemented.*" "personality(ADDR_NO_RANDOMIZE) under the default profile: ENOSYS"

    run_burrow run --rootfs "$ROOTFS" --security-opt seccomp=unconfined linux64 -R true

    status_of --security-opt seccomp=unconfined
    is "$(status_field Seccomp)" 0 "Seccomp with seccomp=unconfined"
}

@test "security: --security-opt seccomp=PROFILE.json, in the containers' format" {
    requires userns
    local profile=$BATS_TEST_TMPDIR/profile.json
    cat >"$profile" <<'EOF'
{
    "defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [
        {
            "names": ["mkdir", "mkdirat"],
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": 13
        }
    ]
}
EOF
    run_burrow 1 run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" mkdir /tmp/newdir
    is "$stderr" ".*Permission denied.*" "mkdir fails with the profile's errno (EACCES)"
    run_burrow run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" sh -c 'touch /tmp/newfile && echo ok'
    is "$output" ok "other syscalls pass"
    # personality is allowed by this profile's default action
    run_burrow run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" linux64 -R true
}

@test "security: a malformed seccomp profile" {
    requires userns
    local profile=$BATS_TEST_TMPDIR/bad-profile.json
    echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [' >"$profile"
    run_burrow 125 run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" sh -c "echo $MARKER"
    is_one_error_line ".*bad-profile.json.*"
    is "$output" "" "nothing ran"

    echo '{"defaultAction": "SCMP_ACT_NO_SUCH_ACTION"}' >"$profile"
    run_burrow 125 run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" sh -c "echo $MARKER"
    is_one_error_line ".*"

    echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_syscall"], "action": "SCMP_ACT_ERRNO"}]}' >"$profile"
    run_burrow '?' run --rootfs "$ROOTFS" --security-opt "seccomp=$profile" sh -c "echo $MARKER"
    # containers/common skips syscalls the kernel or libseccomp does not know; burrow may too.
    [[ $status -eq 0 || $status -eq 125 ]] || die "unknown syscall name: rc $status"

    run_burrow 125 run --rootfs "$ROOTFS" --security-opt "seccomp=$BATS_TEST_TMPDIR/no-such-profile.json" sh -c "echo $MARKER"
    is_one_error_line ".*no-such-profile.json.*"

    run_burrow 125 run --rootfs "$ROOTFS" --security-opt no-such-option sh -c "echo $MARKER"
    is_one_error_line ".*no-such-option.*"
    assert_nothing_left
}

@test "security: NoNewPrivs only with --security-opt no-new-privileges" {
    requires userns
    local host_nnp
    host_nnp=$(awk '$1 == "NoNewPrivs:" { print $2 }' /proc/self/status)
    status_of --security-opt no-new-privileges
    is "$(status_field NoNewPrivs)" 1 "NoNewPrivs with no-new-privileges"
    if [[ $host_nnp == 1 ]]; then
        skip "the test runner itself has no_new_privs set"
    fi
    status_of
    is "$(status_field NoNewPrivs)" 0 "NoNewPrivs by default"
    status_of --user 1000:1000
    is "$(status_field NoNewPrivs)" 0 "NoNewPrivs by default, non-root user"
}

@test "security: --privileged has every capability, no seccomp and no masked paths" {
    requires userns
    status_of --privileged
    is "$(status_field CapEff)" "$(full_cap_mask)" "CapEff with --privileged"
    is "$(status_field CapBnd)" "$(full_cap_mask)" "CapBnd with --privileged"
    is "$(status_field Seccomp)" 0 "Seccomp with --privileged"

    run_burrow run --rootfs "$ROOTFS" --privileged sh -c 'ls /sys/firmware | wc -l'
    [[ $output -gt 0 || ! -d /sys/firmware || -z $(ls /sys/firmware) ]] ||
        die "/sys/firmware is empty under --privileged"
}

@test "security: masked paths read as empty" {
    requires userns
    local path
    # Files: empty (a /dev/null bind) or unreadable.
    for path in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
        run_burrow '?' run --rootfs "$ROOTFS" sh -c "test -e $path || exit 0; head -c 64 $path | wc -c"
        if [[ $status -eq 0 ]]; then
            is "$output" "0|" "bytes read from $path"
        fi
    done
    # Directories: empty, or not there at all.
    for path in /sys/firmware /proc/acpi /proc/scsi; do
        run_burrow run --rootfs "$ROOTFS" sh -c "ls -A $path 2>/dev/null | wc -l"
        is "$output" 0 "entries in $path"
    done
    # ... and they stay masked: root cannot unmount the mask (it has no CAP_SYS_ADMIN).
    run_burrow '?' run --rootfs "$ROOTFS" sh -c 'umount /proc/keys; wc -c < /proc/keys'
    is "${lines[-1]}" 0 "/proc/keys after umount"
}

@test "security: /proc/sys is read-only" {
    requires userns
    # The network sysctls of the container's own network namespace belong to its root: only the
    # read-only mount stops the write.
    run_burrow 1 run --rootfs "$ROOTFS" --network none sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    is "$stderr" ".*Read-only file system.*" "write to /proc/sys"
    if [[ -e /proc/sysrq-trigger ]]; then
        run_burrow 1 run --rootfs "$ROOTFS" sh -c 'echo 1 > /proc/sysrq-trigger'
        is "$stderr" ".*(Read-only file system|Permission denied).*" "write to /proc/sysrq-trigger"
    fi

    # The same write with --privileged (no read-only paths): the test can tell.
    run_burrow run --rootfs "$ROOTFS" --privileged --network none sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward && cat /proc/sys/net/ipv4/ip_forward'
    is "$output" 1 "ip_forward written with --privileged"
}

@test "security: /sys is read-only" {
    requires userns
    run_burrow 1 run --rootfs "$ROOTFS" --network none touch /sys/x
    is "$stderr" ".*Read-only file system.*" "creating a file in /sys"
    run_burrow run --rootfs "$ROOTFS" --network none awk '$2 == "/sys" { print $4 }' /proc/mounts
    is "$output" "ro(,.*)?" "/sys mount options"
}

@test "security: --privileged with a non-root user widens only the bounding set" {
    requires userns subuid
    run_burrow run --rootfs "$ROOTFS" --privileged --user 1000:1000 cat /proc/self/status
    is "$(status_field CapEff)" "0000000000000000" "CapEff"
    is "$(status_field CapPrm)" "0000000000000000" "CapPrm"
    is "$(status_field CapAmb)" "0000000000000000" "CapAmb"
    is "$(status_field CapBnd)" "$(full_cap_mask)" "CapBnd"
}

@test "security: the seccomp filter is loaded after the switch of user" {
    requires userns subuid
    # a profile that forbids changing ids must not stop burrow from setting up the container
    printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["setresuid","setresgid","setgroups"],"action":"SCMP_ACT_ERRNO"}]}' \
        >"$BATS_TEST_TMPDIR/no-setid.json"
    run_burrow run --rootfs "$ROOTFS" --user 1000:1000 \
        --security-opt seccomp="$BATS_TEST_TMPDIR/no-setid.json" sh -c 'id -u; grep ^Seccomp: /proc/self/status'
    is "${lines[0]}" "1000" "the container runs as its user"
    is "${lines[1]}" "Seccomp:.2" "with the filter"
}

@test "security: a user id outside the mapping is named as such" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS" --user 99999999 true
    is_one_error_line ".*99999999.*not mapped in the container.*"
    assert_nothing_left
}
