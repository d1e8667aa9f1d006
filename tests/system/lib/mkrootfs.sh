#!/usr/bin/env bash
# Builds a minimal root filesystem from busybox-static in DIR: the system tests' fixture and the
# quick start's container. Needs no root and no network.
#
# Usage: tests/system/lib/mkrootfs.sh DIR
#   BUSYBOX=PATH  the static busybox to copy (default: /bin/busybox from Debian's busybox-static)
#
# DIR gets bin/busybox with a link for every applet (sbin, usr/bin and usr/sbin point at bin),
# /etc/passwd (root, user 1000:1000, nobody), /etc/group (user is also in the groups audio and
# users), empty /proc /sys /dev mount points, /tmp with mode 1777, and /root and /home/user.
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
busybox=${BUSYBOX:-/bin/busybox}

if [[ ! -x $busybox ]]; then
    echo "mkrootfs: $busybox not found: install busybox-static (contrib/install-deps.sh)" >&2
    exit 1
fi
# A dynamically linked busybox would fail inside the rootfs with a confusing "not found".
if ldd "$busybox" >/dev/null 2>&1; then
    echo "mkrootfs: $busybox is dynamically linked: install busybox-static, not busybox" >&2
    exit 1
fi
if [[ -e $dir && -n $(ls -A "$dir") ]]; then
    echo "mkrootfs: $dir exists and is not empty" >&2
    exit 1
fi

mkdir -p "$dir"
cd "$dir"
mkdir -p bin etc proc sys dev tmp root home/user usr var/tmp run mnt
chmod 1777 tmp var/tmp
chmod 0700 root
ln -s bin sbin
ln -s ../bin usr/bin
ln -s ../bin usr/sbin

cp "$busybox" bin/busybox
chmod 0755 bin/busybox
"$busybox" --list | while read -r applet; do
    [[ $applet == busybox || -e bin/$applet ]] || ln -s busybox "bin/$applet"
done

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
audio:x:29:user
users:x:100:user
user:x:1000:
nogroup:x:65534:
GROUP
cat >etc/shadow <<'SHADOW'
root:*:19000:0:99999:7:::
user:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
SHADOW
chmod 0640 etc/shadow
echo "burrow-rootfs" >etc/hostname
: >etc/hosts
: >etc/resolv.conf
