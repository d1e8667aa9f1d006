#!/usr/bin/env bats
# The image fixtures of the storage and registry tests (lib/mkimage.sh) and the private registry
# (lib/registry.sh), checked with skopeo, an independent reader: if these fail, the image tests
# after them test the fixtures, not burrow.

# output, lines and status are set by bats' run; registry.sh sets the REGISTRY variables.
# shellcheck disable=SC2153,SC2154

load helpers

# Skips the test unless every command is installed.
requires_commands() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null || skip "$cmd is not installed (contrib/install-deps.sh)"
    done
}

setup_file() {
    export IMAGES=$BATS_FILE_TMPDIR/images
    if command -v skopeo >/dev/null && command -v jq >/dev/null; then
        "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$IMAGES" >&2
    fi
}

setup() {
    burrow_setup
    requires_commands skopeo jq
    # skopeo keeps a blob cache under HOME; the caller's may not be writable.
    export HOME=$BATS_TEST_TMPDIR/home
    mkdir -p "$HOME"
    # shellcheck source-path=SCRIPTDIR source=lib/registry.sh disable=SC1091
    source "$BURROW_SOURCE_DIR/tests/system/lib/registry.sh"
}

teardown() {
    burrow_teardown
    if [[ -n ${REGISTRY_PID:-} ]]; then
        stop_registry
    fi
}

# Fails unless ACTUAL is EXPECTED, character for character.
same() {
    [[ $1 == "$2" ]] || die "${3:-value}
#| expected: '$2'
#| actual:   '$1'"
}

sk() {
    skopeo --insecure-policy "$@"
}

# The raw config of IMAGE (a skopeo transport:reference).
raw_config() {
    sk inspect --raw --config "$1"
}

# The listing (tar tv) of the uncompressed layer N (from 0) of an image of the OCI layout.
oci_layer_listing() {
    local name=$1 n=$2 digest
    digest=$(sk inspect --raw "oci:$IMAGES/oci:$name" | jq -r ".layers[$n].digest")
    TZ=UTC tar -tvzf "$IMAGES/oci/blobs/sha256/${digest#sha256:}"
}

@test "fixtures: the OCI layout names its images and every blob matches its digest" {
    run jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$IMAGES/oci/index.json"
    local want="busybox:latest layered:latest entry:latest"
    if command -v zstd >/dev/null; then
        want+=" busybox-zstd:latest"
    fi
    is "${lines[*]}" "$want" "the names in index.json"
    is "$(cat "$IMAGES/oci/oci-layout")" '\{"imageLayoutVersion":"1.0.0"\}' "oci-layout"
    local name
    for name in "${lines[@]}"; do
        # Copying reads every blob and checks its digest.
        sk copy -q "oci:$IMAGES/oci:$name" "dir:$BATS_TEST_TMPDIR/copy-${name%%:*}"
    done
}

@test "fixtures: busybox:latest" {
    local img=oci:$IMAGES/oci:busybox:latest config
    config=$(raw_config "$img")
    local arch
    case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(jq -r .architecture <<<"$config") ;;
    esac
    is "$(jq -r '[.os, .architecture, .created] | join(" ")' <<<"$config")" "linux $arch 2024-01-01T00:00:00Z"
    is "$(jq -c .config <<<"$config")" \
        '\{"Env":\["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\],"Cmd":\["sh"\]\}'
    is "$(jq '.rootfs.diff_ids | length' <<<"$config")" 1 "layers"

    run oci_layer_listing busybox:latest 0
    local listing=$output
    is "$(grep -E ' bin/busybox$' <<<"$listing")" '-rwxr-xr-x 0/0 .* bin/busybox' "busybox"
    is "$(grep -E ' bin/sh -> ' <<<"$listing")" 'lrwxrwxrwx 0/0 .* bin/sh -> busybox' "sh"
    is "$(grep -E ' home/app/$' <<<"$listing")" 'drwxr-xr-x 1000/1000 .* home/app/' "/home/app"
    is "$(grep -E ' tmp/$' <<<"$listing")" 'drwxrwxrwt 0/0 .* tmp/' "/tmp"
    is "$(grep -E ' root/$' <<<"$listing")" 'drwx------ 0/0 .* root/' "/root"
    local applet
    for applet in cat echo id ls ps sed sleep stat wc; do
        grep -qE " bin/$applet -> busybox\$" <<<"$listing" || die "no applet $applet"
    done
    # Every member has mtime 0 and the members are sorted.
    is "$(grep -vc ' 1970-01-01 00:00 ' <<<"$listing" || true)" 0 "members with an mtime other than 0"
    is "$(tar -tzf "$IMAGES/oci/blobs/sha256/$(sk inspect --raw "$img" | jq -r '.layers[0].digest | ltrimstr("sha256:")')" |
        LC_ALL=C sort -c && echo sorted)" sorted "member order"
}

