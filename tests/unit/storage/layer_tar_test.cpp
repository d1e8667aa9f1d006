#include "layer_support.hpp"
#include "storage/layer_tar.hpp"
#include "storage/libarchive.hpp"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>

using namespace burrow;
using namespace burrow::storage;
using namespace burrow::test;

namespace {

std::string xattr_of(const std::string& path, const char* name) {
    char buf[256];
    ssize_t n = ::lgetxattr(path.c_str(), name, buf, sizeof buf);
    return n < 0 ? std::string("(none)") : std::string(buf, static_cast<size_t>(n));
}

std::string describe(const ExtractResult& r) {
    return "size=" + std::to_string(r.content_size) +
           " devices=" + std::to_string(r.skipped_devices) +
           " chrooted=" + std::to_string(r.chrooted);
}

// Extracts fd into root as root of a single-id user namespace; "size=… devices=… chrooted=…" or
// "error: …".
std::string extract_in_userns(int fd, const std::string& root, ExtractOptions opts) {
    return in_userns([&] { return describe(extract_layer(fd, root, opts)); });
}

ExtractOptions single_id(WhiteoutFormat format = WhiteoutFormat::Overlay) {
    ExtractOptions opts;
    opts.whiteouts = format;
    opts.userxattr = true;
    opts.ignore_chown_errors = true;
    return opts;
}

std::string slurp(const std::string& path) {
    return read_file(path);
}

} // namespace

TEST_CASE("member names are made relative and kept inside the layer") {
    CHECK(clean_member_path("a/b") == "a/b");
    CHECK(clean_member_path("./a//b/") == "a/b");
    CHECK(clean_member_path("/etc/passwd") == "etc/passwd");
    CHECK(clean_member_path("a/../b") == "b");
    CHECK(clean_member_path(".") == "");
    CHECK(clean_member_path("./") == "");
    CHECK(clean_member_path("") == "");
    CHECK(clean_member_path("a/..") == "");
    CHECK(clean_member_path("..a/b..") == "..a/b..");
    CHECK_FALSE(clean_member_path("..").has_value());
    CHECK_FALSE(clean_member_path("../etc/passwd").has_value());
    CHECK_FALSE(clean_member_path("a/../../x").has_value());
    CHECK_FALSE(clean_member_path("/../x").has_value());
    CHECK_FALSE(clean_member_path("a/b/../../..").has_value());
}

TEST_CASE("whiteout names: deletions, opaque markers, AUFS metadata") {
    auto del = parse_whiteout("usr/lib/.wh.libfoo.so");
    REQUIRE(del);
    CHECK(del->kind == WhiteoutKind::Delete);
    CHECK(del->dir == "usr/lib");
    CHECK(del->name == "libfoo.so");

    auto top = parse_whiteout(".wh.etc");
    REQUIRE(top);
    CHECK(top->kind == WhiteoutKind::Delete);
    CHECK(top->dir.empty());
    CHECK(top->name == "etc");

    auto opq = parse_whiteout("var/cache/.wh..wh..opq");
    REQUIRE(opq);
    CHECK(opq->kind == WhiteoutKind::Opaque);
    CHECK(opq->dir == "var/cache");

    auto root_opq = parse_whiteout(".wh..wh..opq");
    REQUIRE(root_opq);
    CHECK(root_opq->kind == WhiteoutKind::Opaque);
    CHECK(root_opq->dir.empty());

    CHECK(parse_whiteout(".wh..wh.plnk")->kind == WhiteoutKind::Metadata);
    CHECK(parse_whiteout(".wh..wh.plnk/12.34")->kind == WhiteoutKind::Metadata);
    CHECK(parse_whiteout("a/.wh..wh.aufs")->kind == WhiteoutKind::Metadata);

    CHECK_FALSE(parse_whiteout("etc/passwd").has_value());
    CHECK_FALSE(parse_whiteout("a.wh.b").has_value());
    CHECK_FALSE(parse_whiteout(".wh.dir/file").has_value());

    CHECK(error_of([] { parse_whiteout("x/.wh.."); }) == "invalid whiteout");
    CHECK(error_of([] { parse_whiteout(".wh..."); }) == "invalid whiteout");
    CHECK(error_of([] { parse_whiteout("x/.wh."); }) == "invalid whiteout");
}

