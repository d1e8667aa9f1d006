# fish completion for burrow
# Generated from the command tree by `burrow completion fish`: do not edit, run contrib/gen-completions.sh

set -g __burrow_commands \
    'burrow commit' \
    'burrow container' \
    'burrow container commit' \
    'burrow container cp' \
    'burrow container create' \
    'burrow container diff' \
    'burrow container export' \
    'burrow container inspect' \
    'burrow container ls' \
    'burrow container prune' \
    'burrow container rename' \
    'burrow container rm' \
    'burrow container start' \
    'burrow cp' \
    'burrow create' \
    'burrow diff' \
    'burrow export' \
    'burrow history' \
    'burrow image' \
    'burrow image history' \
    'burrow image import' \
    'burrow image inspect' \
    'burrow image load' \
    'burrow image ls' \
    'burrow image prune' \
    'burrow image rm' \
    'burrow image save' \
    'burrow image tag' \
    'burrow image untag' \
    'burrow images' \
    'burrow import' \
    'burrow info' \
    'burrow inspect' \
    'burrow load' \
    'burrow ps' \
    'burrow pull' \
    'burrow rename' \
    'burrow rm' \
    'burrow rmi' \
    'burrow run' \
    'burrow save' \
    'burrow start' \
    'burrow system' \
    'burrow system df' \
    'burrow system reset' \
    'burrow tag' \
    'burrow unshare' \
    'burrow version'
set -g __burrow_value_options \
    'burrow --log-level' \
    'burrow --root' \
    'burrow --runroot' \
    'burrow --storage-driver' \
    'burrow commit -a' \
    'burrow commit --author' \
    'burrow commit -m' \
    'burrow commit --message' \
    'burrow commit -c' \
    'burrow commit --change' \
    'burrow container commit -a' \
    'burrow container commit --author' \
    'burrow container commit -m' \
    'burrow container commit --message' \
    'burrow container commit -c' \
    'burrow container commit --change' \
    'burrow container create --rootfs' \
    'burrow container create --name' \
    'burrow container create -l' \
    'burrow container create --label' \
    'burrow container create --entrypoint' \
    'burrow container create --pull' \
    'burrow container create --platform' \
    'burrow container create --tls-verify' \
    'burrow container create --authfile' \
    'burrow container create --creds' \
    'burrow container create --sig-proxy' \
    'burrow container create -e' \
    'burrow container create --env' \
    'burrow container create --env-file' \
    'burrow container create -w' \
    'burrow container create --workdir' \
    'burrow container create -u' \
    'burrow container create --user' \
    'burrow container create --group-add' \
    'burrow container create -h' \
    'burrow container create --hostname' \
    'burrow container create --network' \
    'burrow container create --net' \
    'burrow container create --pid' \
    'burrow container create --ipc' \
    'burrow container create --uts' \
    'burrow container create --cap-add' \
    'burrow container create --cap-drop' \
    'burrow container create --security-opt' \
    'burrow container create --ulimit' \
    'burrow container create --tmpfs' \
    'burrow container create -v' \
    'burrow container create --volume' \
    'burrow container create -c' \
    'burrow container create --cpu-shares' \
    'burrow container create --cpus' \
    'burrow container create -m' \
    'burrow container create --memory' \
    'burrow container create --pids-limit' \
    'burrow container diff --format' \
    'burrow container export -o' \
    'burrow container export --output' \
    'burrow container inspect -f' \
    'burrow container inspect --format' \
    'burrow container ls -n' \
    'burrow container ls --last' \
    'burrow container ls -f' \
    'burrow container ls --filter' \
    'burrow container ls --format' \
    'burrow create --rootfs' \
    'burrow create --name' \
    'burrow create -l' \
    'burrow create --label' \
    'burrow create --entrypoint' \
    'burrow create --pull' \
    'burrow create --platform' \
    'burrow create --tls-verify' \
    'burrow create --authfile' \
    'burrow create --creds' \
    'burrow create --sig-proxy' \
    'burrow create -e' \
    'burrow create --env' \
    'burrow create --env-file' \
    'burrow create -w' \
    'burrow create --workdir' \
    'burrow create -u' \
    'burrow create --user' \
    'burrow create --group-add' \
    'burrow create -h' \
    'burrow create --hostname' \
    'burrow create --network' \
    'burrow create --net' \
    'burrow create --pid' \
    'burrow create --ipc' \
    'burrow create --uts' \
    'burrow create --cap-add' \
    'burrow create --cap-drop' \
    'burrow create --security-opt' \
    'burrow create --ulimit' \
    'burrow create --tmpfs' \
    'burrow create -v' \
    'burrow create --volume' \
    'burrow create -c' \
    'burrow create --cpu-shares' \
    'burrow create --cpus' \
    'burrow create -m' \
    'burrow create --memory' \
    'burrow create --pids-limit' \
    'burrow diff --format' \
    'burrow export -o' \
    'burrow export --output' \
    'burrow history --format' \
    'burrow image history --format' \
    'burrow image import -c' \
    'burrow image import --change' \
    'burrow image import -m' \
    'burrow image import --message' \
    'burrow image inspect -f' \
    'burrow image inspect --format' \
    'burrow image load -i' \
    'burrow image load --input' \
    'burrow image ls -f' \
    'burrow image ls --filter' \
    'burrow image ls --format' \
    'burrow image save -o' \
    'burrow image save --output' \
    'burrow image save --format' \
    'burrow images -f' \
    'burrow images --filter' \
    'burrow images --format' \
    'burrow import -c' \
    'burrow import --change' \
    'burrow import -m' \
    'burrow import --message' \
    'burrow info -f' \
    'burrow info --format' \
    'burrow inspect -f' \
    'burrow inspect --format' \
    'burrow inspect --type' \
    'burrow load -i' \
    'burrow load --input' \
    'burrow ps -n' \
    'burrow ps --last' \
    'burrow ps -f' \
    'burrow ps --filter' \
    'burrow ps --format' \
    'burrow pull --platform' \
    'burrow pull --tls-verify' \
    'burrow pull --authfile' \
    'burrow pull --creds' \
    'burrow pull --max-parallel' \
    'burrow run --rootfs' \
    'burrow run --name' \
    'burrow run -l' \
    'burrow run --label' \
    'burrow run --entrypoint' \
    'burrow run --pull' \
    'burrow run --platform' \
    'burrow run --tls-verify' \
    'burrow run --authfile' \
    'burrow run --creds' \
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
    'burrow save -o' \
    'burrow save --output' \
    'burrow save --format' \
    'burrow system df --format' \
    'burrow version -f' \
    'burrow version --format'
