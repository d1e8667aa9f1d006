#include "registry/http.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "registry/libcurl.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace burrow::registry {

namespace {

constexpr int kMaxRedirects = 10;
constexpr long kConnectTimeoutSeconds = 30;
// A transfer that moves less than a byte a second for a minute is dead; a total timeout would
// instead cut off a large layer on a slow but working link.
constexpr long kStallSeconds = 60;
// The system's trusted CAs, which a certs.d bundle extends rather than replaces: Debian and
// Ubuntu (also Alpine and Arch), Fedora and RHEL, openSUSE.
constexpr const char* kSystemBundles[] = {"/etc/ssl/certs/ca-certificates.crt",
                                          "/etc/pki/tls/certs/ca-bundle.crt",
                                          "/etc/ssl/ca-bundle.pem"};

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// For messages: the query of a signed blob-storage URL is long and works as a credential for a
// while.
std::string without_query(const std::string& url) {
    return url.substr(0, url.find('?'));
}

// curl's detailed message for a failed transfer, without the "Failed to connect to HOST port
// PORT after N ms: " that repeats the URL the caller already names.
std::string failure_message(CURLcode rc, const char* errbuf) {
    std::string_view msg = errbuf[0] ? errbuf : curl_api().curl_easy_strerror(rc);
    if (msg.starts_with("Failed to connect to ")) {
        if (size_t after = msg.find(" ms: "); after != std::string_view::npos)
            msg.remove_prefix(after + 5);
    }
    return std::string(msg);
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

struct EasyDeleter {
    void operator()(CURL* e) const { curl_api().curl_easy_cleanup(e); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_api().curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_api().curl_url_cleanup(u); }
};
using Url = std::unique_ptr<CURLU, UrlDeleter>;

Url parse_url(const std::string& url) {
    Url u(curl_api().curl_url());
    if (!u)
        throw Error("curl_url: out of memory");
    if (curl_api().curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        throw Error("invalid URL " + without_query(url));
    return u;
}

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
    char* out = nullptr;
    if (curl_api().curl_url_get(u, part, &out, flags) != CURLUE_OK)
        return "";
    std::string s(out);
    curl_api().curl_free(out);
    return s;
}

// Where a URL goes: its scheme, host and port (the default port when it names none), and the
// port as written, "" when it names none.
struct Target {
    std::string scheme, host, port, written_port;
    std::string origin() const { return scheme + "://" + host + ":" + port; }
};

Target target_of(const std::string& url) {
    Url u = parse_url(url);
    return {
        to_lower(url_part(u.get(), CURLUPART_SCHEME)), to_lower(url_part(u.get(), CURLUPART_HOST)),
        url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT), url_part(u.get(), CURLUPART_PORT)};
}

// A Location header resolved against the URL that answered with it.
std::string resolve(const std::string& base, const std::string& location) {
    Url u = parse_url(base);
    if (curl_api().curl_url_set(u.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK)
        throw Error("invalid redirect to " + without_query(location));
    return url_part(u.get(), CURLUPART_URL);
}

// What the transfers of one HttpClient share. Used from one thread at a time: libcurl's shared
// connection cache is not safe across concurrent threads.
struct Pool {
    CURLSH* share = nullptr;
    std::map<std::string, TlsOptions> tls;
    std::map<std::string, std::string> ca_bundles; // by ca_dir
    std::string user_agent = "burrow";

    Pool() {
        const CurlApi& api = curl_api();
        share = api.curl_share_init();
        if (!share)
            throw Error("curl_share_init: out of memory");
        for (curl_lock_data data :
             {CURL_LOCK_DATA_CONNECT, CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION}) {
            if (CURLSHcode rc = api.curl_share_setopt(share, CURLSHOPT_SHARE, data);
                rc != CURLSHE_OK) {
                api.curl_share_cleanup(share);
                throw Error(std::string("curl_share_setopt: ") + api.curl_share_strerror(rc));
            }
        }
    }
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;
    ~Pool() { curl_api().curl_share_cleanup(share); }

    TlsOptions tls_for(const Target& t) const {
        if (!t.written_port.empty()) {
            if (auto it = tls.find(t.host + ":" + t.written_port); it != tls.end())
                return it->second;
        }
        auto it = tls.find(t.host);
        return it == tls.end() ? TlsOptions{} : it->second;
    }

    const std::string& ca_bundle(const std::string& ca_dir) {
        auto it = ca_bundles.find(ca_dir);
        if (it != ca_bundles.end())
            return it->second;
        std::string system_bundle;
        for (const char* path : kSystemBundles) {
            if (path_exists(path)) {
                system_bundle = path;
                break;
            }
        }
        return ca_bundles.emplace(ca_dir, ca_bundle_for(ca_dir, system_bundle)).first->second;
    }
};

// The request body as curl pulls it: from memory or from a file descriptor. It can start over
// (for a redirect, or when curl resends on a fresh connection) unless it comes from a pipe.
struct Body {
    std::string_view memory;
    int fd = -1;
    off_t start = 0;
    int64_t length = -1; // -1: unknown, sent chunked
    bool seekable = true;
    int64_t pos = 0;
    std::exception_ptr error;

    explicit Body(const Request& req) {
        if (req.body_fd < 0) {
            memory = req.body;
            length = static_cast<int64_t>(memory.size());
            return;
        }
        fd = req.body_fd;
        start = ::lseek(fd, 0, SEEK_CUR);
        if (start < 0) {
            if (errno != ESPIPE)
                throw SysError("lseek", "request body");
            seekable = false;
            start = 0;
        }
        length = req.body_length;
        struct stat st {};
        if (length < 0 && seekable && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
            length = std::max<int64_t>(0, st.st_size - start);
    }

    size_t read(char* buf, size_t n) {
        if (length >= 0)
            n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), length - pos));
        if (n == 0)
            return 0;
        if (fd < 0) {
            std::memcpy(buf, memory.data() + pos, n);
            pos += static_cast<int64_t>(n);
            return n;
        }
        ssize_t got;
        do
            got = seekable ? ::pread(fd, buf, n, start + pos) : ::read(fd, buf, n);
        while (got < 0 && errno == EINTR);
        if (got < 0) {
            error = std::make_exception_ptr(SysError("read", "request body"));
            return CURL_READFUNC_ABORT;
        }
        if (got == 0 && length >= 0) {
            error = std::make_exception_ptr(Error("request body: the file ended " +
                                                  std::to_string(length - pos) +
                                                  " bytes before its announced length"));
            return CURL_READFUNC_ABORT;
        }
        pos += got;
        return static_cast<size_t>(got);
    }