TEST_CASE("member names in messages: control bytes escaped, long names cut") {
    CHECK(printable_member("a\nb\x1b") == "a\\x0ab\\x1b");
    CHECK(printable_member(std::string(300, 'x')) == std::string(200, 'x') + "...");
    CHECK(printable_member("caf\xc3\xa9") == "caf\xc3\xa9");
}

TEST_CASE("layers keep file capabilities and user xattrs, not overlay bookkeeping") {
    CHECK(is_layer_xattr("security.capability"));
    CHECK(is_layer_xattr("user.mime_type"));
    CHECK_FALSE(is_layer_xattr("user.overlay.opaque"));
    CHECK_FALSE(is_layer_xattr("trusted.overlay.opaque"));
    CHECK_FALSE(is_layer_xattr("user.fuseoverlayfs.opaque"));
    CHECK_FALSE(is_layer_xattr("security.selinux"));
    CHECK_FALSE(is_layer_xattr("trusted.md5"));
    CHECK(std::string(opaque_xattr_name(true)) == "user.overlay.opaque");
    CHECK(std::string(opaque_xattr_name(false)) == "trusted.overlay.opaque");
}

TEST_CASE("libarchive is opened at run time, every function found") {
    const ArchiveApi& api = archive_api();
    CHECK(api.archive_version_number() >= 3006000);
    CHECK(&archive_api() == &api);
}

TEST_CASE("a layer round trips: owners, modes, setuid, links, xattrs, times, UTF-8 names") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);

    TarMember hosts = file("etc/hosts", "127.0.0.1 localhost\n");
    hosts.xattrs["user.origin"] = "test";
    TarMember tool = file("usr/bin/tool", "#!/bin/sh\necho hi\n", 04755);
    TarMember stranger = file("home/stranger/notes", "mine", 0600);
    stranger.uid = 1000;
    stranger.gid = 1000;
    TarMember fifo;
    fifo.name = "run/fifo";
    fifo.type = AE_IFIFO;
    fifo.perm = 0600;
    TarMember cafe = file("caf\xc3\xa9/na\xc3\xafve.txt", "utf8");
    UniqueFd layer = make_layer(
        {dir("etc"), hosts, dir("usr"), dir("usr/bin"), tool, test::symlink("usr/bin/sh", "tool"),
         test::hardlink("usr/bin/tool2", "usr/bin/tool"), dir("home"), dir("home/stranger", 0700),
         stranger, dir("run"), fifo, dir("tmp", 01777), dir("caf\xc3\xa9"), cafe});

    std::string got = extract_in_userns(layer.get(), root, single_id());
    size_t expected_size = hosts.data.size() + tool.data.size() + 4 + 4;
    CHECK(got == "size=" + std::to_string(expected_size) + " devices=0 chrooted=1");

    CHECK(slurp(root + "/etc/hosts") == hosts.data);
    CHECK(xattr_of(root + "/etc/hosts", "user.origin") == "test");
    auto tool_st = lstat_of(root + "/usr/bin/tool");
    CHECK((tool_st.st_mode & 07777) == 04755);
    CHECK(tool_st.st_uid == ::getuid());
    CHECK(tool_st.st_mtime == 1600000000);
    CHECK(lstat_of(root + "/usr/bin/tool2").st_ino == tool_st.st_ino);
    CHECK(tool_st.st_nlink == 2);
    CHECK(std::filesystem::read_symlink(root + "/usr/bin/sh") == "tool");
    // uid 1000 is not mapped: ignore_chown_errors leaves it to the user
    CHECK(lstat_of(root + "/home/stranger/notes").st_uid == ::getuid());
    CHECK((lstat_of(root + "/home/stranger").st_mode & 07777) == 0700);
    CHECK(S_ISFIFO(lstat_of(root + "/run/fifo").st_mode));
    CHECK((lstat_of(root + "/tmp").st_mode & 07777) == 01777);
    CHECK(lstat_of(root + "/etc").st_mtime == 1600000000);
    CHECK(slurp(root + "/caf\xc3\xa9/na\xc3\xafve.txt") == "utf8");

    // and back out as a layer
    UniqueFd out = memfile();
    CHECK(in_userns([&] {
              write_layer_diff(root, out.get(), true);
              return std::string("ok");
          }) == "ok");
    rewind(out.get());
    auto members = read_layer(out.get());
    CHECK(names_of(members) ==
          std::vector<std::string>{"caf\xc3\xa9/", "caf\xc3\xa9/na\xc3\xafve.txt", "etc/",
                                   "etc/hosts", "home/", "home/stranger/", "home/stranger/notes",
                                   "run/", "run/fifo", "tmp/", "usr/", "usr/bin/", "usr/bin/sh",
                                   "usr/bin/tool", "usr/bin/tool2"});
    const TarMember* m = find_member(members, "etc/hosts");
    REQUIRE(m);
    CHECK(m->data == hosts.data);
    CHECK(m->uid == 0);
    CHECK(m->xattrs == std::map<std::string, std::string>{{"user.origin", "test"}});
    CHECK(m->mtime == 1600000000);
    m = find_member(members, "usr/bin/tool");
    REQUIRE(m);
    CHECK(m->perm == 04755);
    CHECK(m->hardlink.empty());
    m = find_member(members, "usr/bin/tool2");
    REQUIRE(m);
    CHECK(m->hardlink == "usr/bin/tool");
    CHECK(m->data.empty());
    m = find_member(members, "usr/bin/sh");
    REQUIRE(m);
    CHECK(m->type == AE_IFLNK);
    CHECK(m->symlink == "tool");
    CHECK(find_member(members, "run/fifo")->type == AE_IFIFO);
    CHECK(find_member(members, "tmp/")->perm == 01777);
}