set -g __burrow_command_lines \
    'burrow container create' \
    'burrow create' \
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
complete -c burrow -n '__burrow_at \'burrow\'' -a 'commit' -d 'Create a new image from a container\'s changes'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'container' -d 'Manage containers'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'cp' -d 'Copy files between a container and the host'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'create' -d 'Create a container of an image without starting it'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'diff' -d 'Show the changes to a container\'s filesystem'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'export' -d 'Export a container\'s filesystem as a tar archive'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'history' -d 'Show the history of an image'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'image' -d 'Manage images'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'images' -d 'List images in local storage'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'import' -d 'Create an image from a root filesystem tarball'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'info' -d 'Display system information and check the host for rootless containers'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'inspect' -d 'Display the configuration of a container or image'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'load' -d 'Load images from a docker-archive or oci-archive'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'ps' -d 'List containers'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'pull' -d 'Pull an image from a registry'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'rename' -d 'Rename a container'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'rm' -d 'Remove containers'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'rmi' -d 'Remove images'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'run' -d 'Run a command in a new container'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'save' -d 'Save images to an archive'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'start' -d 'Start a created or exited container'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'system' -d 'Manage burrow\'s storage'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'tag' -d 'Add a name to an image'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'unshare' -d 'Run a command as root in the user namespace with your id mappings'
complete -c burrow -n '__burrow_at \'burrow\'' -a 'version' -d 'Display the burrow version information'
complete -c burrow -n '__burrow_at \'burrow\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow\'' -s v -l version -d 'Display program version information and exit'
complete -c burrow -n '__burrow_at \'burrow\'' -l log-level -x -a 'debug info warn warning error' -d 'Log messages at and above: debug, info, warn, error'
complete -c burrow -n '__burrow_at \'burrow\'' -l root -r -F -d 'Storage root (default: $XDG_DATA_HOME/burrow/storage)'
complete -c burrow -n '__burrow_at \'burrow\'' -l runroot -r -F -d 'Runtime state directory (default: $XDG_RUNTIME_DIR/burrow or /tmp/burrow-run-UID)'
complete -c burrow -n '__burrow_at \'burrow\'' -l storage-driver -x -a 'auto overlay fuse-overlayfs vfs' -d 'Storage driver: overlay, fuse-overlayfs, vfs'

