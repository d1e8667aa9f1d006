#include "core/error.hpp"
#include "registry/reference.hpp"
#include "support.hpp"

using namespace burrow;
using namespace burrow::registry;

namespace {

const std::string kHex = std::string(64, 'a');
const std::string kDigest = "sha256:" + kHex;

struct Parsed {
    const char* text;
    std::string domain, path, tag, digest, full, familiar;
};

} // namespace

TEST_SUITE_BEGIN("registry/reference");

TEST_CASE("references parse and normalize as docker's do") {
    const Parsed cases[] = {
        {"busybox", "docker.io", "library/busybox", "latest", "",
         "docker.io/library/busybox:latest", "busybox:latest"},
        {"busybox:1.36", "docker.io", "library/busybox", "1.36", "",
         "docker.io/library/busybox:1.36", "busybox:1.36"},
        {"library/busybox", "docker.io", "library/busybox", "latest", "",
         "docker.io/library/busybox:latest", "busybox:latest"},
        {"docker.io/busybox", "docker.io", "library/busybox", "latest", "",
         "docker.io/library/busybox:latest", "busybox:latest"},
        {"index.docker.io/library/busybox", "docker.io", "library/busybox", "latest", "",
         "docker.io/library/busybox:latest", "busybox:latest"},
        {"user/app:v2", "docker.io", "user/app", "v2", "", "docker.io/user/app:v2", "user/app:v2"},
        {"docker.io/library/sub/app", "docker.io", "library/sub/app", "latest", "",
         "docker.io/library/sub/app:latest", "library/sub/app:latest"},
        {"quay.io/podman/stable", "quay.io", "podman/stable", "latest", "",
         "quay.io/podman/stable:latest", "quay.io/podman/stable:latest"},
        {"quay.io/app", "quay.io", "app", "latest", "", "quay.io/app:latest", "quay.io/app:latest"},
        {"localhost/myimg:v1", "localhost", "myimg", "v1", "", "localhost/myimg:v1",
         "localhost/myimg:v1"},
        {"localhost:5000/a/b/c:t", "localhost:5000", "a/b/c", "t", "", "localhost:5000/a/b/c:t",
         "localhost:5000/a/b/c:t"},
        {"127.0.0.1:5000/app", "127.0.0.1:5000", "app", "latest", "", "127.0.0.1:5000/app:latest",
         "127.0.0.1:5000/app:latest"},
        {"[::1]:5000/app", "[::1]:5000", "app", "latest", "", "[::1]:5000/app:latest",
         "[::1]:5000/app:latest"},
        {"[fe80::1]/app", "[fe80::1]", "app", "latest", "", "[fe80::1]/app:latest",
         "[fe80::1]/app:latest"},
        {"Registry.Example.com/app", "Registry.Example.com", "app", "latest", "",
         "Registry.Example.com/app:latest", "Registry.Example.com/app:latest"},
        {"Registry/app", "Registry", "app", "latest", "", "Registry/app:latest",
         "Registry/app:latest"},
        // "localhost:5000" alone is a repository named localhost with tag 5000, as in docker
        {"localhost:5000", "docker.io", "library/localhost", "5000", "",
         "docker.io/library/localhost:5000", "localhost:5000"},
        {"a.b-c.d---e:443/f_g.h", "a.b-c.d---e:443", "f_g.h", "latest", "",
         "a.b-c.d---e:443/f_g.h:latest", "a.b-c.d---e:443/f_g.h:latest"},
        {"my-app__x-y/z-9", "docker.io", "my-app__x-y/z-9", "latest", "",
         "docker.io/my-app__x-y/z-9:latest", "my-app__x-y/z-9:latest"},
        {"busybox:Tag_1.2-x", "docker.io", "library/busybox", "Tag_1.2-x", "",
         "docker.io/library/busybox:Tag_1.2-x", "busybox:Tag_1.2-x"},
        // the familiar form keeps docker.io where the rest would read as a registry
        {"docker.io/foo.bar/app", "docker.io", "foo.bar/app", "latest", "",
         "docker.io/foo.bar/app:latest", "docker.io/foo.bar/app:latest"},
        {"docker.io/localhost/app", "docker.io", "localhost/app", "latest", "",
         "docker.io/localhost/app:latest", "docker.io/localhost/app:latest"},
        {"busybox:_x", "docker.io", "library/busybox", "_x", "", "docker.io/library/busybox:_x",
         "busybox:_x"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        Reference r = Reference::parse(c.text);
        CHECK(r.domain() == c.domain);
        CHECK(r.path() == c.path);
        CHECK(r.tag() == c.tag);
        CHECK(r.digest() == c.digest);
        CHECK(r.to_string() == c.full);
        CHECK(r.familiar() == c.familiar);
        CHECK(Reference::parse(r.to_string()) == r);
        CHECK(Reference::parse(r.familiar()) == r);
    }
}

TEST_CASE("references with digests") {
    Reference r = Reference::parse("busybox@" + kDigest);
    CHECK(r.tag().empty());
    CHECK(r.digest() == kDigest);
    CHECK(r.has_digest());
    CHECK(r.to_string() == "docker.io/library/busybox@" + kDigest);
    CHECK(r.familiar() == "busybox@" + kDigest);
    CHECK(r.familiar_name() == "busybox");
    CHECK(r.name() == "docker.io/library/busybox");

    Reference both = Reference::parse("quay.io/a/b:1.0@" + kDigest);
    CHECK(both.tag() == "1.0");
    CHECK(both.digest() == kDigest);
    CHECK(both.to_string() == "quay.io/a/b:1.0@" + kDigest);

    Reference port = Reference::parse("localhost:5000/app@" + kDigest);
    CHECK(port.domain() == "localhost:5000");
    CHECK(port.tag().empty());

    CHECK(r.with_tag("v2").to_string() == "docker.io/library/busybox:v2");
    CHECK(both.with_digest("sha256:" + std::string(64, 'b')).to_string() ==
          "quay.io/a/b@sha256:" + std::string(64, 'b'));
    CHECK(test::error_of([&] { r.with_tag("-x"); }) == "invalid tag \"-x\"");
    CHECK(test::error_of([&] { r.with_digest("sha256:1"); }) == "invalid digest \"sha256:1\"");
}

TEST_CASE("invalid references say why, naming the input") {
    auto error = [](const std::string& text) {
        return test::error_of([&] { Reference::parse(text); });
    };
    auto says = [](const std::string& text, const std::string& why) {
        return "invalid reference \"" + text + "\": " + why;
    };
    const std::pair<std::string, std::string> cases[] = {
        {"", "repository name is empty"},
        {"Busybox", "repository name must be lowercase"},
        {"docker.io/Library/busybox", "repository name must be lowercase"},
        {"user/App:v1", "repository name must be lowercase"},
        {"busybox:", "invalid tag \"\""},
        {"busybox:-x", "invalid tag \"-x\""},
        {"busybox:.x", "invalid tag \".x\""},
        {"busybox:a/b", "invalid registry \"busybox:a\""},
        {"busybox:" + std::string(129, 't'), "invalid tag \"" + std::string(129, 't') + "\""},
        {"busybox:a$b", "invalid tag \"a$b\""},
        {"busybox@sha256:abc", "invalid digest \"sha256:abc\""},
        {"busybox@", "invalid digest \"\""},
        {"busybox@md5:" + std::string(32, 'a'),
         "invalid digest \"md5:" + std::string(32, 'a') + "\""},
        {"busybox@" + kDigest + "@" + kDigest,
         "invalid digest \"" + kDigest + "@" + kDigest + "\""},
        {"busybox@sha256:" + std::string(64, 'A'),
         "invalid digest \"sha256:" + std::string(64, 'A') + "\""},
        {kHex, "a 64-character hexadecimal string is an image id, not a name"},
        {"a//b", "invalid repository name \"a//b\""},
        {"/busybox", "invalid repository name \"/busybox\""},
        {"busybox/", "invalid repository name \"busybox/\""},
        {"localhost/", "repository name is empty"},
        {"bu$y", "invalid repository name \"bu$y\""},
        {"-app", "invalid repository name \"-app\""},
        {"app-", "invalid repository name \"app-\""},
        {"a..b", "invalid repository name \"a..b\""},
        {"a___b", "invalid repository name \"a___b\""},
        {"a._b", "invalid repository name \"a._b\""},
        {"my app", "invalid repository name \"my app\""},
        {"-reg.io/app", "invalid registry \"-reg.io\""},
        {"reg..io/app", "invalid registry \"reg..io\""},
        {"reg.io:/app", "invalid registry \"reg.io:\""},
        {"reg.io:50x/app", "invalid registry \"reg.io:50x\""},
        {"[::1/app", "invalid registry \"[::1\""},
        {"[]/app", "invalid repository name \"[]/app\""},
        {"[::1]x/app", "invalid registry \"[::1]x\""},
        {"reg_io.com/app", "invalid registry \"reg_io.com\""},
        {std::string(256, 'a'), "repository name must not be more than 255 characters"},
        {"quay.io/" + std::string(250, 'a'),
         "repository name must not be more than 255 characters"},
        // 250 characters are fine as typed but not once docker.io/library/ is in front
        {std::string(250, 'a'), "repository name must not be more than 255 characters"},
    };
    for (const auto& [text, why] : cases) {
        CAPTURE(text);
        CHECK(error(text) == says(text, why));
    }
    CHECK(Reference::parse(std::string(237, 'a')).path().size() == 245);
}

TEST_CASE("a typed name against stored names, as podman looks images up") {
    const std::string busybox = "docker.io/library/busybox:latest";
    CHECK(matches_short_name("busybox", busybox));
    CHECK(matches_short_name("busybox:latest", busybox));
    CHECK(matches_short_name("library/busybox", busybox));
    CHECK(matches_short_name("docker.io/busybox", busybox));
    CHECK(matches_short_name("docker.io/library/busybox:latest", busybox));
    CHECK(matches_short_name("index.docker.io/library/busybox", busybox));
    CHECK(matches_short_name("busybox", "localhost/busybox:latest"));
    CHECK(matches_short_name("busybox", "quay.io/someone/busybox:latest"));
    CHECK(matches_short_name("myimg:v1", "localhost/myimg:v1"));
    CHECK(matches_short_name("someone/busybox", "quay.io/someone/busybox:latest"));

    CHECK_FALSE(matches_short_name("busybox:1.36", busybox));
    CHECK_FALSE(matches_short_name("busybox", "docker.io/library/busybox:1.36"));
    CHECK_FALSE(matches_short_name("box", busybox));
    CHECK_FALSE(matches_short_name("other/busybox", busybox));
    CHECK_FALSE(matches_short_name("quay.io/busybox", busybox));
    CHECK_FALSE(matches_short_name("localhost/busybox", busybox));
    CHECK_FALSE(matches_short_name("myimg", "localhost/myimg:v1"));
    CHECK_FALSE(matches_short_name("docker.io/library/busybox:1.36", busybox));
    CHECK_FALSE(matches_short_name("busybox", "not a name"));
    CHECK_FALSE(matches_short_name("busybox", ""));

    const std::string digested = "docker.io/library/busybox@" + kDigest;
    CHECK(matches_short_name("busybox@" + kDigest, digested));
    CHECK(matches_short_name("docker.io/library/busybox@" + kDigest, digested));
    CHECK(matches_short_name("busybox:1.36@" + kDigest, digested));
    CHECK_FALSE(matches_short_name("busybox@sha256:" + std::string(64, 'b'), digested));
    CHECK_FALSE(matches_short_name("busybox@" + kDigest, busybox));
    CHECK_FALSE(matches_short_name("busybox", digested));

    CHECK(test::error_of([&] { matches_short_name("Busybox", busybox); }) ==
          "invalid reference \"Busybox\": repository name must be lowercase");
}

TEST_CASE("names given to images by tag, commit and import") {
    CHECK(normalize_local_name("foo") == "localhost/foo:latest");
    CHECK(normalize_local_name("foo:v1") == "localhost/foo:v1");
    CHECK(normalize_local_name("me/foo") == "localhost/me/foo:latest");
    CHECK(normalize_local_name("library/foo") == "localhost/library/foo:latest");
    CHECK(normalize_local_name("localhost/foo:v2") == "localhost/foo:v2");
    CHECK(normalize_local_name("quay.io/me/foo") == "quay.io/me/foo:latest");
    CHECK(normalize_local_name("docker.io/foo:1") == "docker.io/library/foo:1");
    CHECK(normalize_local_name("localhost:5000/foo") == "localhost:5000/foo:latest");
    CHECK(test::error_of([] { normalize_local_name("foo@sha256:" + std::string(64, 'a')); }) ==
          "invalid reference \"foo@sha256:" + std::string(64, 'a') +
              "\": a name given to an image cannot have a digest");
    CHECK(test::error_of([] { normalize_local_name("Foo"); }) ==
          "invalid reference \"Foo\": repository name must be lowercase");
    CHECK(test::error_of([] { normalize_local_name(std::string(250, 'a')); }) ==
          "invalid reference \"" + std::string(250, 'a') +
              "\": repository name must not be more than 255 characters");
}

TEST_SUITE_END();
