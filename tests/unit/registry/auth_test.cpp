#include "core/error.hpp"
#include "core/file.hpp"
#include "registry/auth.hpp"
#include "support.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <sys/stat.h>

using namespace burrow;
using namespace burrow::registry;
using burrow::test::error_of;
using burrow::test::TempDir;

namespace {

// Sets or unsets an environment variable for one test and puts the old value back.
class EnvGuard {
public:
    EnvGuard(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name))
            old_ = old;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;
    ~EnvGuard() {
        if (old_)
            ::setenv(name_.c_str(), old_->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

mode_t mode_of(const std::string& path) {
    struct stat st;
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

AuthFiles one_file(const std::string& path) {
    return AuthFiles{path, {path}};
}

std::string auth_of(const std::string& user, const std::string& pass) {
    return base64_encode(user + ":" + pass);
}

// A docker-credential-NAME stand-in: `get` answers from files named after the server URL in
// $FAKE_HELPER_DIR, `store` keeps its input, `erase` removes the file.
const char* const kFakeHelper = R"(#!/bin/sh
read -r url
name=$(printf '%s' "$url" | tr -c 'A-Za-z0-9.' '_')
case "$1" in
get)
    if [ -f "$FAKE_HELPER_DIR/creds-$name" ]; then cat "$FAKE_HELPER_DIR/creds-$name"; exit 0; fi
    echo "credentials not found in native keychain"; exit 1 ;;
store)
    printf '%s' "$url" > "$FAKE_HELPER_DIR/stored.json"; exit 0 ;;
erase)
    if [ -f "$FAKE_HELPER_DIR/creds-$name" ]; then rm "$FAKE_HELPER_DIR/creds-$name"; exit 0; fi
    echo "credentials not found in native keychain"; exit 1 ;;
esac
exit 2
)";

const char* const kBrokenHelper = "#!/bin/sh\necho 'the keychain is locked: boom' >&2\nexit 1\n";

// Puts the fake helpers first on PATH for the life of the object.
struct FakeHelpers {
    TempDir dir;
    std::optional<EnvGuard> path, store;
    FakeHelpers() {
        REQUIRE(::mkdir((dir / "bin").c_str(), 0755) == 0);
        REQUIRE(::mkdir((dir / "store").c_str(), 0777) == 0);
        ::chmod((dir / "store").c_str(), 0777);
        for (auto [name, text] : {std::pair{"fake", kFakeHelper}, {"broken", kBrokenHelper}}) {
            std::string p = dir / (std::string("bin/docker-credential-") + name);
            dir.write("bin/docker-credential-" + std::string(name), text);
            REQUIRE(::chmod(p.c_str(), 0755) == 0);
        }
        const char* old = std::getenv("PATH");
        std::string new_path = (dir / "bin") + ":" + (old ? old : "/usr/bin:/bin");
        path.emplace("PATH", new_path.c_str());
        store.emplace("FAKE_HELPER_DIR", (dir / "store").c_str());
    }
    void remember(const std::string& sanitized_url, const std::string& user,
                  const std::string& secret) {
        nlohmann::json j = {{"ServerURL", "x"}, {"Username", user}, {"Secret", secret}};
        dir.write("store/creds-" + sanitized_url, j.dump());
    }
};

} // namespace

TEST_SUITE_BEGIN("registry/auth");

TEST_CASE("auth: files are chosen from the flag, REGISTRY_AUTH_FILE and XDG_RUNTIME_DIR") {
    EnvGuard home("HOME", "/home/u");
    EnvGuard config("XDG_CONFIG_HOME", nullptr);
    EnvGuard docker("DOCKER_CONFIG", nullptr);
    struct Case {
        const char *flag, *env_file, *runtime;
        std::string write;
        std::vector<std::string> read;
    };
    const std::vector<std::string> defaults_after = {"/home/u/.config/containers/auth.json",
                                                     "/home/u/.docker/config.json"};
    auto with_defaults = [&](const std::string& first) {
        std::vector<std::string> v{first};
        v.insert(v.end(), defaults_after.begin(), defaults_after.end());
        return v;
    };
    const Case cases[] = {
        {"/f/flag.json", "/f/env.json", "/run/user/7", "/f/flag.json", {"/f/flag.json"}},
        {"", "/f/env.json", "/run/user/7", "/f/env.json", {"/f/env.json"}},
        {"", nullptr, "/run/user/7", "/run/user/7/containers/auth.json",
         with_defaults("/run/user/7/containers/auth.json")},
        {"", "", "/run/user/7", "/run/user/7/containers/auth.json",
         with_defaults("/run/user/7/containers/auth.json")},
        {"", nullptr, nullptr, "/tmp/burrow-run-7/containers/auth.json",
         with_defaults("/tmp/burrow-run-7/containers/auth.json")},
    };
    for (const Case& c : cases) {
        CAPTURE(c.write);
        EnvGuard env_file("REGISTRY_AUTH_FILE", c.env_file);
        EnvGuard runtime("XDG_RUNTIME_DIR", c.runtime);
        AuthFiles f = auth_files(c.flag, "/tmp/burrow-run-7");
        CHECK(f.write_path == c.write);
        CHECK(f.read_paths == c.read);
    }

    SUBCASE("XDG_CONFIG_HOME and DOCKER_CONFIG move the read-only files") {
        EnvGuard env_file("REGISTRY_AUTH_FILE", nullptr);
        EnvGuard runtime("XDG_RUNTIME_DIR", "/run/user/7");
        EnvGuard config2("XDG_CONFIG_HOME", "/cfg");
        EnvGuard docker2("DOCKER_CONFIG", "/dock");
        AuthFiles f = auth_files("", "/unused");
        CHECK(f.read_paths == std::vector<std::string>{"/run/user/7/containers/auth.json",
                                                       "/cfg/containers/auth.json",
                                                       "/dock/config.json"});
    }
}

