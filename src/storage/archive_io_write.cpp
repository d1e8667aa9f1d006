// write_image_archive: `save` in the docker-archive, oci-archive and oci-dir formats.
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/archive_io.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/libarchive.hpp"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::storage {

namespace {

constexpr size_t kBufferSize = 1 << 16;
constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";

// Where the archive's members go: a tar stream or a folder. A file is announced with its size
// first, since a tar header holds it and a stream cannot go back to write it.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void add_dir(const std::string& name) = 0;
    virtual void begin_file(const std::string& name, int64_t size) = 0;
    virtual void write(const void* data, size_t len) = 0;
    virtual void end_file() = 0;
    virtual void finish() = 0;

    void add_bytes(const std::string& name, std::string_view data) {
        begin_file(name, static_cast<int64_t>(data.size()));
        write(data.data(), data.size());
        end_file();
    }
};

class TarSink : public Sink {
public:
    explicit TarSink(int fd) : writer_(ArchiveWriter::stream()), fd_(fd) {
        const ArchiveApi& api = archive_api();
        struct archive* a = writer_.get();
        check_archive(a, api.archive_write_set_format_pax_restricted(a), kWhat);
        check_archive(a, api.archive_write_open(a, this, nullptr, &TarSink::write_out, nullptr),
                      kWhat);
    }

    ~TarSink() override {
        // a failed save must not end in a tar trailer, which would make the cut archive look
        // whole: what libarchive writes while it is freed is dropped
        discard_ = true;
        ArchiveWriter closing(std::move(writer_));
    }

    void add_dir(const std::string& name) override { header(name, AE_IFDIR, 0755, 0); }

    void begin_file(const std::string& name, int64_t size) override {
        header(name, AE_IFREG, 0644, size);
        name_ = name;
        left_ = size;
    }

    void write(const void* data, size_t len) override {
        if (static_cast<int64_t>(len) > left_)
            throw Error(std::string(kWhat) + ": " + name_ + " is larger than announced");
        struct archive* a = writer_.get();
        la_ssize_t n = archive_api().archive_write_data(a, data, len);
        if (n < 0 || static_cast<size_t>(n) != len)
            throw Error(std::string(kWhat) + ": " + name_ + ": " + archive_error(a));
        left_ -= static_cast<int64_t>(len);
    }

    void end_file() override {
        if (left_ != 0)
            throw Error(std::string(kWhat) + ": " + name_ + " is smaller than announced");
        struct archive* a = writer_.get();
        check_archive(a, archive_api().archive_write_finish_entry(a), kWhat);
    }

    void finish() override {
        struct archive* a = writer_.get();
        check_archive(a, archive_api().archive_write_close(a), kWhat);
    }

private:
    static constexpr const char* kWhat = "save: write the archive";

    void header(const std::string& name, unsigned type, int perm, int64_t size) {
        const ArchiveApi& api = archive_api();
        ArchiveEntry entry;
        struct archive_entry* e = entry.get();
        api.archive_entry_set_pathname(e, name.c_str());
        api.archive_entry_set_filetype(e, type);
        api.archive_entry_set_perm(e, static_cast<mode_t>(perm));
        api.archive_entry_set_size(e, size);
        // fixed times and owners: the same images give the same archive, as skopeo's
        api.archive_entry_set_mtime(e, 0, 0);
        api.archive_entry_set_uid(e, 0);
        api.archive_entry_set_gid(e, 0);
        struct archive* a = writer_.get();
        check_archive(a, api.archive_write_header(a, e), std::string(kWhat) + ": " + name);
    }

