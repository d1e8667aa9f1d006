#!/usr/bin/env bats
# Listing and inspecting: images, ps, inspect, history and system df, in docker's and podman's
# layouts, with their --format, --filter and --quiet forms.

# output, lines, status and stderr are set by run_burrow.
# shellcheck disable=SC2016,SC2153,SC2154

load helpers

setup_file() {
    export IMAGES=$BATS_FILE_TMPDIR/images
    if command -v skopeo >/dev/null && command -v jq >/dev/null; then
        "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$IMAGES" >&2
    fi
}

setup() {
    burrow_setup
    [[ -f $IMAGES/layered-docker.tar ]] ||
        skip "the test images need skopeo and jq (contrib/install-deps.sh)"
    requires userns
}

# localhost/layered:latest and localhost/busybox:latest in the test's store; their ids in
# LAYERED_ID and BUSYBOX_ID.
load_images() {
    run_burrow load -i "$IMAGES/layered-docker.tar"
    run_burrow load -i "$IMAGES/busybox-docker.tar"
    run_burrow image inspect --format '{{.Id}}' layered
    LAYERED_ID=${output#sha256:}
    run_burrow image inspect --format '{{.Id}}' busybox
    BUSYBOX_ID=${output#sha256:}
}

# Containers in each state, oldest first: c-new (created, of busybox), c-ok (exited 0, of
# layered), c-bad (exited 3, of busybox).
make_containers() {
    run_burrow create --name c-new busybox
    run_burrow run --name c-ok layered true
    run_burrow 3 run --name c-bad busybox sh -c 'exit 3'
}

# Fails unless ACTUAL is EXPECTED, character for character.
same() {
    [[ $1 == "$2" ]] || die "${3:-value}
#| expected: '$2'
#| actual:   '$1'"
}

@test "images: the table, one row per name, newest first" {
    load_images
    run_burrow images
    is "${lines[0]}" "REPOSITORY +TAG +IMAGE ID +CREATED +SIZE" "the header"
    is "${#lines[@]}" 3 "a header and two rows"
    is "$output" \
        ".*localhost/layered +latest +${LAYERED_ID:0:12} +[0-9a-zA-Z ]+ ago +1\.9[0-9]MB.*" \
        "the row of layered"
    is "$output" ".*localhost/busybox +latest +${BUSYBOX_ID:0:12} .*" "the row of busybox"
    # columns padded with 3 spaces as docker's tabwriter pads them
    is "${lines[1]}" "localhost/[a-z]+   latest    [0-9a-f]{12}   .*" "the padding"

    run_burrow tag busybox localhost/other:v1
    run_burrow images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    is "$output" ".*localhost/other:v1 ${BUSYBOX_ID:0:12}.*" "a second name is a second row"
    is "${#lines[@]}" 3 "three names"

    run_burrow images --digests
    is "${lines[0]}" "REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE" "the header with digests"
    run_burrow images --no-trunc --format '{{.ID}}'
    is "${lines[0]}" "sha256:[0-9a-f]{64}" "full ids"
}

@test "images: -q, --format and --filter" {
    load_images
    run_burrow images -q
    is "${#lines[@]}" 2 "one id per image"
    is "$output" ".*${LAYERED_ID:0:12}.*" "layered's id"
    is "$output" ".*${BUSYBOX_ID:0:12}.*" "busybox's id"

    run_burrow images --format json
    same "$(jq -r '.[].Names[]' <<<"$output" | sort | tr '\n' ' ')" \
        "localhost/busybox:latest localhost/layered:latest " "the names in json"
    same "$(jq -r ".[] | select(.Id == \"$LAYERED_ID\") | .Labels[\"org.burrow.test\"]" \
        <<<"$output")" "layered" "a label in json"
    same "$(jq -r '.[0].Dangling' <<<"$output")" "false" "Dangling"

    run_burrow images --filter 'reference=localhost/lay*' --format '{{.Repository}}'
    same "$output" "localhost/layered" "a reference glob on the full name"
    run_burrow images --filter 'reference=busy*' --format '{{.Repository}}'
    same "$output" "localhost/busybox" "a reference glob on the short name"
    run_burrow images --filter label=org.burrow.test=layered --format '{{.Repository}}'
    same "$output" "localhost/layered" "a label filter"
    run_burrow images --filter label=org.burrow.test=other -q
    same "$output" "" "a label filter that matches nothing"
    run_burrow images --filter dangling=true -q
    same "$output" "" "no dangling image"
    run_burrow images --format 'table {{.Repository}}\t{{.Size}}'
    is "${lines[0]}" "REPOSITORY +SIZE" "a table template's header"

    run_burrow 125 images --filter colour=red
    is_one_error_line 'invalid filter "colour=red": .*'
    run_burrow 125 images --filter dangling=maybe
    is_one_error_line 'invalid filter "dangling=maybe": use true or false'
}

@test "ps: statuses, -a, -q, -l, -n" {
    load_images
    make_containers
    run_burrow ps
    is "$output" "CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES" \
        "only the header: nothing runs"

    run_burrow ps -a
    is "${lines[0]}" "CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES" "the header"
    is "${#lines[@]}" 4 "a header and three rows"
    local id="[0-9a-f]{12}"
    is "${lines[1]}" \
        "$id +localhost/busybox:latest +\"sh -c exit 3\" +.* ago +Exited \(3\) .* ago +c-bad" \
        "the newest first, exited with 3"
    is "${lines[2]}" "$id +localhost/layered:latest +\"true\" +.* ago +Exited \(0\) .* ago +c-ok" \
        "exited with 0"
    is "${lines[3]}" "$id +localhost/busybox:latest +\"sh\" +.* ago +Created +c-new" \
        "created: the image's Cmd"

    run_burrow ps -aq
    is "$output" "[0-9a-f]{12}
[0-9a-f]{12}
[0-9a-f]{12}" "-q: short ids"
    run_burrow ps -aq --no-trunc
    is "${lines[0]}" "[0-9a-f]{64}" "--no-trunc: full ids"
    run_burrow ps -l --format '{{.Names}}'
    same "$output" "c-bad" "-l: the newest"
    run_burrow ps -n 2 --format '{{.Names}}'
    same "$output" "c-bad
c-ok" "-n 2: the two newest"

    run_burrow run --name c-long busybox sh -c 'echo hello world; exit 0'
    run_burrow ps -l --format '{{.Command}}'
    same "$output" '"sh -c echo hello wo…"' "a command cut at 20 characters as docker cuts it"
    run_burrow ps -l --no-trunc --format '{{.Command}}'
    same "$output" '"sh -c echo hello world; exit 0"' "--no-trunc keeps it whole"
}

@test "ps: --filter and --format" {
    load_images
    make_containers
    run_burrow ps -a --filter name=c-ok --format '{{.Names}}'
    same "$output" "c-ok" "name="
    run_burrow ps -a --filter 'name=^c-' --format '{{.Names}}'
    is "${#lines[@]}" 3 "name= is a regular expression"
    run_burrow ps --filter status=exited --format '{{.Names}}'
    same "$output" "c-bad
c-ok" "status= without -a"
    run_burrow ps --filter status=created --filter status=exited -q
    is "${#lines[@]}" 3 "two values of one key: either"
    run_burrow ps --filter status=exited --filter name=bad --format '{{.Names}}'
    same "$output" "c-bad" "two keys: both"
    run_burrow ps -a --filter ancestor=layered --format '{{.Names}}'
    same "$output" "c-ok" "ancestor= by short name"
    run_burrow ps -a --filter "ancestor=${BUSYBOX_ID:0:12}" --format '{{.Names}}'
    same "$output" "c-bad
c-new" "ancestor= by id"
    run_burrow ps -a --filter exited=3 --format '{{.Names}}'
    same "$output" "c-bad" "exited="
    run_burrow ps -a --filter label=org.burrow.test=layered --format '{{.Names}}'
    same "$output" "c-ok" "label= (the image's labels)"
    run_burrow ps -a --filter "id=$(cut -c1-5 <<<"${LAYERED_ID}")" -q
    same "$output" "" "id= matches container ids, not image ids"

    run_burrow ps -a --format json
    same "$(jq -r '.[].Names' <<<"$output" | tr '\n' ' ')" "c-bad c-ok c-new " "json: Names"
    same "$(jq -r '.[1].State' <<<"$output")" "exited" "json: State"
    is "$(jq -r '.[1].Status' <<<"$output")" "Exited \(0\) .* ago" "json: Status"
    run_burrow ps -a --format 'table {{.Names}}\t{{.State}}'
    is "${lines[0]}" "NAMES +STATE" "a table template's header"
    is "${lines[1]}" "c-bad +exited" "a table template's row"

    run_burrow 125 ps --filter status=sleeping
    is_one_error_line 'invalid filter "status=sleeping": .*'
    run_burrow 125 ps --filter bogus
    is_one_error_line 'invalid filter "bogus": .*'
    run_burrow 125 ps -a --format '{{.Nope}}'
    is_one_error_line 'template: .*'
}

@test "ps: a running container is Up" {
    load_images
    "$BURROW" "${_BURROW_OPTS[@]}" run --name c-up busybox sh -c 'sleep 1000' "$MARKER" \
        >/dev/null 2>&1 3>&- &
    local pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        run_burrow ps --format '{{.Names}} {{.Status}}'
        [[ $output == c-up* ]] && break
        sleep 0.1
    done
    is "$output" "c-up Up (Less than a second|[0-9]+ seconds?)" "the status of a running container"
    run_burrow inspect --format '{{.State.Status}} {{.State.Running}}' c-up
    same "$output" "running true" "inspect: State"
    run_burrow rm -f c-up
    wait_for_exit "$pid"
    assert_nothing_left
}

@test "inspect: an image" {
    load_images
    run_burrow inspect layered
    same "$(jq -r '.[0].Id' <<<"$output")" "sha256:$LAYERED_ID" "Id"
    same "$(jq -r '.[0].RepoTags[0]' <<<"$output")" "localhost/layered:latest" "RepoTags"
    same "$(jq -r '.[0].Config.WorkingDir' <<<"$output")" "/data" "Config.WorkingDir"
    same "$(jq -r '.[0].Config.Labels["org.burrow.test"]' <<<"$output")" "layered" "Config.Labels"
    same "$(jq -r '.[0].RootFS.Layers | length' <<<"$output")" "4" "RootFS.Layers"
    same "$(jq -r '.[0].Os' <<<"$output")" "linux" "Os"
    is "$(jq -r '.[0].Size' <<<"$output")" "[1-9][0-9]+" "Size"

    run_burrow image inspect --format '{{.Config.Cmd}}' layered
    same "$output" "[cat /data/keep]" "a template"
    run_burrow image inspect --format '{{json .Config.ExposedPorts}}' layered
    same "$output" '{"80/tcp":{}}' "a json template"
}

@test "inspect: a container" {
    load_images
    make_containers
    run_burrow inspect --format '{{.State.ExitCode}}' c-bad
    same "$output" "3" "State.ExitCode"
    run_burrow inspect c-bad
    same "$(jq -r '.[0].Name' <<<"$output")" "c-bad" "Name"
    same "$(jq -r '.[0].State.Status' <<<"$output")" "exited" "State.Status"
    same "$(jq -r '.[0].Path' <<<"$output")" "sh" "Path"
    same "$(jq -c '.[0].Args' <<<"$output")" '["-c","exit 3"]' "Args"
    same "$(jq -r '.[0].Image' <<<"$output")" "sha256:$BUSYBOX_ID" "Image"
    same "$(jq -r '.[0].ImageName' <<<"$output")" "localhost/busybox:latest" "ImageName"
    same "$(jq -r '.[0].HostConfig.Privileged' <<<"$output")" "false" "HostConfig.Privileged"
    is "$(jq -r '.[0].Config.Env[]' <<<"$output")" ".*PATH=.*" "Config.Env"
    is "$(jq -r '.[0].GraphDriver.Name' <<<"$output")" "overlay|fuse-overlayfs|vfs" "GraphDriver"

    run_burrow container inspect --format '{{.State.Status}} {{.State.ExitCode}}' c-new c-ok
    same "$output" "created 0
exited 0" "container inspect, two names"

    run_burrow create --name c-flags --privileged --read-only -e A=1 -v /tmp:/host:ro busybox
    run_burrow inspect c-flags
    same "$(jq -r '.[0].HostConfig.Privileged' <<<"$output")" "true" "--privileged"
    same "$(jq -r '.[0].HostConfig.ReadonlyRootfs' <<<"$output")" "true" "--read-only"
    same "$(jq -r '.[0].Config.Env | index("A=1") != null' <<<"$output")" "true" "-e"
    same "$(jq -c '.[0].Mounts[0] | [.Source, .Destination, .RW]' <<<"$output")" \
        '["/tmp","/host",false]' "Mounts"
}

@test "inspect: unknown names" {
    load_images
    make_containers
    run_burrow 125 inspect nosuch
    same "$output" "[]" "nothing found"
    is_one_error_line 'no such object: "nosuch"'

    run_burrow 125 inspect c-ok nosuch
    same "$(jq -r '.[].Name' <<<"$output")" "c-ok" "the names found are printed"
    is_one_error_line 'no such object: "nosuch"'

    run_burrow 125 container inspect layered
    is_one_error_line 'no such container: "layered"'
    run_burrow 125 image inspect c-ok
    is_one_error_line 'no such image: "c-ok"'
    run_burrow 125 inspect --type image c-ok
    is_one_error_line 'no such image: "c-ok"'
    run_burrow inspect --type container --format '{{.Name}}' c-ok
    same "$output" "c-ok" "--type container"
    run_burrow 125 inspect --type volume c-ok
    is_one_error_line 'invalid --type "volume": use container or image'
}

@test "history: rows newest first" {
    load_images
    run_burrow image inspect --format '{{len .History}}' layered
    local n=$output
    run_burrow history layered
    is "${lines[0]}" "IMAGE +CREATED +CREATED BY +SIZE +COMMENT" "the header"
    is "${#lines[@]}" "$((n + 1))" "a row per history entry"
    is "${lines[1]}" "${LAYERED_ID:0:12} +.* ago +CMD \[\"cat\",\"/data/keep\"\] +0B *" \
        "the top row: the image's id and its last entry"
    is "${lines[2]}" "<missing> +.*" "older rows"
    is "${lines[$n]}" "<missing> +.* ago +ADD busybox-static / # burrow test image +1\.9[0-9]MB *" \
        "the first entry, with its layer's size"

    run_burrow history -q layered
    is "${lines[0]}" "${LAYERED_ID:0:12}" "-q: the image's id"
    is "${lines[1]}" "<missing>" "-q: then <missing>"
    run_burrow history --no-trunc --format '{{.ID}}' layered
    is "${lines[0]}" "sha256:$LAYERED_ID" "--no-trunc: the full id"
    run_burrow history --human=false --format '{{.Size}} {{.CreatedSince}}' layered
    is "${lines[$((n - 1))]}" "[0-9]{7} [0-9]{4}-[0-9]{2}-[0-9]{2}T.*" \
        "--human=false: bytes and times"
    run_burrow history --format json layered
    same "$(jq -r '.[-1].CreatedBy' <<<"$output")" "ADD busybox-static / # burrow test image" \
        "json"

    run_burrow 125 history nosuch
    is_one_error_line 'nosuch: image not known'
}

@test "system df" {
    load_images
    make_containers
    run_burrow system df
    is "${lines[0]}" "TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE" "the header"
    is "${lines[1]}" "Images +2 +2 +[0-9.]+[kM]B +.*" "images: both in use"
    is "${lines[2]}" "Containers +3 +0 +.*" "containers: none running"
    is "${lines[3]}" "Local Volumes +0 +0 +0B +0B" "volumes"
    run_burrow system df --format '{{.Type}}={{.TotalCount}}'
    same "$output" "Images=2
Containers=3
Local Volumes=0" "a template"
}