# burrow commit
complete -c burrow -n '__burrow_at \'burrow commit\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow commit\'' -s a -l author -r -F -d 'Author of the image'
complete -c burrow -n '__burrow_at \'burrow commit\'' -s m -l message -r -F -d 'Commit message'
complete -c burrow -n '__burrow_at \'burrow commit\'' -s c -l change -r -F -d 'Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE'
complete -c burrow -n '__burrow_at \'burrow commit\'' -s p -l pause -d 'Pause the container while committing (nothing runs detached yet to pause)'
complete -c burrow -n '__burrow_at \'burrow commit\'' -s q -l quiet -d 'Print nothing but the image id'
complete -c burrow -n '__burrow_at \'burrow commit\'' -F

# burrow container
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'commit' -d 'Create a new image from a container\'s changes'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'cp' -d 'Copy files between a container and the host'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'create' -d 'Create a container of an image without starting it'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'diff' -d 'Show the changes to a container\'s filesystem'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'export' -d 'Export a container\'s filesystem as a tar archive'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'inspect' -d 'Display the configuration of containers'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'ls' -d 'List containers'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'prune' -d 'Remove all stopped containers'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'rename' -d 'Rename a container'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'rm' -d 'Remove containers'
complete -c burrow -n '__burrow_at \'burrow container\'' -a 'start' -d 'Start a created or exited container'
complete -c burrow -n '__burrow_at \'burrow container\'' -s h -l help -d 'Print this help message and exit'

# burrow container commit
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s a -l author -r -F -d 'Author of the image'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s m -l message -r -F -d 'Commit message'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s c -l change -r -F -d 'Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s p -l pause -d 'Pause the container while committing (nothing runs detached yet to pause)'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -s q -l quiet -d 'Print nothing but the image id'
complete -c burrow -n '__burrow_at \'burrow container commit\'' -F

# burrow container cp
complete -c burrow -n '__burrow_at \'burrow container cp\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container cp\'' -F

# burrow container create
complete -c burrow -n '__burrow_at \'burrow container create\'' -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l rootfs -r -F -d 'Use DIR as the container\'s root filesystem'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l name -r -F -d 'Assign a name to the container'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s l -l label -r -F -d 'Set a label on the container: KEY=VALUE'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l entrypoint -r -F -d 'Overwrite the image\'s entrypoint ("" for none)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l pull -x -a 'missing always newer never' -d 'Pull the image: missing (default), always, newer, never'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l platform -r -F -d 'Pull for this platform: os/arch[/variant]'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l tls-verify -x -a 'true false' -d 'Verify the registry\'s TLS when pulling'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l authfile -r -F -d 'Path of the authentication file for pulling'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l creds -r -F -d 'Credentials USER[:PASSWORD] for pulling'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s i -l interactive -d 'Keep STDIN open'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l rm -d 'Remove the container when it exits (a --rootfs container keeps no state)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l sig-proxy -r -F -d 'Forward received signals to the container'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s e -l env -r -F -d 'Set an environment variable (KEY=VALUE, or KEY to copy)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l env-file -r -F -d 'Read environment variables from a file'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s w -l workdir -r -F -d 'Working directory inside the container'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s u -l user -r -F -d 'User to run as: name|uid[:group|gid]'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l group-add -r -F -d 'Add a supplementary group'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s h -l hostname -r -F -d 'Container host name (default: the short id)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l network -l net -r -F -d 'Network mode: none or host (default none)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l pid -r -F -d 'PID namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l ipc -r -F -d 'IPC namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l uts -r -F -d 'UTS namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l cap-add -r -F -d 'Add a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l cap-drop -r -F -d 'Drop a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l privileged -d 'All capabilities of the user namespace, no seccomp, no masked paths'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l security-opt -r -F -d 'seccomp=unconfined|PROFILE.json, no-new-privileges, label=disable'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l ulimit -r -F -d 'Resource limit: NAME=SOFT[:HARD], e.g. nofile=1024:2048'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l read-only -d 'Mount the container\'s root read-only'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l tmpfs -r -F -d 'Mount a tmpfs: PATH[:OPTIONS]'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s v -l volume -r -F -d 'Bind mount: HOST-DIR:CONTAINER-DIR[:ro]'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s c -l cpu-shares -r -F -d 'CPU shares (relative weight)'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l cpus -r -F -d 'Number of CPUs'
complete -c burrow -n '__burrow_at \'burrow container create\'' -s m -l memory -r -F -d 'Memory limit, e.g. 512m'
complete -c burrow -n '__burrow_at \'burrow container create\'' -l pids-limit -r -F -d 'Limit on the number of processes'
complete -c burrow -n '__burrow_at \'burrow container create\'' -F
complete -c burrow -n '__burrow_at \'burrow container create --\'' -F

