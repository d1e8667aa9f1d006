#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Credentials and auth challenges for registries, with the files podman, skopeo and buildah use.
namespace burrow::registry {

struct Credentials {
    std::string username;
    std::string password; // or an identity token when username is "<token>"
    bool empty() const { return username.empty() && password.empty(); }
};

// Where credentials are read and written (DESIGN.md, "On disk"): --authfile, else
// $REGISTRY_AUTH_FILE, each then the only file read (as podman); else
// $XDG_RUNTIME_DIR/containers/auth.json (or runtime_dir_fallback + "/containers/auth.json" when
// XDG_RUNTIME_DIR is unset), then read-only $XDG_CONFIG_HOME/containers/auth.json and
// ~/.docker/config.json ($DOCKER_CONFIG/config.json when set).
struct AuthFiles {
    std::string write_path;              // the file login writes
    std::vector<std::string> read_paths; // in order; write_path first
};
AuthFiles auth_files(const std::string& authfile_flag, const std::string& runtime_dir_fallback);

// The credentials for a registry host ("docker.io" also matches the legacy
// "https://index.docker.io/v1/" key; "host:port" keys match exactly; a key may carry a path
// "host/ns" that matches repositories under it, longest first). repository is the path in the
// registry ("library/busybox") or the full name. credHelpers and credsStore run
// `docker-credential-NAME get` (a credsStore whose helper is not installed is skipped, as
// podman ignores it). nullopt when there are none; Error for a bad file or a failing helper.
std::optional<Credentials> find_credentials(const AuthFiles& files, const std::string& host,
                                            const std::string& repository = "");

// Writes credentials for host into files.write_path (created 0600 in a 0700 folder; other
// entries kept), or through the file's credHelper/credsStore when it names one.
void store_credentials(const AuthFiles& files, const std::string& host, const Credentials& c);
// Removes them from files.write_path (or its helper); false when there were none.
bool erase_credentials(const AuthFiles& files, const std::string& host);
// Removes every entry of files.write_path, and what its helpers hold for them.
void erase_all_credentials(const AuthFiles& files);

// One WWW-Authenticate challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
struct Challenge {
    std::string scheme; // lower case: "bearer", "basic"
    std::map<std::string, std::string> params;
};
// Parses a header value, which may hold several challenges; quoted strings with escapes.
std::vector<Challenge> parse_challenges(const std::string& header_value);

// Bearer tokens by (realm, service, scope), kept for their lifetime (expires_in, default 60 s).
class TokenCache {
public:
    std::optional<std::string> get(const std::string& key) const;
    void put(const std::string& key, const std::string& token, std::chrono::seconds lifetime);

private:
    std::map<std::string, std::pair<std::string, std::chrono::steady_clock::time_point>> tokens_;
};

// The token from a token server's JSON answer ({"token": …} or {"access_token": …}, with
// "expires_in"); throws Error on anything else.
std::pair<std::string, std::chrono::seconds> parse_token_response(const std::string& body);

// "Basic base64(user:pass)".
std::string basic_authorization(const Credentials& c);

// RFC 4648 base64 with padding; decoding accepts missing padding and gives nullopt for a
// character outside the alphabet.
std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);

} // namespace burrow::registry
