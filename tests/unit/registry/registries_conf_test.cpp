#include "core/error.hpp"
#include "registry/registries_conf.hpp"
#include "support.hpp"

#include <sys/stat.h>

using namespace burrow;
using namespace burrow::registry;
using burrow::test::error_of;
using burrow::test::TempDir;

namespace {

using Strings = std::vector<std::string>;
using Aliases = std::vector<std::pair<std::string, std::string>>;

const RegistryEntry& entry(const RegistriesConf& c, const std::string& prefix) {
    for (const RegistryEntry& e : c.registries) {
        if (e.prefix == prefix)
            return e;
    }
    FAIL("no entry with prefix " << prefix);
    return c.registries.front();
}

} // namespace

TEST_SUITE_BEGIN("registry/registries_conf");

TEST_CASE("registries.conf: the v2 format") {
    const char* text = R"(
# as Fedora ships it, trimmed
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "enforcing"

[[registry]]
prefix = "example.com/foo"
insecure = false
blocked = false
location = "internal-registry-for-example.com/bar"

[[registry.mirror]]
location = "example-mirror-0.local/mirror-for-foo"

[[registry.mirror]]
location = "example-mirror-1.local/mirrors/foo"
insecure = true

[[registry]]
location = "registry.local:5000/"
insecure = true

[[registry]]
prefix = "*.blocked.example"
blocked = true

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"ubi9" = "registry.access.redhat.com/ubi9"
)";
    RegistriesConf c = parse_registries_conf(text, "/etc/containers/registries.conf");
    CHECK(c.unqualified_search_registries ==
          Strings{"registry.fedoraproject.org", "quay.io", "docker.io"});
    CHECK(c.short_name_mode == "enforcing");
    REQUIRE(c.registries.size() == 3);

    const RegistryEntry& foo = c.registries[0];
    CHECK(foo.prefix == "example.com/foo");
    CHECK(foo.location == "internal-registry-for-example.com/bar");
    CHECK_FALSE(foo.insecure);
    CHECK_FALSE(foo.blocked);
    REQUIRE(foo.mirrors.size() == 2);
    CHECK(foo.mirrors[0].location == "example-mirror-0.local/mirror-for-foo");
    CHECK_FALSE(foo.mirrors[0].insecure);
    CHECK(foo.mirrors[1].location == "example-mirror-1.local/mirrors/foo");
    CHECK(foo.mirrors[1].insecure);

    // the prefix defaults to the location; trailing slashes go
    CHECK(c.registries[1].prefix == "registry.local:5000");
    CHECK(c.registries[1].location == "registry.local:5000");
    CHECK(c.registries[1].insecure);

    // a wildcard has no location of its own
    CHECK(c.registries[2].prefix == "*.blocked.example");
    CHECK(c.registries[2].location == "");
    CHECK(c.registries[2].blocked);

    CHECK(c.aliases == Aliases{{"fedora", "registry.fedoraproject.org/fedora"},
                               {"ubi9", "registry.access.redhat.com/ubi9"}});

    RegistriesConf empty = parse_registries_conf("", "empty.conf");
    CHECK(empty.unqualified_search_registries.empty());
    CHECK(empty.short_name_mode == "permissive");
    CHECK(empty.registries.empty());
}

TEST_CASE("registries.conf: the v1 format is read as podman reads it") {
    const char* text = R"(
[registries.search]
registries = ['docker.io', 'quay.io']

[registries.insecure]
registries = ['localhost:5000', 'both.local']

[registries.block]
registries = ['evil.example', 'both.local']
)";
    RegistriesConf c = parse_registries_conf(text, "v1.conf");
    CHECK(c.unqualified_search_registries == Strings{"docker.io", "quay.io"});
    REQUIRE(c.registries.size() == 3);
    CHECK(entry(c, "localhost:5000").insecure);
    CHECK_FALSE(entry(c, "localhost:5000").blocked);
    CHECK(entry(c, "localhost:5000").location == "localhost:5000");
    CHECK(entry(c, "evil.example").blocked);
    CHECK_FALSE(entry(c, "evil.example").insecure);
    CHECK(entry(c, "both.local").insecure);
    CHECK(entry(c, "both.local").blocked);

    CHECK(error_of([] {
              parse_registries_conf("unqualified-search-registries = []\n[registries.search]\n"
                                    "registries = []\n",
                                    "mixed.conf");
          }) == "registries.conf mixed.conf:2: mixing the v1 [registries.*] tables and the v2 "
                "format is not supported");
}