# burrow container diff
complete -c burrow -n '__burrow_at \'burrow container diff\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container diff\'' -l format -r -F -d 'json for a JSON object of Changed, Added, Deleted'
complete -c burrow -n '__burrow_at \'burrow container diff\'' -F

# burrow container export
complete -c burrow -n '__burrow_at \'burrow container export\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container export\'' -s o -l output -r -F -d 'Write to FILE (default: stdout)'
complete -c burrow -n '__burrow_at \'burrow container export\'' -F

# burrow container inspect
complete -c burrow -n '__burrow_at \'burrow container inspect\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container inspect\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.State.Status}}\''
complete -c burrow -n '__burrow_at \'burrow container inspect\'' -s s -l size -d 'Add the size of the containers\' files'
complete -c burrow -n '__burrow_at \'burrow container inspect\'' -F

# burrow container ls
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s a -l all -d 'Show all containers (default: only running ones)'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s q -l quiet -d 'Print only the container ids'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -l no-trunc -d 'Do not truncate ids and commands'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s l -l latest -d 'Show the newest container (of any state)'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s n -l last -r -F -d 'Show the N newest containers (of any state)'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s s -l size -d 'Show the size of the files each container changed'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -s f -l filter -r -F -d 'Filter the containers: KEY=VALUE (see below)'
complete -c burrow -n '__burrow_at \'burrow container ls\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.Names}}\', or \'table TEMPLATE\''

# burrow container prune
complete -c burrow -n '__burrow_at \'burrow container prune\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container prune\'' -s f -l force -d 'Do not ask for confirmation'

# burrow container rename
complete -c burrow -n '__burrow_at \'burrow container rename\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container rename\'' -F

# burrow container rm
complete -c burrow -n '__burrow_at \'burrow container rm\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container rm\'' -s f -l force -d 'Kill a running container and remove it'
complete -c burrow -n '__burrow_at \'burrow container rm\'' -s v -l volumes -d 'Remove the container\'s anonymous volumes'
complete -c burrow -n '__burrow_at \'burrow container rm\'' -s a -l all -d 'Remove all containers'
complete -c burrow -n '__burrow_at \'burrow container rm\'' -F

# burrow container start
complete -c burrow -n '__burrow_at \'burrow container start\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow container start\'' -s a -l attach -d 'Attach to the container\'s output and wait for it'
complete -c burrow -n '__burrow_at \'burrow container start\'' -s i -l interactive -d 'Attach the container\'s STDIN'
complete -c burrow -n '__burrow_at \'burrow container start\'' -F

# burrow cp
complete -c burrow -n '__burrow_at \'burrow cp\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow cp\'' -F

