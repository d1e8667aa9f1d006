#!/usr/bin/env bash
# Builds the storage and registry tests' images from busybox-static, without network and without
# root, and writes them in the formats burrow reads: an OCI image layout written here by hand
# (GNU tar, gzip, sha256sum, jq), and docker-archive and oci-archive files written from it by
# skopeo, an independent writer.
#
# Usage: tests/system/lib/mkimage.sh OUTDIR
#        tests/system/lib/mkimage.sh --big OUTDIR
#   BUSYBOX=PATH  the static busybox to copy (default: /bin/busybox from Debian's busybox-static)
#
# OUTDIR may exist: what this script writes there is replaced, nothing else is touched.
#
# OUTDIR gets:
#   oci/                  an OCI image layout whose index.json names each image with an
#                         org.opencontainers.image.ref.name annotation:
#     busybox:latest        1 layer: /bin/busybox with a symlink per applet (sbin, usr/bin and
#                           usr/sbin link to bin), /etc/passwd and /etc/group (root, app
#                           1000:1000, nobody; app is also in users), /tmp 1777, /root 0700,
#                           /home/app 1000:1000. Env PATH, Cmd ["sh"].
#     layered:latest        busybox's layer and 3 more:
#                           2: /data/keep, /data/gone, /data/dir/a, /data/hard1 and /data/hard2
#                              (one file, hard-linked), /data/link -> keep,
#                              /data/abslink -> /data/keep, /home/app/owned (1000:1000, 0640),
#                              /bin/suid-test (a shell script, 4755);
#                           3: /data/.wh.gone (removes /data/gone), /data/dir/.wh..wh..opq (hides
#                              /data/dir/a) and /data/dir/b;
#                           4: an empty tar.
#                           Env FOO=bar and PATH, WorkingDir /data, Cmd ["cat","/data/keep"],
#                           Entrypoint null, User "", Labels {"org.burrow.test":"layered"},
#                           ExposedPorts {"80/tcp":{}}; history with empty_layer entries.
#     entry:latest          busybox's layer; Entrypoint ["/bin/echo","entry"], Cmd ["default"],
#                           User "1000:1000", WorkingDir /home/app.
#     busybox-zstd:latest   busybox's layer compressed with zstd (only when zstd is installed).
#                           Same config, hence the same image id, as busybox:latest.
#   busybox-docker.tar    docker-archive of busybox:latest, tagged localhost/busybox:latest
#   busybox-docker.tar.gz the same, gzip-compressed
#   busybox-oci.tar       oci-archive of busybox:latest (ref name busybox:latest)
#   layered-docker.tar    docker-archive of layered:latest, tagged localhost/layered:latest
#   layered-oci.tar       oci-archive of layered:latest (ref name layered:latest)
#   multi-docker.tar      one docker-archive holding localhost/busybox:latest and
#                         localhost/layered:latest, sharing busybox's layer file. skopeo writes
#                         one image per archive and refuses to add to one: this archive merges
#                         the two that skopeo wrote (files named by digest, manifest.json and
#                         repositories joined), as `podman save -m` lays them out.
#
# With --big, OUTDIR gets only big-docker.tar, for contrib/bench/: a docker-archive of
# localhost/big:latest, 5 layers (busybox's and 4 of about 37 MB of incompressible data each,
# about 150 MB in all), the same bytes on every run.
#
# Every file has mtime 0 and the layers list their members sorted, so the layers, configs and
# manifests (hence the image ids and digests) are the same on every run with the same busybox,
# tar, gzip and zstd. Takes a few seconds; needs bash, GNU tar, gzip, coreutils, jq and skopeo;
# zstd is optional; --big needs openssl.
set -euo pipefail

usage() {
    echo "usage: $0 [--big] OUTDIR" >&2
    exit 2
}

big=false
if [[ ${1:-} == --big ]]; then
    big=true
    shift
