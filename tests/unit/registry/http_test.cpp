#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "registry/http.hpp"
#include "support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>

using namespace burrow;
using namespace burrow::registry;
using namespace std::chrono_literals;

namespace {

// What the test server received.
struct Seen {
    std::string method, path, body;
    std::map<std::string, std::string> headers; // names in lower case
};

// What it answers.
struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool reset = false;    // close with a TCP reset instead of answering
    bool truncate = false; // announce 100 bytes more than the body has, then close
};

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A minimal HTTP/1.1 server on 127.0.0.1: one connection at a time, one request per connection
// (it answers with Connection: close), bodies by Content-Length only.
class TestServer {
public:
    using Handler = std::function<Reply(const Seen&)>;

    explicit TestServer(Handler handler) : handler_(std::move(handler)) {
        listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        REQUIRE(listener_);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listener_.get(), 16) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;
    ~TestServer() {
        // wakes the blocked accept()
        ::shutdown(listener_.get(), SHUT_RDWR);
        thread_.join();
    }

    std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
        return "http://" + host + ":" + std::to_string(port_) + path;
    }
    std::vector<Seen> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    void serve() {
        for (;;) {
            UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (!conn)
                return;
            handle(conn.get());
        }
    }

    void handle(int fd) {
        std::string in;
        char buf[4096];
        size_t end;
        while ((end = in.find("\r\n\r\n")) == std::string::npos) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0)
                return;
            in.append(buf, static_cast<size_t>(n));
        }
        Seen seen;
        size_t line_end = in.find("\r\n");
        std::string request_line = in.substr(0, line_end);
        seen.method = request_line.substr(0, request_line.find(' '));
        size_t path_start = seen.method.size() + 1;
        seen.path = request_line.substr(path_start, request_line.rfind(' ') - path_start);
        for (size_t pos = line_end + 2; pos < end;) {
            size_t next = in.find("\r\n", pos);
            std::string line = in.substr(pos, next - pos);
            size_t colon = line.find(':');
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            seen.headers[lower(line.substr(0, colon))] = value;
            pos = next + 2;
        }
        seen.body = in.substr(end + 4);
        size_t length =
            seen.headers.count("content-length") ? std::stoul(seen.headers["content-length"]) : 0;
        while (seen.body.size() < length) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0)
                break;
            seen.body.append(buf, static_cast<size_t>(n));
        }
        {
            std::lock_guard lock(mutex_);
            seen_.push_back(seen);
        }
        Reply reply = handler_(seen);
        if (reply.reset) {
            linger l{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            return;
        }
        std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Whatever\r\n";
        for (const auto& [name, value] : reply.headers)
            out += name + ": " + value + "\r\n";
        size_t announced = reply.body.size() + (reply.truncate ? 100 : 0);
        out += "Content-Length: " + std::to_string(announced) + "\r\nConnection: close\r\n\r\n";
        if (seen.method != "HEAD")
            out += reply.body;
        ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    }

    Handler handler_;
    UniqueFd listener_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<Seen> seen_;
};

// A port on 127.0.0.1 where nothing listens.
int closed_port() {
    UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(s.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    return ntohs(addr.sin_port);
}

Request get(const std::string& url) {
    Request req;
    req.url = url;
    return req;
}

} // namespace

TEST_SUITE_BEGIN("registry/http");

TEST_CASE("http: GET returns status, headers and body") {
    TestServer server([](const Seen&) {
        return Reply{200,
                     {{"Docker-Content-Digest", "sha256:abc"}, {"Content-Type", "text/plain"}},
                     "hello"};
    });
    HttpClient http;
    http.set_user_agent("burrow/test");
    Request req = get(server.url("/v2/"));
    req.headers = {{"Accept", "application/json"}};
    Response r = http.perform(req);
    CHECK(r.status == 200);
    CHECK(r.body == "hello");
    CHECK(r.header("docker-content-digest") == "sha256:abc");
    CHECK(r.header("content-type") == "text/plain");
    CHECK_FALSE(r.header("x-missing"));
    CHECK(r.final_url == server.url("/v2/"));
    auto seen = server.seen();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].method == "GET");
    CHECK(seen[0].path == "/v2/");
    CHECK(seen[0].headers["accept"] == "application/json");
    CHECK(seen[0].headers["user-agent"] == "burrow/test");
}