@test "fixtures: layered:latest has four layers, whiteouts and every kind of file" {
    local img=oci:$IMAGES/oci:layered:latest config
    config=$(raw_config "$img")
    is "$(jq -c .config <<<"$config")" \
        '\{"User":"","ExposedPorts":\{"80/tcp":\{\}\},"Env":\["FOO=bar","PATH=[^"]+"\],"Entrypoint":null,"Cmd":\["cat","/data/keep"\],"WorkingDir":"/data","Labels":\{"org.burrow.test":"layered"\}\}'
    is "$(jq '.rootfs.diff_ids | length' <<<"$config")" 4 "layers"
    is "$(jq '.history | length' <<<"$config")" 9 "history entries"
    is "$(jq '[.history[] | select(.empty_layer | not)] | length' <<<"$config")" 4 "history entries with a layer"
    is "$(jq -r '.history[0].created_by' <<<"$config")" 'ADD busybox-static / .*'
    # The first layer is busybox's.
    is "$(jq -r '.rootfs.diff_ids[0]' <<<"$config")" \
        "$(raw_config "oci:$IMAGES/oci:busybox:latest" | jq -r '.rootfs.diff_ids[0]')" "the first diff id"

    run oci_layer_listing layered:latest 1
    local l2=$output
    is "$(grep ' home/app/owned$' <<<"$l2")" '-rw-r----- 1000/1000 .* home/app/owned'
    is "$(grep ' home/app/$' <<<"$l2")" 'drwxr-xr-x 1000/1000 .* home/app/'
    is "$(grep ' bin/suid-test$' <<<"$l2")" '-rwsr-xr-x 0/0 .* bin/suid-test'
    is "$(grep ' data/hard2 ' <<<"$l2")" 'hrw-r--r-- 0/0 .* data/hard2 link to data/hard1'
    is "$(grep ' data/link ' <<<"$l2")" 'lrwxrwxrwx 0/0 .* data/link -> keep'
    is "$(grep ' data/abslink ' <<<"$l2")" 'lrwxrwxrwx 0/0 .* data/abslink -> /data/keep'
    grep -q ' data/gone$' <<<"$l2" || die "no data/gone in layer 2"
    grep -q ' data/dir/a$' <<<"$l2" || die "no data/dir/a in layer 2"

    run oci_layer_listing layered:latest 2
    is "$(awk '{ print $1, $2, $NF }' <<<"$output")" "drwxr-xr-x 0/0 data/
-rw-r--r-- 0/0 data/.wh.gone
drwxr-xr-x 0/0 data/dir/
-rw-r--r-- 0/0 data/dir/.wh..wh..opq
-rw-r--r-- 0/0 data/dir/b" "layer 3"

    run oci_layer_listing layered:latest 3
    is "$output" "" "layer 4 is empty"
}

@test "fixtures: entry:latest shares busybox's layer" {
    local config
    config=$(raw_config "oci:$IMAGES/oci:entry:latest")
    is "$(jq -c '.config | {Entrypoint, Cmd, User, WorkingDir}' <<<"$config")" \
        '\{"Entrypoint":\["/bin/echo","entry"\],"Cmd":\["default"\],"User":"1000:1000","WorkingDir":"/home/app"\}'
    is "$(sk inspect --raw "oci:$IMAGES/oci:entry:latest" | jq -r '.layers[0].digest')" \
        "$(sk inspect --raw "oci:$IMAGES/oci:busybox:latest" | jq -r '.layers[0].digest')" "the layer blob"
}

