#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/archive_io.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/layer_support.hpp"
#include "storage/libarchive.hpp"
#include "support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace burrow;
using namespace burrow::storage;
using burrow::test::file;
using burrow::test::hardlink;
using burrow::test::TarMember;
using burrow::test::TempDir;

namespace {

enum class Filter { none, gzip, zstd, xz };

// The members as a pax tar, compressed with filter, in a new file at path.
void write_tar(const std::string& path, const std::vector<TarMember>& members,
               Filter filter = Filter::none) {
    const ArchiveApi& api = archive_api();
    ArchiveWriter w = ArchiveWriter::stream();
    REQUIRE(api.archive_write_set_format_pax_restricted(w.get()) == ARCHIVE_OK);
    if (filter == Filter::gzip)
        REQUIRE(api.archive_write_add_filter_gzip(w.get()) == ARCHIVE_OK);
    if (filter == Filter::zstd)
        REQUIRE(api.archive_write_add_filter_zstd(w.get()) == ARCHIVE_OK);
    if (filter == Filter::xz)
        REQUIRE(api.archive_write_add_filter_xz(w.get()) == ARCHIVE_OK);
    REQUIRE(api.archive_write_open_filename(w.get(), path.c_str()) == ARCHIVE_OK);
    for (const auto& m : members) {
        ArchiveEntry entry;
        auto* e = entry.get();
        api.archive_entry_copy_pathname(e, m.name.c_str());
        api.archive_entry_set_filetype(e, m.type);
        api.archive_entry_set_perm(e, m.perm);
        api.archive_entry_set_mtime(e, m.mtime, 0);
        bool has_data = m.type == AE_IFREG && m.hardlink.empty();
        api.archive_entry_set_size(e, has_data ? static_cast<la_int64_t>(m.data.size()) : 0);
        if (!m.symlink.empty())
            api.archive_entry_copy_symlink(e, m.symlink.c_str());
        if (!m.hardlink.empty())
            api.archive_entry_copy_hardlink(e, m.hardlink.c_str());
        REQUIRE(api.archive_write_header(w.get(), e) == ARCHIVE_OK);
        if (has_data && !m.data.empty())
            REQUIRE(api.archive_write_data(w.get(), m.data.data(), m.data.size()) ==
                    static_cast<la_ssize_t>(m.data.size()));
    }
    REQUIRE(api.archive_write_close(w.get()) == ARCHIVE_OK);
}

UniqueFd open_read(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    REQUIRE_MESSAGE(fd, path);
    return fd;
}

// The members of a tar file, any compression.
std::vector<TarMember> members_of(const std::string& path) {
    UniqueFd fd = open_read(path);
    return test::read_layer(fd.get());
}

std::string member_data(const std::vector<TarMember>& members, const std::string& name) {
    const TarMember* m = test::find_member(members, name);
    REQUIRE_MESSAGE(m, name);
    return m->data;
}

// A small layer tar whose content depends on n, compressed with filter; made once per folder,
// since compressors record the time.
std::string layer_bytes(const TempDir& dir, int n, Filter filter = Filter::none) {
    std::string path = dir / ("layer-" + std::to_string(n) + "-" +
                              std::to_string(static_cast<int>(filter)) + ".tar");
    if (test::exists(path))
        return read_file(path);
    write_tar(
        path,
        {test::dir("etc"), file("etc/layer-" + std::to_string(n), "content " + std::to_string(n))},
        filter);
    return read_file(path);
}

std::string config_for(const std::vector<std::string>& diff_ids) {
    nlohmann::json j = {{"architecture", host_platform().architecture},
                        {"os", "linux"},
                        {"config", {{"Cmd", {"sh"}}}},
                        {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
    return j.dump();
}

std::string hex(const std::string& digest) {
    return Digest::parse(digest).hex();
}

std::vector<ImageSource> load(const std::string& archive, const std::string& staging) {
    std::filesystem::create_directories(staging);
    UniqueFd fd = open_read(archive);
    return read_image_archive(fd.get(), staging);
}

std::string load_error(const std::string& archive, const std::string& staging) {
    return test::error_of([&] { load(archive, staging); });
}

// An image in a store, made from records alone (extraction would need a user namespace).
struct StoredImage {
    ImageRecord record;
    std::string config;
    std::vector<std::string> diff_ids;
    std::vector<std::string> blobs;
};

StoredImage store_image(Store& store, const TempDir& dir, const std::vector<int>& layers,
                        std::vector<std::string> names, Filter filter = Filter::gzip,
                        bool record_tar_size = true) {
    StoredImage img;
    std::vector<LayerRecord> records;
    for (int n : layers) {
        std::string plain = layer_bytes(dir, n);
        std::string blob = filter == Filter::none ? plain : layer_bytes(dir, n, filter);
        LayerRecord rec;
        rec.diff_id = sha256_of(plain);
        rec.blob = store.put_blob(blob);
        rec.media_type = std::string(filter == Filter::none   ? kOciLayer
                                     : filter == Filter::zstd ? kOciLayerZstd
                                                              : kDockerLayerGzip);
        rec.blob_size = static_cast<int64_t>(blob.size());
        rec.tar_size = record_tar_size ? static_cast<int64_t>(plain.size()) : 0;
        img.diff_ids.push_back(rec.diff_id);
        img.blobs.push_back(rec.blob);
        records.push_back(rec);
    }
    auto chains = chain_ids(img.diff_ids);
    for (size_t i = 0; i < records.size(); ++i) {
        records[i].chain_id = hex(chains[i]);
        records[i].parent = i == 0 ? "" : hex(chains[i - 1]);
        std::filesystem::create_directories(store.layer_dir(records[i].chain_id));
        store.save_layer(records[i]);
        img.record.layers.push_back(records[i].chain_id);
    }
    img.config = config_for(img.diff_ids);
    img.record.id = hex(store.put_blob(img.config));
    img.record.names = std::move(names);
    store.save_image(img.record);
    return img;
}

std::string save_to_file(const Store& store, const std::vector<SaveItem>& items,
                         ArchiveFormat format, const std::string& path) {
    UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    REQUIRE(out);
    write_image_archive(store, items, format, out.get());
    return path;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::vector<std::string> layer_digests(const ImageSource& src) {
    std::vector<std::string> out;
    for (const auto& l : src.layers)
        out.push_back(l.digest);
    return out;
}

} // namespace

TEST_SUITE_BEGIN("storage/archive_io");

TEST_CASE("image names from archives become full references") {
    CHECK(normalize_image_name("busybox", "docker.io") == "docker.io/library/busybox:latest");
    CHECK(normalize_image_name("busybox:1.36", "docker.io") == "docker.io/library/busybox:1.36");
    CHECK(normalize_image_name("user/app:v1", "docker.io") == "docker.io/user/app:v1");
    CHECK(normalize_image_name("docker.io/busybox", "docker.io") ==
          "docker.io/library/busybox:latest");
    CHECK(normalize_image_name("index.docker.io/library/busybox:1", "docker.io") ==
          "docker.io/library/busybox:1");
    CHECK(normalize_image_name("localhost/busybox:latest", "docker.io") ==
          "localhost/busybox:latest");
    CHECK(normalize_image_name("localhost:5000/a/b", "docker.io") == "localhost:5000/a/b:latest");
    CHECK(normalize_image_name("quay.io/x/y:2", "docker.io") == "quay.io/x/y:2");
    std::string digest = "sha256:" + std::string(64, 'a');
    CHECK(normalize_image_name("quay.io/x/y@" + digest, "docker.io") == "quay.io/x/y@" + digest);
    CHECK(normalize_image_name("busybox:latest", "localhost") == "localhost/busybox:latest");
    CHECK(normalize_image_name("team/app", "localhost") == "localhost/team/app:latest");
    for (std::string bad : {"", "Busybox", "a b", "busybox:", ":latest", "a//b", "/a", "a/",
                            "busybox@sha256:12", "busybox:-x", "quay.io/../x"}) {
        CAPTURE(bad);
        CHECK(test::error_of([&] { normalize_image_name(bad, "docker.io"); }) ==
              "invalid image name \"" + bad + "\"");
    }

    CHECK(familiar_image_name("docker.io/library/busybox:latest") == "busybox:latest");
    CHECK(familiar_image_name("docker.io/user/app:1") == "user/app:1");
    CHECK(familiar_image_name("docker.io/library/a/b:1") == "library/a/b:1");
    CHECK(familiar_image_name("localhost/x:latest") == "localhost/x:latest");
    CHECK(familiar_image_name("quay.io/x/y:2") == "quay.io/x/y:2");
}

TEST_CASE("a docker-archive with two layers and a symlinked duplicate") {
    TempDir dir;
    std::string l1 = layer_bytes(dir, 1), l2 = layer_bytes(dir, 2);
    std::string config = config_for({sha256_of(l1), sha256_of(l2), sha256_of(l1)});
    std::string config_name = hex(sha256_of(config)) + ".json";
    nlohmann::json manifest = nlohmann::json::array(
        {{{"Config", config_name},
          {"RepoTags", {"busybox:latest", "localhost/app:1", "quay.io/x/y:2"}},
          {"Layers", {"aaa/layer.tar", "bbb/layer.tar", "ccc/layer.tar"}}}});
    write_tar(dir / "image.tar",
              {test::dir("aaa"), file("aaa/layer.tar", l1), file("aaa/VERSION", "1.0"),
               test::dir("bbb"), file("bbb/layer.tar", l2),
               test::symlink("ccc/layer.tar", "../aaa/layer.tar"), file(config_name, config),
               file("manifest.json", manifest.dump())});
    auto images = load(dir / "image.tar", dir / "staging");
    REQUIRE(images.size() == 1);
    const ImageSource& img = images[0];
    CHECK(img.config == config);
    CHECK(img.manifest.empty());
    CHECK(img.names == std::vector<std::string>{"docker.io/library/busybox:latest",
                                                "localhost/app:1", "quay.io/x/y:2"});
    REQUIRE(img.layers.size() == 3);
    CHECK(layer_digests(img) ==
          std::vector<std::string>{sha256_of(l1), sha256_of(l2), sha256_of(l1)});
    CHECK(img.layers[2].file == img.layers[0].file);
    for (const auto& l : img.layers) {
        CHECK(l.media_type.empty());
        CHECK(read_file(l.file).size() == static_cast<size_t>(l.size));
    }
    CHECK(read_file(img.layers[1].file) == l2);
    // the archive's names never reach the file system
    for (const auto& entry : std::filesystem::directory_iterator(dir / "staging"))
        CHECK(entry.path().filename().string().starts_with("m-"));
}

TEST_CASE("a docker-archive: hard links, ./ names, several images, no tags") {
    TempDir dir;
    std::string l1 = layer_bytes(dir, 1), l2 = layer_bytes(dir, 2);
    std::string c1 = config_for({sha256_of(l1)}), c2 = config_for({sha256_of(l1), sha256_of(l2)});
    nlohmann::json manifest = nlohmann::json::array(
        {{{"Config", "c1.json"}, {"RepoTags", nullptr}, {"Layers", {"one.tar"}}},
         {{"Config", "./c2.json"}, {"RepoTags", {"b:2"}}, {"Layers", {"x/one.tar", "two.tar"}}}});
    write_tar(dir / "image.tar",
              {test::dir("./"), file("./one.tar", l1), hardlink("./x/one.tar", "./one.tar"),
               file(".//two.tar", l2), file("./c1.json", c1), file("./c2.json", c2),
               file("./manifest.json", manifest.dump())});
    auto images = load(dir / "image.tar", dir / "staging");
    REQUIRE(images.size() == 2);
    CHECK(images[0].config == c1);
    CHECK(images[0].names.empty());
    CHECK(layer_digests(images[0]) == std::vector<std::string>{sha256_of(l1)});
    CHECK(images[1].config == c2);
    CHECK(images[1].names == std::vector<std::string>{"docker.io/library/b:2"});
    CHECK(layer_digests(images[1]) == std::vector<std::string>{sha256_of(l1), sha256_of(l2)});
}

TEST_CASE("compressed docker-archives") {
    TempDir dir;
    std::string l1 = layer_bytes(dir, 1);
    std::string gz_layer = layer_bytes(dir, 1, Filter::gzip);
    std::string config = config_for({sha256_of(l1)});
    nlohmann::json manifest = nlohmann::json::array(
        {{{"Config", "c.json"}, {"RepoTags", {"localhost/z:latest"}}, {"Layers", {"l.tar.gz"}}}});
    std::vector<TarMember> members = {file("l.tar.gz", gz_layer), file("c.json", config),
                                      file("manifest.json", manifest.dump())};
    for (Filter f : {Filter::gzip, Filter::zstd, Filter::xz}) {
        CAPTURE(static_cast<int>(f));
        std::string name = "image-" + std::to_string(static_cast<int>(f)) + ".tar";
        write_tar(dir / name, members, f);
        auto images = load(dir / name, dir / (name + ".staging"));
        REQUIRE(images.size() == 1);
        CHECK(images[0].config == config);
        CHECK(images[0].names == std::vector<std::string>{"localhost/z:latest"});
        REQUIRE(images[0].layers.size() == 1);
        // a compressed layer stays as it came: its blob digest is not its diff id
        CHECK(images[0].layers[0].digest == sha256_of(gz_layer));
        CHECK(read_file(images[0].layers[0].file) == gz_layer);
    }
}

namespace {

struct OciBlobs {
    std::vector<TarMember> members;
    Descriptor add(std::string_view media_type, const std::string& content) {
        Descriptor d = make_descriptor(media_type, content);
        members.push_back(file("blobs/sha256/" + hex(d.digest), content));
        return d;
    }
};

} // namespace

TEST_CASE("an oci-archive with names, a nested index and an untagged image") {
    TempDir dir;
    OciBlobs blobs;
    std::string l1 = layer_bytes(dir, 1, Filter::gzip), l2 = layer_bytes(dir, 2);
    Descriptor d1 = blobs.add(kOciLayerGzip, l1), d2 = blobs.add(kOciLayer, l2);
    std::string config = config_for({sha256_of(layer_bytes(dir, 1)), sha256_of(l2)});
    Descriptor cfg = blobs.add(kOciConfig, config);
    std::string raw_manifest = to_json(make_oci_manifest(cfg, {d1, d2}));
    Descriptor man = blobs.add(kOciManifest, raw_manifest);

    // a second image, for another platform and for this one, behind a nested index
    std::string config2 = config_for({sha256_of(l2)});
    Descriptor cfg2 = blobs.add(kOciConfig, config2);
    std::string raw_manifest2 = to_json(make_oci_manifest(cfg2, {d2}));
    Descriptor man2 = blobs.add(kOciManifest, raw_manifest2);
    man2.platform = host_platform();
    Descriptor other;
    other.media_type = std::string(kOciManifest);
    other.digest = "sha256:" + std::string(64, 'e'); // not in the archive: never read
    other.size = 10;
    other.platform = Platform{"s390x", "linux", "", "", {}};
    Index nested;
    nested.media_type = std::string(kOciIndex);
    nested.manifests = {other, man2};
    Descriptor nested_d = blobs.add(kOciIndex, to_json(nested));

    Index index;
    index.media_type = std::string(kOciIndex);
    Descriptor named = man;
    named.annotations["org.opencontainers.image.ref.name"] = "busybox:latest";
    Descriptor containerd = man;
    containerd.annotations["org.opencontainers.image.ref.name"] = "latest";
    containerd.annotations["io.containerd.image.name"] = "docker.io/library/busybox:1";
    Descriptor tag_only = nested_d;
    tag_only.annotations["org.opencontainers.image.ref.name"] = "latest";
    index.manifests = {named, containerd, tag_only};

    std::vector<TarMember> members = blobs.members;
    members.push_back(file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
    members.push_back(file("index.json", to_json(index)));
    write_tar(dir / "oci.tar", members);
    auto images = load(dir / "oci.tar", dir / "staging");
    REQUIRE(images.size() == 3);
    CHECK(images[0].names == std::vector<std::string>{"localhost/busybox:latest"});
    CHECK(images[1].names == std::vector<std::string>{"docker.io/library/busybox:1"});
    CHECK(images[2].names.empty());
    for (int i : {0, 1}) {
        CHECK(images[i].config == config);
        CHECK(images[i].manifest == raw_manifest);
        REQUIRE(images[i].layers.size() == 2);
        CHECK(images[i].layers[0].digest == d1.digest);
        CHECK(images[i].layers[0].media_type == kOciLayerGzip);
        CHECK(images[i].layers[0].size == d1.size);
        CHECK(read_file(images[i].layers[0].file) == l1);
        CHECK(images[i].layers[1].digest == d2.digest);
        CHECK(images[i].layers[1].media_type == kOciLayer);
    }
    CHECK(images[2].config == config2);
    CHECK(images[2].manifest == raw_manifest2);
    CHECK(layer_digests(images[2]) == std::vector<std::string>{d2.digest});
}

TEST_CASE("an oci-archive of one image per platform loads the host's") {
    TempDir dir;
    OciBlobs blobs;
    std::string l1 = layer_bytes(dir, 1);
    Descriptor layer = blobs.add(kOciLayer, l1);
    std::string config = config_for({sha256_of(l1)});
    Descriptor cfg = blobs.add(kOciConfig, config);
    Descriptor host = blobs.add(kOciManifest, to_json(make_oci_manifest(cfg, {layer})));
    host.platform = host_platform();
    Descriptor other = make_descriptor(kOciManifest, "{}"); // not in the archive: never read
    other.platform = Platform{"riscv64", "linux", "", "", {}};
    Index index;
    index.manifests = {other, host};
    std::vector<TarMember> members = blobs.members;
    members.push_back(file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
    members.push_back(file("index.json", to_json(index)));
    write_tar(dir / "multi.tar", members, Filter::gzip);
    auto images = load(dir / "multi.tar", dir / "staging");
    REQUIRE(images.size() == 1);
    CHECK(images[0].config == config);
    CHECK(images[0].names.empty());
    CHECK(layer_digests(images[0]) == std::vector<std::string>{layer.digest});
}

TEST_CASE("hostile archives") {
    TempDir dir;
    std::string l1 = layer_bytes(dir, 1);
    std::string config = config_for({sha256_of(l1)});
    auto docker = [&](const std::string& layer_name, std::vector<TarMember> extra) {
        nlohmann::json manifest = nlohmann::json::array(
            {{{"Config", "c.json"}, {"RepoTags", {"x:1"}}, {"Layers", {layer_name}}}});
        extra.push_back(file("c.json", config));
        extra.push_back(file("manifest.json", manifest.dump()));
        static int n = 0;
        std::string path = dir / ("hostile-" + std::to_string(n++) + ".tar");
        write_tar(path, extra);
        return load_error(path, dir / ("staging-" + std::to_string(n)));
    };
    const std::string no_member = "load: the archive has no member ";

    SUBCASE("a member named with ..") {
        CHECK(docker("../x", {file("../x", l1)}) ==
              "load: manifest.json[0]: invalid member name \"../x\"");
        CHECK(docker("x", {file("../x", l1)}) == no_member + "\"x\" (a layer of manifest.json[0])");
        CHECK(docker("a/x", {file("a/../x", l1)}) ==
              no_member + "\"a/x\" (a layer of manifest.json[0])");
        CHECK(!test::exists(dir.path + "/../x"));
    }
    SUBCASE("an absolute member") {
        CHECK(docker("tmp/abs.tar", {file("/tmp/abs.tar", l1)}) ==
              no_member + "\"tmp/abs.tar\" (a layer of manifest.json[0])");
        CHECK(docker("/tmp/abs.tar", {file("/tmp/abs.tar", l1)}) ==
              "load: manifest.json[0]: invalid member name \"/tmp/abs.tar\"");
    }
    SUBCASE("symlinks out of the archive, absolute, in a loop") {
        CHECK(docker("a/layer.tar", {test::symlink("a/layer.tar", "../../layer.tar")}) ==
              no_member + "\"a/layer.tar\" (a layer of manifest.json[0])");
        CHECK(docker("a/layer.tar", {test::symlink("a/layer.tar", "/etc/passwd")}) ==
              no_member + "\"a/layer.tar\" (a layer of manifest.json[0])");
        CHECK(docker("a", {test::symlink("a", "b"), test::symlink("b", "a")}) ==
              no_member + "\"a\" (a layer of manifest.json[0])");
        CHECK(docker("a", {test::symlink("a", "."), file("x", l1)}) ==
              no_member + "\"a\" (a layer of manifest.json[0])");
        CHECK(docker("a", {hardlink("a", "../x"), file("x", l1)}) ==
              no_member + "\"a\" (a layer of manifest.json[0])");
    }
    SUBCASE("a chain of symlinks within the archive resolves") {
        CHECK(docker("a/l", {file("real", l1), test::symlink("a/l", "../b/l"),
                             test::symlink("b/l", "../real")}) == "(no error)");
    }
    SUBCASE("a missing layer, config or manifest.json") {
        CHECK(docker("none.tar", {}) == no_member + "\"none.tar\" (a layer of manifest.json[0])");
        write_tar(dir / "empty.tar", {file("other", "x")});
        CHECK(load_error(dir / "empty.tar", dir / "s-empty") ==
              "load: the archive is neither a docker-archive nor an oci-archive (no "
              "manifest.json or index.json)");
        write_tar(dir / "nothing.tar", {});
        CHECK(load_error(dir / "nothing.tar", dir / "s-nothing") ==
              "load: the archive is neither a docker-archive nor an oci-archive (no "
              "manifest.json or index.json)");
        write_tar(dir / "bad.tar", {file("manifest.json", "{")});
        CHECK(load_error(dir / "bad.tar", dir / "s-bad") ==
              "load: manifest.json in the archive is not valid JSON");
    }
    SUBCASE("not a tar") {
        dir.write("garbage", std::string(3000, 'g'));
        CHECK(
            load_error(dir / "garbage", dir / "s-garbage").starts_with("load: read the archive: "));
    }

    OciBlobs blobs;
    Descriptor layer = blobs.add(kOciLayer, l1);
    Descriptor cfg = blobs.add(kOciConfig, config);
    auto oci = [&](std::vector<TarMember> members, const Descriptor& manifest) {
        Index index;
        index.manifests = {manifest};
        members.push_back(file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
        members.push_back(file("index.json", to_json(index)));
        static int n = 0;
        std::string path = dir / ("oci-" + std::to_string(n++) + ".tar");
        write_tar(path, members);
        return load_error(path, dir / ("oci-staging-" + std::to_string(n)));
    };
    SUBCASE("a blob whose content is not what its name says") {
        OciBlobs b = blobs;
        std::string raw = to_json(make_oci_manifest(cfg, {layer}));
        Descriptor man = b.add(kOciManifest, raw);
        for (auto& m : b.members)
            if (m.name == "blobs/sha256/" + hex(layer.digest))
                m.data = layer_bytes(dir, 2);
        std::string got = oci(b.members, man);
        CHECK(got.starts_with("load: blob " + layer.digest +
                              " in the archive has the digest sha256:"));
        CHECK(got.ends_with(": the archive is damaged"));
    }
    SUBCASE("a blob of another size than its descriptor's") {
        OciBlobs b = blobs;
        Descriptor wrong = layer;
        wrong.size += 1;
        Descriptor man = b.add(kOciManifest, to_json(make_oci_manifest(cfg, {wrong})));
        CHECK(oci(b.members, man) ==
              "load: blob " + layer.digest + " has " + std::to_string(layer.size) +
                  " bytes, but its descriptor says " + std::to_string(layer.size + 1));
    }
    SUBCASE("a missing blob") {
        OciBlobs b;
        b.add(kOciConfig, config);
        Descriptor man = b.add(kOciManifest, to_json(make_oci_manifest(cfg, {layer})));
        CHECK(oci(b.members, man) == no_member + "\"blobs/sha256/" + hex(layer.digest) +
                                         "\" (a layer of manifest " + man.digest + ")");
        Descriptor absent = make_descriptor(kOciManifest, "{}");
        CHECK(oci(b.members, absent) == no_member + "\"blobs/sha256/" + hex(absent.digest) +
                                            "\" (the manifest listed in index.json)");
    }
    SUBCASE("an index.json without oci-layout") {
        write_tar(dir / "no-layout.tar", {file("index.json", "{}")});
        CHECK(load_error(dir / "no-layout.tar", dir / "s-no-layout") ==
              "load: the archive has an index.json but no oci-layout: it is not an oci-archive");
    }
}

TEST_CASE("docker-archive round trip") {
    TempDir dir;
    Store store(dir / "store");
    store.prepare();
    StoredImage a = store_image(store, dir, {1, 2}, {}, Filter::gzip);
    // b shares a's bottom layer; its sizes are unknown, so its tars are made in a temporary file
    StoredImage b = store_image(store, dir, {1, 3}, {}, Filter::zstd, false);
    std::vector<SaveItem> items = {
        {a.record, {"docker.io/library/busybox:latest", "localhost/a:1"}},
        {b.record, {"quay.io/x/b:2"}},
        {a.record, {"localhost/a:2"}}};
    std::string archive =
        save_to_file(store, items, ArchiveFormat::docker_archive, dir / "out.tar");

    auto members = members_of(archive);
    auto manifest = nlohmann::json::parse(member_data(members, "manifest.json"));
    REQUIRE(manifest.size() == 2);
    CHECK(manifest[0]["Config"] == a.record.id + ".json");
    CHECK(manifest[0]["RepoTags"] ==
          nlohmann::json{"busybox:latest", "localhost/a:1", "localhost/a:2"});
    CHECK(manifest[0]["Layers"] ==
          nlohmann::json{hex(a.diff_ids[0]) + "/layer.tar", hex(a.diff_ids[1]) + "/layer.tar"});
    CHECK(manifest[1]["RepoTags"] == nlohmann::json{"quay.io/x/b:2"});
    auto repositories = nlohmann::json::parse(member_data(members, "repositories"));
    CHECK(repositories["busybox"]["latest"] == hex(a.diff_ids[1]));
    CHECK(repositories["localhost/a"]["2"] == hex(a.diff_ids[1]));
    CHECK(repositories["quay.io/x/b"]["2"] == hex(b.diff_ids[1]));
    int layer_files = 0;
    for (const auto& m : members)
        if (m.name.ends_with("/layer.tar")) {
            ++layer_files;
            CHECK(sha256_of(m.data) == "sha256:" + m.name.substr(0, 64));
        }
    CHECK(layer_files == 3);

    auto images = load(archive, dir / "staging");
    REQUIRE(images.size() == 2);
    CHECK(images[0].config == a.config);
    CHECK(layer_digests(images[0]) == a.diff_ids);
    CHECK(images[0].names == std::vector<std::string>{"docker.io/library/busybox:latest",
                                                      "localhost/a:1", "localhost/a:2"});
    CHECK(images[1].config == b.config);
    CHECK(layer_digests(images[1]) == b.diff_ids);
    CHECK(images[1].names == std::vector<std::string>{"quay.io/x/b:2"});
}

TEST_CASE("oci-archive round trip, through a pipe") {
    TempDir dir;
    Store store(dir / "store");
    store.prepare();
    StoredImage a = store_image(store, dir, {1, 2}, {}, Filter::gzip);
    StoredImage b = store_image(store, dir, {1}, {}, Filter::gzip);
    std::vector<SaveItem> items = {{a.record, {"docker.io/library/busybox:latest"}},
                                   {b.record, {}}};
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    UniqueFd rd(fds[0]), wr(fds[1]);
    std::string write_error = "(not run)";
    std::thread writer([&] {
        write_error = test::error_of(
            [&] { write_image_archive(store, items, ArchiveFormat::oci_archive, wr.get()); });
        wr.reset();
    });
    std::filesystem::create_directories(dir / "staging");
    std::vector<ImageSource> images;
    std::string read_error =
        test::error_of([&] { images = read_image_archive(rd.get(), dir / "staging"); });
    writer.join();
    CHECK(write_error == "(no error)");
    REQUIRE(read_error == "(no error)");
    REQUIRE(images.size() == 2);
    CHECK(images[0].config == a.config);
    CHECK(layer_digests(images[0]) == a.blobs);
    CHECK(images[0].names == std::vector<std::string>{"docker.io/library/busybox:latest"});
    Manifest m = parse_manifest(images[0].manifest);
    CHECK(m.media_type == kOciManifest);
    CHECK(m.config.media_type == kOciConfig);
    CHECK(m.config.digest == "sha256:" + a.record.id);
    REQUIRE(m.layers.size() == 2);
    // the store recorded a Docker media type: an OCI layout gets the OCI one
    CHECK(m.layers[0].media_type == kOciLayerGzip);
    CHECK(images[0].layers[0].media_type == kOciLayerGzip);
    CHECK(images[1].config == b.config);
    CHECK(images[1].names.empty());
    CHECK(layer_digests(images[1]) == b.blobs);
}

TEST_CASE("oci-dir: stored manifests, blobs once, an empty or new folder") {
    TempDir dir;
    Store store(dir / "store");
    store.prepare();
    StoredImage a = store_image(store, dir, {1, 2}, {}, Filter::gzip);
    StoredImage b = store_image(store, dir, {1}, {}, Filter::gzip);
    // a was pulled with a Docker manifest: it is converted; b's OCI manifest is kept as it is
    Descriptor cfg_a = make_descriptor(kDockerConfig, a.config);
    std::vector<Descriptor> layers_a;
    for (const auto& blob : a.blobs) {
        Descriptor d;
        d.media_type = std::string(kDockerLayerGzip);
        d.digest = blob;
        d.size = static_cast<int64_t>(store.read_blob(blob).size());
        layers_a.push_back(d);
    }
    Manifest docker_manifest =
        convert_manifest(make_oci_manifest(cfg_a, layers_a), ManifestFormat::Docker);
    a.record.manifest_digest = store.put_blob(to_json(docker_manifest));
    Manifest oci_b = make_oci_manifest(make_descriptor(kOciConfig, b.config), {layers_a[0]},
                                       {{"org.example", "kept"}});
    oci_b.layers[0].media_type = std::string(kOciLayerGzip);
    std::string raw_b = to_json(oci_b);
    b.record.manifest_digest = store.put_blob(raw_b);

    std::vector<SaveItem> items = {{a.record, {"localhost/a:1", "localhost/a:2"}},
                                   {b.record, {"localhost/b:1"}}};
    std::string out = dir / "layout";
    write_image_archive(store, items, ArchiveFormat::oci_dir, -1, out);

    CHECK(read_file(out + "/oci-layout") == R"({"imageLayoutVersion":"1.0.0"})");
    Index index = parse_index(read_file(out + "/index.json"));
    CHECK(index.media_type == kOciIndex);
    REQUIRE(index.manifests.size() == 3);
    CHECK(index.manifests[0].digest == index.manifests[1].digest);
    CHECK(index.manifests[0].annotations.at("org.opencontainers.image.ref.name") ==
          "localhost/a:1");
    CHECK(index.manifests[0].annotations.at("io.containerd.image.name") == "localhost/a:1");
    CHECK(index.manifests[1].annotations.at("org.opencontainers.image.ref.name") ==
          "localhost/a:2");
    CHECK(index.manifests[2].digest == sha256_of(raw_b));
    Manifest got_a =
        parse_manifest(read_file(out + "/blobs/sha256/" + hex(index.manifests[0].digest)));
    CHECK(got_a.media_type == kOciManifest);
    CHECK(got_a.config.media_type == kOciConfig);
    CHECK(got_a.config.digest == "sha256:" + a.record.id);
    REQUIRE(got_a.layers.size() == 2);
    CHECK(got_a.layers[0].media_type == kOciLayerGzip);
    CHECK(got_a.layers[1].digest == a.blobs[1]);

    std::vector<std::string> expected = {a.record.id,
                                         b.record.id,
                                         a.blobs[0],
                                         a.blobs[1],
                                         index.manifests[0].digest,
                                         index.manifests[2].digest};
    std::vector<std::string> want;
    for (const auto& d : expected)
        want.push_back(d.starts_with("sha256:") ? hex(d) : d);
    std::vector<std::string> have;
    for (const auto& e : std::filesystem::directory_iterator(out + "/blobs/sha256"))
        have.push_back(e.path().filename());
    CHECK(sorted(have) == sorted(want));
    for (const auto& h : have)
        CHECK(sha256_of(read_file(out + "/blobs/sha256/" + h)) == "sha256:" + h);

    CHECK(test::error_of(
              [&] { write_image_archive(store, items, ArchiveFormat::oci_dir, -1, out); }) ==
          "save: " + out + " is not empty: an OCI layout is written to a new or empty folder");
    std::filesystem::create_directories(dir / "empty");
    write_image_archive(store, {{b.record, {}}}, ArchiveFormat::oci_dir, -1, dir / "empty");
    CHECK(parse_index(read_file(dir / "empty/index.json")).manifests.size() == 1);
}

TEST_CASE("save refuses a damaged store") {
    TempDir dir;
    Store store(dir / "store");
    store.prepare();
    StoredImage a = store_image(store, dir, {1}, {}, Filter::gzip);
    std::string blob_path = store.blob_path(a.blobs[0]);
    ::chmod(blob_path.c_str(), 0600);
    // another tar of the same size: only its digest gives it away
    std::string other = layer_bytes(dir, 8, Filter::gzip);
    std::filesystem::copy_file(dir / "layer-8-1.tar", blob_path,
                               std::filesystem::copy_options::overwrite_existing);
    REQUIRE(read_file(blob_path) == other);
    CHECK(test::error_of([&] {
              save_to_file(store, {{a.record, {}}}, ArchiveFormat::oci_archive, dir / "o.tar");
          }).starts_with("save: blob " + a.blobs[0] + " in the store is damaged"));
    std::string got = test::error_of([&] {
        save_to_file(store, {{a.record, {}}}, ArchiveFormat::docker_archive, dir / "d.tar");
    });
    CHECK(got.starts_with("save: layer " + a.diff_ids[0] + ": its blob " + a.blobs[0] +
                          " decompresses to sha256:"));
    ::unlink(blob_path.c_str());
    CHECK(test::error_of([&] {
              save_to_file(store, {{a.record, {}}}, ArchiveFormat::docker_archive, dir / "e.tar");
          }) == "save: the store has no blob " + a.blobs[0] + " (layer " + a.diff_ids[0] + ")");
    // what a failed save wrote does not end like a whole archive
    CHECK(load_error(dir / "e.tar", dir / "staging-e") != "(no error)");
}

TEST_CASE("a rootfs tarball becomes a layer") {
    TempDir dir;
    std::string plain = layer_bytes(dir, 7);
    std::string diff_id = sha256_of(plain);
    struct Case {
        Filter filter;
        std::string_view media_type;
        bool kept;
    };
    for (const Case& c :
         {Case{Filter::none, kOciLayer, true}, Case{Filter::gzip, kOciLayerGzip, true},
          Case{Filter::zstd, kOciLayerZstd, true}, Case{Filter::xz, kOciLayer, false}}) {
        CAPTURE(static_cast<int>(c.filter));
        std::string tag = std::to_string(static_cast<int>(c.filter));
        std::string input = dir / ("rootfs-" + tag);
        std::string staging = dir / ("staging-" + tag);
        std::filesystem::create_directories(staging);
        write_tar(input, {test::dir("etc"), file("etc/layer-7", "content 7")}, c.filter);
        UniqueFd fd = open_read(input);
        StagedLayer layer = stage_rootfs_tarball(fd.get(), staging);
        CHECK(layer.diff_id == diff_id);
        CHECK(layer.media_type == c.media_type);
        std::string blob = read_file(layer.file);
        CHECK(layer.digest == sha256_of(blob));
        CHECK(layer.size == static_cast<int64_t>(blob.size()));
        CHECK((blob == read_file(input)) == c.kept);
        if (!c.kept)
            CHECK(blob == plain);
    }
    dir.write("not-a-tar", std::string(2000, 'z'));
    std::filesystem::create_directories(dir / "staging-bad");
    UniqueFd fd = open_read(dir / "not-a-tar");
    CHECK(test::error_of([&] {
              stage_rootfs_tarball(fd.get(), dir / "staging-bad");
          }).starts_with("import: the file is not a tar archive (plain or compressed): "));
}

TEST_CASE("the skopeo fixtures (BURROW_FIXTURES_DIR from tests/system/lib/mkimage.sh)") {
    const char* fixtures = std::getenv("BURROW_FIXTURES_DIR");
    if (!fixtures || !*fixtures) {
        MESSAGE("BURROW_FIXTURES_DIR is not set: skipped");
        return;
    }
    TempDir dir;
    std::string root = fixtures;
    struct Case {
        std::string file;
        std::vector<std::vector<std::string>> names;
        std::vector<size_t> layers;
        bool oci;
    };
    std::vector<Case> cases = {
        {"busybox-docker.tar", {{"localhost/busybox:latest"}}, {1}, false},
        {"busybox-docker.tar.gz", {{"localhost/busybox:latest"}}, {1}, false},
        {"layered-docker.tar", {{"localhost/layered:latest"}}, {4}, false},
        {"multi-docker.tar",
         {{"localhost/busybox:latest"}, {"localhost/layered:latest"}},
         {1, 4},
         false},
        {"busybox-oci.tar", {{"localhost/busybox:latest"}}, {1}, true},
        {"layered-oci.tar", {{"localhost/layered:latest"}}, {4}, true},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        auto images = load(root + "/" + c.file, dir / ("staging-" + c.file));
        REQUIRE(images.size() == c.names.size());
        for (size_t i = 0; i < images.size(); ++i) {
            CHECK(images[i].names == c.names[i]);
            REQUIRE(images[i].layers.size() == c.layers[i]);
            ImageConfig config = ImageConfig::parse(images[i].config);
            CHECK(config.diff_ids().size() == c.layers[i]);
            CHECK(images[i].manifest.empty() == !c.oci);
            if (!c.oci)
                for (size_t l = 0; l < c.layers[i]; ++l)
                    CHECK(images[i].layers[l].digest == config.diff_ids()[l]);
        }
    }
    // the OCI layout folder, as `tar -C oci -c .` gives it: every name starts with ./
    std::string tarred = dir / "oci-layout.tar";
    std::string cmd = "tar -C '" + root + "/oci' -cf '" + tarred + "' .";
    REQUIRE(std::system(cmd.c_str()) == 0);
    auto images = load(tarred, dir / "staging-layout");
    std::vector<std::string> names;
    for (const auto& img : images)
        names.insert(names.end(), img.names.begin(), img.names.end());
    std::vector<std::string> want = {"localhost/busybox:latest", "localhost/layered:latest",
                                     "localhost/entry:latest"};
    if (images.size() == 4)
        want.push_back("localhost/busybox-zstd:latest");
    CHECK(names == want);
}

TEST_SUITE_END();
