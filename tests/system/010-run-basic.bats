#!/usr/bin/env bats
# burrow run --rootfs: exit codes, ids, the container's view of the system, mounts, environment,
# limits, and bad input.

# Containers run shell code in single quotes; the helpers set ROOTFS, stderr and stderr_lines.
# shellcheck disable=SC2016,SC2153,SC2154

load helpers

@test "run: echo round trip" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" echo hello from burrow
    is "$output" "hello from burrow" "stdout of echo"
    if has_subid_ranges; then
        is "$stderr" "" "nothing on stderr"
    fi
}

@test "run: stdout and stderr of the container stay apart" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" sh -c 'echo to-stdout; echo to-stderr >&2'
    is "$output" "to-stdout" "stdout"
    is "${stderr_lines[-1]}" "to-stderr" "last line of stderr"
}

@test "run: the container's exit code becomes burrow's" {
    requires userns
    run_burrow 0 run --rootfs "$ROOTFS" true
    run_burrow 1 run --rootfs "$ROOTFS" false
    run_burrow 3 run --rootfs "$ROOTFS" sh -c 'exit 3'
    run_burrow 255 run --rootfs "$ROOTFS" sh -c 'exit 255'
}

@test "run: 126 for a command that is not executable" {
    requires userns
    printf '#!/bin/sh\necho should not run\n' >"$ROOTFS/tmp/not-executable"
    chmod 0644 "$ROOTFS/tmp/not-executable"
    run_burrow 126 run --rootfs "$ROOTFS" /tmp/not-executable
    is "$output" "" "nothing ran"
    is_one_error_line ".*not-executable.*"

    run_burrow 126 run --rootfs "$ROOTFS" /tmp
    is_one_error_line ".*/tmp.*"
    assert_nothing_left
}

@test "run: 127 for a command that does not exist" {
    requires userns
    run_burrow 127 run --rootfs "$ROOTFS" "burrow-no-such-command-$MARKER"
    is_one_error_line ".*burrow-no-such-command.*"
    run_burrow 127 run --rootfs "$ROOTFS" /bin/"burrow-no-such-command-$MARKER"
    is_one_error_line ".*burrow-no-such-command.*"
    assert_nothing_left
}

@test "run: 137 when the container's process is killed with SIGKILL" {
    requires userns
    local out=$BATS_TEST_TMPDIR/out secs=$((100000 + RANDOM))
    "$BURROW" "${_BURROW_OPTS[@]}" run --rootfs "$ROOTFS" sleep "$secs" >"$out" 2>&1 3>&- &
    local burrow_pid=$!

    # The container's pid 1 seen from the host: the process whose command line is that sleep.
    local victim=""
    for _ in $(seq 100); do
        victim=$(pgrep -u "$(id -u)" -x -f "(/bin/)?sleep $secs" || true)
        [[ -z $victim ]] || break
        sleep 0.1
    done
    [[ -n $victim ]] || die "the container's sleep did not start: $(cat "$out")"
    # Signals sent from inside a pid namespace cannot kill its init (pid_namespaces(7)); from
    # the host, SIGKILL does.
    kill -KILL "$victim"
    wait_for_exit "$burrow_pid" 30 "sleep $secs" "$out"
    is "$wait_rc" 137 "burrow's exit code after SIGKILL (128+9)"
    assert_nothing_left "sleep $secs"
}

@test "run: the command is pid 1 of a new pid namespace" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" sh -c 'echo $$'
    is "$output" 1 "pid of the command"

    run_burrow run --rootfs "$ROOTFS" ps -o pid,comm
    is "${lines[1]}" " *1 ps" "the only process is ps, as pid 1"
    is "${#lines[@]}" 2 "ps lists no other process"

    # pid 1 ignores signals it has no handler for, even SIGKILL from inside: as docker and podman.
    run_burrow run --rootfs "$ROOTFS" sh -c 'kill -9 $$; echo still here'
    is "$output" "still here" "pid 1 survives kill -9 from inside"
}