fi
[[ $# -eq 1 && -n $1 ]] || usage
busybox=${BUSYBOX:-/bin/busybox}

fail() {
    echo "mkimage: $*" >&2
    exit 1
}

for tool in tar gzip sha256sum jq skopeo; do
    command -v "$tool" >/dev/null || fail "$tool not found: install it (contrib/install-deps.sh)"
done
if $big; then
    command -v openssl >/dev/null || fail "openssl not found: install it (contrib/install-deps.sh)"
fi
[[ -x $busybox ]] || fail "$busybox not found: install busybox-static (contrib/install-deps.sh)"
if ldd "$busybox" >/dev/null 2>&1; then
    fail "$busybox is dynamically linked: install busybox-static, not busybox"
fi

umask 022
mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$out/.mkimage-work
rm -rf "$work"
mkdir -p "$work/tmp" "$work/home"
trap 'rm -rf "$work"' EXIT

# The platform in Go's names, as image configs spell it.
variant=
case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
armv7*) arch=arm variant=v7 ;;
armv6*) arch=arm variant=v6 ;;
i?86) arch=386 ;;
ppc64le) arch=ppc64le ;;
s390x) arch=s390x ;;
riscv64) arch=riscv64 ;;
mips64) arch=mips64le ;;
loongarch64) arch=loong64 ;;
*) arch=$(uname -m) ;;
esac
created=2024-01-01T00:00:00Z
default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# skopeo with a private HOME and temporary folder: the caller's HOME may be missing or read-only,
# and no policy.json is needed for local copies.
sk() {
    HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config \
        TMPDIR=$work/tmp skopeo --insecure-policy --tmpdir "$work/tmp" "$@"
}

################################################################################
# layers and blobs

# tar_layer DIR OUT.tar [PATH=UID:GID]…
# Writes the contents of DIR (not DIR itself) as a layer tar: members sorted by name, mtime 0,
# owner 0:0 except the PATHs given (relative to DIR, exact), modes and links as in DIR. tar sets
# owners only for a whole invocation: each run of consecutive members with the same owner is
# appended by one.
tar_layer() {
    local dir=$1 tarfile=$2 spec
    shift 2
    local -A owner=()
    for spec in "$@"; do
        owner[${spec%=*}]=${spec#*=}
    done
    rm -f "$tarfile"
    local -a run=()
    local cur="" path o
    flush() {
        ((${#run[@]})) || return 0
        tar -C "$dir" -rf "$tarfile" --format=gnu --no-recursion --mtime=@0 \
            --owner="${cur%:*}" --group="${cur#*:}" --numeric-owner -- "${run[@]}"
        run=()
    }
    while IFS= read -r path; do
        o=${owner[$path]:-0:0}
        if [[ $o != "$cur" ]]; then
            flush
            cur=$o
        fi
        run+=("$path")
    done < <(cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort)
    flush
    if [[ ! -e $tarfile ]]; then
        tar -cf "$tarfile" --format=gnu --files-from /dev/null
    fi
}

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

# put_blob FILE BLOBDIR: moves FILE into BLOBDIR/sha256/ under its digest; prints "DIGEST SIZE".
put_blob() {
    local file=$1 blobs=$2 hex size
    hex=$(sha256_of "$file")
    size=$(stat -c %s "$file")
    mkdir -p "$blobs/sha256"
    mv -f "$file" "$blobs/sha256/$hex"
    echo "sha256:$hex $size"
}

descriptor() {
    jq -n -c --arg mt "$1" --arg d "$2" --argjson s "$3" '{mediaType: $mt, digest: $d, size: $s}'
}

# add_layer TAR COMPRESSION BLOBDIR: stores the layer (gzip, zstd or none) and appends its
# descriptor to layer_descs and its diff id to diff_ids.
layer_descs=()
diff_ids=()
add_layer() {
    local tarfile=$1 compression=$2 blobs=$3 mt digest size
    diff_ids+=("sha256:$(sha256_of "$tarfile")")
    case $compression in
    gzip)
        gzip -n -c "$tarfile" >"$tarfile.c"
        mt=application/vnd.oci.image.layer.v1.tar+gzip
        ;;
    zstd)
        zstd -q -c --no-progress "$tarfile" >"$tarfile.c"
        mt=application/vnd.oci.image.layer.v1.tar+zstd
        ;;
    none)
        cp "$tarfile" "$tarfile.c"
        mt=application/vnd.oci.image.layer.v1.tar
        ;;
    esac
    read -r digest size < <(put_blob "$tarfile.c" "$blobs")
    layer_descs+=("$(descriptor "$mt" "$digest" "$size")")
}

# add_image LAYOUT NAME CONFIG HISTORY: writes the config (the "config" object CONFIG, the
# history array HISTORY, the current diff_ids) and the manifest (the current layer_descs) into
# the OCI layout LAYOUT, and appends the manifest's descriptor, named NAME, to index_manifests.
index_manifests=()
add_image() {
    local layout=$1 name=$2 config=$3 history=$4 cfgfile=$work/config.json mfile=$work/manifest.json
    local cdigest csize mdigest msize
    jq -n -c --arg created "$created" --arg arch "$arch" --arg variant "$variant" \
        --argjson config "$config" --argjson history "$history" \
        --argjson diff_ids "$(printf '%s\n' "${diff_ids[@]}" | jq -R . | jq -s -c .)" \
        '{created: $created, architecture: $arch}
         + (if $variant == "" then {} else {variant: $variant} end)
         + {os: "linux", config: $config, rootfs: {type: "layers", diff_ids: $diff_ids},
            history: $history}' >"$cfgfile"
    read -r cdigest csize < <(put_blob "$cfgfile" "$layout/blobs")
    jq -n -c --argjson config "$(descriptor application/vnd.oci.image.config.v1+json "$cdigest" "$csize")" \
        --argjson layers "$(printf '%s\n' "${layer_descs[@]}" | jq -s -c .)" \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: $config, layers: $layers}' >"$mfile"
    read -r mdigest msize < <(put_blob "$mfile" "$layout/blobs")
    index_manifests+=("$(descriptor application/vnd.oci.image.manifest.v1+json "$mdigest" "$msize" |
        jq -c --arg n "$name" '. + {annotations: {"org.opencontainers.image.ref.name": $n}}')")
}