TEST_CASE("auth: base64 matches RFC 4648's vectors") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        CAPTURE(plain);
        CHECK(base64_encode(plain) == encoded);
        CHECK(base64_decode(encoded) == std::optional<std::string>(plain));
    }
    CHECK(base64_encode(std::string("\xff\x00\xfe", 3)) == "/wD+");
    CHECK(base64_decode("Zm9vYg") == std::optional<std::string>("foob"));
    CHECK(base64_decode("Zm9v!") == std::nullopt);
    CHECK(basic_authorization({"Aladdin", "open sesame"}) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    CHECK(basic_authorization({"u", "p:with:colons"}) ==
          "Basic " + base64_encode("u:p:with:colons"));
}

TEST_CASE("auth: keys are normalized, docker.io's legacy keys included") {
    TempDir t;
    struct Case {
        const char* key;  // the key in auth.json
        const char* host; // what is looked up
        const char* repository;
        bool found;
    };
    const Case cases[] = {
        {"https://index.docker.io/v1/", "docker.io", "", true},
        {"https://index.docker.io/v1/", "docker.io", "library/busybox", true},
        {"index.docker.io", "docker.io", "", true},
        {"registry-1.docker.io", "docker.io", "", true},
        {"docker.io", "index.docker.io", "", true},
        {"docker.io", "registry-1.docker.io", "", true},
        {"https://quay.io/v2/", "quay.io", "", true},
        {"https://quay.io", "quay.io", "", true},
        {"quay.io/", "quay.io", "", true},
        {"http://myreg:5000", "myreg:5000", "", true},
        {"myreg:5000", "myreg", "", false},
        {"myreg", "myreg:5000", "", false},
        {"quay.io", "docker.io", "", false},
        {"quay.io/ns", "quay.io", "ns/app", true},
        {"quay.io/ns", "quay.io", "quay.io/ns/app", true},
        {"quay.io/ns", "quay.io", "other/app", false},
        {"quay.io/ns", "quay.io", "nsx/app", false},
        {"quay.io/ns", "quay.io", "", false},
        {"docker.io/library", "docker.io", "library/busybox", true},
        {"docker.io/library", "docker.io", "user/busybox", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.key);
        CAPTURE(c.host);
        CAPTURE(c.repository);
        nlohmann::json j = {{"auths", {{c.key, {{"auth", auth_of("user", "pw")}}}}}};
        t.write("auth.json", j.dump());
        auto creds = find_credentials(one_file(t / "auth.json"), c.host, c.repository);
        CHECK(creds.has_value() == c.found);
        if (creds && c.found) {
            CHECK(creds->username == "user");
            CHECK(creds->password == "pw");
        }
    }
}

TEST_CASE("auth: repository-scoped keys match the longest first, then the host") {
    TempDir t;
    nlohmann::json j = {{"auths",
                         {{"quay.io", {{"auth", auth_of("host", "1")}}},
                          {"quay.io/ns/app", {{"auth", auth_of("repo", "3")}}},
                          {"quay.io/ns", {{"auth", auth_of("ns", "2")}}}}}};
    t.write("auth.json", j.dump());
    const std::pair<const char*, const char*> cases[] = {
        {"ns/app", "repo"},   {"quay.io/ns/app", "repo"}, {"ns/app2", "ns"},
        {"ns/sub/app", "ns"}, {"other/app", "host"},      {"", "host"},
    };
    for (auto [repo, user] : cases) {
        CAPTURE(repo);
        auto c = find_credentials(one_file(t / "auth.json"), "quay.io", repo);
        REQUIRE(c);
        CHECK(c->username == user);
    }
}