TEST_CASE("registries.conf: errors name the file and the line") {
    struct Case {
        const char* text;
        std::string error;
    };
    const Case cases[] = {
        {"a = 1\nunqualified-search-registries = [\"x\"\n", "registries.conf f.conf:2: "},
        {"\n\n[[registry]\nprefix = \"x\"", "registries.conf f.conf:3: "},
        {"\n[[registry]]\nprefix = \"x\"\ninsecure = \"yes\"\n",
         "registries.conf f.conf:4: insecure must be true or false"},
        {"\n[[registry]]\ninsecure = true\n",
         "registries.conf f.conf:2: [[registry]] has neither prefix nor location"},
        {"[[registry]]\nlocation = \"https://x.io\"\n",
         "registries.conf f.conf:2: location \"https://x.io\": URI schemes are not supported"},
        {"unqualified-search-registries = \"docker.io\"\n",
         "registries.conf f.conf:1: unqualified-search-registries must be an array of strings"},
        {"unqualified-search-registries = [1]\n",
         "registries.conf f.conf:1: unqualified-search-registries entries must be a string"},
        {"short-name-mode = \"strict\"\n", "registries.conf f.conf:1: short-name-mode \"strict\" "
                                           "is not enforcing, permissive or disabled"},
        {"[[registry]]\nprefix = \"*.x.io/ns\"\n",
         "registries.conf f.conf:1: wildcard prefix \"*.x.io/ns\" must be a domain only"},
        {"[[registry]]\nprefix = \"x.io\"\n[[registry.mirror]]\ninsecure = true\n",
         "registries.conf f.conf:3: mirror has no location"},
        {"[aliases]\nfoo = 3\n", "registries.conf f.conf:2: alias \"foo\" must be a string"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        std::string e = error_of([&] { parse_registries_conf(c.text, "f.conf"); });
        CHECK(e.starts_with(c.error));
        CHECK(e.find('\n') == std::string::npos);
    }
}

TEST_CASE("registries.conf: the user's file, else the system's, then drop-ins in order") {
    TempDir t;
    const std::string system = t / "etc/registries.conf";
    const std::string user = t / "home/registries.conf";
    for (const char* d : {"etc", "etc/registries.conf.d", "home"})
        REQUIRE(::mkdir((t / d).c_str(), 0755) == 0);
    t.write("etc/registries.conf", R"(
unqualified-search-registries = ["docker.io"]
short-name-mode = "enforcing"
[[registry]]
location = "a.io"
insecure = true
[[registry]]
location = "b.io"
[aliases]
"x" = "docker.io/library/x"
)");
    // out of name order on purpose: 20 must come after 10
    t.write("etc/registries.conf.d/20-last.conf", R"(
unqualified-search-registries = ["quay.io", "docker.io"]
[[registry]]
location = "a.io"
blocked = true
)");
    t.write("etc/registries.conf.d/10-first.conf", R"(
unqualified-search-registries = ["never.io"]
short-name-mode = "disabled"
[[registry]]
location = "c.io"
[aliases]
"x" = "quay.io/x"
"y" = "quay.io/y"
)");
    t.write("etc/registries.conf.d/ignored.txt", "not toml [");

    RegistriesConf c = load_registries_conf(user, system);
    CHECK(c.unqualified_search_registries == Strings{"quay.io", "docker.io"});
    CHECK(c.short_name_mode == "disabled");
    REQUIRE(c.registries.size() == 3);
    // an entry with the same prefix is replaced whole, not merged field by field
    CHECK(entry(c, "a.io").blocked);
    CHECK_FALSE(entry(c, "a.io").insecure);
    CHECK(entry(c, "b.io").location == "b.io");
    CHECK(entry(c, "c.io").location == "c.io");
    CHECK(c.aliases == Aliases{{"x", "quay.io/x"}, {"y", "quay.io/y"}});

    SUBCASE("a user's file replaces the system's; the user's drop-ins come last") {
        t.write("home/registries.conf", "unqualified-search-registries = [\"user.io\"]\n");
        REQUIRE(::mkdir((t / "home/registries.conf.d").c_str(), 0755) == 0);
        t.write("home/registries.conf.d/00-user.conf", "short-name-mode = \"permissive\"\n");
        RegistriesConf u = load_registries_conf(user, system);
        CHECK(u.unqualified_search_registries == Strings{"quay.io", "docker.io"});
        CHECK(u.short_name_mode == "permissive");
        CHECK(u.registries.size() == 2); // a.io and c.io from the drop-ins; b.io was the system's
    }

    SUBCASE("a bad drop-in is an error naming it") {
        t.write("etc/registries.conf.d/30-bad.conf", "[[registry]]\nlocation = 5\n");
        CHECK(error_of([&] { load_registries_conf(user, system); }) ==
              "registries.conf " + (t / "etc/registries.conf.d/30-bad.conf") +
                  ":2: location must be a string");
    }

    SUBCASE("no files at all: an empty config") {
        RegistriesConf none = load_registries_conf(t / "nope/a.conf", t / "nope/b.conf");
        CHECK(none.unqualified_search_registries.empty());
        CHECK(none.registries.empty());
    }
}

TEST_CASE("registries.conf: find_registry takes the longest prefix, then wildcards") {
    RegistriesConf c = parse_registries_conf(R"(
[[registry]]
prefix = "example.com"
location = "host"
[[registry]]
prefix = "example.com/foo"
location = "foo"
[[registry]]
prefix = "example.com/foo/bar"
location = "bar"
[[registry]]
prefix = "*.example.com"
location = "wild"
[[registry]]
prefix = "*.sub.example.com"
location = "subwild"
[[registry]]
prefix = "b.sub.example.com"
location = "exact"
[[registry]]
prefix = "localhost:5000"
location = "port"
)",
                                             "find.conf");
    struct Case {
        const char* repository;
        const char* location; // "" = none
    };
    const Case cases[] = {
        {"example.com", "host"},
        {"example.com/app", "host"},
        {"example.com/foo", "foo"},
        {"example.com/foo/app", "foo"},
        {"example.com/foobar/app", "host"},
        {"example.com/foo/bar", "bar"},
        {"example.com/foo/bar/baz", "bar"},
        {"example.com/foo/barn", "foo"},
        {"example.com/foo:tag", "foo"},
        {"example.com/foo@sha256:00", "foo"},
        {"example.company/app", ""},
        {"a.example.com/app", "wild"},
        {"a.b.example.com/app", "wild"},
        {"a.example.com:5000/app", "wild"},
        {"a.sub.example.com/app", "subwild"},
        {"b.sub.example.com/app", "exact"},
        {"sub.example.com/app", "wild"},
        {"notexample.com/app", ""},
        {"example.com.evil.org/app", ""},
        {"localhost:5000/app", "port"},
        {"localhost/app", ""},
        {"localhost:50001/app", ""},
        {"docker.io/library/busybox", ""},
    };
    for (const Case& tc : cases) {
        CAPTURE(tc.repository);
        auto e = find_registry(c, tc.repository);
        if (*tc.location == '\0') {
            CHECK_FALSE(e.has_value());
        } else {
            REQUIRE(e.has_value());
            CHECK(e->location == tc.location);
        }
    }
}

