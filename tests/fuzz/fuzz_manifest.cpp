#include "core/error.hpp"
#include "storage/image_format.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace burrow;
using namespace burrow::storage;

namespace {

void require(bool ok) {
    if (!ok)
        std::abort();
}

} // namespace

// Manifests, indexes and configs come from registries and archives: any bytes must end in a
// value or a burrow::Error, never another exception or a crash.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string raw(reinterpret_cast<const char*>(data), size);
    try {
        detect_media_type(raw, "application/json");
    } catch (const Error&) {
    }
    try {
        Manifest m = parse_manifest(raw);
        std::string written = to_json(m);
        require(to_json(parse_manifest(written)) == written);
        for (auto format : {ManifestFormat::Oci, ManifestFormat::Docker})
            try {
                parse_manifest(to_json(convert_manifest(m, format)));
            } catch (const Error&) {
            }
    } catch (const Error&) {
    }
    try {
        Index index = parse_index(raw);
        std::string written = to_json(index);
        require(to_json(parse_index(written)) == written);
        select_platform(index, "linux", "arm", "v7");
    } catch (const Error&) {
    }
    try {
        ImageConfig config = ImageConfig::parse(raw);
        require(config.raw() == raw);
        NewImageInfo info;
        info.comment = raw;
        info.config = config.config();
        require(make_child_config(config, "", info).config() == config.config());
    } catch (const Error&) {
    }
    try {
        auto t = parse_rfc3339(raw);
        if (t != t.min() && t != t.max())
            require(parse_rfc3339(format_rfc3339_nano(t)) == t);
    } catch (const Error&) {
    }
    return 0;
}