TEST_CASE("owners that are not mapped fail the extraction unless chown errors are ignored") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    TarMember shadow = file("etc/gshadow", "", 0640);
    shadow.gid = 42;
    UniqueFd layer = make_layer({dir("etc"), shadow});
    ExtractOptions strict = single_id();
    strict.ignore_chown_errors = false;
    CHECK(extract_in_userns(layer.get(), root, strict) ==
          "error: layer member etc/gshadow: cannot own it as uid 0, gid 42: not mapped in the "
          "user namespace (check /etc/subuid and /etc/subgid)");
}

TEST_CASE("whiteouts become overlay whiteouts: a 0:0 device and the opaque xattr") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    UniqueFd layer =
        make_layer({dir("a"), file("a/.wh.gone"), file("b/.wh..wh..opq"), dir("b"),
                    file("b/kept", "k"), file("c/deep/.wh.x"), file(".wh..wh.plnk/123.456"),
                    file("d/.wh.d-own"), file("d/d-own", "same layer")});
    CHECK(extract_in_userns(layer.get(), root, single_id()) == "size=11 devices=0 chrooted=1");

    auto gone = lstat_of(root + "/a/gone");
    CHECK(S_ISCHR(gone.st_mode));
    CHECK(gone.st_rdev == ::makedev(0, 0));
    CHECK(xattr_of(root + "/b", "user.overlay.opaque") == "y");
    CHECK(slurp(root + "/b/kept") == "k");
    CHECK(S_ISCHR(lstat_of(root + "/c/deep/x").st_mode));
    // a whiteout hides lower layers, not its own layer's file
    CHECK(slurp(root + "/d/d-own") == "same layer");
    CHECK_FALSE(exists(root + "/.wh..wh.plnk"));
    CHECK_FALSE(exists(root + "/a/.wh.gone"));
    CHECK_FALSE(exists(root + "/b/.wh..wh..opq"));
}