TEST_CASE("auth: files are read in order; tokens and old entries are understood") {
    TempDir t;
    t.write("first.json", R"({"auths": {"a.io": {"auth": ")" + auth_of("first", "1") + R"("}}})");
    t.write("second.json", R"({"auths": {"a.io": {"auth": ")" + auth_of("second", "2") +
                               R"("}, "b.io": {"identitytoken": "tok", "auth": ")" +
                               auth_of("x", "y") + R"("}, "c.io": {"username": "old",
                               "password": "pw"}, "d.io": {}}})");
    t.write("empty.json", "");
    AuthFiles files{t / "first.json",
                    {t / "missing.json", t / "empty.json", t / "first.json", t / "second.json"}};
    CHECK(find_credentials(files, "a.io")->username == "first");
    auto b = find_credentials(files, "b.io");
    REQUIRE(b);
    CHECK(b->username == "<token>");
    CHECK(b->password == "tok");
    CHECK(find_credentials(files, "c.io")->username == "old");
    CHECK(find_credentials(files, "d.io") == std::nullopt);
    CHECK(find_credentials(files, "e.io") == std::nullopt);

    t.write("bad.json", "{\"auths\": ");
    CHECK(error_of([&] {
              find_credentials(one_file(t / "bad.json"), "a.io");
          }).starts_with(t / "bad.json" + ": invalid JSON"));
    t.write("bad.json", R"({"auths": {"a.io": {"auth": "bm9jb2xvbg=="}}})"); // "nocolon"
    CHECK(error_of([&] { find_credentials(one_file(t / "bad.json"), "a.io"); }) ==
          t / "bad.json" + ": the auth of \"a.io\" is not base64 of user:password");
    t.write("bad.json", R"({"auths": []})");
    CHECK(error_of([&] {
              find_credentials(one_file(t / "bad.json"), "a.io");
          }).starts_with(t / "bad.json" + ": invalid auth file"));
}

TEST_CASE("auth: store and erase keep other entries, in a 0600 file in a 0700 folder") {
    TempDir t;
    const std::string path = t / "run/containers/auth.json";
    AuthFiles files = one_file(path);

    store_credentials(files, "quay.io", {"qu", "qp"});
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(t / "run/containers") == 0700);
    CHECK(mode_of(t / "run") == 0700);
    CHECK(find_credentials(files, "quay.io")->password == "qp");

    // fields of other tools and a legacy key for the same registry
    nlohmann::json j = nlohmann::json::parse(read_file(path));
    j["auths"]["https://index.docker.io/v1/"] = {{"auth", auth_of("old", "old")}};
    j["credHelpers"] = {{"gcr.io", "gcloud"}};
    j["HttpHeaders"] = {{"User-Agent", "x"}};
    atomic_write_file(path, j.dump(), 0644);

    store_credentials(files, "docker.io", {"me", "secret"});
    CHECK(mode_of(path) == 0600);
    j = nlohmann::json::parse(read_file(path));
    CHECK(j["auths"].size() == 2);
    CHECK(j["auths"]["docker.io"]["auth"] == auth_of("me", "secret"));
    CHECK(j["auths"]["quay.io"]["auth"] == auth_of("qu", "qp"));
    CHECK(j["credHelpers"]["gcr.io"] == "gcloud");
    CHECK(j["HttpHeaders"]["User-Agent"] == "x");
    CHECK(find_credentials(files, "docker.io")->username == "me");

    store_credentials(files, "quay.io/ns", {"<token>", "idtok"});
    j = nlohmann::json::parse(read_file(path));
    CHECK(j["auths"]["quay.io/ns"]["identitytoken"] == "idtok");

    CHECK(erase_credentials(files, "index.docker.io"));
    CHECK_FALSE(erase_credentials(files, "docker.io"));
    CHECK(find_credentials(files, "docker.io") == std::nullopt);
    CHECK(find_credentials(files, "quay.io")->username == "qu");
    CHECK(mode_of(path) == 0600);

    // gcloud's helper is not installed here: there is nothing of it to erase
    CHECK_NOTHROW(erase_all_credentials(files));
    CHECK(nlohmann::json::parse(read_file(path))["auths"].empty());
}