TEST_CASE("http: HEAD reads headers without a body") {
    TestServer server([](const Seen&) { return Reply{200, {}, "12345"}; });
    HttpClient http;
    Request req = get(server.url("/v2/x/blobs/sha256:1"));
    req.method = "HEAD";
    Response r = http.perform(req);
    CHECK(r.status == 200);
    CHECK(r.body.empty());
    CHECK(r.header("content-length") == "5");
    CHECK(server.seen().at(0).method == "HEAD");
}

TEST_CASE("http: PUT sends a body from a file descriptor, from its offset") {
    test::TempDir dir;
    dir.write("blob", "0123456789");
    UniqueFd fd(::open((dir / "blob").c_str(), O_RDONLY | O_CLOEXEC));
    REQUIRE(fd);
    REQUIRE(::lseek(fd.get(), 2, SEEK_SET) == 2);
    TestServer server([](const Seen&) { return Reply{201, {}, ""}; });
    HttpClient http;

    Request req = get(server.url("/upload"));
    req.method = "PUT";
    req.body_fd = fd.get();
    req.body_length = 5;
    CHECK(http.perform(req).status == 201);

    req.body_length = -1;
    CHECK(http.perform(req).status == 201);

    Request empty = get(server.url("/empty"));
    empty.method = "PUT";
    CHECK(http.perform(empty).status == 201);

    auto seen = server.seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].method == "PUT");
    CHECK(seen[0].headers["content-length"] == "5");
    CHECK(seen[0].body == "23456");
    CHECK(seen[1].headers["content-length"] == "8");
    CHECK(seen[1].body == "23456789");
    CHECK(seen[2].headers["content-length"] == "0");
    CHECK_FALSE(seen[0].headers.count("expect"));
}

TEST_CASE("http: POST and PATCH send a body from memory") {
    TestServer server([](const Seen&) { return Reply{202, {}, ""}; });
    HttpClient http;
    for (const char* method : {"POST", "PATCH"}) {
        Request req = get(server.url("/up"));
        req.method = method;
        req.body = "chunk";
        CHECK(http.perform(req).status == 202);
    }
    auto seen = server.seen();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].body == "chunk");
    CHECK(seen[1].method == "PATCH");
    CHECK(seen[1].body == "chunk");
}

TEST_CASE("http: a redirect to another host drops Authorization, one to the same host keeps "
          "it") {
    TestServer server([](const Seen& s) {
        const std::string& host = s.headers.at("host");
        if (s.path == "/cross")
            return Reply{307,
                         {{"Location", "http://localhost" + host.substr(host.rfind(':')) + "/b"}}};
        if (s.path == "/same")
            return Reply{302, {{"Location", "/b?signed=1"}}, "moved"};
        if (s.path == "/dir/rel")
            return Reply{301, {{"Location", "../b"}}};
        return Reply{200, {}, "blob"};
    });
    HttpClient http;
    auto fetch = [&](const std::string& path) {
        Request req = get(server.url(path));
        req.headers = {{"Authorization", "Bearer secret"}};
        return http.perform(req);
    };

    Response cross = fetch("/cross");
    CHECK(cross.status == 200);
    CHECK(cross.body == "blob");
    CHECK(cross.final_url == server.url("/b", "localhost"));
    Response same = fetch("/same");
    CHECK(same.body == "blob");
    CHECK(same.final_url == server.url("/b?signed=1"));
    Response rel = fetch("/dir/rel");
    CHECK(rel.final_url == server.url("/b"));

    auto seen = server.seen();
    REQUIRE(seen.size() == 6);
    CHECK(seen[0].headers["authorization"] == "Bearer secret");
    CHECK(seen[1].path == "/b");
    CHECK_FALSE(seen[1].headers.count("authorization"));
    CHECK(seen[3].path == "/b?signed=1");
    CHECK(seen[3].headers["authorization"] == "Bearer secret");
    CHECK(seen[5].path == "/b");
    CHECK(seen[5].headers["authorization"] == "Bearer secret");
}

