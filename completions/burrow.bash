# bash completion for burrow
# Generated from the command tree by `burrow completion bash`: do not edit, run contrib/gen-completions.sh

# What each command takes: subcommands, flags, options with a value, and its other
# arguments (0: none, 1: files, 2: a command line of its own).
_burrow_spec() {
    case "$1" in
    "burrow")
        cmds="commit container cp create diff export history image images import info inspect load ps pull rename rm rmi run save start system tag unshare version"
        flags="-h --help -v --version"
        opts="--log-level --root --runroot --storage-driver"
        args=0
        ;;
    "burrow commit")
        cmds=""
        flags="-h --help -p --pause -q --quiet"
        opts="-a --author -m --message -c --change"
        args=1
        ;;
    "burrow container")
        cmds="commit cp create diff export inspect ls prune rename rm start"
        flags="-h --help"
        opts=""
        args=0
        ;;
    "burrow container commit")
        cmds=""
        flags="-h --help -p --pause -q --quiet"
        opts="-a --author -m --message -c --change"
        args=1
        ;;
    "burrow container cp")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow container create")
        cmds=""
        flags="--help -i --interactive -t --tty --rm --privileged --read-only"
        opts="--rootfs --name -l --label --entrypoint --pull --platform --tls-verify --authfile --creds --sig-proxy -e --env --env-file -w --workdir -u --user --group-add -h --hostname --network --net --pid --ipc --uts --cap-add --cap-drop --security-opt --ulimit --tmpfs -v --volume -c --cpu-shares --cpus -m --memory --pids-limit"
        args=2
        ;;
    "burrow container diff")
        cmds=""
        flags="-h --help"
        opts="--format"
        args=1
        ;;
    "burrow container export")
        cmds=""
        flags="-h --help"
        opts="-o --output"
        args=1
        ;;
    "burrow container inspect")
        cmds=""
        flags="-h --help -s --size"
        opts="-f --format"
        args=1
        ;;
    "burrow container ls")
        cmds=""
        flags="-h --help -a --all -q --quiet --no-trunc -l --latest -s --size"
        opts="-n --last -f --filter --format"
        args=0
        ;;
    "burrow container prune")
        cmds=""
        flags="-h --help -f --force"
        opts=""
        args=0
        ;;
    "burrow container rename")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow container rm")
        cmds=""
        flags="-h --help -f --force -v --volumes -a --all"
        opts=""
        args=1
        ;;
    "burrow container start")
        cmds=""
        flags="-h --help -a --attach -i --interactive"
        opts=""
        args=1
        ;;
    "burrow cp")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow create")
        cmds=""
        flags="--help -i --interactive -t --tty --rm --privileged --read-only"
        opts="--rootfs --name -l --label --entrypoint --pull --platform --tls-verify --authfile --creds --sig-proxy -e --env --env-file -w --workdir -u --user --group-add -h --hostname --network --net --pid --ipc --uts --cap-add --cap-drop --security-opt --ulimit --tmpfs -v --volume -c --cpu-shares --cpus -m --memory --pids-limit"
        args=2
        ;;
    "burrow diff")
        cmds=""
        flags="-h --help"
        opts="--format"
        args=1
        ;;
    "burrow export")
        cmds=""
        flags="-h --help"
        opts="-o --output"
        args=1
        ;;
    "burrow history")
        cmds=""
        flags="-h --help --no-trunc -q --quiet -H --human"
        opts="--format"
        args=1
        ;;
    "burrow image")
        cmds="history import inspect load ls prune rm save tag untag"
        flags="-h --help"
        opts=""
        args=0
        ;;
    "burrow image history")
        cmds=""
        flags="-h --help --no-trunc -q --quiet -H --human"
        opts="--format"
        args=1
        ;;
    "burrow image import")
        cmds=""
        flags="-h --help"
        opts="-c --change -m --message"
        args=1
        ;;
    "burrow image inspect")
        cmds=""
        flags="-h --help"
        opts="-f --format"
        args=1
        ;;
    "burrow image load")
        cmds=""
        flags="-h --help -q --quiet"
        opts="-i --input"
        args=0
        ;;
    "burrow image ls")
        cmds=""
        flags="-h --help -a --all -q --quiet --digests --no-trunc"
        opts="-f --filter --format"
        args=0
        ;;
    "burrow image prune")
        cmds=""
        flags="-h --help -a --all -f --force"
        opts=""
        args=0
        ;;
    "burrow image rm")
        cmds=""
        flags="-h --help -f --force -a --all"
        opts=""
        args=1
        ;;
    "burrow image save")
        cmds=""
        flags="-h --help"
        opts="-o --output --format"
        args=1
        ;;
    "burrow image tag")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow image untag")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow images")
        cmds=""
        flags="-h --help -a --all -q --quiet --digests --no-trunc"
        opts="-f --filter --format"
        args=0
        ;;
    "burrow import")
        cmds=""
        flags="-h --help"
        opts="-c --change -m --message"
        args=1
        ;;
    "burrow info")
        cmds=""
        flags="-h --help"
        opts="-f --format"
        args=0
        ;;
    "burrow inspect")
        cmds=""
        flags="-h --help -s --size"
        opts="-f --format --type"
        args=1
        ;;
    "burrow load")
        cmds=""
        flags="-h --help -q --quiet"
        opts="-i --input"
        args=0
        ;;
    "burrow ps")
        cmds=""
        flags="-h --help -a --all -q --quiet --no-trunc -l --latest -s --size"
        opts="-n --last -f --filter --format"
        args=0
        ;;
    "burrow pull")
        cmds=""
        flags="-h --help -q --quiet"
        opts="--platform --tls-verify --authfile --creds --max-parallel"
        args=1
        ;;
    "burrow rename")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow rm")
        cmds=""
        flags="-h --help -f --force -v --volumes -a --all"
        opts=""
        args=1
        ;;
    "burrow rmi")
        cmds=""
        flags="-h --help -f --force -a --all"
        opts=""
        args=1
        ;;
    "burrow run")
        cmds=""
        flags="--help -i --interactive -t --tty --rm --privileged --read-only"
        opts="--rootfs --name -l --label --entrypoint --pull --platform --tls-verify --authfile --creds --sig-proxy -e --env --env-file -w --workdir -u --user --group-add -h --hostname --network --net --pid --ipc --uts --cap-add --cap-drop --security-opt --ulimit --tmpfs -v --volume -c --cpu-shares --cpus -m --memory --pids-limit"
        args=2
        ;;
    "burrow save")
        cmds=""
        flags="-h --help"
        opts="-o --output --format"
        args=1
        ;;
    "burrow start")
        cmds=""
        flags="-h --help -a --attach -i --interactive"
        opts=""
        args=1
        ;;
    "burrow system")
        cmds="df reset"
        flags="-h --help"
        opts=""
        args=0
        ;;
    "burrow system df")
        cmds=""
        flags="-h --help"
        opts="--format"
        args=0
        ;;
    "burrow system reset")
        cmds=""
        flags="-h --help -f --force"
        opts=""
        args=0
        ;;
    "burrow tag")
        cmds=""
        flags="-h --help"
        opts=""
        args=1
        ;;
    "burrow unshare")
        cmds=""
        flags="-h --help"
        opts=""
        args=2
        ;;
    "burrow version")
        cmds=""
        flags="-h --help"
        opts="-f --format"
        args=0
        ;;
    esac
}

