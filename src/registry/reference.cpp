#include "registry/reference.hpp"

#include "core/error.hpp"
#include "storage/digest.hpp"

#include <optional>

namespace burrow::registry {

namespace {

constexpr size_t kNameMaxLength = 255;
constexpr size_t kTagMaxLength = 128;
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";

// A reference as typed: domain empty when none was given, tag and digest empty when absent.
struct Parts {
    std::string domain, path, tag, digest;
};

[[noreturn]] void invalid(std::string_view text, const std::string& why) {
    throw Error("invalid reference \"" + std::string(text) + "\": " + why);
}

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alnum(char c) {
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool has_upper(std::string_view s) {
    return s.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [._] | "__" | -+
bool is_path_component(std::string_view c) {
    if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back()))
        return false;
    for (size_t i = 0; i < c.size();) {
        if (is_lower_alnum(c[i])) {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < c.size() && !is_lower_alnum(c[end]))
            ++end;
        std::string_view sep = c.substr(i, end - i);
        if (sep != "." && sep != "_" && sep != "__" &&
            sep.find_first_not_of('-') != std::string_view::npos)
            return false;
        i = end;
    }
    return true;
}

bool is_path(std::string_view path) {
    for (size_t start = 0;;) {
        size_t slash = path.find('/', start);
        if (!is_path_component(path.substr(start, slash - start)))
            return false;
        if (slash == std::string_view::npos)
            return true;
        start = slash + 1;
    }
}

// host[:port], host a DNS name, an IPv4 address or a bracketed IPv6 address.
bool is_domain(std::string_view domain) {
    std::string_view host = domain;
    if (host.starts_with('[')) {
        size_t close = host.find(']');
        if (close == std::string_view::npos || close == 1 ||
            host.substr(1, close - 1).find_first_not_of("0123456789abcdefABCDEF:.") !=
                std::string_view::npos)
            return false;
        domain = host.substr(close + 1);
        if (domain.empty())
            return true;
        if (domain.front() != ':')
            return false;
        host = {};
    } else {
        size_t colon = host.find(':');
        domain = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
        host = host.substr(0, colon);
        for (size_t start = 0;;) {
            size_t dot = host.find('.', start);
            std::string_view label = host.substr(start, dot - start);
            if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back()))
                return false;
            for (char c : label)
                if (!is_alnum(c) && c != '-')
                    return false;
            if (dot == std::string_view::npos)
                break;
            start = dot + 1;
        }
    }
    if (domain.empty())
        return true;
    std::string_view port = domain.substr(1);
    return !port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos;
}

// tag := [\w][\w.-]{0,127}
bool is_tag(std::string_view tag) {
    auto word = [](char c) { return is_alnum(c) || c == '_'; };
    if (tag.empty() || tag.size() > kTagMaxLength || !word(tag.front()))
        return false;
    for (char c : tag)
        if (!word(c) && c != '.' && c != '-')
            return false;
    return true;
}

bool is_full_hex_id(std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void check_length(std::string_view text, const std::string& name) {
    if (name.size() > kNameMaxLength)
        invalid(text, "repository name must not be more than " + std::to_string(kNameMaxLength) +
                          " characters");
}

// docker's rule for the first of several components: a registry when it could not be a path
// component
bool looks_like_domain(std::string_view head) {
    return head.find_first_of(".:") != std::string_view::npos || head == kLocalDomain ||
           has_upper(head);
}

Parts split(std::string_view text) {
    if (text.empty())
        invalid(text, "repository name is empty");
    if (is_full_hex_id(text))
        invalid(text, "a 64-character hexadecimal string is an image id, not a name");
    Parts p;
    std::string_view name = text;
    if (size_t at = name.find('@'); at != std::string_view::npos) {
        std::string_view digest = name.substr(at + 1);
        if (!storage::is_valid_digest(digest))
            invalid(text, "invalid digest \"" + std::string(digest) + "\"");
        p.digest = std::string(digest);
        name = name.substr(0, at);
    }
    size_t colon = name.rfind(':'), slash = name.rfind('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        std::string_view tag = name.substr(colon + 1);
        if (!is_tag(tag))
            invalid(text, "invalid tag \"" + std::string(tag) + "\"");
        p.tag = std::string(tag);
        name = name.substr(0, colon);
    }
    if (size_t first = name.find('/'); first != std::string_view::npos) {
        std::string_view head = name.substr(0, first);
        if (looks_like_domain(head)) {
            if (!is_domain(head))
                invalid(text, "invalid registry \"" + std::string(head) + "\"");
            p.domain = std::string(head);
            name = name.substr(first + 1);
        }
    }
    if (name.empty())
        invalid(text, "repository name is empty");
    if (!is_path(name)) {
        if (has_upper(name) && is_path(lower(name)))
            invalid(text, "repository name must be lowercase");
        invalid(text, "invalid repository name \"" + std::string(name) + "\"");
    }
    p.path = std::string(name);
    check_length(text, p.domain.empty() ? p.path : p.domain + "/" + p.path);
    return p;
}

} // namespace

