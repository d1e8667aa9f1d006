// Credentials in containers-auth.json(5) files and docker credential helpers, read and written as
// podman and skopeo do, so that a login in one tool is seen by the others.
#include "registry/auth.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/paths.hpp"
#include "core/process.hpp"
#include "core/unique_fd.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::registry {

namespace {

// ordered_json keeps the file's own order of entries when it is rewritten
using Json = nlohmann::ordered_json;

constexpr std::string_view kNotFound = "credentials not found";

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64_encode(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i + 1 == in.size()) {
        uint32_t n = uint8_t(in[i]) << 16;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=')
            break;
        const char* p = std::strchr(kAlphabet, c);
        if (c == '\0' || !p)
            return std::nullopt;
        acc = (acc << 6) | uint32_t(p - kAlphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xff);
        }
    }
    return out;
}

namespace {

// "https://index.docker.io/v1/" → "docker.io"; "quay.io/ns/" → "quay.io/ns". A key with a scheme
// is a docker-style server URL whose path is an API version, not a repository, so only its host
// counts (as docker's and containers/image's readers do).
std::string normalize_key(std::string_view key) {
    std::string k(key);
    bool url = false;
    for (std::string_view scheme : {"https://", "http://"}) {
        if (k.starts_with(scheme)) {
            k.erase(0, scheme.size());
            url = true;
        }
    }
    if (url)
        k = k.substr(0, k.find('/'));
    while (k.ends_with("/"))
        k.pop_back();
    for (std::string_view api : {"/v1", "/v2"}) {
        if (k.ends_with(api))
            k.erase(k.size() - api.size());
    }
    size_t slash = k.find('/');
    std::string host = k.substr(0, slash);
    if (host == "index.docker.io" || host == "registry-1.docker.io")
        k = "docker.io" + (slash == std::string::npos ? std::string() : k.substr(slash));
    return k;
}

// Lookup keys for a repository, most specific first: "host/ns/repo", "host/ns", "host".
std::vector<std::string> lookup_keys(const std::string& host, const std::string& repository) {
    std::string h = normalize_key(host);
    std::string repo = repository;
    for (const std::string& prefix : {host + "/", h + "/"}) {
        if (repo.starts_with(prefix)) {
            repo.erase(0, prefix.size());
            break;
        }
    }
    while (repo.ends_with("/"))
        repo.pop_back();
    std::vector<std::string> keys;
    std::string key = repo.empty() ? h : h + "/" + repo;
    for (;;) {
        keys.push_back(key);
        if (key.size() <= h.size())
            break;
        key.erase(key.rfind('/'));
    }
    return keys;
}

Json read_auth_file(const std::string& path) {
    auto text = try_read_file(path);
    if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos)
        return Json::object();
    Json j;
    try {
        j = Json::parse(*text);
    } catch (const Json::parse_error& e) {
        std::string why = e.what();
        if (size_t p = why.find("] "); p != std::string::npos)
            why.erase(0, p + 2);
        throw Error(path + ": invalid JSON: " + why);
    }
    if (!j.is_object())
        throw Error(path + ": invalid auth file: not a JSON object");
    for (const char* field : {"auths", "credHelpers"}) {
        if (j.contains(field) && !j[field].is_object())
            throw Error(path + ": invalid auth file: \"" + field + "\" is not an object");
    }
    if (j.contains("credsStore") && !j["credsStore"].is_string())
        throw Error(path + ": invalid auth file: \"credsStore\" is not a string");
    return j;
}

std::string string_field(const Json& entry, const char* name) {
    auto it = entry.find(name);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Credentials> credentials_of_entry(const std::string& path, const std::string& key,
                                                const Json& entry) {
    if (!entry.is_object())
        return std::nullopt;
    if (std::string token = string_field(entry, "identitytoken"); !token.empty())
        return Credentials{"<token>", token};
    if (std::string auth = string_field(entry, "auth"); !auth.empty()) {
        auto decoded = base64_decode(auth);
        size_t colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos)
            throw Error(path + ": the auth of \"" + key + "\" is not base64 of user:password");
        return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
    }
    // the format of docker before 1.7
    Credentials c{string_field(entry, "username"), string_field(entry, "password")};
    if (!c.empty())
        return c;
    return std::nullopt;
}

