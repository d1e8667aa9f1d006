#include "core/file.hpp"
#include "userns/caps.hpp"
#include "userns/seccomp_cache.hpp"

#include <cstring>
#include <doctest/doctest.h>
#include <filesystem>

using namespace burrow;
using namespace burrow::userns;

namespace {
bool same(const SeccompProgram& a, const SeccompProgram& b) {
    return a.filter.size() == b.filter.size() &&
           std::memcmp(a.filter.data(), b.filter.data(),
                       a.filter.size() * sizeof(struct sock_filter)) == 0;
}
} // namespace

TEST_CASE("seccomp cache: the cached program equals a fresh compile, per mask") {
    char tmpl[] = "/tmp/burrow-unit-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(tmpl);
    auto json = default_seccomp_profile_json();
    uint64_t mask = default_cap_mask();
    uint64_t admin = mask | (1ULL << 21);

    auto fresh = compile_seccomp_profile(json, mask, "default");
    auto first = cached_seccomp_program(json, mask, "default", dir / "c");
    CHECK(same(first, fresh));
    REQUIRE(std::distance(std::filesystem::directory_iterator(dir / "c"),
                          std::filesystem::directory_iterator()) == 1);
    auto second = cached_seccomp_program(json, mask, "default", dir / "c");
    CHECK(same(second, fresh));

    auto with_admin = cached_seccomp_program(json, admin, "default", dir / "c");
    CHECK(same(with_admin, compile_seccomp_profile(json, admin, "default")));
    CHECK_FALSE(same(with_admin, fresh));

    // a damaged entry is compiled again, not trusted
    for (auto& e : std::filesystem::directory_iterator(dir / "c")) {
        std::string data = read_file(e.path());
        data[data.size() - 3] ^= 0x5a;
        data.pop_back();
        atomic_write_file(e.path(), data);
    }
    CHECK(same(cached_seccomp_program(json, mask, "default", dir / "c"), fresh));
    std::filesystem::remove_all(dir);
}

TEST_CASE("seccomp cache: an unwritable cache folder only costs the compile") {
    auto json = default_seccomp_profile_json();
    auto p =
        cached_seccomp_program(json, default_cap_mask(), "default", "/proc/no-such-place/seccomp");
    CHECK_FALSE(p.empty());
}

TEST_CASE("seccomp cache: only the newest entries are kept") {
    char tmpl[] = "/tmp/burrow-unit-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(tmpl);
    std::filesystem::create_directories(dir / "c");
    for (int i = 0; i < 20; ++i)
        atomic_write_file(dir / "c" / ("old" + std::to_string(i) + ".bpf"), "stale");
    auto json = default_seccomp_profile_json();
    cached_seccomp_program(json, default_cap_mask(), "default", dir / "c");
    size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir / "c"))
        ++n;
    CHECK(n == 16);
    // the entry just written is among them
    CHECK(same(cached_seccomp_program(json, default_cap_mask(), "default", dir / "c"),
               compile_seccomp_profile(json, default_cap_mask(), "default")));
    std::filesystem::remove_all(dir);
}