# burrow create
complete -c burrow -n '__burrow_at \'burrow create\'' -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow create\'' -l rootfs -r -F -d 'Use DIR as the container\'s root filesystem'
complete -c burrow -n '__burrow_at \'burrow create\'' -l name -r -F -d 'Assign a name to the container'
complete -c burrow -n '__burrow_at \'burrow create\'' -s l -l label -r -F -d 'Set a label on the container: KEY=VALUE'
complete -c burrow -n '__burrow_at \'burrow create\'' -l entrypoint -r -F -d 'Overwrite the image\'s entrypoint ("" for none)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l pull -x -a 'missing always newer never' -d 'Pull the image: missing (default), always, newer, never'
complete -c burrow -n '__burrow_at \'burrow create\'' -l platform -r -F -d 'Pull for this platform: os/arch[/variant]'
complete -c burrow -n '__burrow_at \'burrow create\'' -l tls-verify -x -a 'true false' -d 'Verify the registry\'s TLS when pulling'
complete -c burrow -n '__burrow_at \'burrow create\'' -l authfile -r -F -d 'Path of the authentication file for pulling'
complete -c burrow -n '__burrow_at \'burrow create\'' -l creds -r -F -d 'Credentials USER[:PASSWORD] for pulling'
complete -c burrow -n '__burrow_at \'burrow create\'' -s i -l interactive -d 'Keep STDIN open'
complete -c burrow -n '__burrow_at \'burrow create\'' -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c burrow -n '__burrow_at \'burrow create\'' -l rm -d 'Remove the container when it exits (a --rootfs container keeps no state)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l sig-proxy -r -F -d 'Forward received signals to the container'
complete -c burrow -n '__burrow_at \'burrow create\'' -s e -l env -r -F -d 'Set an environment variable (KEY=VALUE, or KEY to copy)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l env-file -r -F -d 'Read environment variables from a file'
complete -c burrow -n '__burrow_at \'burrow create\'' -s w -l workdir -r -F -d 'Working directory inside the container'
complete -c burrow -n '__burrow_at \'burrow create\'' -s u -l user -r -F -d 'User to run as: name|uid[:group|gid]'
complete -c burrow -n '__burrow_at \'burrow create\'' -l group-add -r -F -d 'Add a supplementary group'
complete -c burrow -n '__burrow_at \'burrow create\'' -s h -l hostname -r -F -d 'Container host name (default: the short id)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l network -l net -r -F -d 'Network mode: none or host (default none)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l pid -r -F -d 'PID namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow create\'' -l ipc -r -F -d 'IPC namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow create\'' -l uts -r -F -d 'UTS namespace: host to share the host\'s'
complete -c burrow -n '__burrow_at \'burrow create\'' -l cap-add -r -F -d 'Add a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l cap-drop -r -F -d 'Drop a capability (or ALL)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l privileged -d 'All capabilities of the user namespace, no seccomp, no masked paths'
complete -c burrow -n '__burrow_at \'burrow create\'' -l security-opt -r -F -d 'seccomp=unconfined|PROFILE.json, no-new-privileges, label=disable'
complete -c burrow -n '__burrow_at \'burrow create\'' -l ulimit -r -F -d 'Resource limit: NAME=SOFT[:HARD], e.g. nofile=1024:2048'
complete -c burrow -n '__burrow_at \'burrow create\'' -l read-only -d 'Mount the container\'s root read-only'
complete -c burrow -n '__burrow_at \'burrow create\'' -l tmpfs -r -F -d 'Mount a tmpfs: PATH[:OPTIONS]'
complete -c burrow -n '__burrow_at \'burrow create\'' -s v -l volume -r -F -d 'Bind mount: HOST-DIR:CONTAINER-DIR[:ro]'
complete -c burrow -n '__burrow_at \'burrow create\'' -s c -l cpu-shares -r -F -d 'CPU shares (relative weight)'
complete -c burrow -n '__burrow_at \'burrow create\'' -l cpus -r -F -d 'Number of CPUs'
complete -c burrow -n '__burrow_at \'burrow create\'' -s m -l memory -r -F -d 'Memory limit, e.g. 512m'
complete -c burrow -n '__burrow_at \'burrow create\'' -l pids-limit -r -F -d 'Limit on the number of processes'
complete -c burrow -n '__burrow_at \'burrow create\'' -F
complete -c burrow -n '__burrow_at \'burrow create --\'' -F

# burrow diff
complete -c burrow -n '__burrow_at \'burrow diff\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow diff\'' -l format -r -F -d 'json for a JSON object of Changed, Added, Deleted'
complete -c burrow -n '__burrow_at \'burrow diff\'' -F

# burrow export
complete -c burrow -n '__burrow_at \'burrow export\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow export\'' -s o -l output -r -F -d 'Write to FILE (default: stdout)'
complete -c burrow -n '__burrow_at \'burrow export\'' -F

