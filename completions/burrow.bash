# bash completion for burrow
# Generated from the command tree by `burrow completion bash`: do not edit, run contrib/gen-completions.sh

# What each command takes: subcommands, flags, options with a value, and its other
# arguments (0: none, 1: files, 2: a command line of its own).
_burrow_spec() {
    case "$1" in
    "burrow")
        cmds="info run unshare version"
        flags="-h --help -v --version"
        opts="--log-level --root --runroot --storage-driver"
        args=0
        ;;
    "burrow info")
        cmds=""
        flags="-h --help"
        opts="-f --format"
        args=0
        ;;
    "burrow run")
        cmds=""
        flags="--help -i --interactive -t --tty --rm --privileged --read-only"
        opts="--rootfs --sig-proxy -e --env --env-file -w --workdir -u --user --group-add -h --hostname --network --net --pid --ipc --uts --cap-add --cap-drop --security-opt --ulimit --tmpfs -v --volume -c --cpu-shares --cpus -m --memory --pids-limit"
        args=2
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