TEST_CASE("an upper directory's whiteouts become .wh. members") {
    TempDir upper;
    REQUIRE(::mkdir((upper / "d").c_str(), 0750) == 0);
    upper.write("d/f", "in opaque dir");
    REQUIRE(::setxattr((upper / "d").c_str(), "user.overlay.opaque", "y", 1, 0) == 0);
    REQUIRE(::setxattr((upper / "d").c_str(), "user.keep", "1", 1, 0) == 0);
    // unprivileged users may create 0:0 whiteouts since Linux 5.8
    REQUIRE(::mknod((upper / "x").c_str(), S_IFCHR | 0, ::makedev(0, 0)) == 0);
    // overlayfs links its whiteouts to one inode: still whiteouts, not hardlinks
    REQUIRE(::link((upper / "x").c_str(), (upper / "y").c_str()) == 0);
    upper.write("plain", "p");

    UniqueFd out = memfile();
    write_layer_diff(upper.path, out.get(), true);
    rewind(out.get());
    auto members = read_layer(out.get());
    CHECK(names_of(members) ==
          std::vector<std::string>{"d/", "d/.wh..wh..opq", "d/f", "plain", ".wh.x", ".wh.y"});
    const TarMember* d = find_member(members, "d/");
    REQUIRE(d);
    CHECK(d->xattrs == std::map<std::string, std::string>{{"user.keep", "1"}});
    const TarMember* opq = find_member(members, "d/.wh..wh..opq");
    REQUIRE(opq);
    CHECK(opq->type == AE_IFREG);
    CHECK(opq->perm == 0750);
    const TarMember* wx = find_member(members, ".wh.x");
    REQUIRE(wx);
    CHECK(wx->type == AE_IFREG);
    CHECK(wx->data.empty());
    CHECK(find_member(members, ".wh.y")->hardlink.empty());

    // the same upper with trusted.overlay.* (privileged overlay): user.overlay.opaque is only
    // left out, not taken as the marker
    UniqueFd priv = memfile();
    write_layer_diff(upper.path, priv.get(), false);
    rewind(priv.get());
    CHECK(names_of(read_layer(priv.get())) ==
          std::vector<std::string>{"d/", "d/f", "plain", ".wh.x", ".wh.y"});
}

TEST_CASE("the delete format removes what lower layers had, in either member order") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    UniqueFd base =
        make_layer({dir("a"), file("a/x", "x"), file("a/y", "y"), dir("b"), file("b/old", "old"),
                    dir("c"), dir("c/sub"), file("c/sub/deep", "deep"), dir("p"), dir("p/q"),
                    file("p/q/r", "r"), dir("e"), dir("e/sub"), file("e/sub/old", "old")});
    CHECK(extract_in_userns(base.get(), root, single_id(WhiteoutFormat::Delete)) ==
          "size=13 devices=0 chrooted=1");
    UniqueFd top = make_layer({file("a/.wh.x"), file("b/.wh..wh..opq"), file("b/new", "new"),
                               dir("c"), file("c/new", "new"), file("c/.wh..wh..opq"),
                               file("missing/.wh.nothing"), file("p/q", "now a file"),
                               file("e/.wh..wh..opq"), file("e/sub/fresh", "fresh")});
    CHECK(extract_in_userns(top.get(), root, single_id(WhiteoutFormat::Delete)) ==
          "size=21 devices=0 chrooted=1");
    CHECK(tree_of(root) == std::vector<std::string>{"a", "a/y", "b", "b/new", "c", "c/new", "e",
                                                    "e/sub", "e/sub/fresh", "p", "p/q"});
    CHECK(slurp(root + "/p/q") == "now a file");
}

TEST_CASE("gzip and zstd layers are recognized by their content") {
    for (auto compression : {Compression::Gzip, Compression::Zstd}) {
        CAPTURE(static_cast<int>(compression));
        TempDir tmp;
        std::string root = tmp / "root";
        REQUIRE(::mkdir(root.c_str(), 0755) == 0);
        std::string big(100000, 'z');
        UniqueFd layer = make_layer({dir("data"), file("data/big", big)}, compression);
        CHECK(extract_in_userns(layer.get(), root, single_id()) ==
              "size=100000 devices=0 chrooted=1");
        CHECK(slurp(root + "/data/big") == big);
    }
}

