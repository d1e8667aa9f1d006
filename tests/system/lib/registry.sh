# shellcheck shell=bash
# A private OCI distribution registry for the registry tests: Debian's docker-registry (the
# CNCF distribution registry, v2.8) run as the calling user on 127.0.0.1 and a free port, with
# its storage, config and log in a temporary folder. Source this file, then:
#
#   start_registry [--auth] [--tls]
#       Starts a registry and waits until /v2/ answers. Exports
#         REGISTRY          127.0.0.1:PORT, for image references (REGISTRY/test/busybox:latest)
#         REGISTRY_PID      its process
#         REGISTRY_DIR      its folder: config.yml, registry.log, storage/ (and htpasswd, certs)
#         REGISTRY_LOG      its log
#         REGISTRY_URL      http://REGISTRY or https://REGISTRY
#       --auth  HTTP basic auth from an htpasswd file (bcrypt): the registry answers 401 without
#               credentials. Exports REGISTRY_USER and REGISTRY_PASSWORD (defaults burrowtest and
#               burrow-password; set them before the call to choose others).
#       --tls   HTTPS with a self-signed certificate for 127.0.0.1 and localhost, made with
#               openssl. Exports REGISTRY_CA (the certificate, the CA to trust),
#               REGISTRY_CERTS_D (a certs.d folder: REGISTRY_CERTS_D/REGISTRY/ca.crt) and
#               REGISTRY_CERT_DIR (REGISTRY_CERTS_D/REGISTRY, for skopeo --cert-dir and the like).
#       Without --tls clients must be told the registry is insecure (skopeo --tls-verify=false).
#   stop_registry
#       Stops the registry started last and removes its folder.
#
# One registry at a time per shell. The folder is made under REGISTRY_TMPDIR, else
# BATS_FILE_TMPDIR, else TMPDIR, else /tmp. Returns non-zero, with the reason on stderr, when the
# registry cannot start.
#
# Needs docker-registry; curl to ask /v2/ (without it, bash's /dev/tcp: a plain GET for HTTP, a
# TCP connect for HTTPS); --tls needs openssl; --auth needs a bcrypt hash maker: htpasswd
# (apache2-utils) when installed, else perl's crypt() with a $2b$ salt (libcrypt, as Debian's
# libxcrypt provides it), else python3's crypt module.

# The bcrypt htpasswd line for USER and PASSWORD.
_registry_htpasswd_line() {
    local user=$1 password=$2 hash='' salt
    if command -v htpasswd >/dev/null; then
        htpasswd -nbB "$user" "$password" | head -n1
        return
    fi
    # 22 characters of bcrypt's alphabet; the last one carries 2 bits only.
    salt=$(LC_ALL=C tr -dc './A-Za-z0-9' </dev/urandom | head -c 21)
    salt+=$(LC_ALL=C tr -dc '.Oeu' </dev/urandom | head -c 1)
    if command -v perl >/dev/null; then
        hash=$(PW=$password SALT=$salt perl -e 'print crypt($ENV{PW}, "\$2b\$05\$" . $ENV{SALT})')
    fi
    if [[ $hash != "\$2"* ]] && command -v python3 >/dev/null; then
        # shellcheck disable=SC2016 # Python code
        hash=$(PW=$password SALT=$salt python3 -W ignore -c \
            'import crypt, os; print(crypt.crypt(os.environ["PW"], "$2b$05$" + os.environ["SALT"]) or "")' \
            2>/dev/null || true)
    fi
    if [[ $hash != "\$2"* ]]; then
        echo "start_registry: cannot make a bcrypt hash: install apache2-utils (htpasswd)" >&2
        return 1
    fi
    printf '%s:%s\n' "$user" "$hash"
}

