#!/usr/bin/env bats
# Images in the store: load what skopeo wrote, run containers of them, commit, save and load
# again, remove. Each test has a store of its own (helpers.bash), so each loads what it needs.

load helpers

setup_file() {
    burrow_setup_images
}

setup() {
    burrow_setup
    requires userns subuid
}

load_image() {
    run_burrow load -i "$IMAGES/$1"
}

@test "load: a docker-archive written by skopeo" {
    load_image layered-docker.tar
    is "$output" "Loaded image: localhost/layered:latest"
    run_burrow images -q
    is "${#lines[@]}" 1 "one image"
}

@test "load: an oci-archive written by skopeo, and a gzipped docker-archive from stdin" {
    load_image layered-oci.tar
    is "$output" "Loaded image: localhost/layered:latest"
    run_burrow run --rm layered cat /data/keep
    is "$output" "keep"
    output=$(gzip -dc <"$IMAGES/busybox-docker.tar.gz" | gzip -c |
        "$BURROW" "${_BURROW_OPTS[@]}" load)
    is "$output" "Loaded image: localhost/busybox:latest"
}

@test "load: the same image from both formats has one id" {
    load_image layered-docker.tar
    run_burrow images -q --no-trunc
    local id=$output
    load_image layered-oci.tar
    run_burrow images -q --no-trunc
    is "$output" "$id"
}

@test "load: an archive that is not one fails with one line and changes nothing" {
    echo "not an archive" >"$BATS_TEST_TMPDIR/junk.tar"
    run_burrow 125 load -i "$BATS_TEST_TMPDIR/junk.tar"
    is_one_error_line "load: .*"
    run_burrow 125 load -i "$BATS_TEST_TMPDIR/missing.tar"
    is_one_error_line "open .*missing.tar.*"
    run_burrow images -q
    is "$output" ""
}

@test "run: the image's Cmd, Env and WorkingDir apply; flags override them" {
    load_image layered-docker.tar
    run_burrow run --rm layered
    is "$output" "keep"
    run_burrow run --rm layered sh -c 'echo $FOO; pwd'
    is "$output" "bar
/data"
    run_burrow run --rm -e FOO=baz -w /tmp layered sh -c 'echo $FOO; pwd'
    is "$output" "baz
/tmp"
}

@test "run: Entrypoint and User of the image; --entrypoint and --user override" {
    load_image busybox-oci.tar
    run_burrow load -i "$IMAGES/layered-oci.tar"
    # entry:latest comes in the OCI layout; build an archive of it with skopeo
    skopeo copy --insecure-policy "oci:$IMAGES/oci:entry:latest" \
        "docker-archive:$BATS_TEST_TMPDIR/entry.tar:localhost/entry:latest" >/dev/null
    run_burrow load -i "$BATS_TEST_TMPDIR/entry.tar"
    run_burrow run --rm entry
    is "$output" "entry default"
    run_burrow run --rm entry one two
    is "$output" "entry one two"
    run_burrow run --rm --entrypoint id entry -u
    is "$output" "1000"
    run_burrow run --rm --user 0 --entrypoint id entry -u
    is "$output" "0"
}

@test "run: owners, modes, setuid bits, links and whiteouts land as in the image" {
    load_image layered-docker.tar
    run_burrow run --rm layered stat -c '%u:%g %a %n' /home/app/owned /bin/suid-test /home/app
    is "$output" "1000:1000 640 /home/app/owned
0:0 4755 /bin/suid-test
1000:1000 755 /home/app"
    run_burrow run --rm layered sh -c 'ls /data; ls /data/dir; stat -c %h /data/hard1'
    is "$output" "abslink
dir
hard1
hard2
keep
link
b
2" "gone is deleted by a whiteout, dir/a by the opaque dir"
}

@test "run: an unknown image fails with one line and leaves no container" {
    # without --pull never, run would try to pull it (090-pull.bats)
    run_burrow 125 run --rm --pull never nosuchimage true
    is_one_error_line "nosuchimage: image not known"
    run_burrow 125 create --pull never nosuchimage
    is_one_error_line "nosuchimage: image not known"
    run_burrow ps -aq
    is "$output" ""
}

@test "run: a name is unique; a clash is an error" {
    load_image busybox-docker.tar
    run_burrow run --name one busybox true
    run_burrow 125 run --name one busybox true
    is_one_error_line '.*name "one" is already in use.*'
    run_burrow 125 run --name ../evil busybox true
    is_one_error_line 'invalid container name "../evil".*'
    run_burrow 125 rename one ../../escaped
    is_one_error_line 'invalid container name.*'
    [[ ! -e $BATS_TEST_TMPDIR/escaped ]]
    run_burrow rm one
    is "$output" "one"
    run_burrow run --rm --name one busybox true
}