# burrow history
complete -c burrow -n '__burrow_at \'burrow history\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow history\'' -l no-trunc -d 'Do not truncate the ids and commands'
complete -c burrow -n '__burrow_at \'burrow history\'' -s q -l quiet -d 'Print only the ids'
complete -c burrow -n '__burrow_at \'burrow history\'' -s H -l human -d 'Sizes and dates in human-readable form (--human=false for bytes and times)'
complete -c burrow -n '__burrow_at \'burrow history\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.CreatedBy}}\', or \'table TEMPLATE\''
complete -c burrow -n '__burrow_at \'burrow history\'' -F

# burrow image
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'history' -d 'Show the history of an image'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'import' -d 'Create an image from a root filesystem tarball'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'inspect' -d 'Display the configuration of images'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'load' -d 'Load images from a docker-archive or oci-archive'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'ls' -d 'List images in local storage'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'prune' -d 'Remove unused images'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'rm' -d 'Remove images'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'save' -d 'Save images to an archive'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'tag' -d 'Add a name to an image'
complete -c burrow -n '__burrow_at \'burrow image\'' -a 'untag' -d 'Take names away from an image'
complete -c burrow -n '__burrow_at \'burrow image\'' -s h -l help -d 'Print this help message and exit'

# burrow image history
complete -c burrow -n '__burrow_at \'burrow image history\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image history\'' -l no-trunc -d 'Do not truncate the ids and commands'
complete -c burrow -n '__burrow_at \'burrow image history\'' -s q -l quiet -d 'Print only the ids'
complete -c burrow -n '__burrow_at \'burrow image history\'' -s H -l human -d 'Sizes and dates in human-readable form (--human=false for bytes and times)'
complete -c burrow -n '__burrow_at \'burrow image history\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.CreatedBy}}\', or \'table TEMPLATE\''
complete -c burrow -n '__burrow_at \'burrow image history\'' -F

# burrow image import
complete -c burrow -n '__burrow_at \'burrow image import\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image import\'' -s c -l change -r -F -d 'Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE'
complete -c burrow -n '__burrow_at \'burrow image import\'' -s m -l message -r -F -d 'Commit message of the image'
complete -c burrow -n '__burrow_at \'burrow image import\'' -F

# burrow image inspect
complete -c burrow -n '__burrow_at \'burrow image inspect\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image inspect\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.State.Status}}\''
complete -c burrow -n '__burrow_at \'burrow image inspect\'' -F

# burrow image load
complete -c burrow -n '__burrow_at \'burrow image load\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image load\'' -s i -l input -r -F -d 'Read from a docker-archive or oci-archive FILE (default: stdin)'
complete -c burrow -n '__burrow_at \'burrow image load\'' -s q -l quiet -d 'Print only the loaded names'

# burrow image ls
complete -c burrow -n '__burrow_at \'burrow image ls\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -s a -l all -d 'Show all images (burrow keeps no intermediate ones)'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -s q -l quiet -d 'Print only the image ids'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -l digests -d 'Show the manifest digests'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -l no-trunc -d 'Do not truncate the image ids'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -s f -l filter -r -F -d 'Filter the images: KEY=VALUE (see below)'
complete -c burrow -n '__burrow_at \'burrow image ls\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.Repository}}\', or \'table TEMPLATE\''

# burrow image prune
complete -c burrow -n '__burrow_at \'burrow image prune\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image prune\'' -s a -l all -d 'Remove all images no container uses, not only unnamed ones'
complete -c burrow -n '__burrow_at \'burrow image prune\'' -s f -l force -d 'Do not ask for confirmation'

# burrow image rm
complete -c burrow -n '__burrow_at \'burrow image rm\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image rm\'' -s f -l force -d 'Remove the containers that use the image too'
complete -c burrow -n '__burrow_at \'burrow image rm\'' -s a -l all -d 'Remove all images'
complete -c burrow -n '__burrow_at \'burrow image rm\'' -F

# burrow image save
complete -c burrow -n '__burrow_at \'burrow image save\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image save\'' -s o -l output -r -F -d 'Write to FILE (default: stdout)'
complete -c burrow -n '__burrow_at \'burrow image save\'' -l format -x -a 'docker-archive oci-archive oci-dir' -d 'docker-archive, oci-archive or oci-dir'
complete -c burrow -n '__burrow_at \'burrow image save\'' -F