# The HTTP status of GET URL/v2/ ("000" when nothing answers).
_registry_v2_status() {
    local url=$1 hostport=${1#*://} code
    if command -v curl >/dev/null; then
        code=$(curl -s -k -o /dev/null --max-time 2 -w '%{http_code}' "$url/v2/" 2>/dev/null) || true
        echo "${code:-000}"
        return
    fi
    local host=${hostport%:*} port=${hostport##*:} line
    if [[ $url == https://* ]]; then
        # No TLS in bash: a listening socket has to do.
        if (exec 9<>"/dev/tcp/$host/$port") 2>/dev/null; then echo 200; else echo 000; fi
        return
    fi
    line=$(
        exec 2>/dev/null
        exec 9<>"/dev/tcp/$host/$port" || exit 0
        printf 'GET /v2/ HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&9
        timeout 2 head -n1 <&9
    ) || true
    code=$(awk '{ print $2 }' <<<"$line")
    echo "${code:-000}"
}

_registry_port_in_use() {
    (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_registry() {
    local auth=false tls=false arg
    for arg in "$@"; do
        case $arg in
        --auth) auth=true ;;
        --tls) tls=true ;;
        *)
            echo "start_registry: unknown option '$arg' (--auth, --tls)" >&2
            return 2
            ;;
        esac
    done
    if [[ -n ${REGISTRY_PID:-} ]] && kill -0 "$REGISTRY_PID" 2>/dev/null; then
        echo "start_registry: a registry runs already ($REGISTRY, pid $REGISTRY_PID): stop_registry first" >&2
        return 1
    fi
    if ! command -v docker-registry >/dev/null; then
        echo "start_registry: docker-registry not found: install it (contrib/install-deps.sh)" >&2
        return 1
    fi
    if $tls && ! command -v openssl >/dev/null; then
        echo "start_registry: --tls needs openssl" >&2
        return 1
    fi

    local base=${REGISTRY_TMPDIR:-${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}} dir
    dir=$(mktemp -d "$base/registry.XXXXXX") || return 1
    mkdir -p "$dir/storage"

    local auth_yaml='' tls_yaml='' scheme=http
    if $auth; then
        export REGISTRY_USER=${REGISTRY_USER:-burrowtest}
        export REGISTRY_PASSWORD=${REGISTRY_PASSWORD:-burrow-password}
        _registry_htpasswd_line "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$dir/htpasswd" || {
            rm -rf "$dir"
            return 1
        }
        auth_yaml="auth:
  htpasswd:
    realm: burrow-test-registry
    path: $dir/htpasswd"
    fi
    if $tls; then
        scheme=https
        if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$dir/registry.key" -out "$dir/registry.crt" -days 7 \
            -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            >"$dir/openssl.log" 2>&1; then
            echo "start_registry: openssl could not make a certificate: $(cat "$dir/openssl.log")" >&2
            rm -rf "$dir"
            return 1
        fi
        tls_yaml="  tls:
    certificate: $dir/registry.crt
    key: $dir/registry.key"
    fi

    local port pid code='' deadline
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        ! _registry_port_in_use "$port" || continue
        cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: burrow-test-registry-secret
$tls_yaml
$auth_yaml
EOF
        # fd 3 is closed so that bats does not wait for the registry to end.
        docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 3>&- &
        pid=$!
        deadline=$((SECONDS + 20))
        while :; do
            if ! kill -0 "$pid" 2>/dev/null || [[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) == Z ]]; then
                wait "$pid" 2>/dev/null || true
                if grep -q 'address already in use' "$dir/registry.log"; then
                    continue 2
                fi
                echo "start_registry: docker-registry exited; its log:" >&2
                cat "$dir/registry.log" >&2
                rm -rf "$dir"
                return 1
            fi
            code=$(_registry_v2_status "$scheme://127.0.0.1:$port")
            if [[ $code == 200 || $code == 401 ]]; then
                break 2
            fi
            if ((SECONDS >= deadline)); then
                kill -KILL "$pid" 2>/dev/null || true
                wait "$pid" 2>/dev/null || true
                echo "start_registry: $scheme://127.0.0.1:$port/v2/ did not answer within 20s; the log:" >&2
                cat "$dir/registry.log" >&2
                rm -rf "$dir"
                return 1
            fi
            sleep 0.1
        done
    done
    if [[ $code != 200 && $code != 401 ]]; then
        echo "start_registry: no free port found" >&2
        rm -rf "$dir"
        return 1
    fi

    export REGISTRY=127.0.0.1:$port REGISTRY_PID=$pid REGISTRY_DIR=$dir
    export REGISTRY_LOG=$dir/registry.log REGISTRY_URL=$scheme://127.0.0.1:$port
    if $tls; then
        export REGISTRY_CA=$dir/registry.crt REGISTRY_CERTS_D=$dir/certs.d
        export REGISTRY_CERT_DIR=$REGISTRY_CERTS_D/$REGISTRY
        mkdir -p "$REGISTRY_CERT_DIR"
        cp "$REGISTRY_CA" "$REGISTRY_CERT_DIR/ca.crt"
    fi
}

stop_registry() {
    local pid=${REGISTRY_PID:-} dir=${REGISTRY_DIR:-} i
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            [[ -e /proc/$pid && $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) != Z ]] || break
            sleep 0.1
        done
        if ((i == 50)); then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    if [[ -n $dir && -d $dir ]]; then
        rm -rf "$dir"
    fi
    unset REGISTRY REGISTRY_PID REGISTRY_DIR REGISTRY_LOG REGISTRY_URL \
        REGISTRY_CA REGISTRY_CERTS_D REGISTRY_CERT_DIR
}