@test "run --rm: the container and its layer are gone after it exits" {
    load_image busybox-docker.tar
    run_burrow run --rm busybox sh -c 'echo x > /file'
    run_burrow ps -aq
    is "$output" ""
    local left
    left=$(find "$BATS_TEST_TMPDIR/root/containers" "$BATS_TEST_TMPDIR/root/tmp" -mindepth 1 \
        -not -name '*.lock' | wc -l)
    is "$left" 0 "nothing under containers/ and tmp/"
}

@test "create and start -a: the container keeps its writable layer across runs" {
    load_image busybox-docker.tar
    run_burrow create --name keeper busybox sh -c 'echo run >> /count; wc -l < /count'
    is "$output" "[0-9a-f]{64}"
    run_burrow start -a keeper
    is "$output" "1"
    run_burrow start -a keeper
    is "$output" "2"
}

@test "commit: the committed image runs with the change, with author and message" {
    load_image layered-docker.tar
    run_burrow run --name c1 layered sh -c 'echo changed > /data/new; rm /data/keep'
    run_burrow commit --pause -a "Ann <ann@example.org>" -m "a change" \
        -c 'CMD ["cat", "/data/new"]' c1 mine:1
    is "$output" "sha256:[0-9a-f]{64}"
    run_burrow run --rm mine:1
    is "$output" "changed"
    run_burrow run --rm mine:1 ls /data
    is "$output" "abslink
dir
hard1
hard2
link
new" "keep was deleted in the container"
    run_burrow images --format '{{.Repository}}:{{.Tag}}'
    is "$output" ".*localhost/mine:1.*"
    run_burrow inspect --format '{{.Author}}|{{.Comment}}' mine:1
    is "$output" "Ann <ann@example.org>\|a change"
}

@test "save and load: the same image id, in each format" {
    load_image layered-docker.tar
    run_burrow images -q --no-trunc
    local id=$output
    local f
    for f in docker-archive oci-archive; do
        run_burrow save --format "$f" -o "$BATS_TEST_TMPDIR/$f.tar" layered
        run_burrow rmi layered
        run_burrow load -i "$BATS_TEST_TMPDIR/$f.tar"
        is "$output" "Loaded image: localhost/layered:latest"
        run_burrow images -q --no-trunc
        is "$output" "$id" "the id after a round trip through $f"
    done
    # the saved archives read back with an independent reader
    skopeo inspect --raw "docker-archive:$BATS_TEST_TMPDIR/docker-archive.tar" >/dev/null
    skopeo inspect --raw "oci-archive:$BATS_TEST_TMPDIR/oci-archive.tar" >/dev/null
}

@test "rmi: an image a container uses is refused; -f removes both" {
    load_image busybox-docker.tar
    run_burrow run --name user1 busybox true
    run_burrow 125 rmi busybox
    is_one_error_line ".*in use by container user1.*"
    run_burrow run --rm busybox true
    run_burrow rmi -f busybox
    is "$output" "Untagged: localhost/busybox:latest
Deleted: sha256:[0-9a-f]{64}"
    run_burrow ps -aq
    is "$output" ""
    run_burrow images -q
    is "$output" ""
    local left
    left=$(find "$BATS_TEST_TMPDIR/root/layers" "$BATS_TEST_TMPDIR/root/blobs/sha256" \
        -mindepth 1 | wc -l)
    is "$left" 0 "no layer or blob is left"
}

@test "rmi: a shared layer stays while another image uses it" {
    load_image busybox-docker.tar
    load_image layered-docker.tar
    run_burrow rmi busybox
    run_burrow run --rm layered cat /data/keep
    is "$output" "keep"
}

@test "tag: a second name, and a name moves from one image to another" {
    load_image busybox-docker.tar
    load_image layered-docker.tar
    run_burrow tag busybox other:1
    run_burrow run --rm other:1 true
    run_burrow tag layered other:1
    run_burrow run --rm other:1 cat /data/keep
    is "$output" "keep"
    run_burrow rmi other:1
    is "$output" "Untagged: localhost/other:1"
    run_burrow run --rm layered cat /data/keep
}

