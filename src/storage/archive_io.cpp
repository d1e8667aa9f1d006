#include "storage/archive_io.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/libarchive.hpp"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <fcntl.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::storage {

namespace {

constexpr size_t kBufferSize = 1 << 16;
// manifest.json, index.json, manifests and configs are read whole: a hostile archive must not
// make burrow hold gigabytes in memory
constexpr int64_t kMaxJsonMember = 64 << 20;
// image archives have a few members per layer; millions of members are an attack on the disk
constexpr size_t kMaxMembers = 100000;
// docker chains a layer's symlink to one other member; a longer chain is a loop
constexpr int kMaxLinkDepth = 10;

constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos)
            slash = path.size();
        parts.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

std::string join_path(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "/") + p;
    return out;
}

// The name by which other members may refer to a member: "./a//b/" is "a/b". Absolute names and
// names with ".." cannot be meant by an image archive's own references; they get none.
std::optional<std::string> clean_member_name(std::string_view name) {
    if (name.empty() || name.front() == '/')
        return std::nullopt;
    std::vector<std::string> kept;
    for (auto& part : split_path(name)) {
        if (part == "..")
            return std::nullopt;
        if (!part.empty() && part != ".")
            kept.push_back(std::move(part));
    }
    if (kept.empty())
        return std::nullopt;
    return join_path(kept);
}

// A symlink's target, taken relative to the folder of the link and resolved lexically; nullopt
// when it leaves the archive's root or is absolute.
std::optional<std::string> resolve_symlink(const std::string& link_name, std::string_view target) {
    if (target.empty() || target.front() == '/')
        return std::nullopt;
    std::vector<std::string> parts = split_path(link_name);
    parts.pop_back();
    for (auto& part : split_path(target)) {
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                return std::nullopt;
            parts.pop_back();
        } else {
            parts.push_back(std::move(part));
        }
    }
    if (parts.empty())
        return std::nullopt;
    return join_path(parts);
}

struct Member {
    enum class Kind { file, symlink, hardlink };
    Kind kind = Kind::file;
    std::string file;   // the staged copy
    std::string digest; // sha256:… of its content
    int64_t size = 0;
    std::string target; // links: a member name
};

// The members of a staged archive, by name.
class Members {
public:
    void add(std::string name, Member m) { by_name_[std::move(name)] = std::move(m); }

    // The regular member that `name` means, following links; nullptr when there is none.
    const Member* find(const std::string& name) const {
        std::string current = name;
        for (int depth = 0; depth <= kMaxLinkDepth; ++depth) {
            auto it = by_name_.find(current);
            if (it == by_name_.end())
                return nullptr;
            const Member& m = it->second;
            if (m.kind == Member::Kind::file)
                return &m;
            if (m.kind == Member::Kind::hardlink) {
                current = m.target;
                continue;
            }
            auto resolved = resolve_symlink(current, m.target);
            if (!resolved)
                return nullptr;
            current = *resolved;
        }
        return nullptr;
    }

    const Member& require(const std::string& name, const std::string& what) const {
        const Member* m = find(name);
        if (!m)
            throw Error("load: the archive has no member \"" + name + "\" (" + what + ")");
        return *m;
    }

    std::string read(const std::string& name, const std::string& what) const {
        const Member& m = require(name, what);
        if (m.size > kMaxJsonMember)
            throw Error("load: " + what + " \"" + name + "\" has " + std::to_string(m.size) +
                        " bytes: too large for an image archive's metadata");
        return read_file(m.file);
    }

private:
    std::map<std::string, Member> by_name_;
};

UniqueFd create_staged_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd)
        throw SysError("create", path);
    return fd;
}

