# fish completion for burrow
# Generated from the command tree by `burrow completion fish`: do not edit, run contrib/gen-completions.sh

set -g __burrow_commands \
    'burrow info' \
    'burrow run' \
    'burrow unshare' \
    'burrow version'
set -g __burrow_value_options \
    'burrow --log-level' \
    'burrow --root' \
    'burrow --runroot' \
    'burrow --storage-driver' \
    'burrow info -f' \
    'burrow info --format' \
    'burrow run --rootfs' \
    'burrow run --sig-proxy' \
    'burrow run -e' \
    'burrow run --env' \
    'burrow run --env-file' \
    'burrow run -w' \
    'burrow run --workdir' \
    'burrow run -u' \
    'burrow run --user' \
    'burrow run --group-add' \
    'burrow run -h' \
    'burrow run --hostname' \
    'burrow run --network' \
    'burrow run --net' \
    'burrow run --pid' \
    'burrow run --ipc' \
    'burrow run --uts' \
    'burrow run --cap-add' \
    'burrow run --cap-drop' \
    'burrow run --security-opt' \
    'burrow run --ulimit' \
    'burrow run --tmpfs' \
    'burrow run -v' \
    'burrow run --volume' \
    'burrow run -c' \
    'burrow run --cpu-shares' \
    'burrow run --cpus' \
    'burrow run -m' \
    'burrow run --memory' \
    'burrow run --pids-limit' \
    'burrow version -f' \
    'burrow version --format'
set -g __burrow_command_lines \
    'burrow run' \
    'burrow unshare'

# The command path under the cursor ("burrow run"), found by skipping options
# and their values; "… --" once the words belong to the command a container runs.
function __burrow_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path burrow
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '--'
                echo "$path --"
                return
            case '-*=*'
            case '-*'
                contains -- "$path $w" $__burrow_value_options; and set skip 1
            case '*'
                if contains -- "$path $w" $__burrow_commands
                    set path "$path $w"
                else if contains -- "$path" $__burrow_command_lines
                    echo "$path --"
                    return
                end
        end
    end
    echo $path
end

function __burrow_at
    test (__burrow_path) = "$argv[1]"
end

complete -c burrow -f

# burrow
complete -c burrow -n '__burrow_at \'burrow\'' -a 'info' -d 'Display system information and check the host for rootless containers'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'run' -d 'Run a command in a new container'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'unshare' -d 'Run a command as root in the user namespace with your id mappings'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'version' -d 'Display the burrow version information'
complete -c burrow -n '__burrow_at \'burrow\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow\'' -s v -l version -d 'Display program version information and exit'
complete -c burrow -n '__burrow_at \'burrow\'' -l log-level -x -a 'debug info warn warning error' -d 'Log messages at and above: debug, info, warn, error'
complete -c burrow -n '__burrow_at \'burrow\'' -l root -r -F -d 'Storage root (default: $XDG_DATA_HOME/burrow/storage)'
complete -c burrow -n '__burrow_at \'burrow\'' -l runroot -r -F -d 'Runtime state directory (default: $XDG_RUNTIME_DIR/burrow or /tmp/burrow-run-UID)'
complete -c burrow -n '__burrow_at \'burrow\'' -l storage-driver -x -a 'auto overlay fuse-overlayfs vfs' -d 'Storage driver: overlay, fuse-overlayfs, vfs'

# burrow info
complete -c burrow -n '__burrow_at \'burrow info\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow info\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.Host.Kernel}}\''

# burrow run
complete -c burrow -n '__burrow_at \'burrow run\'' -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow run\'' -l rootfs -r -F -d 'Use DIR as the container\'s root filesystem'
complete -c burrow -n '__burrow_at \'burrow run\'' -s i -l interactive -d 'Keep STDIN open'
complete -c burrow -n '__burrow_at \'burrow run\'' -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c burrow -n '__burrow_at \'burrow run\'' -l rm -d 'Remove the container when it exits (a --rootfs container keeps no state)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l sig-proxy -r -F -d 'Forward received signals to the container'
complete -c burrow -n '__burrow_at \'burrow run\'' -s e -l env -r -F -d 'Set an environment variable (KEY=VALUE, or KEY to copy)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l env-file -r -F -d 'Read environment variables from a file'
complete -c burrow -n '__burrow_at \'burrow run\'' -s w -l workdir -r -F -d 'Working directory inside the container'
complete -c burrow -n '__burrow_at \'burrow run\'' -s u -l user -r -F -d 'User to run as: name|uid[:group|gid]'
complete -c burrow -n '__burrow_at \'burrow run\'' -l group-add -r -F -d 'Add a supplementary group'
complete -c burrow -n '__burrow_at \'burrow run\'' -s h -l hostname -r -F -d 'Container host name (default: the short id)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l network -l net -r -F -d 'Network mode: none or host (default none)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l pid -r -F -d 'PID namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow run\'' -l ipc -r -F -d 'IPC namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow run\'' -l uts -r -F -d 'UTS namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow run\'' -l cap-add -r -F -d 'Add a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l cap-drop -r -F -d 'Drop a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l privileged -d 'All capabilities of the user namespace, no seccomp, no masked paths'
complete -c burrow -n '__burrow_at \'burrow run\'' -l security-opt -r -F -d 'seccomp=unconfined|PROFILE.json, no-new-privileges, label=disable'
complete -c burrow -n '__burrow_at \'burrow run\'' -l ulimit -r -F -d 'Resource limit: NAME=SOFT[:HARD], e.g. nofile=1024:2048'
complete -c burrow -n '__burrow_at \'burrow run\'' -l read-only -d 'Mount the container\'s root read-only'
complete -c burrow -n '__burrow_at \'burrow run\'' -l tmpfs -r -F -d 'Mount a tmpfs: PATH[:OPTIONS]'
complete -c burrow -n '__burrow_at \'burrow run\'' -s v -l volume -r -F -d 'Bind mount: HOST-DIR:CONTAINER-DIR[:ro]'
complete -c burrow -n '__burrow_at \'burrow run\'' -s c -l cpu-shares -r -F -d 'CPU shares (relative weight)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l cpus -r -F -d 'Number of CPUs'
complete -c burrow -n '__burrow_at \'burrow run\'' -s m -l memory -r -F -d 'Memory limit, e.g. 512m'
complete -c burrow -n '__burrow_at \'burrow run\'' -l pids-limit -r -F -d 'Limit on the number of processes'
complete -c burrow -n '__burrow_at \'burrow run\'' -F
complete -c burrow -n '__burrow_at \'burrow run --\'' -F

# burrow unshare
complete -c burrow -n '__burrow_at \'burrow unshare\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow unshare\'' -F
complete -c burrow -n '__burrow_at \'burrow unshare --\'' -F

# burrow version
complete -c burrow -n '__burrow_at \'burrow version\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow version\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.Client.Version}}\''
