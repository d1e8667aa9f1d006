#!/usr/bin/env python3
"""Regenerates the hostile layer corpus next to this script: one small tar per attack.

Run it from anywhere: python3 make_hostile.py. The output is deterministic (fixed times, owners
and format), so regenerating changes nothing unless this script changed.
"""

import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
# an absolute path the escape tests watch, outside the test's own folders
VICTIM = "/tmp/burrow-hostile-victim"


def info(name, kind=tarfile.REGTYPE, link="", data=b"", pax=None):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = link
    ti.mode = {tarfile.DIRTYPE: 0o755, tarfile.SYMTYPE: 0o777}.get(kind, 0o644)
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.mtime = 1600000000
    ti.size = len(data)
    if pax:
        ti.pax_headers = dict(pax)
    return ti, data


def reg(name, data=b"escaped\n", pax=None):
    return info(name, data=data, pax=pax)


def dir_(name):
    return info(name, tarfile.DIRTYPE)


def sym(name, target):
    return info(name, tarfile.SYMTYPE, target)


def hard(name, target):
    return info(name, tarfile.LNKTYPE, target)


def write(name, members):
    with tarfile.open(os.path.join(HERE, name), "w", format=tarfile.PAX_FORMAT) as tar:
        for ti, data in members:
            tar.addfile(ti, io.BytesIO(data) if data else None)
    trim(os.path.join(HERE, name))


def trim(path):
    """Drops tarfile's padding to a 10240-byte record: the end marker (two zero blocks) is
    enough, and the corpus stays small."""
    with open(path, "rb") as f:
        blob = f.read()
    end = len(blob)
    while end >= 512 and blob[end - 512:end] == bytes(512):
        end -= 512
    with open(path, "wb") as f:
        f.write(blob[:end] + bytes(1024))


def main():
    write("dotdot.tar", [reg("../escaped-dotdot")])
    write("absolute.tar", [reg("/abs-member")])
    write("symlink_root.tar", [sym("evil", "/"), reg("evil/etc/x")])
    write("symlink_up.tar", [sym("evil", "../../"), reg("evil/burrow-hostile-escaped-up")])
    write("symlink_parent.tar", [sym("evil", ".."), reg("evil/escaped-parent")])
    write("hardlink_abs.tar", [hard("passwd", "/etc/passwd")])
    write("hardlink_dotdot.tar", [hard("x", "../outside")])
    write("hardlink_symlink.tar", [sym("s", "../"), hard("h", "s/outside")])
    write("whiteout_symlink.tar", [sym("link", VICTIM), reg("link/.wh.file", b"")])
    write("whiteout_symlink_rel.tar", [sym("link", "../victim"), reg("link/.wh.file", b"")])
    write("opaque_symlink.tar", [sym("link", "../victim"), reg("link/.wh..wh..opq", b"")])
    write("whiteout_dotdot.tar", [dir_("d"), reg("d/.wh...", b"")])
    write("whiteout_dot.tar", [reg(".wh..", b"")])
    write("prefix_dotdot.tar", [dir_("a"), reg("a/../../escaped-prefix")])
    write("symlink_then_dir.tar", [sym("x", "../"), dir_("x"), reg("x/file")])
    write("dir_then_symlink.tar", [dir_("y"), sym("y", ".."), reg("y/escaped-swap")])
    write("long_name.tar", [reg(("n" * 200 + "/") * 25 + "long")])
    write("long_component.tar", [reg("c" * 300)])
    write("pax_path.tar", [reg("harmless", pax={"path": "../../escaped-pax"})])
    write("pax_linkpath.tar", [info("harmless", tarfile.LNKTYPE, "ok", pax={"linkpath": "../outside"})])


if __name__ == "__main__":
    main()