Members stage_members(int fd, const std::string& staging_dir) {
    const ArchiveApi& api = archive_api();
    Utf8Locale utf8;
    ArchiveReader reader;
    struct archive* a = reader.get();
    api.archive_read_support_filter_all(a);
    api.archive_read_support_format_tar(a);
    api.archive_read_support_format_empty(a);
    const std::string what = "load: read the archive";
    check_archive(a, api.archive_read_open_fd(a, fd, kBufferSize), what);

    Members members;
    size_t staged = 0, count = 0;
    std::string buf(kBufferSize, '\0');
    for (;;) {
        struct archive_entry* entry = nullptr;
        if (check_archive(a, api.archive_read_next_header(a, &entry), what) == ARCHIVE_EOF)
            break;
        const char* raw_name = api.archive_entry_pathname(entry);
        auto name = raw_name ? clean_member_name(raw_name) : std::nullopt;
        if (!name)
            continue;
        if (++count > kMaxMembers)
            throw Error("load: the archive has more than " + std::to_string(kMaxMembers) +
                        " members: it is not an image archive");
        Member m;
        if (const char* link = api.archive_entry_hardlink(entry)) {
            auto target = clean_member_name(link);
            if (!target)
                continue;
            m.kind = Member::Kind::hardlink;
            m.target = *target;
        } else if (api.archive_entry_filetype(entry) == AE_IFLNK) {
            const char* target = api.archive_entry_symlink(entry);
            m.kind = Member::Kind::symlink;
            m.target = target ? target : "";
        } else if (api.archive_entry_filetype(entry) == AE_IFREG) {
            m.file = staging_dir + "/m-" + std::to_string(staged++);
            UniqueFd out = create_staged_file(m.file);
            DigestingWriter writer(out.get());
            for (;;) {
                la_ssize_t n = api.archive_read_data(a, buf.data(), buf.size());
                if (n < 0)
                    throw Error(what + ": " + *name + ": " + archive_error(a));
                if (n == 0)
                    break;
                writer.write(buf.data(), static_cast<size_t>(n));
            }
            m.digest = writer.finish();
            m.size = static_cast<int64_t>(writer.size());
        } else {
            continue;
        }
        members.add(std::move(*name), std::move(m));
    }
    return members;
}

// The digest of a staged member in the algorithm of `digest`: sha256 was computed as it was
// staged; others are computed now.
std::string member_digest(const Member& m, const Digest& digest) {
    if (digest.algorithm() == "sha256")
        return m.digest;
    UniqueFd fd(::open(m.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", m.file);
    Hasher h(digest.algorithm());
    std::string buf(kBufferSize, '\0');
    for (;;) {
        ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("read", m.file);
        }
        if (n == 0)
            break;
        h.update(buf.data(), static_cast<size_t>(n));
    }
    return h.finish();
}

// Checks that a member named blobs/<alg>/<hex> has that digest: the name is the promise that
// manifests rely on.
void check_blob_name(const std::string& name, const Member& m) {
    auto parts = split_path(name);
    if (parts.size() != 3 || parts[0] != "blobs")
        return;
    auto digest = Digest::try_parse(parts[1] + ":" + parts[2]);
    if (!digest)
        return;
    std::string actual = member_digest(m, *digest);
    if (actual != digest->to_string())
        throw Error("load: blob " + digest->to_string() + " in the archive has the digest " +
                    actual + ": the archive is damaged");
}

// The staged blob of a descriptor, verified against its digest and size.
const Member& blob_member(const Members& members, const Descriptor& d, const std::string& what) {
    Digest digest = Digest::parse(d.digest);
    const std::string name = "blobs/" + digest.path_component();
    const Member& m = members.require(name, what);
    check_blob_name(name, m);
    if (m.size != d.size)
        throw Error("load: blob " + d.digest + " has " + std::to_string(m.size) +
                    " bytes, but its descriptor says " + std::to_string(d.size));
    return m;
}

std::string read_blob_member(const Members& members, const Descriptor& d, const std::string& what) {
    const Member& m = blob_member(members, d, what);
    if (m.size > kMaxJsonMember)
        throw Error("load: " + what + " " + d.digest + " has " + std::to_string(m.size) +
                    " bytes: too large for an image's metadata");
    return read_file(m.file);
}

nlohmann::json parse_json_member(const std::string& text, const std::string& name) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        throw Error("load: " + name + " in the archive is not valid JSON");
    }
}