    // implements archive_write_callback; no exception may cross libarchive
    static la_ssize_t write_out(struct archive* a, void* self, const void* data, size_t len) {
        auto* sink = static_cast<TarSink*>(self);
        if (sink->discard_)
            return static_cast<la_ssize_t>(len);
        const char* p = static_cast<const char*>(data);
        size_t left = len;
        while (left > 0) {
            ssize_t n = ::write(sink->fd_, p, left);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                int err = errno;
                archive_api().archive_set_error(a, err, "%s", std::strerror(err));
                return -1;
            }
            p += n;
            left -= static_cast<size_t>(n);
        }
        return static_cast<la_ssize_t>(len);
    }

    ArchiveWriter writer_;
    int fd_;
    bool discard_ = false;
    std::string name_;
    int64_t left_ = 0;
};

class DirSink : public Sink {
public:
    explicit DirSink(std::string root) : root_(std::move(root)) {}

    void add_dir(const std::string& name) override {
        std::string path = root_ + "/" + name;
        if (::mkdir(path.c_str(), 0755) < 0 && errno != EEXIST)
            throw SysError("mkdir", path);
    }

    void begin_file(const std::string& name, int64_t size) override {
        path_ = root_ + "/" + name;
        file_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!file_)
            throw SysError("create", path_);
        left_ = size;
    }

    void write(const void* data, size_t len) override {
        if (static_cast<int64_t>(len) > left_)
            throw Error("save: " + path_ + " is larger than announced");
        write_all(file_.get(), data, len);
        left_ -= static_cast<int64_t>(len);
    }

    void end_file() override {
        if (left_ != 0)
            throw Error("save: " + path_ + " is smaller than announced");
        if (::close(file_.release()) < 0)
            throw SysError("close", path_);
    }

    void finish() override {}

private:
    std::string root_;
    std::string path_;
    UniqueFd file_;
    int64_t left_ = 0;
};

UniqueFd open_blob(const Store& store, const std::string& digest, const std::string& what) {
    std::string path = store.blob_path(digest);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            throw Error("save: the store has no blob " + digest + " (" + what + ")");
        throw SysError("open", path);
    }
    return fd;
}

int64_t file_size(int fd, const std::string& what) {
    struct stat st;
    if (::fstat(fd, &st) < 0)
        throw SysError("stat", what);
    return st.st_size;
}

size_t read_chunk(int fd, std::string& buf, const std::string& what) {
    for (;;) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n >= 0)
            return static_cast<size_t>(n);
        if (errno != EINTR)
            throw SysError("read", what);
    }
}

// Copies a stored blob into the archive, checking it against its digest as it goes: a damaged
// store must not give an archive that only fails where it is loaded.
void copy_blob(Sink& sink, const Store& store, const std::string& digest, const std::string& name,
               const std::string& what) {
    UniqueFd in = open_blob(store, digest, what);
    Digest expected = Digest::parse(digest);
    Hasher hash(expected.algorithm());
    sink.begin_file(name, file_size(in.get(), store.blob_path(digest)));
    std::string buf(kBufferSize, '\0');
    while (size_t n = read_chunk(in.get(), buf, store.blob_path(digest))) {
        hash.update(buf.data(), n);
        sink.write(buf.data(), n);
    }
    sink.end_file();
    std::string got = hash.finish();
    if (got != digest)
        throw Error("save: blob " + digest +
                    " in the store is damaged (its content has the digest " + got + ")");
}

LayerRecord image_layer(const Store& store, const ImageRecord& image, const std::string& chain) {
    auto rec = store.layer(chain);
    if (!rec)
        throw Error("save: image " + image.id.substr(0, 12) + ": its layer " + chain +
                    " is missing from the store");
    if (rec->blob.empty())
        throw Error("save: layer " + rec->diff_id + " has no blob in the store");
    return *rec;
}

// The blob of a layer, decompressed, as <name> in the archive; its digest must be the diff id.
// The tar header needs the size first: without a recorded size, the tar is made in a temporary
// file to learn it.
class LayerTarWriter {
public:
    explicit LayerTarWriter(const Store& store) : store_(store) {}