TEST_CASE("auth: erase_all empties auths and keeps the rest") {
    TempDir t;
    const std::string path = t / "auth.json";
    AuthFiles files = one_file(path);
    erase_all_credentials(files); // no file: nothing to do
    CHECK_FALSE(burrow::path_exists(path));
    CHECK_FALSE(erase_credentials(files, "quay.io"));
    store_credentials(files, "quay.io", {"a", "b"});
    store_credentials(files, "ghcr.io", {"c", "d"});
    auto j = nlohmann::json::parse(read_file(path));
    j["currentContext"] = "x";
    atomic_write_file(path, j.dump(), 0600);
    erase_all_credentials(files);
    j = nlohmann::json::parse(read_file(path));
    CHECK(j["auths"].empty());
    CHECK(j["currentContext"] == "x");
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("auth: a symlinked auth file is written through the link") {
    TempDir t;
    t.write("real.json", "{}");
    REQUIRE(::symlink((t / "real.json").c_str(), (t / "link.json").c_str()) == 0);
    store_credentials(one_file(t / "link.json"), "quay.io", {"a", "b"});
    struct stat st;
    REQUIRE(::lstat((t / "link.json").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(find_credentials(one_file(t / "real.json"), "quay.io")->username == "a");
}

TEST_CASE("auth: credential helpers get, store and erase") {
    FakeHelpers h;
    TempDir t;
    const std::string path = t / "auth.json";
    AuthFiles files = one_file(path);

    SUBCASE("credHelpers names the helper for one registry") {
        t.write("auth.json", R"({"credHelpers": {"quay.io": "fake"},
                                 "auths": {"quay.io": {"auth": ")" +
                                 auth_of("file", "f") + R"("}}})");
        CHECK(find_credentials(files, "quay.io") == std::nullopt);
        h.remember("quay.io", "helper-user", "helper-secret");
        auto c = find_credentials(files, "quay.io", "ns/app");
        REQUIRE(c);
        CHECK(c->username == "helper-user");
        CHECK(c->password == "helper-secret");

        // not found by the helper of the first file: the next file is asked
        t.write("other.json",
                R"({"auths": {"ghcr.io": {"auth": ")" + auth_of("o", "p") + R"("}}})");
        t.write("auth.json", R"({"credHelpers": {"ghcr.io": "fake"}})");
        CHECK(find_credentials(AuthFiles{path, {path, t / "other.json"}}, "ghcr.io")->username ==
              "o");
    }

    SUBCASE("credsStore serves every registry; docker.io also by its legacy URL") {
        t.write("auth.json", R"({"credsStore": "fake", "auths": {"docker.io": {}}})");
        h.remember("https___index.docker.io_v1_", "hub", "pw");
        auto c = find_credentials(files, "docker.io");
        REQUIRE(c);
        CHECK(c->username == "hub");
        CHECK(find_credentials(files, "quay.io") == std::nullopt);
    }

    SUBCASE("a credsStore that is not installed is skipped") {
        t.write("auth.json", R"({"credsStore": "desktop-absent",
                                 "auths": {"quay.io": {"auth": ")" +
                                 auth_of("file", "f") + R"("}}})");
        CHECK(find_credentials(files, "quay.io")->username == "file");
        CHECK(find_credentials(files, "ghcr.io") == std::nullopt);
    }

    SUBCASE("a failing helper is an error with its message") {
        t.write("auth.json", R"({"credHelpers": {"quay.io": "broken", "x.io": "absent"}})");
        std::string e = error_of([&] { find_credentials(files, "quay.io"); });
        CHECK(e.find(path) == 0);
        CHECK(e.find("docker-credential-broken get quay.io: the keychain is locked: boom") !=
              std::string::npos);
        CHECK(error_of([&] {
                  find_credentials(files, "x.io");
              }).find("docker-credential-absent: not found in PATH") != std::string::npos);
    }

    SUBCASE("store and erase go to the helper, not the file") {
        t.write("auth.json", R"({"credHelpers": {"quay.io": "fake"}})");
        store_credentials(files, "quay.io", {"u", "s3cret"});
        auto stored = nlohmann::json::parse(read_file(h.dir / "store/stored.json"));
        CHECK(stored ==
              nlohmann::json{{"ServerURL", "quay.io"}, {"Username", "u"}, {"Secret", "s3cret"}});
        CHECK(nlohmann::json::parse(read_file(path)).contains("auths") == false);

        h.remember("quay.io", "u", "s3cret");
        CHECK(erase_credentials(files, "quay.io"));
        CHECK_FALSE(burrow::path_exists(h.dir / "store/creds-quay.io"));
        CHECK_FALSE(erase_credentials(files, "quay.io"));

        t.write("auth.json", R"({"credsStore": "fake"})");
        store_credentials(files, "ghcr.io", {"g", "h"});
        stored = nlohmann::json::parse(read_file(h.dir / "store/stored.json"));
        CHECK(stored["ServerURL"] == "ghcr.io");
    }
}

TEST_CASE("auth: WWW-Authenticate challenges parse") {
    struct Case {
        std::string header;
        std::vector<Challenge> want;
    };
    const Case cases[] = {
        {R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")",
         {{"bearer",
           {{"realm", "https://auth.docker.io/token"},
            {"service", "registry.docker.io"},
            {"scope", "repository:library/busybox:pull"}}}}},
        {R"(Basic realm="Registry Realm")", {{"basic", {{"realm", "Registry Realm"}}}}},
        {R"(BASIC Realm=simple)", {{"basic", {{"realm", "simple"}}}}},
        {R"(Basic realm="a", Bearer realm="https://t/token", service=reg)",
         {{"basic", {{"realm", "a"}}},
          {"bearer", {{"realm", "https://t/token"}, {"service", "reg"}}}}},
        {R"(Bearer realm = "r" , scope="a,b")", {{"bearer", {{"realm", "r"}, {"scope", "a,b"}}}}},
        {R"(Bearer realm="say \"hi\" \\ now")", {{"bearer", {{"realm", R"(say "hi" \ now)"}}}}},
        {"Negotiate", {{"negotiate", {}}}},
        {"Negotiate dXNlcjpwYXNz==, Basic realm=x",
         {{"negotiate", {}}, {"basic", {{"realm", "x"}}}}},
        {"Basic abc=", {{"basic", {}}}},
        {"", {}},
        {"  ,, ", {}},
        {R"(Bearer realm="unterminated)", {{"bearer", {{"realm", "unterminated"}}}}},
        {R"(Bearer error="invalid_token", realm="r")",
         {{"bearer", {{"error", "invalid_token"}, {"realm", "r"}}}}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.header);
        auto got = parse_challenges(c.header);
        REQUIRE(got.size() == c.want.size());
        for (size_t i = 0; i < got.size(); ++i) {
            CHECK(got[i].scheme == c.want[i].scheme);
            CHECK(got[i].params == c.want[i].params);
        }
    }

    // garbage must end, without a crash, whatever it gives
    for (const char* junk : {"=", "\"", "\\", "=\"x", "Bearer =", "Bearer ,=,\"", "Bearer realm=",
                             "Bearer realm=\"\\", "@@@ ###", ",Bearer", "Bearer a=b c d=e=f"}) {
        CAPTURE(junk);
        CHECK_NOTHROW(parse_challenges(junk));
    }
}

TEST_CASE("auth: token responses parse") {
    using std::chrono::seconds;
    struct Case {
        const char* body;
        const char* token;
        seconds lifetime;
    };
    const Case cases[] = {
        {R"({"token": "t1", "expires_in": 300, "issued_at": "2024-01-01T00:00:00Z"})", "t1",
         seconds(300)},
        {R"({"access_token": "t2", "expires_in": 120})", "t2", seconds(120)},
        {R"({"token": "t3", "access_token": "other"})", "t3", seconds(60)},
        {R"({"token": "", "access_token": "t4"})", "t4", seconds(60)},
        {R"({"token": "t5", "expires_in": 10})", "t5", seconds(60)},
        {R"({"token": "t6", "expires_in": "300"})", "t6", seconds(60)},
    };
    for (const Case& c : cases) {
        CAPTURE(c.body);
        auto [token, lifetime] = parse_token_response(c.body);
        CHECK(token == c.token);
        CHECK(lifetime == c.lifetime);
    }
    CHECK(error_of([] { parse_token_response("<html>"); }) == "token server answer: not JSON");
    CHECK(error_of([] { parse_token_response("[]"); }) == "token server answer: not a JSON object");
    CHECK(error_of([] { parse_token_response(R"({"expires_in": 5})"); }) ==
          "token server answer: no \"token\" or \"access_token\"");
}

TEST_CASE("auth: the token cache keeps tokens for their lifetime") {
    TokenCache cache;
    CHECK(cache.get("k") == std::nullopt);
    cache.put("k", "tok", std::chrono::seconds(300));
    CHECK(cache.get("k") == std::optional<std::string>("tok"));
    CHECK(cache.get("other") == std::nullopt);
    cache.put("k", "newer", std::chrono::seconds(60));
    CHECK(cache.get("k") == std::optional<std::string>("newer"));
    cache.put("k", "gone", std::chrono::seconds(0));
    CHECK(cache.get("k") == std::nullopt);
}

TEST_SUITE_END();