@test "run: uid 0 inside is the user; the subordinate range follows" {
    requires userns subuid
    local uid gid start count
    uid=$(id -u)
    gid=$(id -g)
    run_burrow run --rootfs "$ROOTFS" sh -c 'id -u; id -g; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map'
    is "${lines[0]}" 0 "uid inside"
    is "${lines[1]}" 0 "gid inside"
    is "${lines[2]}" " *0 +$uid +1" "first line of uid_map"
    read -r start count <<<"$(subid_range /etc/subuid)"
    is "${lines[3]}" " *1 +$start +$count" "second line of uid_map: the subordinate range"
    local sep
    for sep in "${!lines[@]}"; do
        [[ ${lines[$sep]} != -- ]] || break
    done
    is "${lines[$((sep + 1))]}" " *0 +$gid +1" "first line of gid_map"
    read -r start count <<<"$(subid_range /etc/subgid)"
    is "${lines[$((sep + 2))]}" " *1 +$start +$count" "second line of gid_map"
}

@test "run: --user uid:gid" {
    requires userns subuid
    run_burrow run --rootfs "$ROOTFS" --user 1000:1000 id
    is "$output" "uid=1000\(user\) gid=1000\(user\)( groups=.*)?" "id as 1000:1000"

    run_burrow run --rootfs "$ROOTFS" --user 1000:1000 sh -c 'id -u; id -g'
    is "$output" "1000
1000" "uid and gid"

    run_burrow run --rootfs "$ROOTFS" -u 65534:65534 id -u
    is "$output" 65534 "uid with -u"

    run_burrow run --rootfs "$ROOTFS" --user 1000 id -g
    is "$output" 1000 "gid from the rootfs' /etc/passwd when only a uid is given"
}

@test "run: --user NAME looks the user up in the rootfs, with supplementary groups" {
    requires userns subuid
    run_burrow run --rootfs "$ROOTFS" --user user id
    is "$output" "uid=1000\(user\) gid=1000\(user\) groups=.*" "id as user"
    is "$output" ".*29\(audio\).*" "supplementary group audio"
    is "$output" ".*100\(users\).*" "supplementary group users"

    run_burrow run --rootfs "$ROOTFS" --user user sh -c 'echo $HOME'
    is "$output" /home/user "HOME of user"

    run_burrow run --rootfs "$ROOTFS" --user nobody id -u
    is "$output" 65534 "uid of nobody"
}

@test "run: --user NAME reads the rootfs' /etc/passwd, never a host file through a symlink" {
    requires userns subuid
    local rootfs=$BATS_TEST_TMPDIR/rootfs-symlink
    "$BURROW_SOURCE_DIR/tests/system/lib/mkrootfs.sh" "$rootfs"
    # The same absolute path names a file on the host (user = 4242) and one in the rootfs
    # (user = 1000): the link must be resolved inside the rootfs.
    local pw=$BATS_TEST_TMPDIR/passwd
    echo "user:x:4242:4242:host:/:/bin/sh" >"$pw"
    mkdir -p "$rootfs$(dirname "$pw")"
    mv "$rootfs/etc/passwd" "$rootfs$pw"
    ln -s "$pw" "$rootfs/etc/passwd"
    run_burrow run --rootfs "$rootfs" --user user id -u
    is "$output" 1000 "uid of user, from the rootfs"
}

@test "run: hostname is the short container id, or --hostname" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" hostname
    is "$output" "[0-9a-f]{12}" "default hostname"

    run_burrow run --rootfs "$ROOTFS" --hostname foo sh -c 'hostname; cat /proc/sys/kernel/hostname'
    is "$output" "foo
foo" "--hostname"
    [[ $(hostname) != foo ]] || die "the host's hostname changed"
}

