#!/usr/bin/env bats
# burrow run for a user with no range in /etc/subuid and /etc/subgid (as on many HPC nodes): the
# user alone is mapped to root, burrow says so once, and the container runs.
#
# .ci/run runs this file as 'burrownosub', a user without a range; for a user with a range every
# test here skips.

# Containers run shell code in single quotes; the helpers set ROOTFS, stderr and stderr_lines.
# shellcheck disable=SC2016,SC2153,SC2154

load helpers

@test "single-id: one warning about /etc/subuid, and the container runs" {
    requires userns nosubuid
    run_burrow run --rootfs "$ROOTFS" echo hello from burrow
    is "$output" "hello from burrow" "stdout of echo"
    is "${#stderr_lines[@]}" 1 "lines on stderr"
    is "$stderr" "(.*[^[:alnum:]])?(WARN|warn|Warn).*/etc/sub[ug]id.*" "the warning names /etc/subuid"
}

@test "single-id: the user alone is uid 0, setgroups is denied" {
    requires userns nosubuid
    run_burrow run --rootfs "$ROOTFS" sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
    is "${lines[0]}" 0 "uid inside"
    is "${lines[1]}" 0 "gid inside"
    is "${lines[2]}" " *0 +$(id -u) +1" "uid_map"
    is "${lines[3]}" " *0 +$(id -g) +1" "gid_map"
    is "${#lines[@]}" 5 "one line in each map"
    is "${lines[4]}" deny "setgroups (user_namespaces(7): deny before gid_map)"
}

@test "single-id: exit codes, files and capabilities work as with a range" {
    requires userns nosubuid
    run_burrow 3 run --rootfs "$ROOTFS" sh -c 'exit 3'
    run_burrow 127 run --rootfs "$ROOTFS" burrow-no-such-command
    local dir=$BATS_TEST_TMPDIR/vol
    mkdir "$dir"
    run_burrow run --rootfs "$ROOTFS" -v "$dir:/data" sh -c 'echo x > /data/f; grep CapEff /proc/self/status'
    is "$(stat -c %u "$dir/f")" "$(id -u)" "owner on the host of a file written inside"
    is "$output" "CapEff:[[:space:]]+$(default_cap_mask)" "default capabilities"
}

@test "single-id: an id outside the mapping is refused" {
    requires userns nosubuid
    run_burrow 125 run --rootfs "$ROOTFS" --user 1000:1000 sh -c "echo $MARKER"
    is "${#stderr_lines[@]}" 2 "lines on stderr: the warning and the error"
    is "${stderr_lines[1]}" "Error: .*1000.*" "the error"
    assert_nothing_left
}

@test "single-id: images load and run; owners other than root become root, as podman does" {
    requires userns nosubuid
    command -v skopeo >/dev/null || skip "skopeo is not installed (contrib/install-deps.sh)"
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$BATS_TEST_TMPDIR/images" >&2
    run_burrow load -i "$BATS_TEST_TMPDIR/images/layered-docker.tar"
    is "$output" "Loaded image: localhost/layered:latest"
    run_burrow run --rm layered sh -c 'stat -c "%u:%g" /home/app/owned; cat /data/keep'
    is "$output" "0:0
keep"
    run_burrow run --name c1 layered touch /data/new
    run_burrow commit c1 single:1
    run_burrow run --rm single:1 ls /data/new
    is "$output" "/data/new"
}