void add_unique(std::vector<std::string>& names, std::string name) {
    if (std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(std::move(name));
}

std::vector<ImageSource> read_docker_archive(const Members& members) {
    nlohmann::json manifest =
        parse_json_member(members.read("manifest.json", "its manifest"), "manifest.json");
    if (!manifest.is_array())
        throw Error("load: manifest.json in the archive is not a JSON array");
    std::vector<ImageSource> images;
    for (size_t i = 0; i < manifest.size(); ++i) {
        const std::string context = "manifest.json[" + std::to_string(i) + "]";
        const nlohmann::json& entry = manifest[i];
        auto string_field = [&](const nlohmann::json& j, const char* field) {
            if (!j.is_string())
                throw Error("load: " + context + ": " + field + " must be a string");
            return j.get<std::string>();
        };
        if (!entry.is_object() || !entry.contains("Config"))
            throw Error("load: " + context + " has no Config");
        ImageSource src;
        std::string config_name = string_field(entry["Config"], "Config");
        auto cleaned = clean_member_name(config_name);
        if (!cleaned)
            throw Error("load: " + context + ": invalid member name \"" + config_name + "\"");
        const Member& config = members.require(*cleaned, "the config of " + context);
        check_blob_name(*cleaned, config);
        src.config = members.read(*cleaned, "the config of " + context);

        auto layers = entry.find("Layers");
        if (layers == entry.end() || !layers->is_array())
            throw Error("load: " + context + " has no Layers");
        for (const auto& l : *layers) {
            std::string layer_name = string_field(l, "Layers");
            auto clean_layer = clean_member_name(layer_name);
            if (!clean_layer)
                throw Error("load: " + context + ": invalid member name \"" + layer_name + "\"");
            const Member& m = members.require(*clean_layer, "a layer of " + context);
            check_blob_name(*clean_layer, m);
            StagedLayer staged;
            staged.file = m.file;
            staged.digest = m.digest;
            staged.size = m.size;
            src.layers.push_back(std::move(staged));
        }

        auto tags = entry.find("RepoTags");
        if (tags != entry.end() && !tags->is_null()) {
            if (!tags->is_array())
                throw Error("load: " + context + ": RepoTags must be an array");
            for (const auto& t : *tags) {
                std::string tag = string_field(t, "RepoTags");
                add_unique(src.names, with_context("load: " + context, [&] {
                               return normalize_image_name(tag, "docker.io");
                           }));
            }
        }
        images.push_back(std::move(src));
    }
    return images;
}

std::vector<std::string> oci_names(const std::map<std::string, std::string>& annotations) {
    std::vector<std::string> names;
    auto containerd = annotations.find(kContainerdNameAnnotation);
    if (containerd != annotations.end() && !containerd->second.empty()) {
        names.push_back(with_context("load: index.json", [&] {
            return normalize_image_name(containerd->second, "docker.io");
        }));
        return names;
    }
    auto ref = annotations.find(kRefNameAnnotation);
    if (ref == annotations.end())
        return names;
    const std::string& value = ref->second;
    if (value.find_first_of("/:") == std::string::npos)
        return names; // a tag without a repository
    names.push_back(
        with_context("load: index.json", [&] { return normalize_image_name(value, "localhost"); }));
    return names;
}

ImageSource read_oci_image(const Members& members, const Descriptor& top) {
    const std::string what = "manifest " + top.digest;
    std::string raw = read_blob_member(members, top, "the manifest listed in index.json");
    std::string type =
        with_context("load: " + what, [&] { return detect_media_type(raw, top.media_type); });
    if (is_index_media_type(type) != is_index_media_type(top.media_type))
        throw Error("load: " + what + " is a " + type + ", but index.json says " + top.media_type);
    if (is_index_media_type(type)) {
        Index nested = with_context("load: " + what, [&] { return parse_index(raw); });
        const Descriptor& chosen =
            with_context("load: " + what, [&] { return select_platform(nested, host_platform()); });
        raw = read_blob_member(members, chosen, "the manifest for this platform of " + what);
        type = with_context("load: manifest " + chosen.digest,
                            [&] { return detect_media_type(raw, chosen.media_type); });
        if (!is_manifest_media_type(type))
            throw Error("load: manifest " + chosen.digest + " is a " + type + ", not a manifest");
    }
    Manifest manifest = with_context("load: " + what, [&] { return parse_manifest(raw); });
    ImageSource src;
    src.config = read_blob_member(members, manifest.config, "the config of " + what);
    for (const auto& layer : manifest.layers) {
        const Member& m = blob_member(members, layer, "a layer of " + what);
        if (Digest::parse(layer.digest).algorithm() != "sha256")
            throw Error("load: layer " + layer.digest + ": only sha256 layers are supported");
        StagedLayer staged;
        staged.file = m.file;
        staged.digest = m.digest;
        staged.media_type = layer.media_type;
        staged.size = m.size;
        src.layers.push_back(std::move(staged));
    }
    src.manifest = std::move(raw);
    src.names = oci_names(top.annotations);
    return src;
}

// An index.json that lists images for several platforms and names none is one multi-platform
// image written as a layout's top level: it loads as the host's.
bool is_platform_list(const Index& index) {
    if (index.manifests.size() < 2)
        return false;
    bool several = false;
    for (const auto& d : index.manifests) {
        if (!d.platform || !is_manifest_media_type(d.media_type) ||
            d.annotations.count(kRefNameAnnotation) ||
            d.annotations.count(kContainerdNameAnnotation))
            return false;
        several = several || *d.platform != *index.manifests.front().platform;
    }
    return several;
}

std::vector<ImageSource> read_oci_archive(const Members& members) {
    std::string text = members.read("index.json", "its index");
    Index index = with_context("load: index.json", [&] { return parse_index(text); });
    std::vector<ImageSource> images;
    if (is_platform_list(index)) {
        const Descriptor& chosen = with_context(
            "load: index.json", [&] { return select_platform(index, host_platform()); });
        images.push_back(read_oci_image(members, chosen));
        return images;
    }
    for (const auto& d : index.manifests) {
        // signatures, attestations and other artifacts are not images
        if (!is_manifest_media_type(d.media_type) && !is_index_media_type(d.media_type))
            continue;
        images.push_back(read_oci_image(members, d));
    }
    if (images.empty())
        throw Error("load: index.json in the archive lists no image");
    return images;
}

bool is_tag_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

bool is_path_component(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    return s.front() != '.' && s.front() != '-' && s.back() != '.' && s.back() != '-';
}

bool is_domain(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!(is_tag_char(c) || c == ':') || c == '_')
            return false;
    return s.front() != '.' && s.front() != '-' && s.front() != ':';
}

} // namespace

