#include "storage/image_format.hpp"

#include "core/error.hpp"
#include "core/sysinfo.hpp"
#include "storage/digest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sys/utsname.h>

namespace burrow::storage {

namespace {

using Json = nlohmann::ordered_json;

// nlohmann's messages start with "[json.exception.parse_error.101] ", which says nothing to users.
std::string json_message(const std::exception& e) {
    std::string_view what = e.what();
    if (what.starts_with("[json.exception.")) {
        auto close = what.find("] ");
        if (close != std::string_view::npos)
            what.remove_prefix(close + 2);
    }
    return std::string(what);
}

Json parse_json(std::string_view raw, const std::string& what) {
    try {
        return Json::parse(raw);
    } catch (const Json::exception& e) {
        throw Error(what + ": not valid JSON: " + json_message(e));
    }
}

// Strings set by users (author, comment) may be any bytes: replace what is not UTF-8 rather than
// fail to write the config.
std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Typed access to the members of one JSON object, with errors that name where in the document
// they are ("manifest: layers[1]: missing digest"). A null member counts as absent, as Go's
// encoding/json reads it.
class Fields {
public:
    Fields(const Json& obj, std::string context) : obj_(obj), context_(std::move(context)) {
        if (!obj_.is_object())
            throw Error(context_ + ": not a JSON object");
    }

    [[noreturn]] void fail(const std::string& why) const { throw Error(context_ + ": " + why); }
    std::string context_of(const std::string& key) const { return context_ + ": " + key; }

    const Json* find(const char* key) const {
        auto it = obj_.find(key);
        return it == obj_.end() || it->is_null() ? nullptr : &*it;
    }
    const Json& require(const char* key) const {
        const Json* v = find(key);
        if (!v)
            fail(std::string("missing ") + key);
        return *v;
    }

    std::string string(const char* key, bool required = false) const {
        const Json* v = required ? &require(key) : find(key);
        if (!v)
            return {};
        if (!v->is_string())
            fail(std::string(key) + " must be a string");
        return v->get<std::string>();
    }

    bool boolean(const char* key) const {
        const Json* v = find(key);
        if (v && !v->is_boolean())
            fail(std::string(key) + " must be true or false");
        return v && v->get<bool>();
    }

