#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// The OCI image spec and Docker image formats: manifests, indexes, image configs, and what burrow
// writes itself (configs for commit and import, manifests for save and push).
namespace burrow::storage {

// Media types of the OCI image spec and of Docker image manifest v2, schema 2.
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kOciLayerNondistributable =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view kOciLayerNondistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view kOciLayerNondistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerSchema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerForeignLayer =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

// OCI image manifest or Docker schema2 manifest.
bool is_manifest_media_type(std::string_view type);
// OCI image index or Docker manifest list.
bool is_index_media_type(std::string_view type);
bool is_layer_media_type(std::string_view type);

enum class Compression { None, Gzip, Zstd };
// How a layer of this media type is compressed; throws Error for a type that is not a layer.
Compression layer_compression(std::string_view layer_media_type);

struct Platform {
    std::string architecture;
    std::string os;
    std::string variant;
    std::string os_version;
    std::vector<std::string> os_features;

    // "linux/arm64/v8", "linux/amd64"
    std::string to_string() const;
    bool operator==(const Platform&) const = default;
};

// "os/arch[/variant]" as --platform takes it; architecture aliases (x86_64, aarch64, armhf)
// become the names images use. Throws Error on other forms.
Platform parse_platform(std::string_view text);
// The platform that images name for a uname(2) machine: x86_64 → linux/amd64,
// aarch64 → linux/arm64/v8, armv7l → linux/arm/v7.
Platform platform_for_machine(std::string_view machine);
Platform host_platform();

struct Descriptor {
    std::string media_type;
    std::string digest;
    int64_t size = 0;
    std::vector<std::string> urls;
    std::map<std::string, std::string> annotations;
    std::optional<Platform> platform;
};

// A descriptor for content that is at hand: its digest and size computed.
Descriptor make_descriptor(std::string_view media_type, std::string_view content);

struct Manifest {
    int schema_version = 2;
    // Empty when an OCI manifest leaves it out.
    std::string media_type;
    Descriptor config;
    std::vector<Descriptor> layers;
    std::map<std::string, std::string> annotations;
};

struct Index {
    int schema_version = 2;
    std::string media_type;
    std::vector<Descriptor> manifests;
    std::map<std::string, std::string> annotations;
};

// Parse and check raw manifest bytes; errors read "manifest: missing config",
// "image index: manifests[1]: invalid digest \"…\"". Docker schema 1 is refused.
Manifest parse_manifest(std::string_view raw);
Index parse_index(std::string_view raw);
std::string to_json(const Manifest& manifest);
std::string to_json(const Index& index);

// The media type of manifest bytes: their own mediaType field, else the Content-Type the
// registry declared (parameters ignored), else guessed from their shape. One of the OCI and
// Docker manifest and index types; throws Error for schema 1 and for anything unrecognized.
std::string detect_media_type(std::string_view raw, std::string_view declared = {});

// The manifest in index for a platform, as docker and podman pick it: exact variant first, then
// no variant, then (arm) an older variant. An empty variant takes any. Throws Error listing the
// platforms the index has when none fits.
const Descriptor& select_platform(const Index& index, const std::string& os,
                                  const std::string& arch, const std::string& variant = {});
const Descriptor& select_platform(const Index& index, const Platform& wanted);

enum class ManifestFormat { Oci, Docker };
// The same manifest with the other format's media types, as `save` writes OCI or docker-archive
// layouts; blobs and digests stay the same, annotations are dropped for Docker (it has none).
// Throws Error for layers Docker cannot describe (zstd).
Manifest convert_manifest(const Manifest& manifest, ManifestFormat format);
// An OCI manifest for a config and its layers, bottom first.
Manifest make_oci_manifest(Descriptor config, std::vector<Descriptor> layers,
                           std::map<std::string, std::string> annotations = {});

// The part of an image config that containers run with ("config" in the JSON).
struct ContainerConfig {
    std::string user;
    std::vector<std::string> env;
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::string working_dir;
    std::set<std::string> exposed_ports; // "80/tcp"
    std::map<std::string, std::string> labels;
    std::set<std::string> volumes;
    std::string stop_signal;

    bool operator==(const ContainerConfig&) const = default;
};

struct HistoryEntry {
    std::string created;
    std::string created_by;
    std::string author;
    std::string comment;
    bool empty_layer = false;
};

// An image config kept as the exact bytes it came as, so that fields burrow does not know
// survive and the image id (the sha256 of those bytes) stays what the registry says it is.
class ImageConfig {
public:
    // Throws Error ("image config: …") when raw is not a config: not a JSON object, no rootfs
    // of type "layers", a bad diff id, or a field of the wrong type.
    static ImageConfig parse(std::string raw);

    const std::string& raw() const { return raw_; }
    const nlohmann::ordered_json& json() const { return json_; }
    // "sha256:…" of raw(), the image id.
    std::string id() const;

    const std::string& architecture() const { return architecture_; }
    const std::string& os() const { return os_; }
    const std::string& variant() const { return variant_; }
    // RFC 3339 as written; see parse_rfc3339.
    const std::string& created() const { return created_; }
    const std::string& author() const { return author_; }
    const ContainerConfig& config() const { return config_; }
    const std::vector<std::string>& diff_ids() const { return diff_ids_; }
    const std::vector<HistoryEntry>& history() const { return history_; }

private:
    std::string raw_;
    nlohmann::ordered_json json_;
    std::string architecture_, os_, variant_, created_, author_;
    ContainerConfig config_;
    std::vector<std::string> diff_ids_;
    std::vector<HistoryEntry> history_;
};

// Throws Error unless the config has one diff id per layer of the manifest.
void check_layers_match(const Manifest& manifest, const ImageConfig& config);

// What `commit` and `import` record about the image they make.
struct NewImageInfo {
    std::chrono::system_clock::time_point created = std::chrono::system_clock::now();
    std::string author;
    std::string comment;
    // The history line `history` shows, as "/bin/sh" for a commit.
    std::string created_by;
    // Replaces the container config; fields burrow has no type for (Healthcheck, Shell, …)
    // are kept from the parent.
    std::optional<ContainerConfig> config;
};

// The config of an image made of parent plus one layer (diff_id; empty for a change of config
// alone), with a history entry for it, as `commit` makes it.
ImageConfig make_child_config(const ImageConfig& parent, const std::string& diff_id,
                              const NewImageInfo& info);
// The config of an image with no parent, as `import` makes it.
ImageConfig make_base_config(const std::string& diff_id, const NewImageInfo& info,
                             const Platform& platform = host_platform());

// RFC 3339 in UTC with nanoseconds, trailing zeros dropped, as docker writes times
// ("2024-05-01T12:00:00.12345Z", "2024-05-01T12:00:00Z").
std::string format_rfc3339_nano(std::chrono::system_clock::time_point t);
// Parses RFC 3339 with or without fraction, with Z or a ±hh:mm offset; throws Error otherwise.
// Times the clock cannot hold (before 1678 or after 2261, as the Go zero time
// 0001-01-01T00:00:00Z that some builders write) become time_point::min() or max().
std::chrono::system_clock::time_point parse_rfc3339(std::string_view text);

} // namespace burrow::storage