write_index() {
    local layout=$1
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    printf '%s\n' "${index_manifests[@]}" | jq -s -c \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}' \
        >"$layout/index.json"
}

history_entry() {
    jq -n -c --arg c "$created" --arg b "$1" --argjson e "${2:-false}" \
        '{created: $c, created_by: $b} + (if $e then {empty_layer: true} else {} end)'
}

################################################################################
# the busybox layer

make_busybox_tree() {
    local dir=$1 applet
    mkdir -p "$dir"/{bin,dev,etc,home/app,root,tmp,usr,var/tmp}
    chmod 1777 "$dir/tmp" "$dir/var/tmp"
    chmod 0700 "$dir/root"
    ln -s bin "$dir/sbin"
    ln -s ../bin "$dir/usr/bin"
    ln -s ../bin "$dir/usr/sbin"
    cp "$busybox" "$dir/bin/busybox"
    chmod 0755 "$dir/bin/busybox"
    while read -r applet; do
        [[ $applet == busybox || -e $dir/bin/$applet ]] || ln -s busybox "$dir/bin/$applet"
    done < <("$busybox" --list)
    cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
    cat >"$dir/etc/group" <<'GROUP'
root:x:0:
users:x:100:app
app:x:1000:
nobody:x:65534:
GROUP
    chmod 0644 "$dir/etc/passwd" "$dir/etc/group"
}

build_busybox_layer() {
    make_busybox_tree "$work/l1"
    tar_layer "$work/l1" "$work/l1.tar" home/app=1000:1000
}

busybox_image() {
    local layout=$1 name=$2 compression=$3
    layer_descs=()
    diff_ids=()
    add_layer "$work/l1.tar" "$compression" "$layout/blobs"
    add_image "$layout" "$name" \
        "$(jq -n -c --arg p "PATH=$default_path" '{Env: [$p], Cmd: ["sh"]}')" \
        "[$(history_entry 'ADD busybox-static / # burrow test image'),$(history_entry 'CMD ["sh"]' true)]"
}