    // Docker's Entrypoint and Cmd may also be a single string (strslice.StrSlice).
    std::vector<std::string> strings(const char* key, bool allow_single = false) const {
        std::vector<std::string> out;
        const Json* v = find(key);
        if (!v)
            return out;
        if (allow_single && v->is_string()) {
            out.push_back(v->get<std::string>());
            return out;
        }
        if (!v->is_array())
            fail(std::string(key) + " must be an array of strings");
        for (const auto& item : *v) {
            if (!item.is_string())
                fail(std::string(key) + " must be an array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    std::map<std::string, std::string> string_map(const char* key) const {
        std::map<std::string, std::string> out;
        const Json* v = find(key);
        if (!v)
            return out;
        if (!v->is_object())
            fail(std::string(key) + " must be an object of strings");
        for (const auto& [k, item] : v->items()) {
            if (!item.is_string())
                fail(std::string(key) + " must be an object of strings");
            out.emplace(k, item.get<std::string>());
        }
        return out;
    }

    // ExposedPorts and Volumes: objects whose keys are the values ({"80/tcp": {}}).
    std::set<std::string> key_set(const char* key) const {
        std::set<std::string> out;
        const Json* v = find(key);
        if (!v)
            return out;
        if (!v->is_object())
            fail(std::string(key) + " must be an object");
        for (const auto& [k, item] : v->items())
            out.insert(k);
        return out;
    }

private:
    const Json& obj_;
    std::string context_;
};

std::string indexed(const std::string& context, const char* key, size_t i) {
    return context + ": " + key + "[" + std::to_string(i) + "]";
}

Platform parse_platform_json(const Json& j, const std::string& context) {
    Fields f(j, context);
    Platform p;
    p.architecture = f.string("architecture", true);
    p.os = f.string("os", true);
    p.variant = f.string("variant");
    p.os_version = f.string("os.version");
    p.os_features = f.strings("os.features");
    return p;
}

Descriptor parse_descriptor(const Json& j, const std::string& context) {
    Fields f(j, context);
    Descriptor d;
    d.media_type = f.string("mediaType", true);
    d.digest = f.string("digest", true);
    if (!is_valid_digest(d.digest))
        f.fail("invalid digest \"" + d.digest + "\"");
    const Json& size = f.require("size");
    if (!size.is_number_integer())
        f.fail("size must be an integer");
    if (size.is_number_unsigned()) {
        if (size.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
            f.fail("size is too large");
        d.size = static_cast<int64_t>(size.get<uint64_t>());
    } else {
        d.size = size.get<int64_t>();
    }
    if (d.size < 0)
        f.fail("negative size");
    d.urls = f.strings("urls");
    d.annotations = f.string_map("annotations");
    if (const Json* p = f.find("platform"))
        d.platform = parse_platform_json(*p, f.context_of("platform"));
    return d;
}

const char* kSchema1Refused =
    "Docker schema 1 manifests are not supported: the image was pushed by a docker older than "
    "1.10; push it again with a current docker, podman or skopeo";

int parse_schema_version(const Fields& f) {
    const Json& v = f.require("schemaVersion");
    if (!v.is_number_integer())
        f.fail("schemaVersion must be an integer");
    auto version = v.get<int64_t>();
    if (version == 1)
        f.fail(kSchema1Refused);
    if (version != 2)
        f.fail("unsupported schemaVersion " + std::to_string(version));
    return 2;
}

Json descriptor_json(const Descriptor& d) {
    Json j = Json::object();
    j["mediaType"] = d.media_type;
    j["digest"] = d.digest;
    j["size"] = d.size;
    if (!d.urls.empty())
        j["urls"] = d.urls;
    if (!d.annotations.empty())
        j["annotations"] = d.annotations;
    if (d.platform) {
        Json p = Json::object();
        p["architecture"] = d.platform->architecture;
        p["os"] = d.platform->os;
        if (!d.platform->os_version.empty())
            p["os.version"] = d.platform->os_version;
        if (!d.platform->os_features.empty())
            p["os.features"] = d.platform->os_features;
        if (!d.platform->variant.empty())
            p["variant"] = d.platform->variant;
        j["platform"] = std::move(p);
    }
    return j;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_supported_top_level(std::string_view type) {
    return is_manifest_media_type(type) || is_index_media_type(type);
}

bool is_schema1(std::string_view type) {
    return type == kDockerSchema1 || type == kDockerSchema1Signed;
}

} // namespace

bool is_manifest_media_type(std::string_view type) {
    return type == kOciManifest || type == kDockerManifest;
}

bool is_index_media_type(std::string_view type) {
    return type == kOciIndex || type == kDockerManifestList;
}

bool is_layer_media_type(std::string_view type) {
    for (std::string_view t : {kOciLayer, kOciLayerGzip, kOciLayerZstd, kOciLayerNondistributable,
                               kOciLayerNondistributableGzip, kOciLayerNondistributableZstd,
                               kDockerLayer, kDockerLayerGzip, kDockerForeignLayer})
        if (type == t)
            return true;
    return false;
}

Compression layer_compression(std::string_view type) {
    if (!is_layer_media_type(type))
        throw Error("\"" + std::string(type) + "\" is not a layer media type");
    if (type.ends_with("+gzip") || type.ends_with(".gzip"))
        return Compression::Gzip;
    if (type.ends_with("+zstd"))
        return Compression::Zstd;
    return Compression::None;
}

std::string Platform::to_string() const {
    std::string s = os + "/" + architecture;
    if (!variant.empty())
        s += "/" + variant;
    return s;
}

Platform platform_for_machine(std::string_view machine) {
    Platform p;
    p.os = "linux";
    p.architecture = sysinfo::go_arch(machine);
    if (p.architecture == "arm64")
        p.variant = "v8";
    else if (p.architecture == "arm") {
        // armv6l → v6, armv7l → v7, armv8l (32-bit on a 64-bit CPU) → v8
        if (machine.size() >= 5 && machine.starts_with("armv"))
            p.variant = "v" + std::string(1, machine[4]);
        else
            p.variant = "v7";
    }
    return p;
}

Platform host_platform() {
    struct utsname u;
    if (::uname(&u) < 0)
        throw SysError("uname");
    return platform_for_machine(u.machine);
}

Platform parse_platform(std::string_view text) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t slash = text.find('/', start);
        parts.push_back(lower(text.substr(start, slash - start)));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    bool empty_part = std::any_of(parts.begin(), parts.end(), [](auto& s) { return s.empty(); });
    if (parts.size() < 2 || parts.size() > 3 || empty_part)
        throw Error("invalid platform \"" + std::string(text) +
                    "\": use os/arch[/variant], as linux/arm64");
    Platform p;
    p.os = parts[0];
    p.architecture = parts[1];
    if (parts.size() == 3)
        p.variant = parts[2];
    if (p.architecture == "armhf") {
        p.architecture = "arm";
        p.variant = p.variant.empty() ? "v7" : p.variant;
    } else if (p.architecture == "armel") {
        p.architecture = "arm";
        p.variant = p.variant.empty() ? "v6" : p.variant;
    } else if (p.architecture == "x86-64") {
        p.architecture = "amd64";
    } else {
        p.architecture = sysinfo::go_arch(p.architecture);
    }
    if (p.architecture == "arm" && p.variant.empty())
        p.variant = "v7";
    return p;
}

Descriptor make_descriptor(std::string_view media_type, std::string_view content) {
    Descriptor d;
    d.media_type = std::string(media_type);
    d.digest = sha256_of(content);
    d.size = static_cast<int64_t>(content.size());
    return d;
}

Manifest parse_manifest(std::string_view raw) {
    const std::string context = "manifest";
    Json j = parse_json(raw, context);
    Fields f(j, context);
    Manifest m;
    m.schema_version = parse_schema_version(f);
    m.media_type = f.string("mediaType");
    if (!m.media_type.empty() && !is_manifest_media_type(m.media_type)) {
        if (is_index_media_type(m.media_type))
            f.fail("is an image index (" + m.media_type + "), not a manifest");
        f.fail("unsupported mediaType \"" + m.media_type + "\"");
    }
    m.config = parse_descriptor(f.require("config"), f.context_of("config"));
    const Json& layers = f.require("layers");
    if (!layers.is_array())
        f.fail("layers must be an array");
    for (size_t i = 0; i < layers.size(); ++i)
        m.layers.push_back(parse_descriptor(layers[i], indexed(context, "layers", i)));
    m.annotations = f.string_map("annotations");
    return m;
}

Index parse_index(std::string_view raw) {
    const std::string context = "image index";
    Json j = parse_json(raw, context);
    Fields f(j, context);
    Index index;
    index.schema_version = parse_schema_version(f);
    index.media_type = f.string("mediaType");
    if (!index.media_type.empty() && !is_index_media_type(index.media_type)) {
        if (is_manifest_media_type(index.media_type))
            f.fail("is an image manifest (" + index.media_type + "), not an index");
        f.fail("unsupported mediaType \"" + index.media_type + "\"");
    }
    const Json& manifests = f.require("manifests");
    if (!manifests.is_array())
        f.fail("manifests must be an array");
    for (size_t i = 0; i < manifests.size(); ++i)
        index.manifests.push_back(parse_descriptor(manifests[i], indexed(context, "manifests", i)));
    index.annotations = f.string_map("annotations");
    return index;
}

std::string to_json(const Manifest& m) {
    Json j = Json::object();
    j["schemaVersion"] = m.schema_version;
    if (!m.media_type.empty())
        j["mediaType"] = m.media_type;
    j["config"] = descriptor_json(m.config);
    j["layers"] = Json::array();
    for (const auto& layer : m.layers)
        j["layers"].push_back(descriptor_json(layer));
    if (!m.annotations.empty())
        j["annotations"] = m.annotations;
    return dump(j);
}

std::string to_json(const Index& index) {
    Json j = Json::object();
    j["schemaVersion"] = index.schema_version;
    if (!index.media_type.empty())
        j["mediaType"] = index.media_type;
    j["manifests"] = Json::array();
    for (const auto& d : index.manifests)
        j["manifests"].push_back(descriptor_json(d));
    if (!index.annotations.empty())
        j["annotations"] = index.annotations;
    return dump(j);
}

std::string detect_media_type(std::string_view raw, std::string_view declared) {
    Json j = parse_json(raw, "manifest");
    if (!j.is_object())
        throw Error("manifest: not a JSON object");
    std::string content_type = lower(declared.substr(0, declared.find(';')));
    content_type.erase(0, content_type.find_first_not_of(" \t"));
    content_type.erase(content_type.find_last_not_of(" \t") + 1);

    auto field = j.find("mediaType");
    std::string own = field != j.end() && field->is_string() ? field->get<std::string>() : "";
    auto version = j.find("schemaVersion");
    bool v1 = version != j.end() && version->is_number_integer() && version->get<int64_t>() == 1;
    if (v1 || is_schema1(own) || is_schema1(content_type))
        throw Error(std::string("manifest: ") + kSchema1Refused);
    if (is_supported_top_level(own))
        return own;
    if (is_supported_top_level(content_type))
        return content_type;
    if (j.contains("manifests"))
        return std::string(kOciIndex);
    auto config = j.find("config");
    if (config != j.end() && config->is_object()) {
        auto config_type = config->find("mediaType");
        if (config_type != config->end() && *config_type == kDockerConfig)
            return std::string(kDockerManifest);
        return std::string(kOciManifest);
    }
    std::string shown = !own.empty() ? own : content_type;
    throw Error("manifest: unrecognized format" +
                (shown.empty() ? std::string() : " \"" + shown + "\""));
}

namespace {

// "v7" → 7; -1 for variants that are not a plain version.
int variant_number(std::string_view variant) {
    if (variant.size() < 2 || variant[0] != 'v')
        return -1;
    int n = 0;
    for (char c : variant.substr(1)) {
        if (c < '0' || c > '9' || n > 100)
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

// How well an image for `have` suits a host `want`; negative when it cannot run there.
int platform_score(const Platform& have, const Platform& want) {
    if (have.os != want.os || sysinfo::go_arch(have.architecture) != want.architecture)
        return -1;
    if (have.variant == want.variant)
        return 1000;
    if (have.variant.empty())
        return 900;
    if (want.variant.empty())
        return 800;
    // an arm CPU runs the code of older versions of its architecture
    int have_n = variant_number(have.variant), want_n = variant_number(want.variant);
    bool arm = want.architecture == "arm" || want.architecture == "arm64";
    if (arm && have_n >= 0 && want_n >= 0 && have_n < want_n)
        return 100 + have_n;
    return -1;
}

} // namespace

const Descriptor& select_platform(const Index& index, const Platform& wanted) {
    const Descriptor* best = nullptr;
    int best_score = -1;
    bool any_platform = false;
    for (const auto& d : index.manifests) {
        if (!d.platform)
            continue;
        any_platform = true;
        int score = platform_score(*d.platform, wanted);
        if (score > best_score) {
            best = &d;
            best_score = score;
        }
    }
    if (best)
        return *best;
    // an index of one image that names no platform (as some artifact tools write) can only
    // mean that image
    if (!any_platform && index.manifests.size() == 1)
        return index.manifests.front();
    std::vector<std::string> have;
    for (const auto& d : index.manifests)
        if (d.platform &&
            std::find(have.begin(), have.end(), d.platform->to_string()) == have.end())
            have.push_back(d.platform->to_string());
    std::string listed;
    for (const auto& p : have)
        listed += (listed.empty() ? "" : ", ") + p;
    throw Error("the image index has no image for " + wanted.to_string() + " (it has " +
                (listed.empty() ? std::string("none") : listed) + ")");
}

const Descriptor& select_platform(const Index& index, const std::string& os,
                                  const std::string& arch, const std::string& variant) {
    Platform wanted;
    wanted.os = os;
    wanted.architecture = arch;
    wanted.variant = variant;
    return select_platform(index, wanted);
}

Manifest convert_manifest(const Manifest& m, ManifestFormat format) {
    bool to_docker = format == ManifestFormat::Docker;
    auto layer_type = [&](const std::string& type) -> std::string {
        if (!is_layer_media_type(type))
            throw Error("manifest: cannot convert layer type \"" + type + "\"");
        bool foreign =
            type == kDockerForeignLayer || type.find(".nondistributable.") != std::string::npos;
        Compression c = layer_compression(type);
        if (to_docker) {
            if (c == Compression::Zstd)
                throw Error("manifest: Docker images cannot have zstd layers: save in OCI format");
            if (foreign)
                return std::string(kDockerForeignLayer);
            return std::string(c == Compression::Gzip ? kDockerLayerGzip : kDockerLayer);
        }
        if (foreign)
            return std::string(c == Compression::Zstd   ? kOciLayerNondistributableZstd
                               : c == Compression::Gzip ? kOciLayerNondistributableGzip
                                                        : kOciLayerNondistributable);
        return std::string(c == Compression::Zstd   ? kOciLayerZstd
                           : c == Compression::Gzip ? kOciLayerGzip
                                                    : kOciLayer);
    };
    Manifest out = m;
    out.schema_version = 2;
    out.media_type = std::string(to_docker ? kDockerManifest : kOciManifest);
    out.config.media_type = std::string(to_docker ? kDockerConfig : kOciConfig);
    for (auto& layer : out.layers) {
        layer.media_type = layer_type(layer.media_type);
        if (to_docker)
            layer.annotations.clear();
    }
    if (to_docker) {
        out.annotations.clear();
        out.config.annotations.clear();
    }
    return out;
}

Manifest make_oci_manifest(Descriptor config, std::vector<Descriptor> layers,
                           std::map<std::string, std::string> annotations) {
    Manifest m;
    m.media_type = std::string(kOciManifest);
    m.config = std::move(config);
    m.layers = std::move(layers);
    m.annotations = std::move(annotations);
    return m;
}

ImageConfig ImageConfig::parse(std::string raw) {
    const std::string context = "image config";
    ImageConfig c;
    c.json_ = parse_json(raw, context);
    c.raw_ = std::move(raw);
    Fields f(c.json_, context);
    c.architecture_ = f.string("architecture");
    c.os_ = f.string("os");
    c.variant_ = f.string("variant");
    c.created_ = f.string("created");
    c.author_ = f.string("author");
    if (const Json* config = f.find("config")) {
        Fields cf(*config, f.context_of("config"));
        ContainerConfig& cc = c.config_;
        cc.user = cf.string("User");
        cc.env = cf.strings("Env");
        cc.entrypoint = cf.strings("Entrypoint", true);
        cc.cmd = cf.strings("Cmd", true);
        cc.working_dir = cf.string("WorkingDir");
        cc.exposed_ports = cf.key_set("ExposedPorts");
        cc.labels = cf.string_map("Labels");
        cc.volumes = cf.key_set("Volumes");
        cc.stop_signal = cf.string("StopSignal");
    }
    Fields rootfs(f.require("rootfs"), f.context_of("rootfs"));
    std::string type = rootfs.string("type", true);
    if (type != "layers")
        rootfs.fail("unsupported type \"" + type + "\"");
    c.diff_ids_ = rootfs.strings("diff_ids");
    for (size_t i = 0; i < c.diff_ids_.size(); ++i)
        if (!is_valid_digest(c.diff_ids_[i]))
            throw Error(indexed(f.context_of("rootfs"), "diff_ids", i) + ": invalid digest \"" +
                        c.diff_ids_[i] + "\"");
    if (const Json* history = f.find("history")) {
        if (!history->is_array())
            f.fail("history must be an array");
        for (size_t i = 0; i < history->size(); ++i) {
            Fields hf((*history)[i], indexed(context, "history", i));
            c.history_.push_back({hf.string("created"), hf.string("created_by"),
                                  hf.string("author"), hf.string("comment"),
                                  hf.boolean("empty_layer")});
        }
    }
    return c;
}

std::string ImageConfig::id() const {
    return sha256_of(raw_);
}

void check_layers_match(const Manifest& manifest, const ImageConfig& config) {
    size_t ids = config.diff_ids().size(), layers = manifest.layers.size();
    if (ids != layers)
        throw Error("image config lists " + std::to_string(ids) +
                    " layers (rootfs.diff_ids) but its manifest has " + std::to_string(layers));
}

namespace {

// Go's omitempty: an empty field is left out.
template <class Container> void set_or_erase(Json& obj, const char* key, const Container& value) {
    if (value.empty())
        obj.erase(key);
    else
        obj[key] = value;
}

void set_key_set(Json& obj, const char* key, const std::set<std::string>& keys) {
    if (keys.empty()) {
        obj.erase(key);
        return;
    }
    Json set = Json::object();
    for (const auto& k : keys)
        set[k] = Json::object();
    obj[key] = std::move(set);
}

// Writes the typed fields over `config`, keeping those burrow has no type for.
void apply_container_config(Json& config, const ContainerConfig& cc) {
    if (!config.is_object())
        config = Json::object();
    set_or_erase(config, "User", cc.user);
    set_key_set(config, "ExposedPorts", cc.exposed_ports);
    set_or_erase(config, "Env", cc.env);
    set_or_erase(config, "Entrypoint", cc.entrypoint);
    set_or_erase(config, "Cmd", cc.cmd);
    set_key_set(config, "Volumes", cc.volumes);
    set_or_erase(config, "WorkingDir", cc.working_dir);
    set_or_erase(config, "Labels", cc.labels);
    set_or_erase(config, "StopSignal", cc.stop_signal);
}

Json history_entry(const std::string& created, const NewImageInfo& info, bool empty_layer) {
    Json h = Json::object();
    h["created"] = created;
    if (!info.created_by.empty())
        h["created_by"] = info.created_by;
    if (!info.author.empty())
        h["author"] = info.author;
    if (!info.comment.empty())
        h["comment"] = info.comment;
    if (empty_layer)
        h["empty_layer"] = true;
    return h;
}

void check_diff_id(const std::string& diff_id) {
    if (!diff_id.empty() && !is_valid_digest(diff_id))
        throw Error("invalid layer diff id \"" + diff_id + "\"");
}

} // namespace

ImageConfig make_child_config(const ImageConfig& parent, const std::string& diff_id,
                              const NewImageInfo& info) {
    check_diff_id(diff_id);
    Json j = parent.json();
    std::string created = format_rfc3339_nano(info.created);
    j["created"] = created;
    set_or_erase(j, "author", info.author);
    // docker keeps the commit message at the top too; `inspect` shows it as Comment
    set_or_erase(j, "comment", info.comment);
    // these describe the container that built the parent, not this image
    j.erase("container");
    j.erase("container_config");
    if (info.config)
        apply_container_config(j["config"], *info.config);
    if (!diff_id.empty())
        j["rootfs"]["diff_ids"].push_back(diff_id);
    if (!j.contains("history") || !j["history"].is_array())
        j["history"] = Json::array();
    j["history"].push_back(history_entry(created, info, diff_id.empty()));
    return ImageConfig::parse(dump(j));
}

ImageConfig make_base_config(const std::string& diff_id, const NewImageInfo& info,
                             const Platform& platform) {
    check_diff_id(diff_id);
    Json j = Json::object();
    std::string created = format_rfc3339_nano(info.created);
    j["created"] = created;
    if (!info.author.empty())
        j["author"] = info.author;
    if (!info.comment.empty())
        j["comment"] = info.comment; // shown by inspect as Comment, as docker's import does
    j["architecture"] = platform.architecture;
    j["os"] = platform.os;
    if (!platform.variant.empty())
        j["variant"] = platform.variant;
    j["config"] = Json::object();
    if (info.config)
        apply_container_config(j["config"], *info.config);
    j["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array()}};
    if (!diff_id.empty())
        j["rootfs"]["diff_ids"].push_back(diff_id);
    j["history"] = Json::array({history_entry(created, info, diff_id.empty())});
    return ImageConfig::parse(dump(j));
}

std::string format_rfc3339_nano(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    // integer arithmetic: flooring time_point::min() to days in chrono types would overflow
    constexpr int64_t kNanosPerSecond = 1'000'000'000, kSecondsPerDay = 86400;
    int64_t ns = duration_cast<nanoseconds>(t.time_since_epoch()).count();
    int64_t secs = ns / kNanosPerSecond, frac = ns % kNanosPerSecond;
    if (frac < 0) {
        frac += kNanosPerSecond;
        --secs;
    }
    int64_t day = secs / kSecondsPerDay, in_day = secs % kSecondsPerDay;
    if (in_day < 0) {
        in_day += kSecondsPerDay;
        --day;
    }
    year_month_day ymd{sys_days(days(day))};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                  static_cast<int>(in_day % 60));
    std::string out = buf;
    if (frac != 0) {
        std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
        out += buf;
        out.erase(out.find_last_not_of('0') + 1);
    }
    return out + "Z";
}

std::chrono::system_clock::time_point parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    auto bad = [&]() -> Error {
        return Error("invalid time \"" + std::string(text) +
                     "\": expected RFC 3339, as 2024-05-01T12:00:00Z");
    };
    size_t pos = 0;
    auto number = [&](size_t digits) {
        int n = 0;
        for (size_t i = 0; i < digits; ++i, ++pos) {
            if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
                throw bad();
            n = n * 10 + (text[pos] - '0');
        }
        return n;
    };
    auto expect = [&](std::string_view chars) {
        if (pos >= text.size() || chars.find(text[pos]) == std::string_view::npos)
            throw bad();
        return text[pos++];
    };
    int y = number(4);
    expect("-");
    int mo = number(2);
    expect("-");
    int d = number(2);
    expect("Tt");
    int h = number(2);
    expect(":");
    int mi = number(2);
    expect(":");
    int s = number(2);
    int64_t nanos = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        size_t digits = 0;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits)
            if (digits < 9)
                nanos = nanos * 10 + (text[pos] - '0');
        if (digits == 0)
            throw bad();
        for (; digits < 9; ++digits)
            nanos *= 10;
    }
    int offset_minutes = 0;
    char zone = expect("Zz+-");
    if (zone == '+' || zone == '-') {
        int oh = number(2);
        expect(":");
        int om = number(2);
        if (oh > 23 || om > 59)
            throw bad();
        offset_minutes = (zone == '-' ? -1 : 1) * (oh * 60 + om);
    }
    if (pos != text.size())
        throw bad();
    year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 59)
        throw bad();
    int64_t secs = sys_days(ymd).time_since_epoch().count() * int64_t{86400} + h * 3600 + mi * 60 +
                   s - offset_minutes * 60;
    using Clock = system_clock;
    const int64_t lo = floor<seconds>(Clock::time_point::min()).time_since_epoch().count() + 1;
    const int64_t hi = floor<seconds>(Clock::time_point::max()).time_since_epoch().count() - 1;
    if (secs < lo)
        return Clock::time_point::min();
    if (secs > hi)
        return Clock::time_point::max();
    return Clock::time_point(duration_cast<Clock::duration>(seconds(secs) + nanoseconds(nanos)));
}

} // namespace burrow::storage
