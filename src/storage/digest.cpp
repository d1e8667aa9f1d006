#include "storage/digest.hpp"

#include "core/dynlib.hpp"
#include "core/error.hpp"
#include "core/file.hpp"

#include <cerrno>
#include <unistd.h>
#include <utility>

namespace burrow::storage {

namespace {

constexpr const char* kCryptoSoname = "libcrypto.so.3";

// OpenSSL 3's EVP digest ABI, declared here so that burrow needs neither the library nor its
// headers to build (see core/dynlib.hpp).
struct EvpMdCtx;
struct EvpMd;
struct Engine;

// libcrypto, opened once: a function-local static is initialized once even across threads, and
// a failed initialization is retried on the next call.
class Crypto {
public:
    Crypto() : lib_(kCryptoSoname) {
        if (!lib_.is_open())
            throw Error(std::string(kCryptoSoname) + " is not installed: install libssl3");
        ctx_new = load<EvpMdCtx* (*)()>("EVP_MD_CTX_new");
        ctx_free = load<void (*)(EvpMdCtx*)>("EVP_MD_CTX_free");
        sha256 = load<const EvpMd* (*)()>("EVP_sha256");
        sha512 = load<const EvpMd* (*)()>("EVP_sha512");
        init = load<int (*)(EvpMdCtx*, const EvpMd*, Engine*)>("EVP_DigestInit_ex");
        update = load<int (*)(EvpMdCtx*, const void*, size_t)>("EVP_DigestUpdate");
        final = load<int (*)(EvpMdCtx*, unsigned char*, unsigned int*)>("EVP_DigestFinal_ex");
    }

    EvpMdCtx* (*ctx_new)();
    void (*ctx_free)(EvpMdCtx*);
    const EvpMd* (*sha256)();
    const EvpMd* (*sha512)();
    int (*init)(EvpMdCtx*, const EvpMd*, Engine*);
    int (*update)(EvpMdCtx*, const void*, size_t);
    int (*final)(EvpMdCtx*, unsigned char*, unsigned int*);

private:
    template <class Fn> Fn load(const char* name) {
        auto fn = lib_.function<Fn>(name);
        if (!fn)
            throw Error(std::string(kCryptoSoname) + " has no " + name +
                        ": install OpenSSL 3's libssl3");
        return fn;
    }

    DynLib lib_;
};

const Crypto& crypto() {
    static const Crypto c;
    return c;
}

constexpr size_t kMaxDigestSize = 64;

const EvpMd* evp_md(const Crypto& c, const std::string& algorithm) {
    if (algorithm == "sha256")
        return c.sha256();
    if (algorithm == "sha512")
        return c.sha512();
    throw Error("unsupported digest algorithm \"" + algorithm + "\"");
}

void start(const Crypto& c, void* ctx, const std::string& algorithm) {
    if (c.init(static_cast<EvpMdCtx*>(ctx), evp_md(c, algorithm), nullptr) != 1)
        throw Error(algorithm + ": libcrypto could not start a digest");
}

bool is_lower_hex(std::string_view s) {
    for (char ch : s)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    return true;
}

std::string to_hex(const unsigned char* data, size_t len) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(len * 2, '\0');
    for (size_t i = 0; i < len; ++i) {
        out[2 * i] = kDigits[data[i] >> 4];
        out[2 * i + 1] = kDigits[data[i] & 0xf];
    }
    return out;
}

// Reads up to len bytes, retrying EINTR; 0 at EOF.
size_t read_some(int fd, char* buf, size_t len) {
    for (;;) {
        ssize_t n = ::read(fd, buf, len);
        if (n >= 0)
            return static_cast<size_t>(n);
        if (errno != EINTR)
            throw SysError("read");
    }
}

constexpr size_t kCopyBuffer = 128 * 1024;

} // namespace

Hasher::Hasher(std::string_view algorithm) : algorithm_(algorithm) {
    const Crypto& c = crypto();
    evp_md(c, algorithm_);
    ctx_ = c.ctx_new();
    if (!ctx_)
        throw Error(algorithm_ + ": libcrypto could not allocate a digest context");
    try {
        start(c, ctx_, algorithm_);
    } catch (...) {
        c.ctx_free(static_cast<EvpMdCtx*>(ctx_));
        throw;
    }
}

Hasher::Hasher(Hasher&& other) noexcept
    : algorithm_(std::move(other.algorithm_)), ctx_(std::exchange(other.ctx_, nullptr)) {}