# The values of options and arguments that take one of a fixed set.
_burrow_choices() {
    case "$1 $2" in
    "burrow --log-level") echo 'debug info warn warning error' ;;
    "burrow --storage-driver") echo 'auto overlay fuse-overlayfs vfs' ;;
    "burrow container create --pull") echo 'missing always newer never' ;;
    "burrow container create --tls-verify") echo 'true false' ;;
    "burrow create --pull") echo 'missing always newer never' ;;
    "burrow create --tls-verify") echo 'true false' ;;
    "burrow image save --format") echo 'docker-archive oci-archive oci-dir' ;;
    "burrow pull --tls-verify") echo 'true false' ;;
    "burrow run --pull") echo 'missing always newer never' ;;
    "burrow run --tls-verify") echo 'true false' ;;
    "burrow save --format") echo 'docker-archive oci-archive oci-dir' ;;
    esac
}

_burrow() {
    local cur prev words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        _get_comp_words_by_ref -n =: cur prev words cword
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD - 1]}"
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local cmds flags opts args path=burrow w i skip=0 nargs=0
    _burrow_spec "$path"
    for ((i = 1; i < cword; i++)); do
        w="${words[i]}"
        if ((skip)); then
            skip=0
            continue
        fi
        case "$w" in
        --)
            compopt -o default 2>/dev/null
            COMPREPLY=()
            return
            ;;
        -*=*) ;;
        -*) [[ " $opts " == *" $w "* ]] && skip=1 ;;
        *)
            if [[ " $cmds " == *" $w "* ]]; then
                path="$path $w"
                _burrow_spec "$path"
                nargs=0
            else
                nargs=$((nargs + 1))
            fi
            ;;
        esac
    done
    if ((args == 2 && nargs > 0)); then
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return
    fi
    local choices
    if [[ "$cur" == -*=* ]]; then
        choices=$(_burrow_choices "$path" "${cur%%=*}")
        if [[ -n "$choices" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "${cur#*=}")
        else
            compopt -o default 2>/dev/null
            COMPREPLY=()
        fi
        return
    fi
    if [[ "$prev" == -* && " $opts " == *" $prev "* ]]; then
        choices=$(_burrow_choices "$path" "$prev")
        if [[ -n "$choices" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
        else
            compopt -o default 2>/dev/null
            COMPREPLY=()
        fi
        return
    fi
    if [[ "$cur" == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$flags $opts" -- "$cur")
        return
    fi
    if [[ -n "$cmds" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
        return
    fi
    choices=$(_burrow_choices "$path" @)
    if [[ -n "$choices" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
    elif ((args)); then
        compopt -o default 2>/dev/null
        COMPREPLY=()
    fi
}

complete -F _burrow burrow