TEST_CASE("device nodes the namespace may not create are skipped and counted; fifos are kept") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    TarMember null;
    null.name = "dev/null";
    null.type = AE_IFCHR;
    null.rdev_major = 1;
    null.rdev_minor = 3;
    TarMember sda = null;
    sda.name = "dev/sda";
    sda.type = AE_IFBLK;
    sda.rdev_major = 8;
    sda.rdev_minor = 0;
    TarMember fifo;
    fifo.name = "dev/initctl";
    fifo.type = AE_IFIFO;
    UniqueFd layer = make_layer({dir("dev"), null, sda, fifo, file("dev/after", "a")});
    CHECK(extract_in_userns(layer.get(), root, single_id()) == "size=1 devices=2 chrooted=1");
    CHECK_FALSE(exists(root + "/dev/null"));
    CHECK_FALSE(exists(root + "/dev/sda"));
    CHECK(S_ISFIFO(lstat_of(root + "/dev/initctl").st_mode));
    CHECK(exists(root + "/dev/after"));
}

TEST_CASE("without a user namespace, extraction works unchrooted and as the user") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    UniqueFd layer = make_layer({dir("etc"), file("etc/os-release", "ID=test\n")});
    ExtractResult r = extract_layer(layer.get(), root, single_id());
    if (::geteuid() != 0)
        CHECK_FALSE(r.chrooted);
    CHECK(r.content_size == 8);
    CHECK(slurp(root + "/etc/os-release") == "ID=test\n");
}

TEST_CASE("empty and broken layers") {
    TempDir tmp;
    std::string root = tmp / "root";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    UniqueFd empty = memfile();
    CHECK(extract_layer(empty.get(), root, single_id()).content_size == 0);

    UniqueFd garbage = memfile();
    std::string junk(2048, '\x7f');
    write_all(garbage.get(), junk.data(), junk.size());
    rewind(garbage.get());
    CHECK(error_of([&] {
              extract_layer(garbage.get(), root, single_id());
          }).starts_with("reading the layer: "));

    UniqueFd layer = make_layer({file("big", std::string(100000, 'b'))});
    UniqueFd cut = memfile();
    std::string whole = read_fd(layer.get());
    write_all(cut.get(), whole.data(), 5000);
    rewind(cut.get());
    CHECK(error_of([&] {
              extract_layer(cut.get(), root, single_id());
          }).starts_with("layer member big: "));

    CHECK(error_of([&] {
              extract_layer(empty.get(), tmp / "missing", single_id());
          }).starts_with("open " + tmp / "missing"));
}

TEST_CASE("a tree is written whole, sorted, without sockets, names as bytes") {
    TempDir tree;
    REQUIRE(::mkdir((tree / "b").c_str(), 0755) == 0);
    REQUIRE(::mkdir((tree / "a").c_str(), 0755) == 0);
    tree.write("a/z", "z");
    tree.write("a.txt", "t");
    tree.write("b/.wh.looks-like-a-whiteout", "");
    // not UTF-8: written as bytes
    tree.write("bad\xff", "b");
    REQUIRE(::symlink("/etc/passwd", (tree / "link").c_str()) == 0);
    int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::string sock_path = tree / "sock";
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    sock_path.copy(addr.sun_path, sock_path.size());
    REQUIRE(::bind(sock, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) == 0);
    ::close(sock);

    UniqueFd out = memfile();
    write_tree_tar(tree.path, out.get());
    rewind(out.get());
    auto members = read_layer(out.get());
    CHECK(names_of(members) == std::vector<std::string>{"a/", "a/z", "a.txt", "b/",
                                                        "b/.wh.looks-like-a-whiteout", "bad\xff",
                                                        "link"});
    CHECK(find_member(members, "bad\xff")->data == "b");
    CHECK(find_member(members, "link")->symlink == "/etc/passwd");
    CHECK(find_member(members, "a/z")->uid == ::getuid());
}