std::string normalize_image_name(std::string_view name, std::string_view short_domain) {
    auto invalid = [&]() { return Error("invalid image name \"" + std::string(name) + "\""); };
    std::string_view rest = name;
    std::string digest, tag;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
        if (!is_valid_digest(digest))
            throw invalid();
    }
    auto colon = rest.rfind(':');
    auto slash = rest.rfind('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        tag = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
        if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-' ||
            !std::all_of(tag.begin(), tag.end(), is_tag_char))
            throw invalid();
    }
    std::string domain(short_domain), path(rest);
    if (auto first = rest.find('/'); first != std::string_view::npos) {
        std::string_view head = rest.substr(0, first);
        if (head.find_first_of(".:") != std::string_view::npos || head == "localhost") {
            domain = std::string(head);
            path = std::string(rest.substr(first + 1));
        }
    }
    if (domain == "index.docker.io")
        domain = "docker.io";
    if (domain == "docker.io" && path.find('/') == std::string::npos)
        path = "library/" + path;
    if (!is_domain(domain))
        throw invalid();
    for (const auto& part : split_path(path))
        if (!is_path_component(part))
            throw invalid();
    if (tag.empty() && digest.empty())
        tag = "latest";
    std::string out = domain + "/" + path;
    if (!tag.empty())
        out += ":" + tag;
    if (!digest.empty())
        out += "@" + digest;
    return out;
}