@test "run: --network none has only lo, and it is up" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --network none sh -c 'ls /sys/class/net; ip -o link show'
    is "${lines[0]}" lo "/sys/class/net"
    is "${#lines[@]}" 2 "one interface"
    is "${lines[1]}" "1: lo: <LOOPBACK,UP,LOWER_UP>.*" "ip link: lo is up"
}

@test "run: --network host sees the host's interfaces" {
    requires userns
    local host_ifaces
    host_ifaces=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort)
    run_burrow run --rootfs "$ROOTFS" --network host ip -o link show
    local inside
    inside=$(awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' <<<"$output" | sort)
    is "$inside" "$host_ifaces" "interfaces inside"
}

@test "run: -v HOSTDIR:CTR bind mount, read and write" {
    requires userns
    local dir=$BATS_TEST_TMPDIR/vol
    mkdir "$dir"
    echo from-host >"$dir/host-file"
    run_burrow run --rootfs "$ROOTFS" -v "$dir:/data" sh -c 'cat /data/host-file; echo from-container > /data/new-file'
    is "$output" from-host "host file read inside"
    is "$(cat "$dir/new-file")" from-container "file written inside, read on the host"
    is "$(stat -c %u:%g "$dir/new-file")" "$(id -u):$(id -g)" "owner on the host"

    run_burrow run --rootfs "$ROOTFS" --volume "$dir:/data" cat /data/new-file
    is "$output" from-container "--volume"
}

@test "run: -v HOSTDIR:CTR:ro refuses writes" {
    requires userns
    local dir=$BATS_TEST_TMPDIR/vol
    mkdir "$dir"
    echo from-host >"$dir/host-file"
    run_burrow 1 run --rootfs "$ROOTFS" -v "$dir:/data:ro" sh -c 'cat /data/host-file; touch /data/new-file'
    is "${lines[0]}" from-host "read works"
    is "$stderr" ".*Read-only file system.*" "write fails"
    [[ ! -e $dir/new-file ]] || die "a file was created through a read-only volume"
}

@test "run: --read-only root, with --tmpfs for scratch space" {
    requires userns
    run_burrow 1 run --rootfs "$ROOTFS" --read-only touch /new-file
    is "$stderr" ".*Read-only file system.*" "writing to the root"
    [[ ! -e $ROOTFS/new-file ]] || die "file created in a read-only root"

    run_burrow run --rootfs "$ROOTFS" --read-only --tmpfs /tmp sh -c 'touch /tmp/x && echo ok'
    is "$output" ok "--tmpfs on a read-only root is writable"
}

@test "run: --tmpfs PATH mounts an empty tmpfs" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --tmpfs /scratch sh -c 'awk "\$2 == \"/scratch\" { print \$3 }" /proc/mounts; ls -A /scratch; echo data > /scratch/f && cat /scratch/f'
    is "$output" "tmpfs
data" "/scratch is an empty, writable tmpfs"
    [[ ! -e $ROOTFS/scratch/f ]] || die "the file went to the rootfs"
}

@test "run: -e, --env and --env-file" {
    requires userns
    export BURROW_TEST_FROM_HOST=host-value
    run_burrow run --rootfs "$ROOTFS" -e FOO=bar --env "SPACED=a b  c" -e BURROW_TEST_FROM_HOST \
        sh -c 'echo "$FOO|$SPACED|$BURROW_TEST_FROM_HOST"'
    is "$output" "bar\|a b  c\|host-value" "variables set with -e"

    local envfile=$BATS_TEST_TMPDIR/env
    cat >"$envfile" <<'EOF'
# a comment
FROM_FILE=file-value

WITH_EQUALS=a=b
EMPTY=
EOF
    run_burrow run --rootfs "$ROOTFS" --env-file "$envfile" sh -c 'echo "$FROM_FILE|$WITH_EQUALS|${EMPTY-unset}"'
    is "$output" "file-value\|a=b\|" "variables from --env-file"

    run_burrow run --rootfs "$ROOTFS" sh -c 'echo "$PATH|$HOME"'
    is "$output" "(.*:)?/bin(:.*)?\|/root" "default PATH and HOME"
}

