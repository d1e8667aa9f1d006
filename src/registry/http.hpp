#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

// HTTP for the registry client, over libcurl opened with dlopen (linking it would cost every
// burrow command its loading time; see core/dynlib.hpp).
namespace burrow::registry {

// TLS settings for one registry host.
struct TlsOptions {
    bool verify = true;           // false: --tls-verify=false or an insecure registry
    std::string ca_dir;           // a folder of *.crt CA files (certs.d/HOST:PORT), "" for none
    std::string client_cert_file; // *.cert, "" for none
    std::string client_key_file;  // *.key
};

struct Request {
    std::string method = "GET"; // GET, HEAD, PUT, POST, PATCH, DELETE
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    // Body to send: either in memory or read from a file descriptor (from its offset, up to
    // body_length bytes; -1: to its end).
    std::string body;
    int body_fd = -1;
    int64_t body_length = -1;
    // Receives a 2xx response's body as it arrives; when unset, the body is kept in
    // Response::body. The body of any other status (a 401 before authenticating, an error
    // document) is always kept in Response::body, so a blob writer never sees it. Returning false
    // aborts the transfer (an Error is thrown); an exception thrown here reaches the caller.
    std::function<bool(const char* data, size_t len)> on_data;
    // Follow redirects (301, 302, 303, 307, 308 with Location; at most 10, http and https
    // only). Authorization is sent only to the request's own origin (scheme, host, port): a
    // redirect to blob storage on another host goes without it. 303, and 301/302 after a POST,
    // continue as GET without the body; 307 and 308 keep the method and the body (a body_fd must
    // then be seekable).
    bool follow_redirects = true;
    std::chrono::seconds timeout{0}; // 0: none; stall detection still applies
};

struct Response {
    long status = 0;
    // Header names in lower case; the last value of a repeated header.
    std::map<std::string, std::string> headers;
    std::vector<std::string> www_authenticate; // every WWW-Authenticate value
    std::string body;                          // unless Request::on_data took it
    std::string final_url;                     // after redirects

    std::optional<std::string> header(const std::string& lower_name) const;
};

// One connection pool for the process (a CURLSH share of connections, DNS and TLS sessions).
// Use it from one thread at a time: libcurl's shared connection cache is not safe across
// concurrent threads; perform_all is the way to run transfers in parallel. Constructing it
// loads libcurl (registry/libcurl.hpp).
class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // TLS settings per host ("host:port" as in the URL, or "host" for the default port; a URL
    // with a port uses "host" when "host:port" has none).
    void set_tls(const std::string& host, TlsOptions tls);
    // Sent with every request; "burrow" until set.
    void set_user_agent(std::string user_agent);

    // Performs one request. Throws Error for transport failures ("GET https://h/v2/: Couldn't
    // connect to server"), never for HTTP status codes, which the caller reads.
    Response perform(const Request& req);

    // Performs several requests at once (curl multi), at most `parallel` at a time; each result
    // is in the same position. A transport failure of one is an Error stored in its slot.
    struct Outcome {
        std::optional<Response> response;
        std::string error; // "" when response is set
    };
    std::vector<Outcome> perform_all(const std::vector<Request>& reqs, int parallel);

private:
    struct Impl;
    Impl* impl_;
};

// Whether a failure is worth another try: transport errors (reset, refused, timeout), 5xx,
// 429, 408. `attempt` counts from 1; the delay grows exponentially from 200 ms up to 5 s, or is
// what Retry-After says (seconds), at most 30 s.
bool is_retryable_status(long status);
std::chrono::milliseconds retry_delay(int attempt, const Response* response = nullptr);

// The CA certificates to trust for a host with a certs.d folder: the system bundle's, then each
// *.crt file of ca_dir in name order, as one PEM text. curl's CAPATH wants hashed file names that
// certs.d folders do not have, so the files go to curl as one in-memory bundle. A missing
// system_bundle or ca_dir adds nothing; an unreadable *.crt file throws Error.
std::string ca_bundle_for(const std::string& ca_dir, const std::string& system_bundle);

} // namespace burrow::registry