    int seek(curl_off_t offset, int origin) {
        if (!seekable || origin != SEEK_SET || offset < 0 || (length >= 0 && offset > length))
            return CURL_SEEKFUNC_CANTSEEK;
        pos = offset;
        return CURL_SEEKFUNC_OK;
    }
};

// One request from its first URL through its redirects, each hop one run of an easy handle.
class Transfer {
public:
    Transfer(Pool& pool, const Request& req)
        : pool_(pool), req_(req), method_(req.method), url_(req.url),
          origin_(target_of(req.url).origin()), body_(req) {
        std::transform(method_.begin(), method_.end(), method_.begin(), ::toupper);
        send_body_ = method_ == "PUT" || method_ == "POST" || method_ == "PATCH" ||
                     (method_ == "DELETE" && (req.body_fd >= 0 || !req.body.empty()));
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    // The handle, set up for the next hop.
    CURL* prepare() {
        const CurlApi& api = curl_api();
        if (!easy_) {
            easy_.reset(api.curl_easy_init());
            if (!easy_)
                throw Error(what() + ": curl_easy_init: out of memory");
        } else {
            api.curl_easy_reset(easy_.get());
        }
        response_ = Response{};
        response_.final_url = url_;
        errbuf_[0] = '\0';
        stopped_ = false;
        callback_error_ = nullptr;
        body_.pos = 0;

        set(CURLOPT_URL, url_.c_str());
        set(CURLOPT_ERRORBUFFER, errbuf_);
        // Ctrl-C is burrow's to handle; libcurl would otherwise use SIGALRM for DNS timeouts.
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_SHARE, pool_.share);
        set(CURLOPT_USERAGENT, pool_.user_agent.c_str());
        // Redirects are followed here, to keep Authorization from other hosts.
        set(CURLOPT_FOLLOWLOCATION, 0L);
        api.curl_easy_setopt(easy_.get(), CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
        set(CURLOPT_LOW_SPEED_LIMIT, 1L);
        set(CURLOPT_LOW_SPEED_TIME, kStallSeconds);
        if (req_.timeout.count() > 0)
            set(CURLOPT_TIMEOUT, static_cast<long>(req_.timeout.count()));
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        set(CURLOPT_HEADERFUNCTION, &Transfer::on_header);
        set(CURLOPT_HEADERDATA, this);
        set(CURLOPT_WRITEFUNCTION, &Transfer::on_write);
        set(CURLOPT_WRITEDATA, this);
        set_method();
        set_headers();
        set_tls();
        return easy_.get();
    }

    // Called when curl has finished the hop with rc. Throws Error for a transport failure;
    // true when there is a redirect to follow: prepare() and run the handle again.
    bool finish(CURLcode rc) {
        if (callback_error_)
            std::rethrow_exception(callback_error_);
        if (body_.error)
            std::rethrow_exception(body_.error);
        if (stopped_)
            throw Error(what() + ": the transfer was stopped by its receiver");
        if (rc != CURLE_OK)
            throw Error(what() + ": " + failure_message(rc, errbuf_));
        curl_api().curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &response_.status);
        std::optional<std::string> location = response_.header("location");
        if (!req_.follow_redirects || !is_redirect(response_.status) || !location ||
            location->empty())
            return false;
        if (++redirects_ > kMaxRedirects)
            throw Error(what() + ": more than " + std::to_string(kMaxRedirects) + " redirects");
        std::string next = resolve(url_, *location);
        Target t = target_of(next);
        if (t.scheme != "http" && t.scheme != "https")
            throw Error(what() + ": redirect to " + without_query(next) + " is not http(s)");
        if (response_.status == 303 ||
            ((response_.status == 301 || response_.status == 302) && method_ == "POST")) {
            if (method_ != "HEAD")
                method_ = "GET";
            send_body_ = false;
        } else if (send_body_ && !body_.seekable && body_.pos > 0) {
            throw Error(what() + ": cannot send the body from a pipe again for a redirect to " +
                        without_query(next));
        }
        send_auth_ = t.origin() == origin_;
        url_ = std::move(next);
        return true;
    }