# burrow image tag
complete -c burrow -n '__burrow_at \'burrow image tag\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image tag\'' -F

# burrow image untag
complete -c burrow -n '__burrow_at \'burrow image untag\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow image untag\'' -F

# burrow images
complete -c burrow -n '__burrow_at \'burrow images\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow images\'' -s a -l all -d 'Show all images (burrow keeps no intermediate ones)'
complete -c burrow -n '__burrow_at \'burrow images\'' -s q -l quiet -d 'Print only the image ids'
complete -c burrow -n '__burrow_at \'burrow images\'' -l digests -d 'Show the manifest digests'
complete -c burrow -n '__burrow_at \'burrow images\'' -l no-trunc -d 'Do not truncate the image ids'
complete -c burrow -n '__burrow_at \'burrow images\'' -s f -l filter -r -F -d 'Filter the images: KEY=VALUE (see below)'
complete -c burrow -n '__burrow_at \'burrow images\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.Repository}}\', or \'table TEMPLATE\''

# burrow import
complete -c burrow -n '__burrow_at \'burrow import\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow import\'' -s c -l change -r -F -d 'Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE'
complete -c burrow -n '__burrow_at \'burrow import\'' -s m -l message -r -F -d 'Commit message of the image'
complete -c burrow -n '__burrow_at \'burrow import\'' -F

# burrow info
complete -c burrow -n '__burrow_at \'burrow info\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow info\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.Host.Kernel}}\''

# burrow inspect
complete -c burrow -n '__burrow_at \'burrow inspect\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow inspect\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.State.Status}}\''
complete -c burrow -n '__burrow_at \'burrow inspect\'' -s s -l size -d 'Add the size of the containers\' files'
complete -c burrow -n '__burrow_at \'burrow inspect\'' -l type -r -F -d 'Inspect only objects of this type: container or image'
complete -c burrow -n '__burrow_at \'burrow inspect\'' -F

# burrow load
complete -c burrow -n '__burrow_at \'burrow load\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow load\'' -s i -l input -r -F -d 'Read from a docker-archive or oci-archive FILE (default: stdin)'
complete -c burrow -n '__burrow_at \'burrow load\'' -s q -l quiet -d 'Print only the loaded names'

# burrow ps
complete -c burrow -n '__burrow_at \'burrow ps\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s a -l all -d 'Show all containers (default: only running ones)'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s q -l quiet -d 'Print only the container ids'
complete -c burrow -n '__burrow_at \'burrow ps\'' -l no-trunc -d 'Do not truncate ids and commands'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s l -l latest -d 'Show the newest container (of any state)'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s n -l last -r -F -d 'Show the N newest containers (of any state)'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s s -l size -d 'Show the size of the files each container changed'
complete -c burrow -n '__burrow_at \'burrow ps\'' -s f -l filter -r -F -d 'Filter the containers: KEY=VALUE (see below)'
complete -c burrow -n '__burrow_at \'burrow ps\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.Names}}\', or \'table TEMPLATE\''

# burrow pull
complete -c burrow -n '__burrow_at \'burrow pull\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow pull\'' -l platform -r -F -d 'Pull for this platform: os/arch[/variant]'
complete -c burrow -n '__burrow_at \'burrow pull\'' -l tls-verify -x -a 'true false' -d 'Require HTTPS and verify certificates (default true; false for a registry without TLS)'
complete -c burrow -n '__burrow_at \'burrow pull\'' -l authfile -r -F -d 'Path of the authentication file'
complete -c burrow -n '__burrow_at \'burrow pull\'' -l creds -r -F -d 'Credentials USER[:PASSWORD] for the registry'
complete -c burrow -n '__burrow_at \'burrow pull\'' -l max-parallel -r -F -d 'Layers downloaded at once'
complete -c burrow -n '__burrow_at \'burrow pull\'' -s q -l quiet -d 'Print only the image id'
complete -c burrow -n '__burrow_at \'burrow pull\'' -F

# burrow rename
complete -c burrow -n '__burrow_at \'burrow rename\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow rename\'' -F