struct HelperResult {
    int status = 0;
    std::string out, err;
    bool not_found() const {
        return out.find(kNotFound) != std::string::npos || err.find(kNotFound) != std::string::npos;
    }
    std::string message() const {
        std::string m = err.find_first_not_of(" \t\r\n") != std::string::npos ? err : out;
        m = m.substr(0, m.find('\n'));
        return m.empty() ? "exit code " + std::to_string(exit_code_of(status)) : m;
    }
};

// Runs `docker-credential-NAME action` with input on stdin. core's run_program has no stdin and
// merges stderr into stdout, where the helper's JSON answer must stay alone.
HelperResult run_helper(const std::string& name, const std::string& action,
                        const std::string& input) {
    const std::string program = "docker-credential-" + name;
    const std::string path = find_program(program);
    if (path.empty())
        throw Error("credential helper " + program + ": not found in PATH");
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd in_rd(in[0]), in_wr(in[1]);
    if (::pipe2(out, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd out_rd(out[0]), out_wr(out[1]);
    if (::pipe2(err, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd err_rd(err[0]), err_wr(err[1]);
    // the input (a URL or a small JSON object) fits in the pipe's buffer: writing it all before
    // the fork means a helper that exits without reading cannot raise SIGPIPE here
    if (input.size() > 4096)
        throw Error("credential helper " + program + ": input too long");
    write_all(in_wr.get(), input.data(), input.size());
    in_wr.reset();

    const char* argv[] = {program.c_str(), action.c_str(), nullptr};
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        // async-signal-safe calls only between fork and exec
        if (::dup2(in_rd.get(), STDIN_FILENO) < 0 || ::dup2(out_wr.get(), STDOUT_FILENO) < 0 ||
            ::dup2(err_wr.get(), STDERR_FILENO) < 0)
            ::_exit(127);
        ::execv(path.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }
    Pid child(pid);
    in_rd.reset();
    out_wr.reset();
    err_wr.reset();

    HelperResult r;
    pollfd fds[2] = {{out_rd.get(), POLLIN, 0}, {err_rd.get(), POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    while (open_fds > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("poll", program);
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            char buf[4096];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw SysError("read", program);
            if (n == 0) {
                fds[i].fd = -1;
                --open_fds;
            } else {
                sinks[i]->append(buf, size_t(n));
            }
        }
    }
    r.status = child.wait();
    if (exit_code_of(r.status) == 127 && r.out.empty() && r.err.empty())
        throw Error("credential helper " + program + ": cannot run " + path);
    return r;
}

bool helper_failed(const HelperResult& r) {
    return !WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0;
}

std::optional<Credentials> helper_get_one(const std::string& name, const std::string& server) {
    HelperResult r = run_helper(name, "get", server);
    const std::string what = "credential helper docker-credential-" + name + " get " + server;
    if (helper_failed(r)) {
        if (r.not_found())
            return std::nullopt;
        throw Error(what + ": " + r.message());
    }
    Json j;
    try {
        j = Json::parse(r.out);
    } catch (const Json::parse_error&) {
        throw Error(what + ": the answer is not JSON");
    }
    if (!j.is_object())
        throw Error(what + ": the answer is not a JSON object");
    Credentials c{string_field(j, "Username"), string_field(j, "Secret")};
    if (c.empty())
        return std::nullopt;
    return c;
}

// docker login stores Docker Hub in a helper under its legacy server URL
std::optional<Credentials> helper_get(const std::string& name, const std::string& key) {
    if (auto c = helper_get_one(name, key))
        return c;
    if (key == "docker.io")
        return helper_get_one(name, "https://index.docker.io/v1/");
    return std::nullopt;
}

void helper_store(const std::string& name, const std::string& server, const Credentials& c) {
    Json j = {{"ServerURL", server}, {"Username", c.username}, {"Secret", c.password}};
    HelperResult r = run_helper(name, "store", j.dump());
    if (helper_failed(r))
        throw Error("credential helper docker-credential-" + name + " store " + server + ": " +
                    r.message());
}

bool helper_erase(const std::string& name, const std::string& server) {
    HelperResult r = run_helper(name, "erase", server);
    if (!helper_failed(r))
        return true;
    if (r.not_found())
        return false;
    throw Error("credential helper docker-credential-" + name + " erase " + server + ": " +
                r.message());
}

bool is_installed(const std::string& helper) {
    return !helper.empty() && !find_program("docker-credential-" + helper).empty();
}

// The credHelpers entry for key (keys compared normalized), or "".
std::string cred_helper_for(const Json& file, const std::string& key) {
    auto helpers = file.find("credHelpers");
    if (helpers == file.end())
        return {};
    for (auto it = helpers->begin(); it != helpers->end(); ++it) {
        if (normalize_key(it.key()) == key && it->is_string())
            return it->get<std::string>();
    }
    return {};
}

// Holds an flock on the auth file's folder for a read-modify-write, so that two burrow commands
// that log in at once do not lose one another's entry.
class FolderLock {
public:
    explicit FolderLock(const std::string& dir)
        : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (!fd_)
            throw SysError("open", dir);
        while (::flock(fd_.get(), LOCK_EX) < 0) {
            if (errno != EINTR)
                throw SysError("flock", dir);
        }
    }

private:
    UniqueFd fd_;
};

// The file a write goes to: the target of a symlinked auth file (dotfiles often link
// ~/.docker/config.json), since renaming over the link would replace it.
std::string write_target(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_symlink(path, ec)) {
        auto target = std::filesystem::canonical(path, ec);
        if (!ec)
            return target.string();
    }
    return path;
}

std::string ensure_auth_folder(const std::string& path) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty())
        dir = ".";
    if (!path_exists(dir)) {
        make_dirs(dir, 0700);
        // make_dirs' mode goes through the umask; credentials want exactly 0700
        if (::chmod(dir.c_str(), 0700) < 0)
            throw SysError("chmod", dir);
    }
    return dir;
}

void write_auth_file(const std::string& path, const Json& j) {
    atomic_write_file(path, j.dump(1, '\t') + "\n", 0600);
    if (::chmod(path.c_str(), 0600) < 0)
        throw SysError("chmod", path);
}

// Removes every auths entry whose key normalizes to key; true when one was there.
bool remove_entries(Json& file, const std::string& key) {
    auto auths = file.find("auths");
    if (auths == file.end())
        return false;
    bool removed = false;
    for (auto it = auths->begin(); it != auths->end();) {
        if (normalize_key(it.key()) == key) {
            it = auths->erase(it);
            removed = true;
        } else {
            ++it;
        }
    }
    return removed;
}

} // namespace