std::string familiar_image_name(std::string_view full_name) {
    constexpr std::string_view kDocker = "docker.io/", kLibrary = "library/";
    if (!full_name.starts_with(kDocker))
        return std::string(full_name);
    std::string_view rest = full_name.substr(kDocker.size());
    if (rest.starts_with(kLibrary)) {
        std::string_view repo = rest.substr(kLibrary.size());
        std::string_view path = repo.substr(0, repo.find_first_of(":@"));
        if (path.find('/') == std::string_view::npos)
            return std::string(repo);
    }
    return std::string(rest);
}

std::vector<ImageSource> read_image_archive(int fd, const std::string& staging_dir) {
    Members members = stage_members(fd, staging_dir);
    if (members.find("manifest.json"))
        return read_docker_archive(members);
    if (members.find("index.json")) {
        if (!members.find("oci-layout"))
            throw Error("load: the archive has an index.json but no oci-layout: it is not an "
                        "oci-archive");
        return read_oci_archive(members);
    }
    throw Error("load: the archive is neither a docker-archive nor an oci-archive (no "
                "manifest.json or index.json)");
}

StagedLayer stage_rootfs_tarball(int fd, const std::string& staging_dir) {
    const ArchiveApi& api = archive_api();
    StagedLayer layer;
    layer.file = staging_dir + "/rootfs";
    {
        UniqueFd out = create_staged_file(layer.file);
        DigestingWriter writer(out.get());
        with_context("import: copy the tarball", [&] { writer.copy_from(fd); });
        layer.digest = writer.finish();
        layer.size = static_cast<int64_t>(writer.size());
    }

    // one look at the first member, so that a file that is no tar fails here rather than while
    // the layer is extracted
    int filter = ARCHIVE_FILTER_NONE;
    int filters = 0;
    {
        ArchiveReader reader;
        struct archive* a = reader.get();
        api.archive_read_support_filter_all(a);
        api.archive_read_support_format_tar(a);
        api.archive_read_support_format_empty(a);
        const std::string what = "import: the file is not a tar archive (plain or compressed)";
        check_archive(a, api.archive_read_open_filename(a, layer.file.c_str(), kBufferSize), what);
        struct archive_entry* entry = nullptr;
        check_archive(a, api.archive_read_next_header(a, &entry), what);
        filters = api.archive_filter_count(a);
        filter = api.archive_filter_code(a, 0);
    }

    UniqueFd in(::open(layer.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in)
        throw SysError("open", layer.file);
    bool keep = filters <= 1 ||
                (filters == 2 && (filter == ARCHIVE_FILTER_GZIP || filter == ARCHIVE_FILTER_ZSTD));
    if (keep) {
        TarDigest tar = with_context("import", [&] { return decompress_layer(in.get(), -1); });
        layer.diff_id = tar.digest;
        layer.media_type = std::string(filters <= 1                    ? kOciLayer
                                       : filter == ARCHIVE_FILTER_GZIP ? kOciLayerGzip
                                                                       : kOciLayerZstd);
        return layer;
    }
    const std::string tar_file = staging_dir + "/rootfs.tar";
    UniqueFd out = create_staged_file(tar_file);
    TarDigest tar = with_context("import", [&] { return decompress_layer(in.get(), out.get()); });
    in.reset();
    ::unlink(layer.file.c_str());
    layer.file = tar_file;
    layer.digest = tar.digest;
    layer.size = tar.size;
    layer.diff_id = tar.digest;
    layer.media_type = std::string(kOciLayer);
    return layer;
}

} // namespace burrow::storage