    Response take() { return std::move(response_); }

private:
    std::string what() const { return method_ + " " + without_query(url_); }

    template <class T> void set(CURLoption option, T value) {
        if (CURLcode rc = curl_api().curl_easy_setopt(easy_.get(), option, value); rc != CURLE_OK)
            throw Error(what() + ": curl_easy_setopt: " + curl_api().curl_easy_strerror(rc));
    }

    void set_method() {
        if (method_ == "HEAD") {
            set(CURLOPT_NOBODY, 1L);
            return;
        }
        if (method_ == "GET") {
            set(CURLOPT_HTTPGET, 1L);
            return;
        }
        if (!send_body_) {
            set(CURLOPT_CUSTOMREQUEST, method_.c_str());
            return;
        }
        set(CURLOPT_READFUNCTION, &Transfer::on_read);
        set(CURLOPT_READDATA, this);
        set(CURLOPT_SEEKFUNCTION, &Transfer::on_seek);
        set(CURLOPT_SEEKDATA, this);
        if (method_ == "POST") {
            set(CURLOPT_POST, 1L);
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.length));
            return;
        }
        set(CURLOPT_UPLOAD, 1L);
        set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_.length));
        if (method_ != "PUT")
            set(CURLOPT_CUSTOMREQUEST, method_.c_str());
    }

    void set_headers() {
        auto add = [this](const std::string& line) {
            curl_slist* head = curl_api().curl_slist_append(headers_.get(), line.c_str());
            if (!head)
                throw Error(what() + ": curl_slist_append: out of memory");
            (void)headers_.release();
            headers_.reset(head);
        };
        headers_.reset();
        for (const auto& [name, value] : req_.headers) {
            if (!send_auth_ && to_lower(name) == "authorization")
                continue;
            // "Name;" is how curl is told to send a header with an empty value
            add(value.empty() ? name + ";" : name + ": " + value);
        }
        // Waiting up to a second for a 100 Continue before each upload, which some servers and
        // proxies never send, costs more than learning early of the rare rejected upload.
        add("Expect:");
        set(CURLOPT_HTTPHEADER, headers_.get());
    }

    void set_tls() {
        Target t = target_of(url_);
        if (t.scheme != "https")
            return;
        TlsOptions tls = pool_.tls_for(t);
        if (!tls.verify) {
            set(CURLOPT_SSL_VERIFYPEER, 0L);
            set(CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (!tls.ca_dir.empty()) {
            const std::string& bundle = pool_.ca_bundle(tls.ca_dir);
            if (!bundle.empty()) {
                curl_blob blob{const_cast<char*>(bundle.data()), bundle.size(), CURL_BLOB_COPY};
                set(CURLOPT_CAINFO_BLOB, &blob);
            }
        }
        if (!tls.client_cert_file.empty())
            set(CURLOPT_SSLCERT, tls.client_cert_file.c_str());
        if (!tls.client_key_file.empty())
            set(CURLOPT_SSLKEY, tls.client_key_file.c_str());
    }

    // The C callbacks below never let an exception through libcurl: it is kept and rethrown
    // by finish().

    static size_t on_header(char* data, size_t size, size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        std::string_view line(data, size * n);
        try {
            // Each response (a 1xx before the final one) starts with its status line.
            if (line.starts_with("HTTP/")) {
                t->response_.headers.clear();
                t->response_.www_authenticate.clear();
                return line.size();
            }
            size_t colon = line.find(':');
            if (colon == std::string_view::npos)
                return line.size();
            std::string name = to_lower(trim(line.substr(0, colon)));
            std::string value(trim(line.substr(colon + 1)));
            if (name == "www-authenticate")
                t->response_.www_authenticate.push_back(value);
            t->response_.headers[name] = std::move(value);
            return line.size();
        } catch (...) {
            t->callback_error_ = std::current_exception();
            return 0;
        }
    }

    static size_t on_write(char* data, size_t size, size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        size_t len = size * n;
        try {
            long status = 0;
            curl_api().curl_easy_getinfo(t->easy_.get(), CURLINFO_RESPONSE_CODE, &status);
            if (t->req_.follow_redirects && is_redirect(status) &&
                t->response_.headers.count("location"))
                return len;
            if (t->req_.on_data && status >= 200 && status < 300) {
                if (!t->req_.on_data(data, len)) {
                    t->stopped_ = true;
                    return 0;
                }
                return len;
            }
            t->response_.body.append(data, len);
            return len;
        } catch (...) {
            t->callback_error_ = std::current_exception();
            return 0;
        }
    }

    static size_t on_read(char* buf, size_t size, size_t n, void* self) {
        return static_cast<Transfer*>(self)->body_.read(buf, size * n);
    }

    static int on_seek(void* self, curl_off_t offset, int origin) {
        return static_cast<Transfer*>(self)->body_.seek(offset, origin);
    }

    Pool& pool_;
    const Request& req_;
    std::string method_;
    std::string url_;
    std::string origin_; // of the first URL: Authorization goes there only
    bool send_body_ = false;
    bool send_auth_ = true;
    int redirects_ = 0;
    Body body_;
    Easy easy_;
    Slist headers_;
    char errbuf_[CURL_ERROR_SIZE] = {};
    std::exception_ptr callback_error_;
    bool stopped_ = false;
    Response response_;
};

// A multi handle with the easy handles added to it, removed again when it goes away: an easy
// handle must leave its multi before either is cleaned up.
class Multi {
public:
    Multi() : m_(curl_api().curl_multi_init()) {
        if (!m_)
            throw Error("curl_multi_init: out of memory");
    }
    Multi(const Multi&) = delete;
    Multi& operator=(const Multi&) = delete;
    ~Multi() {
        for (CURL* e : added_)
            curl_api().curl_multi_remove_handle(m_, e);
        curl_api().curl_multi_cleanup(m_);
    }

    void add(CURL* e) {
        check("curl_multi_add_handle", curl_api().curl_multi_add_handle(m_, e));
        added_.push_back(e);
    }
    void remove(CURL* e) {
        curl_api().curl_multi_remove_handle(m_, e);
        added_.erase(std::find(added_.begin(), added_.end(), e));
    }
    size_t size() const { return added_.size(); }
    CURLM* get() const { return m_; }

    static void check(const char* call, CURLMcode rc) {
        if (rc != CURLM_OK)
            throw Error(std::string(call) + ": " + curl_api().curl_multi_strerror(rc));
    }

private:
    CURLM* m_;
    std::vector<CURL*> added_;
};

} // namespace