TEST_CASE("certs.d: the first existing folder for the host wins") {
    TempDir t;
    auto mk = [&](const std::string& rel) { REQUIRE(::mkdir((t / rel).c_str(), 0755) == 0); };
    for (const char* d : {"one", "two", "three", "two/reg:5000", "three/reg:5000", "one/empty.io",
                          "three/empty.io", "two/bad.io", "two/badkey.io", "two/only-ca.io"})
        mk(d);
    t.write("two/reg:5000/ca.crt", "CA");
    t.write("two/reg:5000/client.cert", "CERT");
    t.write("two/reg:5000/client.key", "KEY");
    t.write("three/reg:5000/other.crt", "CA");
    t.write("three/empty.io/ca.crt", "CA");
    t.write("two/bad.io/client.cert", "CERT");
    t.write("two/badkey.io/client.key", "KEY");
    t.write("two/only-ca.io/b.crt", "CA");
    t.write("two/only-ca.io/README", "x");
    const std::vector<std::string> roots = {t / "one", t / "two", t / "three", t / "missing"};

    CertsDir reg = find_certs_dir("reg:5000", roots);
    CHECK(reg.dir == t / "two/reg:5000");
    CHECK(reg.cert_file == t / "two/reg:5000/client.cert");
    CHECK(reg.key_file == t / "two/reg:5000/client.key");

    // an existing but empty folder still wins over the later roots
    CertsDir empty = find_certs_dir("empty.io", roots);
    CHECK(empty.dir == "");
    CHECK(empty.cert_file == "");

    CertsDir ca = find_certs_dir("only-ca.io", roots);
    CHECK(ca.dir == t / "two/only-ca.io");
    CHECK(ca.cert_file == "");
    CHECK(ca.key_file == "");

    CertsDir none = find_certs_dir("nowhere.io", roots);
    CHECK(none.dir == "");

    CHECK(error_of([&] { find_certs_dir("bad.io", roots); }) ==
          "certs.d " + (t / "two/bad.io") +
              ": client certificate client.cert has no client.key (CA certificates end in .crt)");
    CHECK(error_of([&] { find_certs_dir("badkey.io", roots); }) ==
          "certs.d " + (t / "two/badkey.io") + ": client key client.key has no client.cert");
}

TEST_SUITE_END();