    void write(Sink& sink, const std::string& name, const LayerRecord& layer) {
        const std::string what = "layer " + layer.diff_id;
        UniqueFd in = open_blob(store_, layer.blob, what);
        std::string got;
        if (layer.tar_size > 0)
            got = stream(sink, name, in.get(), layer.tar_size);
        else
            got = via_file(sink, name, in.get(), layer.diff_id);
        if (got != layer.diff_id)
            throw Error("save: " + what + ": its blob " + layer.blob + " decompresses to " + got +
                        ": the store is damaged");
    }

private:
    std::string stream(Sink& sink, const std::string& name, int in, int64_t size) {
        const ArchiveApi& api = archive_api();
        ArchiveReader reader;
        struct archive* a = reader.get();
        api.archive_read_support_filter_all(a);
        api.archive_read_support_format_raw(a);
        api.archive_read_support_format_empty(a);
        const std::string what = "save: decompress " + name;
        check_archive(a, api.archive_read_open_fd(a, in, kBufferSize), what);
        struct archive_entry* entry = nullptr;
        long rc = check_archive(a, api.archive_read_next_header(a, &entry), what);
        sink.begin_file(name, size);
        Sha256 hash;
        int64_t total = 0;
        std::string buf(kBufferSize, '\0');
        while (rc != ARCHIVE_EOF) {
            la_ssize_t n = api.archive_read_data(a, buf.data(), buf.size());
            if (n < 0)
                throw Error(what + ": " + archive_error(a));
            if (n == 0)
                break;
            total += n;
            if (total > size)
                throw Error(what + ": the layer is larger than the store recorded (" +
                            std::to_string(size) + " bytes)");
            hash.update(buf.data(), static_cast<size_t>(n));
            sink.write(buf.data(), static_cast<size_t>(n));
        }
        if (total != size)
            throw Error(what + ": the layer has " + std::to_string(total) +
                        " bytes, but the store recorded " + std::to_string(size));
        sink.end_file();
        return hash.finish();
    }

    std::string via_file(Sink& sink, const std::string& name, int in, const std::string& diff_id) {
        if (!work_)
            work_.emplace(store_.tmp_root(), "save");
        std::string path = work_->path() + "/" + Digest::parse(diff_id).hex() + ".tar";
        UniqueFd tmp(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!tmp)
            throw SysError("create", path);
        TarDigest tar = with_context("save: decompress " + name,
                                     [&] { return decompress_layer(in, tmp.get()); });
        ::unlink(path.c_str());
        if (tar.digest != diff_id)
            return tar.digest;
        if (::lseek(tmp.get(), 0, SEEK_SET) < 0)
            throw SysError("seek", path);
        sink.begin_file(name, tar.size);
        std::string buf(kBufferSize, '\0');
        while (size_t n = read_chunk(tmp.get(), buf, path))
            sink.write(buf.data(), n);
        sink.end_file();
        return tar.digest;
    }

    const Store& store_;
    std::optional<WorkDir> work_;
};

std::string hex_of(const std::string& digest) {
    return Digest::parse(digest).hex();
}

// The images of the items, each once, with the names of every item that has it.
std::vector<SaveItem> merge_items(const std::vector<SaveItem>& items) {
    std::vector<SaveItem> merged;
    for (const auto& item : items) {
        auto it = std::find_if(merged.begin(), merged.end(),
                               [&](const SaveItem& m) { return m.image.id == item.image.id; });
        if (it == merged.end()) {
            merged.push_back({item.image, {}});
            it = std::prev(merged.end());
        }
        for (const auto& n : item.names)
            if (std::find(it->names.begin(), it->names.end(), n) == it->names.end())
                it->names.push_back(n);
    }
    return merged;
}