@test "fixtures: busybox-zstd:latest is busybox with a zstd layer" {
    requires_commands zstd
    local manifest
    manifest=$(sk inspect --raw "oci:$IMAGES/oci:busybox-zstd:latest")
    is "$(jq -r '.layers[0].mediaType' <<<"$manifest")" 'application/vnd\.oci\.image\.layer\.v1\.tar\+zstd'
    is "$(jq -r .config.digest <<<"$manifest")" \
        "$(sk inspect --raw "oci:$IMAGES/oci:busybox:latest" | jq -r .config.digest)" "the image id"
    local blob
    blob=$IMAGES/oci/blobs/sha256/$(jq -r '.layers[0].digest | ltrimstr("sha256:")' <<<"$manifest")
    is "sha256:$(zstd -dc "$blob" | sha256sum | cut -d' ' -f1)" \
        "$(raw_config "oci:$IMAGES/oci:busybox:latest" | jq -r '.rootfs.diff_ids[0]')" "the diff id"
}

@test "fixtures: docker-archive and oci-archive files written by skopeo" {
    local name layers config_digest
    for name in busybox layered; do
        layers=$(raw_config "oci:$IMAGES/oci:$name:latest" | jq -c .rootfs.diff_ids)
        # Same image: the same diff ids, whatever the archive's compression.
        same "$(raw_config "docker-archive:$IMAGES/$name-docker.tar" | jq -c .rootfs.diff_ids)" "$layers" \
            "diff ids of $name-docker.tar"
        is "$(tar -xOf "$IMAGES/$name-docker.tar" manifest.json | jq -r '.[0].RepoTags[]')" "localhost/$name:latest"
        # The OCI archive keeps the layout's blobs as they are.
        is "$(sk inspect --raw "oci-archive:$IMAGES/$name-oci.tar" | sha256sum | cut -d' ' -f1)" \
            "$(sk inspect --raw "oci:$IMAGES/oci:$name:latest" | sha256sum | cut -d' ' -f1)" \
            "the manifest of $name-oci.tar"
    done
    is "$(sk inspect "docker-archive:$IMAGES/layered-docker.tar" | jq '.Layers | length')" 4
    cmp <(gzip -dc "$IMAGES/busybox-docker.tar.gz") "$IMAGES/busybox-docker.tar"

    # Two images in one archive, sharing busybox's layer.
    is "$(tar -xOf "$IMAGES/multi-docker.tar" manifest.json | jq -r '.[].RepoTags[]')" \
        "localhost/busybox:latest
localhost/layered:latest"
    is "$(sk inspect "docker-archive:$IMAGES/multi-docker.tar:@0" | jq '.Layers | length')" 1
    is "$(sk inspect "docker-archive:$IMAGES/multi-docker.tar:@1" | jq '.Layers | length')" 4
    config_digest=$(sk inspect "docker-archive:$IMAGES/multi-docker.tar:localhost/layered:latest" | jq -r .Digest)
    is "$config_digest" "$(sk inspect "docker-archive:$IMAGES/layered-docker.tar" | jq -r .Digest)" \
        "layered's manifest digest in both archives"
}

@test "fixtures: a second run writes the same OCI layout" {
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$BATS_TEST_TMPDIR/again"
    diff -r "$IMAGES/oci" "$BATS_TEST_TMPDIR/again/oci"
    cmp "$IMAGES/busybox-docker.tar" "$BATS_TEST_TMPDIR/again/busybox-docker.tar"
    cmp "$IMAGES/multi-docker.tar" "$BATS_TEST_TMPDIR/again/multi-docker.tar"
    # Over an existing folder too.
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" "$BATS_TEST_TMPDIR/again"
    diff -r "$IMAGES/oci" "$BATS_TEST_TMPDIR/again/oci"
    is "$(find "$BATS_TEST_TMPDIR/again" -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ')" \
        "busybox-docker.tar busybox-docker.tar.gz busybox-oci.tar layered-docker.tar layered-oci.tar multi-docker.tar oci " \
        "what mkimage.sh leaves"
}