TEST_CASE("a tree diff holds what changed and whiteouts for what went, and applies back") {
    TempDir tmp;
    std::string lower = tmp / "lower";
    std::string upper = tmp / "upper";
    std::string applied = tmp / "applied";
    for (const auto& d : {lower, applied}) {
        REQUIRE(::mkdir(d.c_str(), 0755) == 0);
        UniqueFd base =
            make_layer({file("same", "same"), file("changed", "before"), file("gone", "g"),
                        dir("gonedir"), file("gonedir/x", "x"), dir("dir"), file("dir/keep", "k"),
                        file("dir/del", "d"), file("modechg", "m"), test::symlink("link", "old"),
                        file("retyped", "file"), dir("todir")});
        ExtractResult r = extract_layer(base.get(), d, single_id());
        CHECK(r.content_size == 19);
    }
    std::filesystem::copy(lower, upper,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::copy_symlinks);
    // std::filesystem::copy keeps neither times nor modes exactly: copy them over
    for (const auto& rel : tree_of(lower)) {
        struct stat st = lstat_of(lower + "/" + rel);
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        REQUIRE(::utimensat(AT_FDCWD, (upper + "/" + rel).c_str(), times, AT_SYMLINK_NOFOLLOW) ==
                0);
    }
    auto write = [&](const std::string& rel, const std::string& data) {
        std::ofstream(upper + "/" + rel, std::ios::trunc) << data;
    };
    write("changed", "after, longer");
    REQUIRE(::unlink((upper + "/gone").c_str()) == 0);
    std::filesystem::remove_all(upper + "/gonedir");
    REQUIRE(::unlink((upper + "/dir/del").c_str()) == 0);
    write("dir/new", "n");
    REQUIRE(::chmod((upper + "/modechg").c_str(), 0600) == 0);
    REQUIRE(::unlink((upper + "/link").c_str()) == 0);
    REQUIRE(::symlink("new", (upper + "/link").c_str()) == 0);
    write("new", "brand new");
    REQUIRE(::unlink((upper + "/retyped").c_str()) == 0);
    REQUIRE(::mkdir((upper + "/retyped").c_str(), 0755) == 0);
    write("retyped/inside", "i");
    REQUIRE(::rmdir((upper + "/todir").c_str()) == 0);
    write("todir", "now a file");
    REQUIRE(::link((upper + "/new").c_str(), (upper + "/new-link").c_str()) == 0);
    // a directory whose times alone are restored looks unchanged; its children still count
    struct stat dir_st = lstat_of(lower + "/dir");
    struct timespec dir_times[2] = {dir_st.st_atim, dir_st.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, (upper + "/dir").c_str(), dir_times, 0) == 0);

    UniqueFd out = memfile();
    write_tree_diff(lower, upper, out.get());
    rewind(out.get());
    auto members = read_layer(out.get());
    CHECK(names_of(members) == std::vector<std::string>{"changed", "dir/.wh.del", "dir/new",
                                                        ".wh.gone", ".wh.gonedir", "link",
                                                        "modechg", "new", "new-link", "retyped/",
                                                        "retyped/inside", "todir"});
    CHECK(find_member(members, "changed")->data == "after, longer");
    CHECK(find_member(members, "link")->symlink == "new");
    CHECK(find_member(members, "modechg")->perm == 0600);
    CHECK(find_member(members, "new-link")->hardlink == "new");

    rewind(out.get());
    ExtractResult r = extract_layer(out.get(), applied, single_id(WhiteoutFormat::Delete));
    CHECK(r.skipped_devices == 0);
    CHECK(tree_of(applied) == tree_of(upper));
    for (const auto& rel : tree_of(upper)) {
        CAPTURE(rel);
        struct stat a = lstat_of(applied + "/" + rel);
        struct stat u = lstat_of(upper + "/" + rel);
        CHECK((a.st_mode & S_IFMT) == (u.st_mode & S_IFMT));
        if (!S_ISLNK(u.st_mode))
            CHECK((a.st_mode & 07777) == (u.st_mode & 07777));
        if (S_ISREG(u.st_mode))
            CHECK(slurp(applied + "/" + rel) == slurp(upper + "/" + rel));
    }
}
