// The hostile layer corpus (hostile/README.md): each tar is extracted in every whiteout format,
// chrooted (root of a user namespace) and not (an unprivileged user, path checks alone), into a
// root that sits in a folder of decoys. Nothing outside the root may change; each member is
// either refused with an error naming it or lands inside the root.

#include "layer_support.hpp"
#include "storage/layer_tar.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>

using namespace burrow;
using namespace burrow::storage;
using namespace burrow::test;

namespace {

struct HostileCase {
    const char* file;
    const char* error;               // a part of the expected error; nullptr: must succeed
    std::vector<std::string> inside; // paths that must then exist inside the root
};

const std::vector<HostileCase> kCases = {
    {"dotdot.tar", "layer member ../escaped-dotdot: path escapes the layer", {}},
    {"absolute.tar", nullptr, {"abs-member"}},
    {"symlink_root.tar", nullptr, {"evil", "etc/x"}},
    {"symlink_up.tar", nullptr, {"burrow-hostile-escaped-up"}},
    {"symlink_parent.tar", nullptr, {"escaped-parent"}},
    {"hardlink_abs.tar", "layer member passwd: ", {}},
    {"hardlink_dotdot.tar", "layer member x: hardlink target ../outside escapes the layer", {}},
    {"hardlink_symlink.tar", "layer member h: ", {}},
    {"whiteout_symlink.tar", "layer member link/.wh.file: whiteout through the symlink link", {}},
    {"whiteout_symlink_rel.tar",
     "layer member link/.wh.file: whiteout through the symlink link",
     {}},
    {"opaque_symlink.tar", "layer member link/.wh..wh..opq: whiteout through the symlink link", {}},
    {"whiteout_dotdot.tar", "layer member d/.wh...: invalid whiteout", {}},
    {"whiteout_dot.tar", "layer member .wh..: invalid whiteout", {}},
    {"prefix_dotdot.tar", "layer member a/../../escaped-prefix: path escapes the layer", {}},
    {"symlink_then_dir.tar", nullptr, {"x/file"}},
    {"dir_then_symlink.tar", nullptr, {"escaped-swap"}},
    {"long_name.tar", "name too long", {}},
    {"long_component.tar", "name too long", {}},
    {"pax_path.tar", "layer member ../../escaped-pax: path escapes the layer", {}},
    {"pax_linkpath.tar", "layer member harmless: hardlink target ../outside escapes the layer", {}},
};

// Absolute paths an escape would create, outside every folder the test owns.
const std::vector<std::string> kEscapes = {"/abs-member",        "/etc/x",
                                           "/escaped-parent",    "/tmp/burrow-hostile-escaped-up",
                                           "/tmp/escaped-pax",   "/tmp/escaped-dotdot",
                                           "/tmp/escaped-prefix"};

constexpr const char* kVictim = "/tmp/burrow-hostile-victim";

// The folder a whiteout through an absolute symlink would empty, with a file in it; removed
// afterwards when this test made it.
struct Victim {
    bool own = ::mkdir(kVictim, 0755) == 0;
    Victim() {
        if (own)
            std::ofstream(std::string(kVictim) + "/file") << "victim";
    }
    Victim(const Victim&) = delete;
    Victim& operator=(const Victim&) = delete;
    ~Victim() {
        if (own)
            std::filesystem::remove_all(kVictim);
    }
};

std::string corpus_dir() {
    return (std::filesystem::path(__FILE__).parent_path() / "hostile").string();
}

// The tree of the decoy folder, without the root's own contents, one path a line.
std::string outside_of(const TempDir& outer) {
    std::string out;
    for (const auto& rel : tree_of(outer.path))
        if (!rel.starts_with("root/"))
            out += rel + "\n";
    return out;
}

} // namespace

TEST_CASE("hostile layers never write outside the root") {
    struct stat passwd_before = lstat_of("/etc/passwd");
    Victim victim;
    bool has_victim = exists(std::string(kVictim) + "/file");

    for (const auto& c : kCases) {
        for (auto format : {WhiteoutFormat::Overlay, WhiteoutFormat::Delete}) {
            for (bool userns : {true, false}) {
                std::string file = c.file;
                std::string how =
                    std::string(format == WhiteoutFormat::Overlay ? "overlay" : "delete") +
                    (userns ? ", chrooted in a user namespace" : ", unprivileged, no chroot");
                CAPTURE(file);
                CAPTURE(how);
                TempDir outer;
                std::string root = outer / "root";
                REQUIRE(::mkdir(root.c_str(), 0755) == 0);
                outer.write("canary", "canary");
                outer.write("outside", "outside");
                REQUIRE(::mkdir((outer / "victim").c_str(), 0755) == 0);
                outer.write("victim/file", "victim");
                auto before = outside_of(outer);

                std::string path = corpus_dir() + "/" + c.file;
                UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
                REQUIRE_MESSAGE(fd, "cannot open " << path);
                ExtractOptions opts;
                opts.whiteouts = format;
                opts.ignore_chown_errors = true;
                std::string error;
                if (userns) {
                    std::string got = in_userns([&] {
                        ExtractResult r = extract_layer(fd.get(), root, opts);
                        return r.chrooted ? std::string() : std::string("error: not chrooted");
                    });
                    if (got.starts_with("error: "))
                        error = got.substr(7);
                } else {
                    error = error_of([&] { extract_layer(fd.get(), root, opts); });
                    if (error == "(no error)")
                        error.clear();
                }

                CHECK(outside_of(outer) == before);
                CHECK(read_file(outer / "canary") == "canary");
                CHECK(read_file(outer / "outside") == "outside");
                CHECK(lstat_of(outer / "outside").st_nlink == 1);
                CHECK(read_file(outer / "victim/file") == "victim");
                for (const auto& escape : kEscapes)
                    CHECK_MESSAGE(!exists(escape), escape);
                if (has_victim)
                    CHECK(exists(std::string(kVictim) + "/file"));

                if (c.error) {
                    CHECK_MESSAGE(error.find(c.error) != std::string::npos, error);
                } else {
                    CHECK(error == "");
                    for (const auto& rel : c.inside)
                        CHECK_MESSAGE(exists(root + "/" + rel), rel);
                }
            }
        }
    }

    struct stat passwd_after = lstat_of("/etc/passwd");
    CHECK(passwd_after.st_nlink == passwd_before.st_nlink);
    CHECK(passwd_after.st_ino == passwd_before.st_ino);
}

TEST_CASE("the hostile corpus README names every tar") {
    std::string readme = read_file(corpus_dir() + "/README.md");
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir())) {
        std::string name = entry.path().filename().string();
        if (!name.ends_with(".tar"))
            continue;
        CAPTURE(name);
        CHECK(readme.find(name) != std::string::npos);
        bool tested = false;
        for (const auto& c : kCases)
            tested = tested || name == c.file;
        CHECK(tested);
    }
}