Hasher& Hasher::operator=(Hasher&& other) noexcept {
    if (this != &other) {
        if (ctx_)
            crypto().ctx_free(static_cast<EvpMdCtx*>(ctx_));
        algorithm_ = std::move(other.algorithm_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

Hasher::~Hasher() {
    // ctx_ exists only if crypto() loaded, so this call cannot throw
    if (ctx_)
        crypto().ctx_free(static_cast<EvpMdCtx*>(ctx_));
}

void Hasher::update(const void* data, size_t len) {
    if (len > 0 && crypto().update(static_cast<EvpMdCtx*>(ctx_), data, len) != 1)
        throw Error(algorithm_ + ": libcrypto could not update a digest");
}

std::string Hasher::finish() {
    const Crypto& c = crypto();
    unsigned char md[kMaxDigestSize];
    unsigned int len = 0;
    if (c.final(static_cast<EvpMdCtx*>(ctx_), md, &len) != 1 || len > sizeof md)
        throw Error(algorithm_ + ": libcrypto could not finish a digest");
    start(c, ctx_, algorithm_);
    return algorithm_ + ":" + to_hex(md, len);
}

std::string sha256_of(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.finish();
}

std::string sha256_of_fd(int fd) {
    Sha256 h;
    std::string buf(kCopyBuffer, '\0');
    while (size_t n = read_some(fd, buf.data(), buf.size()))
        h.update(buf.data(), n);
    return h.finish();
}

std::optional<Digest> Digest::try_parse(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    std::string_view algorithm = text.substr(0, colon), hex = text.substr(colon + 1);
    size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
    if (want == 0 || hex.size() != want || !is_lower_hex(hex))
        return std::nullopt;
    return Digest(std::string(algorithm), std::string(hex));
}

Digest Digest::parse(std::string_view text) {
    auto d = try_parse(text);
    if (!d)
        throw Error("invalid digest \"" + std::string(text) + "\"");
    return *d;
}

bool is_valid_digest(std::string_view text) {
    return Digest::try_parse(text).has_value();
}

DigestingWriter::DigestingWriter(int fd, std::optional<Digest> expected, int64_t expected_size)
    : fd_(fd), expected_(std::move(expected)), expected_size_(expected_size),
      hasher_(expected_ ? expected_->algorithm() : "sha256") {}

std::string DigestingWriter::label() const {
    return expected_ ? "blob " + expected_->to_string() : std::string("blob");
}

void DigestingWriter::write(const void* data, size_t len) {
    if (expected_size_ >= 0 && size_ + len > static_cast<uint64_t>(expected_size_))
        throw Error(label() + ": more than the " + std::to_string(expected_size_) +
                    " bytes its descriptor gives");
    hasher_.update(data, len);
    try {
        write_all(fd_, data, len);
    } catch (const Error&) {
        rethrow_with_context(label());
    }
    size_ += len;
}

void DigestingWriter::copy_from(int in_fd) {
    std::string buf(kCopyBuffer, '\0');
    for (;;) {
        size_t n = 0;
        try {
            n = read_some(in_fd, buf.data(), buf.size());
        } catch (const Error&) {
            rethrow_with_context(label());
        }
        if (n == 0)
            return;
        write(buf.data(), n);
    }
}

std::string DigestingWriter::finish() {
    std::string got = hasher_.finish();
    if (expected_size_ >= 0 && size_ != static_cast<uint64_t>(expected_size_))
        throw Error(label() + ": size mismatch, got " + std::to_string(size_) +
                    " bytes, expected " + std::to_string(expected_size_));
    if (expected_ && got != expected_->to_string())
        throw Error(label() + ": digest mismatch, got " + got);
    return got;
}

std::string chain_id(std::string_view parent_chain, std::string_view diff_id) {
    if (parent_chain.empty())
        return std::string(diff_id);
    std::string joined;
    joined.reserve(parent_chain.size() + 1 + diff_id.size());
    joined.append(parent_chain).append(" ").append(diff_id);
    return sha256_of(joined);
}

std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids) {
    std::vector<std::string> out;
    out.reserve(diff_ids.size());
    for (const auto& diff_id : diff_ids)
        out.push_back(
            chain_id(out.empty() ? std::string_view{} : std::string_view(out.back()), diff_id));
    return out;
}

} // namespace burrow::storage
