#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Content digests ("sha256:<hex>") as the OCI image spec defines them: hashing, validation,
// blob verification and layer chain ids.
namespace burrow::storage {

// Streaming hash through libcrypto, which is opened on first use rather than linked (see
// core/dynlib.hpp). Throws Error when libcrypto.so.3 is not installed.
class Hasher {
public:
    // algorithm: "sha256" or "sha512".
    explicit Hasher(std::string_view algorithm = "sha256");
    Hasher(Hasher&& other) noexcept;
    Hasher& operator=(Hasher&& other) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;
    ~Hasher();

    void update(const void* data, size_t len);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // "<algorithm>:<lowercase hex>" of everything updated so far; the hasher then starts over.
    std::string finish();
    const std::string& algorithm() const { return algorithm_; }

private:
    std::string algorithm_;
    void* ctx_ = nullptr;
};

class Sha256 : public Hasher {
public:
    Sha256() : Hasher("sha256") {}
};

std::string sha256_of(std::string_view data);
// Hashes fd from its current offset to EOF.
std::string sha256_of_fd(int fd);

// A validated "algorithm:hex" digest: sha256 with 64 or sha512 with 128 lowercase hex digits.
class Digest {
public:
    // Throws Error(`invalid digest "…"`).
    static Digest parse(std::string_view text);
    static std::optional<Digest> try_parse(std::string_view text);

    const std::string& algorithm() const { return algorithm_; }
    const std::string& hex() const { return hex_; }
    std::string to_string() const { return algorithm_ + ":" + hex_; }
    // "sha256/<hex>", the blob's place in an OCI image layout and in burrow's store; safe to
    // join to a path since parse() admits only [a-z0-9] on either side of the separator.
    std::string path_component() const { return algorithm_ + "/" + hex_; }
    // The first 12 hex digits, as docker and podman show image ids.
    std::string short_hex() const { return hex_.substr(0, 12); }

    bool operator==(const Digest&) const = default;

private:
    Digest(std::string algorithm, std::string hex)
        : algorithm_(std::move(algorithm)), hex_(std::move(hex)) {}
    std::string algorithm_;
    std::string hex_;
};

bool is_valid_digest(std::string_view text);

// Writes to an fd while hashing, so that a blob is verified as it is stored rather than read
// back afterwards.
class DigestingWriter {
public:
    // With expected, finish() throws unless the content has that digest; with expected_size >= 0,
    // write() throws as soon as the content grows past it and finish() when it falls short.
    explicit DigestingWriter(int fd, std::optional<Digest> expected = std::nullopt,
                             int64_t expected_size = -1);

    void write(const void* data, size_t len);
    void write(std::string_view data) { write(data.data(), data.size()); }
    // Copies from in_fd until EOF.
    void copy_from(int in_fd);
    uint64_t size() const { return size_; }
    // The digest of what was written, after checking it against the expected one.
    std::string finish();

private:
    std::string label() const;

    int fd_;
    std::optional<Digest> expected_;
    int64_t expected_size_;
    Hasher hasher_;
    uint64_t size_ = 0;
};

// The chain id of a layer on top of the chain parent_chain (OCI image spec, "ChainID"):
// sha256 of "<parent chain id> <diff id>"; the bottom layer's chain id (empty parent_chain) is its
// diff id.
std::string chain_id(std::string_view parent_chain, std::string_view diff_id);
// The chain ids of each layer of a stack of diff ids, bottom first.
std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids);

} // namespace burrow::storage