AuthFiles auth_files(const std::string& authfile_flag, const std::string& runtime_dir_fallback) {
    AuthFiles files;
    std::string user_given =
        !authfile_flag.empty() ? authfile_flag : env_or_empty("REGISTRY_AUTH_FILE");
    if (!user_given.empty()) {
        // a file the user names is the only one read, as podman does: --authfile must not
        // silently pick up the credentials of another file
        files.write_path = user_given;
        files.read_paths = {user_given};
        return files;
    }
    std::string runtime = env_or_empty("XDG_RUNTIME_DIR");
    if (runtime.empty())
        runtime = runtime_dir_fallback;
    files.write_path = runtime + "/containers/auth.json";
    std::string docker_config = env_or_empty("DOCKER_CONFIG");
    if (docker_config.empty())
        docker_config = paths::home_dir() + "/.docker";
    for (const std::string& p :
         {files.write_path, paths::xdg_config_home() + "/containers/auth.json",
          docker_config + "/config.json"}) {
        if (std::find(files.read_paths.begin(), files.read_paths.end(), p) ==
            files.read_paths.end())
            files.read_paths.push_back(p);
    }
    return files;
}

std::optional<Credentials> find_credentials(const AuthFiles& files, const std::string& host,
                                            const std::string& repository) {
    const std::vector<std::string> keys = lookup_keys(host, repository);
    const std::string& host_key = keys.back();
    for (const std::string& path : files.read_paths) {
        Json file = read_auth_file(path);
        if (std::string helper = cred_helper_for(file, host_key); !helper.empty()) {
            if (auto c = with_context(path, [&] { return helper_get(helper, host_key); }))
                return c;
            continue;
        }
        if (auto auths = file.find("auths"); auths != file.end()) {
            for (const std::string& key : keys) {
                for (auto it = auths->begin(); it != auths->end(); ++it) {
                    if (normalize_key(it.key()) != key)
                        continue;
                    if (auto c = credentials_of_entry(path, it.key(), *it))
                        return c;
                }
            }
        }
        // podman ignores credsStore; a docker config copied from another machine often names a
        // store that is not installed here, which must not make public pulls fail
        if (std::string store = string_field(file, "credsStore"); is_installed(store)) {
            if (auto c = with_context(path, [&] { return helper_get(store, host_key); }))
                return c;
        }
    }
    return std::nullopt;
}