TEST_CASE("http: 307 keeps the method and body, 303 continues as GET") {
    TestServer server([](const Seen& s) {
        if (s.path == "/307")
            return Reply{307, {{"Location", "/target"}}};
        if (s.path == "/303")
            return Reply{303, {{"Location", "/target"}}};
        return Reply{201, {}, ""};
    });
    HttpClient http;
    Request req = get(server.url("/307"));
    req.method = "PUT";
    req.body = "payload";
    CHECK(http.perform(req).status == 201);
    req.url = server.url("/303");
    CHECK(http.perform(req).status == 201);

    auto seen = server.seen();
    REQUIRE(seen.size() == 4);
    CHECK(seen[1].method == "PUT");
    CHECK(seen[1].path == "/target");
    CHECK(seen[1].body == "payload");
    CHECK(seen[3].method == "GET");
    CHECK(seen[3].body.empty());
}

TEST_CASE("http: redirects are not followed when asked, nor forever") {
    TestServer server([](const Seen&) { return Reply{302, {{"Location", "/loop"}}, "here"}; });
    HttpClient http;
    Request req = get(server.url("/loop"));
    req.follow_redirects = false;
    Response r = http.perform(req);
    CHECK(r.status == 302);
    CHECK(r.header("location") == "/loop");
    CHECK(r.body == "here");

    req.follow_redirects = true;
    CHECK(test::error_of([&] { http.perform(req); }) ==
          "GET " + server.url("/loop") + ": more than 10 redirects");
    CHECK(server.seen().size() == 12);
}

TEST_CASE("http: every WWW-Authenticate value is kept") {
    TestServer server([](const Seen&) {
        return Reply{401,
                     {{"WWW-Authenticate", "Bearer realm=\"https://auth/token\",service=\"r\""},
                      {"Www-Authenticate", "Basic realm=\"r\""}},
                     "{\"errors\":[]}"};
    });
    HttpClient http;
    Request req = get(server.url("/v2/"));
    bool called = false;
    req.on_data = [&called](const char*, size_t) { return called = true; };
    Response r = http.perform(req);
    CHECK(r.status == 401);
    REQUIRE(r.www_authenticate.size() == 2);
    CHECK(r.www_authenticate[0] == "Bearer realm=\"https://auth/token\",service=\"r\"");
    CHECK(r.www_authenticate[1] == "Basic realm=\"r\"");
    // an error document goes to the response, never to the body's receiver
    CHECK_FALSE(called);
    CHECK(r.body == "{\"errors\":[]}");
}

TEST_CASE("http: transport failures are one Error naming the request") {
    HttpClient http;
    std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v2/";
    std::string msg = test::error_of([&] { http.perform(get(url)); });
    CHECK(msg == "GET " + url + ": Couldn't connect to server");

    TestServer server([](const Seen& s) {
        Reply r{200, {}, "partial"};
        r.reset = s.path == "/reset";
        r.truncate = s.path == "/truncated";
        return r;
    });
    CHECK(test::error_of([&] {
              http.perform(get(server.url("/reset")));
          }).starts_with("GET " + server.url("/reset") + ": "));
    CHECK(test::error_of([&] {
              http.perform(get(server.url("/truncated")));
          }).starts_with("GET " + server.url("/truncated") + ": "));
}