void write_docker_archive(const Store& store, const std::vector<SaveItem>& items, Sink& sink) {
    LayerTarWriter layers(store);
    std::set<std::string> written;
    nlohmann::ordered_json manifest = nlohmann::ordered_json::array();
    nlohmann::ordered_json repositories = nlohmann::ordered_json::object();
    for (const auto& item : merge_items(items)) {
        const ImageRecord& image = item.image;
        const std::string config_name = image.id + ".json";
        if (written.insert(config_name).second)
            copy_blob(sink, store, "sha256:" + image.id, config_name,
                      "the config of image " + image.id.substr(0, 12));
        std::vector<std::string> layer_names;
        std::string top;
        for (const auto& chain : image.layers) {
            LayerRecord layer = image_layer(store, image, chain);
            top = hex_of(layer.diff_id);
            const std::string name = top + "/layer.tar";
            if (written.insert(name).second) {
                sink.add_dir(top + "/");
                layers.write(sink, name, layer);
            }
            layer_names.push_back(name);
        }
        nlohmann::ordered_json tags = nlohmann::ordered_json::array();
        for (const auto& n : item.names) {
            if (n.find('@') != std::string::npos)
                continue; // a digest is no tag: docker-archives record tags only
            std::string tag = familiar_image_name(n);
            tags.push_back(tag);
            auto slash = tag.rfind('/');
            auto colon = tag.rfind(':');
            if (top.empty() || colon == std::string::npos ||
                (slash != std::string::npos && colon < slash))
                continue;
            repositories[tag.substr(0, colon)][tag.substr(colon + 1)] = top;
        }
        nlohmann::ordered_json entry = nlohmann::ordered_json::object();
        entry["Config"] = config_name;
        entry["RepoTags"] = tags.empty() ? nlohmann::ordered_json() : tags;
        entry["Layers"] = layer_names;
        manifest.push_back(std::move(entry));
    }
    sink.add_bytes("manifest.json", manifest.dump());
    if (!repositories.empty())
        sink.add_bytes("repositories", repositories.dump());
}

std::string oci_layer_type(const std::string& type, const std::string& blob_file) {
    if (type == kDockerLayer)
        return std::string(kOciLayer);
    if (type == kDockerLayerGzip)
        return std::string(kOciLayerGzip);
    if (type == kDockerForeignLayer)
        return std::string(kOciLayerNondistributableGzip);
    if (is_layer_media_type(type))
        return type;
    return sniff_layer_media_type(blob_file);
}

struct OciManifest {
    std::string raw;
    Descriptor descriptor;         // of raw
    std::vector<Descriptor> blobs; // the config, then the layers
};

// The image's stored manifest when it describes the stored blobs (an OCI one as it is, a Docker
// one converted), else a new OCI manifest made from the store's records.
OciManifest oci_manifest_for(const Store& store, const ImageRecord& image) {
    const std::string config_digest = "sha256:" + image.id;
    if (!image.manifest_digest.empty() && store.has_blob(image.manifest_digest)) {
        std::string raw = store.read_blob(image.manifest_digest);
        std::optional<Manifest> stored;
        std::string type;
        try {
            type = detect_media_type(raw);
            if (is_manifest_media_type(type))
                stored = parse_manifest(raw);
        } catch (const Error&) {
            stored.reset(); // a manifest burrow cannot use: a new one describes the same blobs
        }
        bool usable = stored && stored->config.digest == config_digest &&
                      stored->layers.size() == image.layers.size();
        for (size_t i = 0; usable && i < stored->layers.size(); ++i)
            usable = store.has_blob(stored->layers[i].digest);
        if (usable) {
            if (type != kOciManifest) {
                stored = convert_manifest(*stored, ManifestFormat::Oci);
                raw = to_json(*stored);
            }
            OciManifest out;
            out.descriptor = make_descriptor(kOciManifest, raw);
            out.raw = std::move(raw);
            out.blobs.push_back(stored->config);
            out.blobs.insert(out.blobs.end(), stored->layers.begin(), stored->layers.end());
            return out;
        }
    }
    Descriptor config;
    config.media_type = std::string(kOciConfig);
    config.digest = config_digest;
    config.size = file_size(
        open_blob(store, config_digest, "the config of image " + image.id.substr(0, 12)).get(),
        store.blob_path(config_digest));
    std::vector<Descriptor> layers;
    for (const auto& chain : image.layers) {
        LayerRecord rec = image_layer(store, image, chain);
        Descriptor d;
        d.digest = rec.blob;
        d.media_type = oci_layer_type(rec.media_type, store.blob_path(rec.blob));
        d.size = rec.blob_size > 0
                     ? rec.blob_size
                     : file_size(open_blob(store, rec.blob, "layer " + rec.diff_id).get(),
                                 store.blob_path(rec.blob));
        layers.push_back(std::move(d));
    }
    Manifest manifest = make_oci_manifest(config, layers);
    OciManifest out;
    out.raw = to_json(manifest);
    out.descriptor = make_descriptor(kOciManifest, out.raw);
    out.blobs.push_back(manifest.config);
    out.blobs.insert(out.blobs.end(), manifest.layers.begin(), manifest.layers.end());
    return out;
}