################################################################################
# the normal set

build_normal() {
    local layout=$out/oci
    rm -rf "$layout" "$out"/{busybox,layered}-{docker,oci}.tar "$out/busybox-docker.tar.gz" \
        "$out/multi-docker.tar"
    mkdir -p "$layout/blobs/sha256"

    build_busybox_layer
    busybox_image "$layout" busybox:latest gzip

    # layered: layer 2, files of every kind.
    local d=$work/l2
    mkdir -p "$d"/{bin,data/dir,home/app}
    echo keep >"$d/data/keep"
    echo gone >"$d/data/gone"
    echo a >"$d/data/dir/a"
    echo hard >"$d/data/hard1"
    ln "$d/data/hard1" "$d/data/hard2"
    ln -s keep "$d/data/link"
    ln -s /data/keep "$d/data/abslink"
    echo owned >"$d/home/app/owned"
    chmod 0640 "$d/home/app/owned"
    printf '#!/bin/sh\necho suid-test\n' >"$d/bin/suid-test"
    chmod 4755 "$d/bin/suid-test"
    tar_layer "$d" "$work/l2.tar" home/app=1000:1000 home/app/owned=1000:1000
    # layer 3: whiteouts.
    d=$work/l3
    mkdir -p "$d/data/dir"
    : >"$d/data/.wh.gone"
    : >"$d/data/dir/.wh..wh..opq"
    echo b >"$d/data/dir/b"
    tar_layer "$d" "$work/l3.tar"
    # layer 4: empty.
    mkdir -p "$work/l4"
    tar_layer "$work/l4" "$work/l4.tar"

    layer_descs=()
    diff_ids=()
    local l
    for l in 1 2 3 4; do
        add_layer "$work/l$l.tar" gzip "$layout/blobs"
    done
    local history
    history="[$(history_entry 'ADD busybox-static / # burrow test image'),
        $(history_entry 'ENV FOO=bar' true),
        $(history_entry 'COPY data /data; COPY suid-test /bin/; COPY owned /home/app/'),
        $(history_entry 'RUN rm /data/gone; rm -r /data/dir/*; echo b >/data/dir/b'),
        $(history_entry 'RUN true'),
        $(history_entry 'WORKDIR /data' true),
        $(history_entry 'LABEL org.burrow.test=layered' true),
        $(history_entry 'EXPOSE 80/tcp' true),
        $(history_entry 'CMD ["cat","/data/keep"]' true)]"
    add_image "$layout" layered:latest \
        "$(jq -n -c --arg p "PATH=$default_path" \
            '{User: "", ExposedPorts: {"80/tcp": {}}, Env: ["FOO=bar", $p],
              Entrypoint: null, Cmd: ["cat", "/data/keep"], WorkingDir: "/data",
              Labels: {"org.burrow.test": "layered"}}')" \
        "$(jq -c . <<<"$history")"

    # entry: busybox's layer, an entrypoint and a user.
    layer_descs=()
    diff_ids=()
    add_layer "$work/l1.tar" gzip "$layout/blobs"
    add_image "$layout" entry:latest \
        "$(jq -n -c --arg p "PATH=$default_path" \
            '{User: "1000:1000", Env: [$p], Entrypoint: ["/bin/echo", "entry"],
              Cmd: ["default"], WorkingDir: "/home/app"}')" \
        "[$(history_entry 'ADD busybox-static / # burrow test image'),
          $(history_entry 'USER 1000:1000' true),
          $(history_entry 'WORKDIR /home/app' true),
          $(history_entry 'ENTRYPOINT ["/bin/echo","entry"]' true),
          $(history_entry 'CMD ["default"]' true)]"

    if command -v zstd >/dev/null; then
        busybox_image "$layout" busybox-zstd:latest zstd
    else
        echo "mkimage: zstd not found: no busybox-zstd:latest" >&2
    fi
    write_index "$layout"

    # The archives, written by skopeo.
    local name
    for name in busybox layered; do
        sk copy -q "oci:$layout:$name:latest" "docker-archive:$out/$name-docker.tar:localhost/$name:latest" >/dev/null
        sk copy -q "oci:$layout:$name:latest" "oci-archive:$out/$name-oci.tar:$name:latest" >/dev/null
    done
    gzip -n -c "$out/busybox-docker.tar" >"$out/busybox-docker.tar.gz"
    merge_docker_archives "$out/multi-docker.tar" "$out/busybox-docker.tar" "$out/layered-docker.tar"
}