std::optional<std::string> Response::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

struct HttpClient::Impl {
    Pool pool;
};

HttpClient::HttpClient() : impl_(new Impl) {}

HttpClient::~HttpClient() {
    delete impl_;
}

void HttpClient::set_tls(const std::string& host, TlsOptions tls) {
    impl_->pool.tls[to_lower(host)] = std::move(tls);
}

void HttpClient::set_user_agent(std::string user_agent) {
    impl_->pool.user_agent = std::move(user_agent);
}

Response HttpClient::perform(const Request& req) {
    Transfer t(impl_->pool, req);
    for (;;) {
        CURL* e = t.prepare();
        if (!t.finish(curl_api().curl_easy_perform(e)))
            return t.take();
    }
}

std::vector<HttpClient::Outcome> HttpClient::perform_all(const std::vector<Request>& reqs,
                                                         int parallel) {
    const CurlApi& api = curl_api();
    std::vector<Outcome> out(reqs.size());
    std::vector<std::unique_ptr<Transfer>> transfers(reqs.size());
    std::map<CURL*, size_t> slot_of;
    // Declared after the transfers so that it lets go of their handles before they are freed.
    Multi multi;
    size_t limit = static_cast<size_t>(std::max(parallel, 1));

    auto start = [&](size_t i) {
        try {
            if (!transfers[i])
                transfers[i] = std::make_unique<Transfer>(impl_->pool, reqs[i]);
            CURL* e = transfers[i]->prepare();
            multi.add(e);
            slot_of[e] = i;
        } catch (const Error& err) {
            out[i].error = err.what();
            transfers[i].reset();
        }
    };

    size_t next = 0;
    for (; next < reqs.size() && multi.size() < limit; ++next)
        start(next);
    while (multi.size() > 0) {
        int running = 0;
        Multi::check("curl_multi_perform", api.curl_multi_perform(multi.get(), &running));
        int queued = 0;
        while (CURLMsg* msg = api.curl_multi_info_read(multi.get(), &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            // msg is gone once its handle leaves the multi
            CURL* e = msg->easy_handle;
            CURLcode rc = msg->data.result;
            size_t i = slot_of.at(e);
            slot_of.erase(e);
            multi.remove(e);
            bool again = false;
            try {
                again = transfers[i]->finish(rc);
                if (!again)
                    out[i].response = transfers[i]->take();
            } catch (const Error& err) {
                out[i].error = err.what();
            }
            if (again) {
                start(i);
            } else {
                transfers[i].reset();
                for (; next < reqs.size() && multi.size() < limit; ++next)
                    start(next);
            }
        }
        if (multi.size() > 0)
            Multi::check("curl_multi_poll",
                         api.curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr));
    }
    return out;
}

bool is_retryable_status(long status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

std::chrono::milliseconds retry_delay(int attempt, const Response* response) {
    using std::chrono::milliseconds;
    if (response) {
        if (auto after = response->header("retry-after")) {
            std::string_view s = trim(*after);
            if (!s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), ::isdigit))
                return std::min(milliseconds(std::stol(std::string(s)) * 1000),
                                milliseconds(30000));
        }
    }
    int doublings = std::clamp(attempt, 1, 16) - 1;
    return std::min(milliseconds(200L << doublings), milliseconds(5000));
}

std::string ca_bundle_for(const std::string& ca_dir, const std::string& system_bundle) {
    std::string out;
    auto append = [&out](const std::string& pem) {
        out += pem;
        if (!out.empty() && out.back() != '\n')
            out += '\n';
    };
    if (!system_bundle.empty()) {
        if (auto pem = try_read_file(system_bundle))
            append(*pem);
    }
    std::vector<std::string> crts;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(ca_dir, ec)) {
        if (entry.path().extension() == ".crt")
            crts.push_back(entry.path().string());
    }
    std::sort(crts.begin(), crts.end());
    for (const std::string& path : crts)
        append(read_file(path));
    return out;
}

} // namespace burrow::registry