void write_oci_layout(const Store& store, const std::vector<SaveItem>& items, Sink& sink) {
    sink.add_bytes("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    sink.add_dir("blobs/");
    std::set<std::string> written, dirs;
    auto write_blob = [&](const std::string& digest, const std::string* content,
                          const std::string& what) {
        if (!written.insert(digest).second)
            return;
        Digest d = Digest::parse(digest);
        if (dirs.insert(d.algorithm()).second)
            sink.add_dir("blobs/" + d.algorithm() + "/");
        const std::string name = "blobs/" + d.path_component();
        if (content)
            sink.add_bytes(name, *content);
        else
            copy_blob(sink, store, digest, name, what);
    };

    Index index;
    index.media_type = std::string(kOciIndex);
    for (const auto& item : merge_items(items)) {
        OciManifest m = oci_manifest_for(store, item.image);
        const std::string what = "image " + item.image.id.substr(0, 12);
        for (const auto& blob : m.blobs)
            write_blob(blob.digest, nullptr, what);
        write_blob(m.descriptor.digest, &m.raw, what);
        if (item.names.empty())
            index.manifests.push_back(m.descriptor);
        for (const auto& name : item.names) {
            Descriptor d = m.descriptor;
            d.annotations[kRefNameAnnotation] = name;
            d.annotations[kContainerdNameAnnotation] = name;
            index.manifests.push_back(std::move(d));
        }
    }
    sink.add_bytes("index.json", to_json(index));
}

void prepare_oci_dir(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            throw Error("save: " + path + " exists and is not a folder");
        std::error_code ec;
        bool empty = std::filesystem::is_empty(path, ec);
        if (ec)
            throw Error("save: " + path + ": " + ec.message());
        if (!empty)
            throw Error("save: " + path + " is not empty: an OCI layout is written to a new or " +
                        "empty folder");
        return;
    }
    if (errno != ENOENT)
        throw SysError("stat", path);
    make_dirs(path, 0755);
}

} // namespace

void write_image_archive(const Store& store, const std::vector<SaveItem>& items,
                         ArchiveFormat format, int out_fd, const std::string& oci_dir_path) {
    if (items.empty())
        throw Error("save: no image to save");
    if (format == ArchiveFormat::oci_dir) {
        if (oci_dir_path.empty())
            throw Error("save: no folder to write the OCI layout to");
        prepare_oci_dir(oci_dir_path);
        DirSink sink(oci_dir_path);
        write_oci_layout(store, items, sink);
        sink.finish();
        return;
    }
    TarSink sink(out_fd);
    if (format == ArchiveFormat::docker_archive)
        write_docker_archive(store, items, sink);
    else
        write_oci_layout(store, items, sink);
    sink.finish();
}

} // namespace burrow::storage
