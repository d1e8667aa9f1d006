// The store's layout, records, names and leftovers (storage/store.hpp), without a user namespace:
// nothing here needs files owned by other ids.
#include "core/file.hpp"
#include "storage/digest.hpp"
#include "storage/lock.hpp"
#include "storage/store.hpp"
#include "support.hpp"

#include <sys/stat.h>
#include <unistd.h>

using namespace burrow;
using namespace burrow::storage;

namespace {

const std::string kId1(64, 'a');
const std::string kId2(64, 'b');

} // namespace

TEST_CASE("store: prepare makes the layout, private to the user") {
    test::TempDir dir;
    Store store(dir.path + "/root");
    store.prepare();
    for (const char* sub : {"blobs/sha256", "layers", "images", "containers", "names", "tmp"})
        CHECK(path_exists(dir.path + "/root/" + sub));
    struct stat st {};
    REQUIRE(::stat((dir.path + "/root").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("store: blobs are kept by digest, once") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    std::string d = store.put_blob("hello");
    CHECK(d == sha256_of("hello"));
    CHECK(store.blob_path(d) == dir.path + "/blobs/sha256/" + d.substr(7));
    CHECK(store.put_blob("hello") == d);
    CHECK(store.read_blob(d) == "hello");
    CHECK(test::error_of([&] { store.read_blob(sha256_of("other")); }).find("missing") !=
          std::string::npos);
    // a digest is checked before it becomes a path
    CHECK(test::error_of([&] {
              store.blob_path("sha256:../../etc/passwd");
          }).starts_with("invalid digest"));
}

TEST_CASE("store: ids that are not 64 hex digits never become paths") {
    test::TempDir dir;
    Store store(dir.path);
    CHECK(test::error_of([&] { store.layer_dir("../x"); }).starts_with("invalid layer id"));
    CHECK(test::error_of([&] {
              store.container_dir(std::string(64, 'g'));
          }).starts_with("invalid container id"));
    CHECK_FALSE(store.image("../../x").has_value());
    CHECK_FALSE(store.container("abc").has_value());
}

TEST_CASE("store: image records round-trip; unused layers are those no image lists") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    ImageRecord img;
    img.id = kId1;
    img.names = {"localhost/a:1"};
    img.layers = {kId2};
    img.size = 42;
    store.save_image(img);
    auto back = store.image(kId1);
    REQUIRE(back);
    CHECK(back->names == img.names);
    CHECK(back->layers == img.layers);
    CHECK(back->size == 42);
    CHECK(store.images().size() == 1);

    make_dirs(store.layer_dir(kId2) + "/diff");
    make_dirs(store.layer_dir(std::string(64, 'c')) + "/diff");
    auto unused = store.unused_layers();
    REQUIRE(unused.size() == 1);
    CHECK(unused[0] == std::string(64, 'c'));
    store.delete_image_record(kId1);
    CHECK(store.images().empty());
}

TEST_CASE("store: a damaged record is an error that names the file") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    atomic_write_file(dir.path + "/images/" + kId1 + ".json", "{not json");
    CHECK(test::error_of([&] { store.images(); }).find("damaged") != std::string::npos);
}

TEST_CASE("store: a container name belongs to one container; a stale name is free again") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    make_dirs(store.container_dir(kId1));
    CHECK(store.claim_name("web", kId1));
    CHECK_FALSE(store.claim_name("web", kId2));
    CHECK(store.id_of_name("web") == kId1);
    store.release_name("web", kId2); // not its owner: nothing happens
    CHECK(store.id_of_name("web") == kId1);
    // the owner's folder is gone (a removal killed half-way): the name can be taken
    ::rmdir(store.container_dir(kId1).c_str());
    CHECK(store.claim_name("web", kId2));
    CHECK(store.id_of_name("web") == kId2);
    CHECK_FALSE(store.id_of_name("../web").has_value());
    // a name becomes a file under names/: nothing but docker's characters may pass
    for (const char* bad : {"../x", "a/b", ".hidden", "", "x:y"})
        CHECK(test::error_of([&] { store.claim_name(bad, kId1); })
                  .starts_with("invalid container name"));
}

TEST_CASE("store: a WorkDir is removed unless moved; a killed command's is removed later") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    std::string path;
    {
        WorkDir w(store.tmp_root(), "t");
        path = w.path();
        CHECK(path_exists(path));
    }
    CHECK_FALSE(path_exists(path));
    CHECK_FALSE(path_exists(path + ".lock"));

    {
        WorkDir w(store.tmp_root(), "t");
        atomic_write_file(w.path() + "/f", "x");
        w.move_to("", dir.path + "/moved");
    }
    CHECK(path_exists(dir.path + "/moved/f"));

    // a child makes a WorkDir and dies without cleaning up, as kill -9 would leave it
    int rc = test::in_child([&] {
        WorkDir w(store.tmp_root(), "killed");
        atomic_write_file(w.path() + "/half", "x");
        ::_exit(0);
        return 0;
    });
    CHECK(rc == 0);
    int leftovers = 0;
    for (const auto& e : std::filesystem::directory_iterator(store.tmp_root()))
        leftovers += e.path().filename().string().starts_with("killed-");
    CHECK(leftovers == 2); // the folder and its lock
    store.prepare();
    CHECK(std::filesystem::is_empty(store.tmp_root()));
}

TEST_CASE("store: a WorkDir in use is not taken for a leftover") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    WorkDir w(store.tmp_root(), "busy");
    int rc = test::in_child([&] {
        Store other(dir.path);
        other.prepare();
        return path_exists(w.path()) ? 0 : 1;
    });
    CHECK(rc == 0);
}

TEST_CASE("store: remove_tree makes the folder disappear at once") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    make_dirs(dir.path + "/victim/a/b");
    atomic_write_file(dir.path + "/victim/a/b/f", "x");
    ::chmod((dir.path + "/victim/a").c_str(), 0555); // read-only folders inside are no obstacle
    store.remove_tree(dir.path + "/victim");
    CHECK_FALSE(path_exists(dir.path + "/victim"));
    CHECK(std::filesystem::is_empty(store.tmp_root()));
    store.remove_tree(dir.path + "/never-was"); // ok
}

TEST_CASE("store: the driver is recorded once") {
    test::TempDir dir;
    Store store(dir.path);
    store.prepare();
    CHECK_FALSE(store.recorded_driver().has_value());
    store.record_driver(Driver::fuse_overlayfs);
    CHECK(store.recorded_driver() == Driver::fuse_overlayfs);
    CHECK(parse_driver("overlay2") == Driver::overlay);
    CHECK(test::error_of([] { parse_driver("btrfs"); }).starts_with("unknown storage driver"));
}

TEST_CASE("lock: an exclusive lock excludes another holder until released") {
    test::TempDir dir;
    std::string path = dir.path + "/l";
    {
        auto held = FileLock::exclusive(path);
        int rc = test::in_child([&] { return FileLock::try_exclusive(path) ? 1 : 0; });
        CHECK(rc == 0);
    }
    int rc = test::in_child([&] { return FileLock::try_exclusive(path) ? 0 : 1; });
    CHECK(rc == 0);
}
