#pragma once

#include <string>
#include <string_view>

// Image references as docker and podman read them (the distribution/reference grammar):
// [domain[:port]/]path[:tag][@digest].
namespace burrow::registry {

inline constexpr std::string_view kDefaultDomain = "docker.io";
inline constexpr std::string_view kOfficialRepoPrefix = "library/";
inline constexpr std::string_view kDefaultTag = "latest";
// Where podman puts images whose name the user gave without a registry (tag, commit, import).
inline constexpr std::string_view kLocalDomain = "localhost";

class Reference {
public:
    // Parses and normalizes as docker does: no domain → docker.io, a single path component on
    // docker.io → library/NAME, neither tag nor digest → :latest. Throws Error with a one-line
    // message naming text when it is not a reference.
    static Reference parse(std::string_view text);

    const std::string& domain() const { return domain_; }
    // "library/busybox"
    const std::string& path() const { return path_; }
    // Empty when the reference has only a digest.
    const std::string& tag() const { return tag_; }
    // "sha256:…", or empty.
    const std::string& digest() const { return digest_; }
    bool has_digest() const { return !digest_.empty(); }

    // "docker.io/library/busybox"
    std::string name() const { return domain_ + "/" + path_; }
    // "docker.io/library/busybox:latest", with "@digest" when there is one.
    std::string to_string() const;
    // The name as docker shows it: "busybox", "user/app", "quay.io/org/app".
    std::string familiar_name() const;
    // familiar_name() with the tag and digest: "busybox:latest".
    std::string familiar() const;

    // The same repository with another tag (and no digest), or another digest (and no tag).
    Reference with_tag(std::string_view tag) const;
    Reference with_digest(std::string_view digest) const;

    bool operator==(const Reference&) const = default;

private:
    std::string domain_, path_, tag_, digest_;
};

// Whether a name the user typed names an image stored as stored_full_name (a normalized
// "domain/path:tag"), as podman looks images up locally: a name with a domain must match
// exactly once normalized; a name without one matches any stored repository that ends in
// "/NAME" with the same tag (latest by default), so "busybox" matches both
// docker.io/library/busybox:latest and localhost/busybox:latest. A typed digest matches only a
// stored name with that digest. Image id prefixes are not handled here. Throws Error when typed is
// not a reference; a stored name that is not one matches nothing.
bool matches_short_name(std::string_view typed, std::string_view stored_full_name);

// The full name podman gives an image named by the user in tag, commit and import: one without
// a domain goes to localhost ("foo" → "localhost/foo:latest"); one with a domain is normalized.
// Throws Error for an invalid name or one with a digest.
std::string normalize_local_name(std::string_view typed);

} // namespace burrow::registry