# burrow rm
complete -c burrow -n '__burrow_at \'burrow rm\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow rm\'' -s f -l force -d 'Kill a running container and remove it'
complete -c burrow -n '__burrow_at \'burrow rm\'' -s v -l volumes -d 'Remove the container\'s anonymous volumes'
complete -c burrow -n '__burrow_at \'burrow rm\'' -s a -l all -d 'Remove all containers'
complete -c burrow -n '__burrow_at \'burrow rm\'' -F

# burrow rmi
complete -c burrow -n '__burrow_at \'burrow rmi\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow rmi\'' -s f -l force -d 'Remove the containers that use the image too'
complete -c burrow -n '__burrow_at \'burrow rmi\'' -s a -l all -d 'Remove all images'
complete -c burrow -n '__burrow_at \'burrow rmi\'' -F

# burrow run
complete -c burrow -n '__burrow_at \'burrow run\'' -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow run\'' -l rootfs -r -F -d 'Use DIR as the container\'s root filesystem'
complete -c burrow -n '__burrow_at \'burrow run\'' -l name -r -F -d 'Assign a name to the container'
complete -c burrow -n '__burrow_at \'burrow run\'' -s l -l label -r -F -d 'Set a label on the container: KEY=VALUE'
complete -c burrow -n '__burrow_at \'burrow run\'' -l entrypoint -r -F -d 'Overwrite the image\'s entrypoint ("" for none)'
complete -c burrow -n '__burrow_at \'burrow run\'' -l pull -x -a 'missing always newer never' -d 'Pull the image: missing (default), always, newer, never'
complete -c burrow -n '__burrow_at \'burrow run\'' -l platform -r -F -d 'Pull for this platform: os/arch[/variant]'
complete -c burrow -n '__burrow_at \'burrow run\'' -l tls-verify -x -a 'true false' -d 'Verify the registry\'s TLS when pulling'
complete -c burrow -n '__burrow_at \'burrow run\'' -l authfile -r -F -d 'Path of the authentication file for pulling'
complete -c burrow -n '__burrow_at \'burrow run\'' -l creds -r -F -d 'Credentials USER[:PASSWORD] for pulling'
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

# burrow save
complete -c burrow -n '__burrow_at \'burrow save\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow save\'' -s o -l output -r -F -d 'Write to FILE (default: stdout)'
complete -c burrow -n '__burrow_at \'burrow save\'' -l format -x -a 'docker-archive oci-archive oci-dir' -d 'docker-archive, oci-archive or oci-dir'
complete -c burrow -n '__burrow_at \'burrow save\'' -F

# burrow start
complete -c burrow -n '__burrow_at \'burrow start\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow start\'' -s a -l attach -d 'Attach to the container\'s output and wait for it'
complete -c burrow -n '__burrow_at \'burrow start\'' -s i -l interactive -d 'Attach the container\'s STDIN'
complete -c burrow -n '__burrow_at \'burrow start\'' -F

# burrow system
complete -c burrow -n '__burrow_at \'burrow system\'' -a 'df' -d 'Show the disk space burrow uses'
complete -c burrow -n '__burrow_at \'burrow system\'' -a 'reset' -d 'Remove all containers, images and state of burrow'
complete -c burrow -n '__burrow_at \'burrow system\'' -s h -l help -d 'Print this help message and exit'

# burrow system df
complete -c burrow -n '__burrow_at \'burrow system df\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow system df\'' -l format -r -F -d 'Format the output: json, a Go template such as \'{{.Size}}\', or \'table TEMPLATE\''

# burrow system reset
complete -c burrow -n '__burrow_at \'burrow system reset\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow system reset\'' -s f -l force -d 'Do not ask for confirmation'

# burrow tag
complete -c burrow -n '__burrow_at \'burrow tag\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow tag\'' -F

# burrow unshare
complete -c burrow -n '__burrow_at \'burrow unshare\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow unshare\'' -F
complete -c burrow -n '__burrow_at \'burrow unshare --\'' -F

# burrow version
complete -c burrow -n '__burrow_at \'burrow version\'' -s h -l help -d 'Print this help message and exit'
complete -c burrow -n '__burrow_at \'burrow version\'' -s f -l format -r -F -d 'Format the output: json, or a Go template such as \'{{.Client.Version}}\''