# merge_docker_archives OUT IN… : one docker-archive with every image of the INs. skopeo names
# each layer and config file after its digest, so files the archives share are the same file.
merge_docker_archives() {
    local target=$1 dir=$work/merge in i=0
    shift
    rm -rf "$dir"
    mkdir -p "$dir/all"
    for in in "$@"; do
        mkdir -p "$dir/$i"
        tar -C "$dir/$i" -xf "$in"
        cp -an "$dir/$i"/. "$dir/all/"
        rm -f "$dir/all/manifest.json" "$dir/all/repositories"
        i=$((i + 1))
    done
    local manifests=() repositories=() j
    for ((j = 0; j < i; j++)); do
        manifests+=("$dir/$j/manifest.json")
        [[ ! -e $dir/$j/repositories ]] || repositories+=("$dir/$j/repositories")
    done
    jq -s -c 'add' "${manifests[@]}" >"$dir/all/manifest.json"
    if ((${#repositories[@]})); then
        jq -s -c 'reduce .[] as $r ({}; . * $r)' "${repositories[@]}" >"$dir/all/repositories"
    fi
    local -a members
    mapfile -t members < <(cd "$dir/all" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort)
    tar -C "$dir/all" -cf "$target" --format=gnu --sort=name --mtime=@0 --owner=0 --group=0 \
        --numeric-owner -- "${members[@]}"
    rm -rf "$dir"
}

################################################################################
# the big image

# seeded_bytes SEED SIZE: SIZE bytes that look random and are the same for the same SEED.
seeded_bytes() {
    local key iv
    key=$(printf 'burrow-big-key-%s' "$1" | sha256sum | cut -c1-32)
    iv=$(printf 'burrow-big-iv-%s' "$1" | sha256sum | cut -c1-32)
    head -c "$2" /dev/zero | openssl enc -aes-128-ctr -K "$key" -iv "$iv" -nosalt
}

build_big() {
    local layout=$work/big-oci l f
    rm -f "$out/big-docker.tar"
    mkdir -p "$layout/blobs/sha256"
    build_busybox_layer
    layer_descs=()
    diff_ids=()
    add_layer "$work/l1.tar" none "$layout/blobs"
    local history
    history=$(history_entry 'ADD busybox-static / # burrow test image')
    for l in 1 2 3 4; do
        mkdir -p "$work/big$l/big/$l"
        for f in 0 1 2 3; do
            seeded_bytes "$l-$f" $((9437184 + 1000 * l + f)) >"$work/big$l/big/$l/data-$f"
        done
        tar_layer "$work/big$l" "$work/big$l.tar"
        rm -rf "$work/big$l"
        add_layer "$work/big$l.tar" none "$layout/blobs"
        rm -f "$work/big$l.tar"
        history+=,$(history_entry "COPY data /big/$l/")
    done
    history+=,$(history_entry 'CMD ["sh"]' true)
    index_manifests=()
    add_image "$layout" big:latest \
        "$(jq -n -c --arg p "PATH=$default_path" '{Env: [$p], Cmd: ["sh"]}')" "[$history]"
    write_index "$layout"
    sk copy -q "oci:$layout:big:latest" "docker-archive:$out/big-docker.tar:localhost/big:latest" >/dev/null
}

if $big; then
    build_big
else
    build_normal
fi
