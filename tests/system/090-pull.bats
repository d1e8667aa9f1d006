#!/usr/bin/env bats
# burrow pull from a real registry on loopback (Debian's docker-registry), with images put in by
# skopeo, an independent client: plain HTTP, and HTTPS with basic auth.

# registry.sh sets the REGISTRY variables.
# shellcheck disable=SC2153,SC2154

load helpers

setup_file() {
    burrow_setup_images
}

setup() {
    burrow_setup
    requires userns subuid
    command -v docker-registry >/dev/null || skip "docker-registry is not installed"
    command -v skopeo >/dev/null || skip "skopeo is not installed"
    export HOME=$BATS_TEST_TMPDIR/home
    mkdir -p "$HOME"
    # shellcheck source-path=SCRIPTDIR source=lib/registry.sh disable=SC1091
    source "$BURROW_SOURCE_DIR/tests/system/lib/registry.sh"
}

teardown() {
    if [[ -n ${REGISTRY_PID:-} ]]; then
        stop_registry
    fi
    burrow_teardown
}

# Puts an image of the OCI layout into the registry: push_image NAME:TAG REPO:TAG [skopeo flags]
push_image() {
    local src=$1 dest=$2
    shift 2
    skopeo copy --insecure-policy --dest-tls-verify=false "$@" \
        "oci:$IMAGES/oci:$src" "docker://$REGISTRY/$dest" >/dev/null
}

@test "pull: an image from a plain HTTP registry, then again as a no-op" {
    start_registry
    push_image layered:latest test/layered:1
    run_burrow pull --tls-verify=false "$REGISTRY/test/layered:1"
    is "${lines[0]}" "1: Pulling from $REGISTRY/test/layered"
    is "$output" ".*: Pull complete.*"
    is "$output" ".*Digest: sha256:[0-9a-f]{64}.*"
    is "$output" ".*Status: Downloaded newer image for $REGISTRY/test/layered:1
$REGISTRY/test/layered:1"
    run_burrow run --rm "$REGISTRY/test/layered:1"
    is "$output" "keep"
    run_burrow run --rm "$REGISTRY/test/layered:1" stat -c %u /home/app/owned
    is "$output" "1000"

    run_burrow pull --tls-verify=false "$REGISTRY/test/layered:1"
    is "$output" ".*Status: Image is up to date for $REGISTRY/test/layered:1.*"
    run_burrow images -q
    is "${#lines[@]}" 1 "one image"
}

@test "pull: by digest, the same image as skopeo sees it" {
    start_registry
    push_image busybox:latest test/busybox:latest
    local digest
    digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' \
        "docker://$REGISTRY/test/busybox:latest")
    run_burrow pull -q --tls-verify=false "$REGISTRY/test/busybox@$digest"
    is "$output" "[0-9a-f]{64}"
    run_burrow images --digests --format '{{.Digest}}'
    is "$output" ".*$digest.*"
    local config
    config=$(skopeo inspect --tls-verify=false --config --raw \
        "docker://$REGISTRY/test/busybox:latest" | sha256sum | cut -d' ' -f1)
    run_burrow images -q --no-trunc
    is "$output" "sha256:$config|$config" "the image id is the config's digest"
}

@test "run pulls a missing image; --pull never does not" {
    start_registry
    push_image busybox:latest test/busybox:latest
    run_burrow 125 run --rm --pull never --tls-verify=false "$REGISTRY/test/busybox" true
    is_one_error_line ".*image not known"
    run_burrow run --rm --tls-verify=false "$REGISTRY/test/busybox" echo ran
    is "$output" "ran"
    is "$stderr" ".*Pull complete.*" "the pull's lines go to stderr"
}

@test "pull: HTTPS with basic auth, the CA from certs.d, credentials from --creds" {
    start_registry --auth --tls
    skopeo copy --insecure-policy --dest-cert-dir "$REGISTRY_CERT_DIR" \
        --dest-creds "$REGISTRY_USER:$REGISTRY_PASSWORD" \
        "oci:$IMAGES/oci:busybox:latest" "docker://$REGISTRY/test/busybox:latest" >/dev/null
    mkdir -p "$XDG_CONFIG_HOME/containers"
    cp -r "$REGISTRY_CERTS_D" "$XDG_CONFIG_HOME/containers/certs.d"
    run_burrow 125 pull "$REGISTRY/test/busybox:latest"
    is_one_error_line ".*(login|authentication|unauthorized).*"
    run_burrow 125 pull --creds "$REGISTRY_USER:wrong" "$REGISTRY/test/busybox:latest"
    is_one_error_line ".*"
    run_burrow images -q
    is "$output" "" "a failed pull stores nothing"
    run_burrow pull --creds "$REGISTRY_USER:$REGISTRY_PASSWORD" "$REGISTRY/test/busybox:latest"
    is "$output" ".*Status: Downloaded newer image.*"
}

@test "pull: an unknown tag and a registry that is down are one-line errors" {
    start_registry
    run_burrow 125 pull --tls-verify=false "$REGISTRY/test/nothing:1"
    is_one_error_line ".*$REGISTRY.*(404|not found|unknown).*"
    stop_registry
    run_burrow 125 pull --tls-verify=false "127.0.0.1:9/test/nothing:1"
    is_one_error_line ".*127.0.0.1.*"
    run_burrow 125 pull "NotAValidName"
    is_one_error_line ".*lowercase.*"
}
