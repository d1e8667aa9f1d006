#!/usr/bin/env bats
# The container's life is tied to the foreground burrow: it ends when burrow is killed.

# shellcheck disable=SC2016,SC2153,SC2154

load helpers

# Starts `sleep SECS` in a container with the given flags in the background, kills burrow with
# SIGKILL once the container runs, and checks that the container is gone.
kill_burrow_and_check() {
    local secs=$((200000 + RANDOM))
    "$BURROW" "${_BURROW_OPTS[@]}" run --rootfs "$ROOTFS" "$@" sleep "$secs" >/dev/null 2>&1 3>&- &
    local burrow_pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        pgrep -f "^sleep $secs\$" >/dev/null && break
        sleep 0.05
    done
    pgrep -f "^sleep $secs\$" >/dev/null || die "the container did not start"
    kill -9 "$burrow_pid"
    wait "$burrow_pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        # a zombie left for the host's init to reap has ended
        local alive
        alive=$(pgrep -f "^sleep $secs\$" | while read -r p; do
            [[ $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) == Z ]] || echo "$p"
        done)
        [[ -z $alive ]] && return 0
        sleep 0.05
    done
    pkill -9 -f "^sleep $secs\$" || true
    die "the container outlived burrow (flags: $*)"
}

@test "lifecycle: the container ends when burrow is killed, as root in it" {
    requires userns
    kill_burrow_and_check
}

@test "lifecycle: the container ends when burrow is killed, as another user in it" {
    requires userns subuid
    kill_burrow_and_check --user 1000:1000
}

@test "lifecycle: a low --ulimit nofile limits the command, not burrow's set-up" {
    requires userns
    run_burrow run --rootfs "$ROOTFS" --ulimit nofile=3 true
    run_burrow run --rootfs "$ROOTFS" --ulimit nofile=10 sh -c 'ulimit -n'
    is "$output" "10" "the limit inside"
}
