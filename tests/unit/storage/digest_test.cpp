#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/digest.hpp"
#include "support.hpp"

#include <fcntl.h>

using namespace burrow;
using namespace burrow::storage;

namespace {

constexpr const char* kEmpty =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbc =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// sha256 of "layer one", "layer two", "layer three", and the chain ids of that stack, computed
// with sha256sum: printf '%s' "$D1 $D2" | sha256sum
constexpr const char* kD1 =
    "sha256:f191e625176e7514249870c60bc24622131b04927a418001d1969c9cecd260f1";
constexpr const char* kD2 =
    "sha256:77c7ed05b2e49df2e55d70cb007508cc66b2f5419a940bfd6f8749ba7db77c45";
constexpr const char* kD3 =
    "sha256:6483085b79dcef99d4d90b43a910666cdce078bf772da453728f8c385fbfdf2f";
constexpr const char* kChain2 =
    "sha256:d440fc2ac5bfa225471b58c5d6b4283504f5dfbcd6251023a635cdcd0c058e3e";
constexpr const char* kChain3 =
    "sha256:952689aceeac7e377b602804de533a4ad47ba634e3917ca7cb071e5ff2bff6cd";

UniqueFd open_file(const std::string& path, int flags) {
    UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, 0644));
    REQUIRE(fd);
    return fd;
}

} // namespace

TEST_SUITE_BEGIN("storage/digest");

TEST_CASE("sha256 of known vectors") {
    CHECK(sha256_of("") == kEmpty);
    CHECK(sha256_of("abc") == kAbc);
    CHECK(sha256_of("layer one") == kD1);
}

TEST_CASE("streaming sha256 equals one-shot, and starts over after finish") {
    Sha256 h;
    h.update("a", 1);
    h.update(std::string_view("b"));
    h.update("", 0);
    h.update("c");
    CHECK(h.finish() == kAbc);
    CHECK(h.finish() == kEmpty);
    h.update("abc");
    CHECK(h.finish() == kAbc);

    std::string big(1 << 20, 'x');
    Sha256 parts;
    for (size_t i = 0; i < big.size(); i += 4099)
        parts.update(std::string_view(big).substr(i, 4099));
    CHECK(parts.finish() == sha256_of(big));
}

TEST_CASE("sha512") {
    Hasher h("sha512");
    h.update("abc");
    CHECK(h.finish() == "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2"
                        "192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    CHECK_THROWS_WITH_AS(Hasher("md5"), "unsupported digest algorithm \"md5\"", Error);
}

TEST_CASE("sha256 of an fd reads from its offset to EOF") {
    test::TempDir dir;
    dir.write("f", "xxabc");
    UniqueFd fd = open_file(dir / "f", O_RDONLY);
    REQUIRE(::lseek(fd.get(), 2, SEEK_SET) == 2);
    CHECK(sha256_of_fd(fd.get()) == kAbc);
    CHECK(sha256_of_fd(fd.get()) == kEmpty);
}

TEST_CASE("digest syntax") {
    Digest d = Digest::parse(kAbc);
    CHECK(d.algorithm() == "sha256");
    CHECK(d.hex() == std::string(kAbc).substr(7));
    CHECK(d.to_string() == kAbc);
    CHECK(d.path_component() == "sha256/" + d.hex());
    CHECK(d.short_hex() == "ba7816bf8f01");
    CHECK(d == Digest::parse(kAbc));
    CHECK(d != Digest::parse(kEmpty));

    std::string sha512 = "sha512:" + std::string(128, 'a');
    CHECK(is_valid_digest(sha512));
    CHECK(Digest::parse(sha512).path_component() == "sha512/" + std::string(128, 'a'));

    std::string hex = d.hex();
    for (std::string bad :
         {std::string(), std::string("sha256"), std::string("sha256:"), hex, ":" + hex,
          "sha256:" + hex.substr(1), "sha256:" + hex + "0", "SHA256:" + hex,
          "sha256:" + std::string(64, 'A'), "sha256:" + std::string(63, 'a') + "g", "sha384:" + hex,
          "md5:" + hex.substr(0, 32), "sha512:" + hex, "sha256:" + hex + "\n",
          "sha256:../" + hex.substr(3), " sha256:" + hex}) {
        CAPTURE(bad);
        CHECK_FALSE(is_valid_digest(bad));
        CHECK_FALSE(Digest::try_parse(bad));
        CHECK(test::error_of([&] { Digest::parse(bad); }) == "invalid digest \"" + bad + "\"");
    }
}

TEST_CASE("chain ids") {
    CHECK(chain_id("", kD1) == kD1);
    CHECK(chain_id(kD1, kD2) == kChain2);
    CHECK(chain_id(kChain2, kD3) == kChain3);
    CHECK(chain_ids({kD1, kD2, kD3}) == std::vector<std::string>{kD1, kChain2, kChain3});
    CHECK(chain_ids({}).empty());
}

TEST_CASE("a digesting writer writes, hashes and verifies") {
    test::TempDir dir;
    SUBCASE("no expectation: hash only") {
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        DigestingWriter w(out.get());
        w.write("ab");
        w.write("c", 1);
        CHECK(w.size() == 3);
        CHECK(w.finish() == kAbc);
        CHECK(read_file(dir / "blob") == "abc");
    }
    SUBCASE("expected digest and size") {
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        DigestingWriter w(out.get(), Digest::parse(kAbc), 3);
        w.write("abc");
        CHECK(w.finish() == kAbc);
    }
    SUBCASE("copied from an fd") {
        dir.write("src", std::string(300000, 'q') + "tail");
        UniqueFd in = open_file(dir / "src", O_RDONLY);
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        std::string want = sha256_of(std::string(300000, 'q') + "tail");
        DigestingWriter w(out.get(), Digest::parse(want));
        w.copy_from(in.get());
        CHECK(w.size() == 300004);
        CHECK(w.finish() == want);
        CHECK(read_file(dir / "blob").size() == 300004);
    }
    SUBCASE("digest mismatch") {
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        DigestingWriter w(out.get(), Digest::parse(kAbc));
        w.write("abd");
        CHECK(test::error_of([&] { w.finish(); }) ==
              std::string("blob ") + kAbc + ": digest mismatch, got " + sha256_of("abd"));
    }
    SUBCASE("more than the expected size fails at once") {
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        DigestingWriter w(out.get(), Digest::parse(kAbc), 3);
        w.write("ab");
        CHECK(test::error_of([&] { w.write("cd"); }) ==
              std::string("blob ") + kAbc + ": more than the 3 bytes its descriptor gives");
    }
    SUBCASE("less than the expected size") {
        UniqueFd out = open_file(dir / "blob", O_WRONLY | O_CREAT);
        DigestingWriter w(out.get(), Digest::parse(kAbc), 4);
        w.write("abc");
        CHECK(test::error_of([&] { w.finish(); }) ==
              std::string("blob ") + kAbc + ": size mismatch, got 3 bytes, expected 4");
    }
    SUBCASE("a write error names the blob") {
        UniqueFd ro = open_file(dir / "blob", O_RDONLY | O_CREAT);
        DigestingWriter w(ro.get(), Digest::parse(kAbc));
        CHECK(test::error_of([&] { w.write("abc"); }) ==
              std::string("blob ") + kAbc + ": write: Bad file descriptor");
    }
}

TEST_SUITE_END();
