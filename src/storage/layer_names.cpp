#include "core/error.hpp"
#include "storage/layer_tar.hpp"
#include "storage/layer_tar_internal.hpp"

namespace burrow::storage {

namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kWhiteoutMetaPrefix = ".wh..wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

} // namespace

std::optional<std::string> clean_member_path(std::string_view name) {
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos <= name.size()) {
        size_t end = name.find('/', pos);
        if (end == std::string_view::npos)
            end = name.size();
        std::string_view part = name.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                return std::nullopt;
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    std::string out;
    for (auto part : parts) {
        if (!out.empty())
            out += '/';
        out += part;
    }
    return out;
}

std::optional<Whiteout> parse_whiteout(std::string_view member) {
    size_t slash = member.rfind('/');
    std::string_view dir =
        slash == std::string_view::npos ? std::string_view() : member.substr(0, slash);
    std::string_view base = slash == std::string_view::npos ? member : member.substr(slash + 1);
    if (base == kOpaqueMarker)
        return Whiteout{WhiteoutKind::Opaque, std::string(dir), {}};
    for (size_t pos = 0; pos <= member.size();) {
        size_t end = member.find('/', pos);
        if (end == std::string_view::npos)
            end = member.size();
        if (member.substr(pos, end - pos).starts_with(kWhiteoutMetaPrefix))
            return Whiteout{WhiteoutKind::Metadata, std::string(dir), {}};
        pos = end + 1;
    }
    if (!base.starts_with(kWhiteoutPrefix))
        return std::nullopt;
    std::string_view name = base.substr(kWhiteoutPrefix.size());
    if (name.empty() || name == "." || name == "..")
        throw Error("invalid whiteout");
    return Whiteout{WhiteoutKind::Delete, std::string(dir), std::string(name)};
}

std::string printable_member(std::string_view name) {
    constexpr size_t kMax = 200;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < name.size() && i < kMax; ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (name.size() > kMax)
        out += "...";
    return out;
}

bool is_overlay_xattr(std::string_view name) {
    return name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.") ||
           name.starts_with("user.fuseoverlayfs.");
}

bool is_layer_xattr(std::string_view name) {
    if (is_overlay_xattr(name))
        return false;
    return name == "security.capability" || name.starts_with("user.");
}

const char* opaque_xattr_name(bool userxattr) {
    return userxattr ? "user.overlay.opaque" : "trusted.overlay.opaque";
}

} // namespace burrow::storage