@test "run: -w and --workdir" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" -w /tmp pwd
    is "$output" /tmp "-w"
    run_burrow run --rootfs "$ROOTFS" --workdir /etc pwd
    is "$output" /etc "--workdir"
    run_burrow run --rootfs "$ROOTFS" pwd
    is "$output" / "default working directory"
}

@test "run: --ulimit nofile=SOFT:HARD" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --ulimit nofile=100:200 sh -c 'ulimit -n; ulimit -Hn'
    is "$output" "100
200" "soft and hard nofile limits"
}

@test "run: -c and --memory warn once that the limit is not enforced, and run" {
    requires userns
    if [[ -f /sys/fs/cgroup/cgroup.controllers && -w /sys/fs/cgroup/$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup) ]]; then
        skip "this user owns a delegated cgroup v2 subtree: burrow may enforce limits here"
    fi
    local opt
    for opt in "-c 512" "--cpu-shares 512" "--memory 64m" "-m 64m"; do
        # shellcheck disable=SC2086 # $opt holds a flag and its value
        run_burrow run --rootfs "$ROOTFS" $opt echo ran
        is "$output" ran "$opt: the container ran"
        local warnings
        # (a user without a subordinate range also gets the single-id warning)
        warnings=$(grep -iE 'warn' <<<"$stderr" | grep -cvE 'subuid|subgid' || true)
        is "$warnings" 1 "$opt: one warning line"
        is "$stderr" "(.*[^[:alnum:]])?(WARN|warn|Warn).*(limit|enforc|cgroup).*" "$opt: the warning says the limit is not enforced"
    done
}

################################################################################
# bad input: rc 125 (126, 127), one line `Error: …`, nothing left behind

@test "run: a missing rootfs" {
    requires userns
    run_burrow 125 run --rootfs "$BATS_TEST_TMPDIR/no-such-dir" sh -c "echo $MARKER"
    is_one_error_line ".*no-such-dir.*"
    assert_nothing_left
}

@test "run: a rootfs that is a file" {
    requires userns
    echo not-a-dir >"$BATS_TEST_TMPDIR/rootfs-file"
    run_burrow 125 run --rootfs "$BATS_TEST_TMPDIR/rootfs-file" sh -c "echo $MARKER"
    is_one_error_line ".*rootfs-file.*"
    assert_nothing_left
}

@test "run: an unknown user name" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS" --user no-such-user sh -c "echo $MARKER"
    is_one_error_line ".*no-such-user.*"
    is "$output" "" "nothing ran"
    assert_nothing_left
}

@test "run: a bad --ulimit" {
    requires userns
    local bad
    for bad in nofile=abc no-such-limit=1:2 nofile nofile=200:100; do
        run_burrow 125 run --rootfs "$ROOTFS" --ulimit "$bad" sh -c "echo $MARKER"
        is_one_error_line ".*"
        is "$output" "" "--ulimit $bad: nothing ran"
    done
    assert_nothing_left
}

@test "run: a bad --network" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS" --network no-such-network sh -c "echo $MARKER"
    is_one_error_line ".*no-such-network.*"
    is "$output" "" "nothing ran"
    assert_nothing_left
}

@test "run: a missing --env-file or volume source" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS" --env-file "$BATS_TEST_TMPDIR/no-such-env" sh -c "echo $MARKER"
    is_one_error_line ".*no-such-env.*"
    run_burrow 125 run --rootfs "$ROOTFS" -v "$BATS_TEST_TMPDIR/no-such-dir:/data" sh -c "echo $MARKER"
    is_one_error_line ".*no-such-dir.*"
    assert_nothing_left
}

@test "run: no command" {
    requires userns
    run_burrow 125 run --rootfs "$ROOTFS"
    is_one_error_line ".*"
}
