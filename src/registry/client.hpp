#pragma once

#include "registry/auth.hpp"
#include "registry/http.hpp"
#include "registry/reference.hpp"
#include "registry/registries_conf.hpp"

#include <optional>
#include <string>
#include <vector>

namespace burrow::registry {

struct ClientOptions {
    std::optional<bool> tls_verify;   // --tls-verify; unset: registries.conf's insecure decides
    std::string authfile;             // --authfile
    std::optional<Credentials> creds; // --creds USER:PASS
    std::string runtime_dir;          // burrow's runtime folder, for the auth.json fallback
};

// The distribution protocol's requests to one registry host, with its auth: anonymous first;
// on 401 the WWW-Authenticate challenge is followed (Bearer: a token for the repository's
// scope from the realm, with the user's credentials when there are any; Basic: the
// credentials), tokens are cached for their lifetime, and the request is tried once more.
class RegistryClient {
public:
    RegistryClient(HttpClient& http, ClientOptions opts, RegistriesConf conf);

    // https://HOST, or http://HOST for a registry marked insecure (or --tls-verify=false)
    // that does not answer TLS.
    std::string base_url(const std::string& host);

    // A request to /v2/<path> of ref's registry for ref's repository (scope "pull" or
    // "pull,push"); the response whatever its status, after auth was dealt with.
    Response request(const Reference& ref, Request req, const std::string& actions = "pull");

    // The same for several blob GETs at once.
    std::vector<HttpClient::Outcome> request_all(const Reference& ref, std::vector<Request> reqs,
                                                 int parallel);

    // "Authorization" header value for ref's repository, "" when anonymous access works.
    std::string authorization(const Reference& ref, const std::string& actions,
                              const std::vector<std::string>& challenges);

    HttpClient& http() { return http_; }

private:
    Credentials credentials_for(const std::string& host, const std::string& repository);

    HttpClient& http_;
    ClientOptions opts_;
    RegistriesConf conf_;
    TokenCache tokens_;
    std::map<std::string, std::string> base_urls_;
    std::map<std::string, std::string> auth_by_scope_; // scope → Authorization value
};

// The error for a registry's answer: "pulling busybox:latest from docker.io: 404 manifest
// unknown" with the registry's own error message when its body has one.
std::string describe_http_error(const Response& r);

} // namespace burrow::registry
