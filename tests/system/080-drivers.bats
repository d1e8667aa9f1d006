#!/usr/bin/env bats
# Each storage driver — the kernel's overlay, fuse-overlayfs and vfs — passes the same run and
# commit tests, and a store keeps the driver it was made with.

load helpers

setup_file() {
    burrow_setup_images
}

setup() {
    burrow_setup
    requires userns subuid
}

# The run and commit tests of 070-images.bats, with one driver.
check_driver() {
    local driver=$1
    _BURROW_OPTS+=(--storage-driver "$driver")
    run_burrow load -i "$IMAGES/layered-docker.tar"
    is "$(cat "$BATS_TEST_TMPDIR/root/driver")" "$driver" "the recorded driver"

    run_burrow run --rm layered sh -c 'ls /data; stat -c "%u:%g %a" /home/app/owned /bin/suid-test'
    is "$output" "abslink
dir
hard1
hard2
keep
link
1000:1000 640
0:0 4755"
    run_burrow run --rm layered ls /data/dir
    is "$output" "b" "the opaque folder hides the lower layer's files"

    run_burrow run --name c1 layered sh -c 'echo changed > /data/new; rm /data/keep; mkdir /data/d2'
    run_burrow diff c1
    is "$output" "C /data
A /data/d2
D /data/keep
A /data/new"
    run_burrow commit c1 committed:1
    run_burrow run --rm committed:1 sh -c 'ls /data; cat /data/new'
    is "$output" "abslink
d2
dir
hard1
hard2
link
new
changed"
    # a second commit on top of the first: whiteouts of a committed layer apply again
    run_burrow run --name c2 committed:1 rm -r /data/d2 /data/new
    run_burrow commit c2 committed:2
    run_burrow run --rm committed:2 ls /data
    is "$output" "abslink
dir
hard1
hard2
link"
    run_burrow rm c1 c2
    run_burrow rmi committed:2 committed:1 layered
    run_burrow images -q
    is "$output" ""
    local left
    left=$(find "$BATS_TEST_TMPDIR/root/layers" "$BATS_TEST_TMPDIR/root/containers" \
        "$BATS_TEST_TMPDIR/root/tmp" -mindepth 1 -not -name '*.lock' | wc -l)
    is "$left" 0 "nothing is left of the images and containers"
    assert_nothing_left fuse-overlayfs
}

@test "driver overlay: run, diff, commit, rmi" {
    check_driver overlay
}

@test "driver fuse-overlayfs: run, diff, commit, rmi" {
    requires fuse
    command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
    check_driver fuse-overlayfs
}

@test "driver vfs: run, diff, commit, rmi" {
    check_driver vfs
}

@test "a store keeps its driver; asking for another is an error" {
    _BURROW_OPTS+=(--storage-driver vfs)
    run_burrow load -i "$IMAGES/busybox-docker.tar"
    _BURROW_OPTS=("${_BURROW_OPTS[@]:0:4}" --storage-driver overlay)
    run_burrow 125 run --rm busybox true
    is_one_error_line ".*made with the vfs driver, not overlay.*system reset.*"
}

@test "auto picks the kernel's overlay where it works" {
    run_burrow load -i "$IMAGES/busybox-docker.tar"
    is "$(cat "$BATS_TEST_TMPDIR/root/driver")" "overlay"
}
