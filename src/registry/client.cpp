#include "registry/client.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

namespace burrow::registry {

namespace {

// The registry host as it appears in URLs: docker.io's API lives on registry-1.docker.io.
std::string api_host(const std::string& domain) {
    return domain == "docker.io" ? "registry-1.docker.io" : domain;
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' ||
            c == ':' || c == ',')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

std::string describe_http_error(const Response& r) {
    std::string msg = std::to_string(r.status);
    try {
        auto j = nlohmann::json::parse(r.body);
        if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
            const auto& e = j["errors"][0];
            std::string code = e.value("code", "");
            std::string text = e.value("message", "");
            for (auto& ch : code)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            std::replace(code.begin(), code.end(), '_', ' ');
            msg += " " + (text.empty() ? code : text);
            return msg;
        }
    } catch (const std::exception&) {
    }
    switch (r.status) {
    case 401:
        return msg + " unauthorized: authentication required";
    case 403:
        return msg + " forbidden";
    case 404:
        return msg + " not found";
    case 429:
        return msg + " too many requests";
    default:
        return r.status >= 500 ? msg + " server error" : msg;
    }
}

RegistryClient::RegistryClient(HttpClient& http, ClientOptions opts, RegistriesConf conf)
    : http_(http), opts_(std::move(opts)), conf_(std::move(conf)) {}

Credentials RegistryClient::credentials_for(const std::string& host,
                                            const std::string& repository) {
    if (opts_.creds)
        return *opts_.creds;
    auto files = auth_files(opts_.authfile, opts_.runtime_dir);
    return find_credentials(files, host, repository).value_or(Credentials{});
}

std::string RegistryClient::base_url(const std::string& domain) {
    auto it = base_urls_.find(domain);
    if (it != base_urls_.end())
        return it->second;
    std::string host = api_host(domain);
    bool insecure = false;
    if (auto entry = find_registry(conf_, domain))
        insecure = entry->insecure;
    bool verify = opts_.tls_verify.value_or(!insecure);
    TlsOptions tls;
    tls.verify = verify;
    CertsDir certs = find_certs_dir(domain);
    tls.ca_dir = certs.dir;
    tls.client_cert_file = certs.cert_file;
    tls.client_key_file = certs.key_file;
    http_.set_tls(host, tls);
    std::string url = "https://" + host;
    if (!verify) {
        // an insecure registry may speak plain HTTP: podman tries TLS first, then HTTP
        Request probe;
        probe.url = url + "/v2/";
        try {
            http_.perform(probe);
        } catch (const Error&) {
            url = "http://" + host;
        }
    }
    base_urls_[domain] = url;
    return url;
}

std::string RegistryClient::authorization(const Reference& ref, const std::string& actions,
                                          const std::vector<std::string>& challenges) {
    std::vector<Challenge> parsed;
    for (const auto& value : challenges)
        for (auto& c : parse_challenges(value))
            parsed.push_back(std::move(c));
    Credentials creds = credentials_for(ref.domain(), ref.path());
    for (const auto& c : parsed) {
        if (c.scheme == "bearer") {
            auto realm = c.params.find("realm");
            if (realm == c.params.end())
                continue;
            std::string scope = "repository:" + ref.path() + ":" + actions;
            std::string service = c.params.count("service") ? c.params.at("service") : "";
            std::string key = realm->second + "|" + service + "|" + scope;
            if (auto token = tokens_.get(key))
                return "Bearer " + *token;
            Request req;
            req.url = realm->second + "?scope=" + url_encode(scope);
            if (!service.empty())
                req.url += "&service=" + url_encode(service);
            if (!creds.empty())
                req.headers.emplace_back("Authorization", basic_authorization(creds));
            Response r = http_.perform(req);
            if (r.status == 401 || r.status == 403)
                throw Error("authenticating to " + ref.domain() + ": " +
                            (creds.empty()
                                 ? "the registry requires a login: burrow login " + ref.domain()
                                 : "the username or password is wrong"));
            if (r.status != 200)
                throw Error("getting a token from " + realm->second + ": " +
                            describe_http_error(r));
            auto [token, lifetime] = parse_token_response(r.body);
            tokens_.put(key, token, lifetime);
            return "Bearer " + token;
        }
        if (c.scheme == "basic") {
            if (creds.empty())
                throw Error(ref.domain() + " requires a login: burrow login " + ref.domain());
            return basic_authorization(creds);
        }
    }
    throw Error(ref.domain() + " asks for an authentication burrow does not know");
}

Response RegistryClient::request(const Reference& ref, Request req, const std::string& actions) {
    const std::string scope = ref.domain() + "/" + ref.path() + ":" + actions;
    if (!req.url.starts_with("http"))
        req.url = base_url(ref.domain()) + req.url;
    auto with_auth = [&](const std::string& value) {
        Request r = req;
        if (!value.empty())
            r.headers.emplace_back("Authorization", value);
        return r;
    };
    auto known = auth_by_scope_.find(scope);
    Response r = http_.perform(with_auth(known == auth_by_scope_.end() ? "" : known->second));
    if (r.status != 401)
        return r;
    // the token may have expired, or this is the first request: follow the challenge once
    std::string value = authorization(ref, actions, r.www_authenticate);
    auth_by_scope_[scope] = value;
    return http_.perform(with_auth(value));
}

std::vector<HttpClient::Outcome>
RegistryClient::request_all(const Reference& ref, std::vector<Request> reqs, int parallel) {
    const std::string scope = ref.domain() + "/" + ref.path() + ":pull";
    auto known = auth_by_scope_.find(scope);
    std::string base = base_url(ref.domain());
    for (auto& r : reqs) {
        if (!r.url.starts_with("http"))
            r.url = base + r.url;
        if (known != auth_by_scope_.end())
            r.headers.emplace_back("Authorization", known->second);
    }
    return http_.perform_all(reqs, parallel);
}

} // namespace burrow::registry