@test "fixtures: mkimage.sh --big writes a 5-layer image of about 150 MB" {
    [[ ${BURROW_TEST_BIG:-0} == 1 ]] || skip "writes 300 MB: set BURROW_TEST_BIG=1"
    requires_commands openssl
    "$BURROW_SOURCE_DIR/tests/system/lib/mkimage.sh" --big "$BATS_TEST_TMPDIR/big"
    is "$(sk inspect "docker-archive:$BATS_TEST_TMPDIR/big/big-docker.tar" | jq '.Layers | length')" 5
    local size
    size=$(stat -c %s "$BATS_TEST_TMPDIR/big/big-docker.tar")
    ((size > 140000000 && size < 170000000)) || die "big-docker.tar has $size bytes"
}

@test "registry: start, push with skopeo, inspect, stop" {
    requires_commands docker-registry
    start_registry
    is "$REGISTRY" '127\.0\.0\.1:[0-9]+'
    local pid=$REGISTRY_PID dir=$REGISTRY_DIR
    sk copy -q --dest-tls-verify=false "oci:$IMAGES/oci:busybox:latest" "docker://$REGISTRY/test/busybox:latest"
    sk copy -q --dest-tls-verify=false "oci:$IMAGES/oci:layered:latest" "docker://$REGISTRY/test/layered:v1"
    is "$(sk inspect --tls-verify=false "docker://$REGISTRY/test/busybox:latest" | jq -r .Digest)" \
        "$(jq -r '.manifests[0].digest' "$IMAGES/oci/index.json")" "the pushed manifest's digest"
    is "$(sk inspect --tls-verify=false "docker://$REGISTRY/test/layered:v1" | jq '.Layers | length')" 4
    is "$(sk list-tags --tls-verify=false "docker://$REGISTRY/test/layered" | jq -r '.Tags[]')" v1
    stop_registry
    [[ ! -e /proc/$pid ]] || die "the registry (pid $pid) still runs"
    [[ ! -e $dir ]] || die "$dir is left behind"
    [[ -z ${REGISTRY:-} ]] || die "REGISTRY is still set"
}

@test "registry: basic auth and TLS" {
    requires_commands docker-registry openssl curl
    start_registry --auth --tls
    is "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" "https://$REGISTRY/v2/")" 401 \
        "/v2/ without credentials"
    is "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" \
        -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "https://$REGISTRY/v2/")" 200 "/v2/ with credentials"
    [[ -f $REGISTRY_CERTS_D/$REGISTRY/ca.crt ]] || die "no certs.d entry for $REGISTRY"
    run sk copy -q --dest-cert-dir "$REGISTRY_CERT_DIR" "oci:$IMAGES/oci:busybox:latest" \
        "docker://$REGISTRY/test/busybox:latest"
    ((status != 0)) || die "a push without credentials worked"
    sk copy -q --dest-cert-dir "$REGISTRY_CERT_DIR" --dest-creds "$REGISTRY_USER:$REGISTRY_PASSWORD" \
        "oci:$IMAGES/oci:busybox:latest" "docker://$REGISTRY/test/busybox:latest"
    run sk inspect --creds "$REGISTRY_USER:$REGISTRY_PASSWORD" "docker://$REGISTRY/test/busybox:latest"
    ((status != 0)) || die "an unknown certificate was accepted"
    is "$(sk inspect --cert-dir "$REGISTRY_CERT_DIR" --creds "$REGISTRY_USER:$REGISTRY_PASSWORD" \
        "docker://$REGISTRY/test/busybox:latest" | jq -r .Digest)" \
        "$(jq -r '.manifests[0].digest' "$IMAGES/oci/index.json")" "the pushed manifest's digest"
}