Reference Reference::parse(std::string_view text) {
    Parts p = split(text);
    Reference r;
    r.domain_ = p.domain.empty() || p.domain == kLegacyDefaultDomain ? std::string(kDefaultDomain)
                                                                     : p.domain;
    r.path_ = p.path;
    if (r.domain_ == kDefaultDomain && p.path.find('/') == std::string::npos)
        r.path_ = std::string(kOfficialRepoPrefix) + p.path;
    r.tag_ = p.tag.empty() && p.digest.empty() ? std::string(kDefaultTag) : p.tag;
    r.digest_ = p.digest;
    check_length(text, r.name());
    return r;
}

std::string Reference::to_string() const {
    std::string s = name();
    if (!tag_.empty())
        s += ":" + tag_;
    if (!digest_.empty())
        s += "@" + digest_;
    return s;
}

std::string Reference::familiar_name() const {
    if (domain_ != kDefaultDomain)
        return name();
    std::string_view rest = path_;
    if (rest.starts_with(kOfficialRepoPrefix) &&
        rest.find('/', kOfficialRepoPrefix.size()) == std::string_view::npos)
        rest.remove_prefix(kOfficialRepoPrefix.size());
    // docker.io/foo.bar/app stays whole: "foo.bar/app" would read as registry foo.bar
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos && looks_like_domain(rest.substr(0, slash)))
        return name();
    return std::string(rest);
}

std::string Reference::familiar() const {
    std::string s = familiar_name();
    if (!tag_.empty())
        s += ":" + tag_;
    if (!digest_.empty())
        s += "@" + digest_;
    return s;
}

Reference Reference::with_tag(std::string_view tag) const {
    if (!is_tag(tag))
        throw Error("invalid tag \"" + std::string(tag) + "\"");
    Reference r = *this;
    r.tag_ = std::string(tag);
    r.digest_.clear();
    return r;
}

Reference Reference::with_digest(std::string_view digest) const {
    Reference r = *this;
    r.digest_ = storage::Digest::parse(digest).to_string();
    r.tag_.clear();
    return r;
}

bool matches_short_name(std::string_view typed, std::string_view stored_full_name) {
    Parts t = split(typed);
    std::optional<Reference> stored;
    try {
        stored = Reference::parse(stored_full_name);
    } catch (const Error&) {
        return false;
    }
    if (!t.domain.empty()) {
        Reference want = Reference::parse(typed);
        if (want.name() != stored->name())
            return false;
        return want.has_digest() ? want.digest() == stored->digest() : want.tag() == stored->tag();
    }
    std::string name = stored->name();
    if (!name.ends_with("/" + t.path))
        return false;
    if (!t.digest.empty())
        return t.digest == stored->digest();
    return stored->tag() == (t.tag.empty() ? kDefaultTag : std::string_view(t.tag));
}

std::string normalize_local_name(std::string_view typed) {
    Parts p = split(typed);
    if (!p.digest.empty())
        invalid(typed, "a name given to an image cannot have a digest");
    if (!p.domain.empty())
        return Reference::parse(typed).to_string();
    std::string name = std::string(kLocalDomain) + "/" + p.path;
    check_length(typed, name);
    return name + ":" + (p.tag.empty() ? std::string(kDefaultTag) : p.tag);
}

} // namespace burrow::registry