void store_credentials(const AuthFiles& files, const std::string& host, const Credentials& c) {
    const std::string key = normalize_key(host);
    const std::string path = write_target(files.write_path);
    FolderLock lock(ensure_auth_folder(path));
    Json file = read_auth_file(path);
    std::string helper = cred_helper_for(file, key);
    if (helper.empty())
        helper = string_field(file, "credsStore");
    if (!helper.empty()) {
        with_context(path, [&] { helper_store(helper, key, c); });
        return;
    }
    remove_entries(file, key);
    Json entry = Json::object();
    if (c.username == "<token>")
        entry["identitytoken"] = c.password;
    else
        entry["auth"] = base64_encode(c.username + ":" + c.password);
    file["auths"][key] = entry;
    write_auth_file(path, file);
}

bool erase_credentials(const AuthFiles& files, const std::string& host) {
    const std::string key = normalize_key(host);
    const std::string path = write_target(files.write_path);
    if (!path_exists(path))
        return false;
    FolderLock lock(ensure_auth_folder(path));
    Json file = read_auth_file(path);
    bool erased = false;
    std::string helper = cred_helper_for(file, key);
    if (helper.empty())
        helper = string_field(file, "credsStore");
    if (!helper.empty())
        erased = with_context(path, [&] { return helper_erase(helper, key); });
    if (remove_entries(file, key)) {
        write_auth_file(path, file);
        erased = true;
    }
    return erased;
}

void erase_all_credentials(const AuthFiles& files) {
    const std::string path = write_target(files.write_path);
    if (!path_exists(path))
        return;
    FolderLock lock(ensure_auth_folder(path));
    Json file = read_auth_file(path);
    // which helper holds what is known only through the file's keys; the helper settings stay,
    // and a helper that is not installed here holds nothing burrow could erase
    if (auto helpers = file.find("credHelpers"); helpers != file.end()) {
        for (auto it = helpers->begin(); it != helpers->end(); ++it) {
            if (it->is_string() && is_installed(it->get<std::string>()))
                with_context(path, [&] { helper_erase(it->get<std::string>(), it.key()); });
        }
    }
    if (std::string store = string_field(file, "credsStore"); is_installed(store)) {
        if (auto auths = file.find("auths"); auths != file.end()) {
            for (auto it = auths->begin(); it != auths->end(); ++it)
                with_context(path, [&] { helper_erase(store, it.key()); });
        }
    }
    file["auths"] = Json::object();
    write_auth_file(path, file);
}