@test "load killed with -9 leaves nothing half-made; images and a new load work" {
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" --big "$BATS_TEST_TMPDIR/big" >&2
    local delay
    for delay in 0.05 0.1 0.15 0.2 0.3; do
        "$BURROW" "${_BURROW_OPTS[@]}" load -i "$BATS_TEST_TMPDIR/big/big-docker.tar" \
            >/dev/null 2>&1 &
        local pid=$!
        sleep "$delay"
        # the whole process group: burrow and the process inside the user namespace
        pkill -9 -P "$pid" || true
        kill -9 "$pid" || true
        wait "$pid" || true
        # a load that finished before the kill is whole; one that did not left nothing visible
        run_burrow images -q
        if [[ -n $output ]]; then
            run_burrow run --rm big true
            run_burrow rmi big
        fi
        run_burrow images -q
        is "$output" "" "no image is visible"
    done
    run_burrow load -i "$BATS_TEST_TMPDIR/big/big-docker.tar"
    is "$output" "Loaded image: localhost/big:latest"
    local left
    left=$(find "$BATS_TEST_TMPDIR/root/tmp" -mindepth 1 | wc -l)
    is "$left" 0 "the next command removed the leftovers"
}

@test "20 run --rm in parallel from one script all succeed" {
    load_image busybox-docker.tar
    local i pids=()
    for i in $(seq 20); do
        "$BURROW" "${_BURROW_OPTS[@]}" run --rm busybox sh -c "echo $i > /n; cat /n" \
            >"$BATS_TEST_TMPDIR/out.$i" 2>&1 &
        pids+=($!)
    done
    local failed=0
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || failed=$((failed + 1))
    done
    is "$failed" 0 "failed runs: $(cat "$BATS_TEST_TMPDIR"/out.*)"
    for i in $(seq 20); do
        is "$(cat "$BATS_TEST_TMPDIR/out.$i")" "$i"
    done
    run_burrow ps -aq
    is "$output" ""
}

@test "import and export: a container's files as a tarball, and back as an image" {
    load_image busybox-docker.tar
    run_burrow run --name ex busybox sh -c 'echo exported > /marker'
    run_burrow export -o "$BATS_TEST_TMPDIR/fs.tar" ex
    tar tf "$BATS_TEST_TMPDIR/fs.tar" | grep -qx 'marker'
    run_burrow import -c 'CMD ["cat", "/marker"]' -m imported "$BATS_TEST_TMPDIR/fs.tar" copy:1
    is "$output" "sha256:[0-9a-f]{64}"
    run_burrow run --rm copy:1
    is "$output" "exported"
}

@test "diff and cp: the container's changes, and files in and out" {
    load_image layered-docker.tar
    run_burrow run --name d1 layered sh -c 'echo new > /data/new; rm /data/keep; ln -s / /data/evil'
    run_burrow diff d1
    is "$output" "C /data
A /data/evil
D /data/keep
A /data/new"
    run_burrow cp d1:/data/new "$BATS_TEST_TMPDIR/got"
    is "$(cat "$BATS_TEST_TMPDIR/got")" "new"
    echo host >"$BATS_TEST_TMPDIR/put"
    run_burrow cp "$BATS_TEST_TMPDIR/put" d1:/data/evil/put-through-link
    # the symlink in the container resolves inside it, never to the host's /
    [[ ! -e /put-through-link ]]
}

@test "system reset -f removes every image and container" {
    load_image busybox-docker.tar
    run_burrow run --name r1 busybox true
    run_burrow system reset -f
    run_burrow images -q
    is "$output" ""
    run_burrow ps -aq
    is "$output" ""
}

@test "run --label: the image's labels and the container's own, for inspect and ps --filter" {
    load_image layered-docker.tar
    run_burrow run --name lab -l team=a -l flag layered true
    run_burrow inspect --format '{{.Config.Labels}}' lab
    is "$output" "map\[flag: org.burrow.test:layered team:a\]"
    run_burrow ps -aq --filter label=team=a
    is "$output" "[0-9a-f]{12}"
    run_burrow ps -aq --filter label=team=b
    is "$output" ""
}

@test "a container whose burrow was killed reads as killed, not as a clean exit" {
    load_image busybox-docker.tar
    "$BURROW" "${_BURROW_OPTS[@]}" run --name victim busybox sleep 100 &
    local pid=$!
    local i
    for i in $(seq 50); do
        run_burrow ps -q --filter name=victim
        [[ -n $output ]] && break
        sleep 0.1
    done
    pkill -9 -P "$pid" || true
    kill -9 "$pid" || true
    wait "$pid" || true
    for i in $(seq 50); do
        run_burrow inspect --format '{{.State.Status}} {{.State.ExitCode}}' victim
        [[ $output == "exited 137" ]] && break
        sleep 0.1
    done
    is "$output" "exited 137"
    run_burrow ps -a --filter name=victim --format '{{.Status}}'
    is "$output" "Exited \(137\) .* ago"
}

@test "a missing argument is named, not taken for a command" {
    run_burrow 125 tag busybox
    is_one_error_line "TARGET is required"
}