TEST_CASE("http: on_data receives the body and can stop the transfer") {
    TestServer server([](const Seen&) { return Reply{200, {}, std::string(10000, 'x')}; });
    HttpClient http;
    Request req = get(server.url("/blob"));
    std::string got;
    req.on_data = [&got](const char* data, size_t len) {
        got.append(data, len);
        return true;
    };
    Response r = http.perform(req);
    CHECK(r.body.empty());
    CHECK(got == std::string(10000, 'x'));

    req.on_data = [](const char*, size_t) { return false; };
    CHECK(test::error_of([&] { http.perform(req); }) ==
          "GET " + server.url("/blob") + ": the transfer was stopped by its receiver");

    req.on_data = [](const char*, size_t) -> bool { throw Error("digest mismatch"); };
    CHECK(test::error_of([&] { http.perform(req); }) == "digest mismatch");
}

TEST_CASE("http: perform_all returns every result in its slot") {
    TestServer server([](const Seen& s) {
        if (s.path == "/moved")
            return Reply{307, {{"Location", "/n/moved"}}};
        return Reply{200, {}, "body" + s.path};
    });
    HttpClient http;
    std::vector<Request> reqs;
    for (int i = 0; i < 5; ++i)
        reqs.push_back(get(server.url("/n/" + std::to_string(i))));
    std::string refused = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
    reqs.push_back(get(refused));
    reqs.push_back(get(server.url("/moved")));

    auto out = http.perform_all(reqs, 2);
    REQUIRE(out.size() == 7);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(out[i].response);
        CHECK(out[i].error.empty());
        CHECK(out[i].response->body == "body/n/" + std::to_string(i));
    }
    CHECK_FALSE(out[5].response);
    CHECK(out[5].error.starts_with("GET " + refused + ": "));
    REQUIRE(out[6].response);
    CHECK(out[6].response->body == "body/n/moved");
    CHECK(out[6].response->final_url == server.url("/n/moved"));
    CHECK(http.perform_all({}, 2).empty());
}

TEST_CASE("http: retry delays grow and honour Retry-After") {
    CHECK(is_retryable_status(500));
    CHECK(is_retryable_status(503));
    CHECK(is_retryable_status(429));
    CHECK(is_retryable_status(408));
    CHECK_FALSE(is_retryable_status(404));
    CHECK_FALSE(is_retryable_status(401));
    CHECK_FALSE(is_retryable_status(200));

    CHECK(retry_delay(1) == 200ms);
    CHECK(retry_delay(2) == 400ms);
    CHECK(retry_delay(3) == 800ms);
    CHECK(retry_delay(5) == 3200ms);
    CHECK(retry_delay(6) == 5000ms);
    CHECK(retry_delay(100) == 5000ms);
    CHECK(retry_delay(0) == 200ms);

    Response r;
    r.status = 429;
    r.headers["retry-after"] = "3";
    CHECK(retry_delay(1, &r) == 3000ms);
    r.headers["retry-after"] = "120";
    CHECK(retry_delay(1, &r) == 30000ms);
    r.headers["retry-after"] = "Wed, 21 Oct 2015 07:28:00 GMT";
    CHECK(retry_delay(2, &r) == 400ms);
    r.headers.clear();
    CHECK(retry_delay(2, &r) == 400ms);
}

TEST_CASE("http: a certs.d folder's CA files extend the system bundle") {
    test::TempDir dir;
    dir.write("system.pem", "SYSTEM\n");
    std::filesystem::create_directory(dir / "certs.d");
    dir.write("certs.d/b.crt", "B-CA");
    dir.write("certs.d/a.crt", "A-CA\n");
    dir.write("certs.d/client.cert", "CLIENT");
    dir.write("certs.d/client.key", "KEY");

    CHECK(ca_bundle_for(dir / "certs.d", dir / "system.pem") == "SYSTEM\nA-CA\nB-CA\n");
    CHECK(ca_bundle_for(dir / "certs.d", dir / "missing.pem") == "A-CA\nB-CA\n");
    CHECK(ca_bundle_for(dir / "missing.d", dir / "system.pem") == "SYSTEM\n");
    CHECK(ca_bundle_for(dir / "certs.d", "") == "A-CA\nB-CA\n");
}

TEST_SUITE_END();