std::vector<Challenge> parse_challenges(const std::string& value) {
    auto is_tchar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    };
    auto is_token68_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-._~+/").find(c) != std::string_view::npos;
    };
    auto lower = [](std::string s) {
        for (char& c : s)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    const size_t n = value.size();
    size_t i = 0;
    auto skip_ws = [&] {
        while (i < n && (value[i] == ' ' || value[i] == '\t'))
            ++i;
    };
    auto read_token = [&] {
        size_t start = i;
        while (i < n && is_tchar(value[i]))
            ++i;
        return value.substr(start, i - start);
    };

    std::vector<Challenge> out;
    while (i < n) {
        skip_ws();
        if (i < n && value[i] == ',') {
            ++i;
            continue;
        }
        std::string scheme = read_token();
        if (scheme.empty()) {
            ++i; // garbage: step over it
            continue;
        }
        Challenge ch{lower(scheme), {}};
        skip_ws();
        // token68 (`Basic dXNlcg==`): allowed only right after the scheme, and read only when
        // no "=value" follows, which tells it from the first auth-param
        size_t t = i;
        while (t < n && is_token68_char(value[t]))
            ++t;
        size_t end68 = t;
        while (end68 < n && value[end68] == '=')
            ++end68;
        size_t after = end68;
        while (after < n && (value[after] == ' ' || value[after] == '\t'))
            ++after;
        if (t > i && (after == n || value[after] == ',')) {
            i = end68;
        } else {
            for (;;) {
                skip_ws();
                while (i < n && (value[i] == ',' || value[i] == ' ' || value[i] == '\t'))
                    ++i;
                size_t param_start = i;
                std::string name = read_token();
                if (name.empty())
                    break;
                skip_ws();
                if (i >= n || value[i] != '=') {
                    i = param_start; // the scheme of the next challenge
                    break;
                }
                ++i;
                skip_ws();
                std::string val;
                if (i < n && value[i] == '"') {
                    ++i;
                    while (i < n && value[i] != '"') {
                        if (value[i] == '\\' && i + 1 < n)
                            ++i;
                        val += value[i++];
                    }
                    if (i < n)
                        ++i; // the closing quote
                } else {
                    while (i < n && value[i] != ',' && value[i] != ' ' && value[i] != '\t')
                        val += value[i++];
                }
                ch.params.emplace(lower(name), val);
            }
        }
        out.push_back(std::move(ch));
    }
    return out;
}

std::optional<std::string> TokenCache::get(const std::string& key) const {
    auto it = tokens_.find(key);
    if (it == tokens_.end() || std::chrono::steady_clock::now() >= it->second.second)
        return std::nullopt;
    return it->second.first;
}

void TokenCache::put(const std::string& key, const std::string& token,
                     std::chrono::seconds lifetime) {
    // a token about to expire would be refused half-way through a request: drop it early
    if (lifetime > std::chrono::seconds(30))
        lifetime -= std::chrono::seconds(10);
    tokens_[key] = {token, std::chrono::steady_clock::now() + lifetime};
}

std::pair<std::string, std::chrono::seconds> parse_token_response(const std::string& body) {
    Json j;
    try {
        j = Json::parse(body);
    } catch (const Json::parse_error&) {
        throw Error("token server answer: not JSON");
    }
    if (!j.is_object())
        throw Error("token server answer: not a JSON object");
    std::string token = string_field(j, "token");
    if (token.empty())
        token = string_field(j, "access_token");
    if (token.empty())
        throw Error("token server answer: no \"token\" or \"access_token\"");
    // distribution's token spec: 60 s when missing, and clients treat less as 60 s
    std::chrono::seconds lifetime(60);
    if (auto it = j.find("expires_in"); it != j.end() && it->is_number()) {
        double v = it->get<double>();
        if (v > 60 && v < 1e9)
            lifetime = std::chrono::seconds(static_cast<long long>(v));
    }
    return {token, lifetime};
}

std::string basic_authorization(const Credentials& c) {
    return "Basic " + base64_encode(c.username + ":" + c.password);
}

} // namespace burrow::registry
