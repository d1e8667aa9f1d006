#include "userns/seccomp_cache.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>

namespace burrow::userns {

namespace {

constexpr std::string_view kMagic = "burrow-seccomp-1\n";

uint64_t fnv1a(std::string_view a, std::string_view b) {
    uint64_t h = 1469598103934665603ULL;
    for (std::string_view s : {a, b})
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
    return h;
}

// What the compiled program depends on besides the profile: the mask, the kernel (minKernel rules)
// and architecture, the library that compiles it, and burrow's own compiler (the binary, by its
// identity on disk).
std::string cache_key(uint64_t cap_mask) {
    const scmp_version* v = seccomp_version();
    struct stat st {};
    ::stat("/proc/self/exe", &st);
    struct utsname u {};
    ::uname(&u);
    char key[512];
    std::snprintf(key, sizeof key,
                  "mask=%llx kernel=%s/%s libseccomp=%u.%u.%u exe=%llx:%llx:%lld.%ld\n",
                  static_cast<unsigned long long>(cap_mask), u.release, u.machine, v->major,
                  v->minor, v->micro, static_cast<unsigned long long>(st.st_dev),
                  static_cast<unsigned long long>(st.st_ino),
                  static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec);
    return key;
}

std::string serialize(const std::string& key, std::string_view json, const SeccompProgram& p) {
    std::string out(kMagic);
    out += key;
    out += std::to_string(json.size()) + "\n";
    out += json;
    out += std::to_string(p.filter.size()) + "\n";
    out.append(reinterpret_cast<const char*>(p.filter.data()),
               p.filter.size() * sizeof(struct sock_filter));
    return out;
}

// The cached program, if the file holds exactly this key and profile.
std::optional<SeccompProgram> deserialize(std::string_view data, const std::string& key,
                                          std::string_view json) {
    std::string head = std::string(kMagic) + key + std::to_string(json.size()) + "\n";
    if (data.substr(0, head.size()) != head)
        return std::nullopt;
    data.remove_prefix(head.size());
    if (data.substr(0, json.size()) != json)
        return std::nullopt;
    data.remove_prefix(json.size());
    auto nl = data.find('\n');
    if (nl == std::string_view::npos)
        return std::nullopt;
    size_t count = std::strtoull(std::string(data.substr(0, nl)).c_str(), nullptr, 10);
    data.remove_prefix(nl + 1);
    if (count == 0 || data.size() != count * sizeof(struct sock_filter))
        return std::nullopt;
    SeccompProgram p;
    p.filter.resize(count);
    std::memcpy(p.filter.data(), data.data(), data.size());
    return p;
}

// Entries of older burrow binaries or other profiles are never read again: keep the newest few.
void prune(const std::string& dir, size_t keep) {
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> entries;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".bpf")
            entries.emplace_back(e.last_write_time(ec), e.path());
    if (entries.size() <= keep)
        return;
    std::sort(entries.begin(), entries.end(), std::greater<>());
    for (size_t i = keep; i < entries.size(); ++i)
        std::filesystem::remove(entries[i].second, ec);
}

constexpr size_t kKeepEntries = 16;

} // namespace

SeccompProgram cached_seccomp_program(std::string_view json, uint64_t cap_mask,
                                      const std::string& source, const std::string& cache_dir) {
    std::string key = cache_key(cap_mask);
    char name[32];
    std::snprintf(name, sizeof name, "/%016llx.bpf",
                  static_cast<unsigned long long>(fnv1a(key, json)));
    std::string path = cache_dir + name;
    try {
        if (auto data = try_read_file(path))
            if (auto p = deserialize(*data, key, json))
                return *p;
    } catch (const Error& e) {
        log::debug(std::string("seccomp cache not read: ") + e.what());
    }
    SeccompProgram p = compile_seccomp_profile(json, cap_mask, source);
    try {
        paths::ensure_private_dir(cache_dir);
        atomic_write_file(path, serialize(key, json, p), 0600);
        prune(cache_dir, kKeepEntries);
    } catch (const Error& e) {
        log::debug(std::string("seccomp cache not written: ") + e.what());
    }
    return p;
}

} // namespace burrow::userns
