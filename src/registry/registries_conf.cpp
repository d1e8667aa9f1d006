// registries.conf and certs.d, read with the rules of containers/image so that burrow resolves
// names, mirrors and CAs as podman and skopeo do on the same machine.
#include "registry/registries_conf.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/paths.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

// compiled into burrow rather than linked: a shared library costs every command its loading
#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

namespace burrow::registry {

namespace {

namespace fs = std::filesystem;

// One file's settings; unset fields leave what earlier files said (drop-ins, podman's rules).
struct PartialConf {
    std::optional<std::vector<std::string>> search;
    std::optional<std::string> short_name_mode;
    std::vector<RegistryEntry> registries;
    std::vector<std::pair<std::string, std::string>> aliases;
};

class Reader {
public:
    explicit Reader(std::string origin) : origin_(std::move(origin)) {}

    [[noreturn]] void fail(const toml::node* at, const std::string& message) const {
        std::string line = at ? std::to_string(at->source().begin.line) : "1";
        throw Error("registries.conf " + origin_ + ":" + line + ": " + message);
    }

    std::string string_at(const toml::node& n, const std::string& name) const {
        auto v = n.value<std::string>();
        if (!n.is_string() || !v)
            fail(&n, name + " must be a string");
        return *v;
    }
    bool bool_at(const toml::node& n, const std::string& name) const {
        if (!n.is_boolean())
            fail(&n, name + " must be true or false");
        return *n.value<bool>();
    }
    std::vector<std::string> strings_at(const toml::node& n, const std::string& name) const {
        const toml::array* a = n.as_array();
        if (!a)
            fail(&n, name + " must be an array of strings");
        std::vector<std::string> out;
        for (const toml::node& e : *a)
            out.push_back(string_at(e, name + " entries"));
        return out;
    }

    // A host or host/path as containers/image accepts it: no scheme, no trailing slash.
    std::string location_at(const toml::node& n, const std::string& name) const {
        std::string s = string_at(n, name);
        if (s.starts_with("http://") || s.starts_with("https://"))
            fail(&n, name + " \"" + s + "\": URI schemes are not supported");
        while (s.ends_with("/"))
            s.pop_back();
        return s;
    }

    RegistryEntry registry_at(const toml::node& n) const {
        const toml::table* t = n.as_table();
        if (!t)
            fail(&n, "[[registry]] must be a table");
        RegistryEntry e;
        for (auto&& [k, v] : *t) {
            const std::string key(k.str());
            if (key == "prefix")
                e.prefix = location_at(v, "prefix");
            else if (key == "location")
                e.location = location_at(v, "location");
            else if (key == "insecure")
                e.insecure = bool_at(v, "insecure");
            else if (key == "blocked")
                e.blocked = bool_at(v, "blocked");
            else if (key == "mirror")
                e.mirrors = mirrors_at(v);
        }
        if (e.prefix.empty() && e.location.empty())
            fail(&n, "[[registry]] has neither prefix nor location");
        if (e.prefix.empty())
            e.prefix = e.location;
        // a wildcard names many hosts, so it has no one location to default to
        if (e.location.empty() && !e.prefix.starts_with("*."))
            e.location = e.prefix;
        if (e.prefix.starts_with("*.") && e.prefix.find('/') != std::string::npos)
            fail(&n, "wildcard prefix \"" + e.prefix + "\" must be a domain only");
        return e;
    }

    std::vector<Mirror> mirrors_at(const toml::node& n) const {
        const toml::array* a = n.as_array();
        if (!a)
            fail(&n, "mirror must be an array of tables ([[registry.mirror]])");
        std::vector<Mirror> out;
        for (const toml::node& m : *a) {
            const toml::table* t = m.as_table();
            if (!t)
                fail(&m, "mirror must be an array of tables ([[registry.mirror]])");
            Mirror mirror;
            if (const toml::node* loc = t->get("location"))
                mirror.location = location_at(*loc, "mirror location");
            if (mirror.location.empty())
                fail(&m, "mirror has no location");
            if (const toml::node* ins = t->get("insecure"))
                mirror.insecure = bool_at(*ins, "mirror insecure");
            out.push_back(std::move(mirror));
        }
        return out;
    }

    // The v1 format's [registries.search|insecure|block] registries = [...].
    std::vector<std::string> v1_list(const toml::table& v1, const char* section) const {
        const toml::node* sec = v1.get(section);
        if (!sec)
            return {};
        const toml::table* t = sec->as_table();
        if (!t)
            fail(sec, std::string("[registries.") + section + "] must be a table");
        const toml::node* list = t->get("registries");
        return list ? strings_at(*list, std::string("registries.") + section + ".registries")
                    : std::vector<std::string>{};
    }

    PartialConf read(const toml::table& root) const {
        PartialConf c;
        bool v2 = false;
        for (auto&& [k, v] : root) {
            const std::string key(k.str());
            if (key == "unqualified-search-registries") {
                c.search = strings_at(v, key);
                v2 = true;
            } else if (key == "short-name-mode") {
                std::string mode = string_at(v, key);
                if (mode != "enforcing" && mode != "permissive" && mode != "disabled")
                    fail(&v, "short-name-mode \"" + mode +
                                 "\" is not enforcing, permissive or disabled");
                c.short_name_mode = mode;
            } else if (key == "registry") {
                const toml::array* a = v.as_array();
                if (!a)
                    fail(&v, "registry must be an array of tables ([[registry]])");
                for (const toml::node& n : *a)
                    c.registries.push_back(registry_at(n));
                v2 = true;
            } else if (key == "aliases") {
                const toml::table* t = v.as_table();
                if (!t)
                    fail(&v, "[aliases] must be a table");
                for (auto&& [name, full] : *t)
                    c.aliases.emplace_back(
                        std::string(name.str()),
                        string_at(full, "alias \"" + std::string(name.str()) + "\""));
            }
        }
        const toml::node* v1node = root.get("registries");
        if (!v1node)
            return c;
        const toml::table* v1 = v1node->as_table();
        if (!v1)
            fail(v1node, "[registries] must be a table");
        if (v2)
            fail(v1node, "mixing the v1 [registries.*] tables and the v2 format is not supported");
        if (v1->get("search"))
            c.search = v1_list(*v1, "search");
        auto entry_for = [&](const std::string& host) -> RegistryEntry& {
            for (RegistryEntry& e : c.registries) {
                if (e.prefix == host)
                    return e;
            }
            c.registries.push_back(RegistryEntry{host, host, false, false, {}});
            return c.registries.back();
        };
        for (const std::string& host : v1_list(*v1, "insecure"))
            entry_for(host).insecure = true;
        for (const std::string& host : v1_list(*v1, "block"))
            entry_for(host).blocked = true;
        return c;
    }

private:
    std::string origin_;
};

PartialConf parse_partial(const std::string& text, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        throw Error("registries.conf " + origin + ":" + std::to_string(e.source().begin.line) +
                    ": " + std::string(e.description()));
    }
    return Reader(origin).read(root);
}

void merge(RegistriesConf& into, PartialConf&& from) {
    if (from.search)
        into.unqualified_search_registries = std::move(*from.search);
    if (from.short_name_mode)
        into.short_name_mode = std::move(*from.short_name_mode);
    for (RegistryEntry& e : from.registries) {
        auto same = std::find_if(into.registries.begin(), into.registries.end(),
                                 [&](const RegistryEntry& r) { return r.prefix == e.prefix; });
        if (same != into.registries.end())
            *same = std::move(e);
        else
            into.registries.push_back(std::move(e));
    }
    for (auto& [name, full] : from.aliases) {
        auto same = std::find_if(into.aliases.begin(), into.aliases.end(),
                                 [&](const auto& a) { return a.first == name; });
        if (same != into.aliases.end())
            same->second = std::move(full);
        else
            into.aliases.emplace_back(name, std::move(full));
    }
}

void merge_file(RegistriesConf& into, const std::string& path) {
    if (auto text = try_read_file(path))
        merge(into, parse_partial(*text, path));
}

std::vector<std::string> drop_ins(const std::string& conf_path) {
    std::vector<std::string> out;
    std::error_code ec;
    fs::directory_iterator it(conf_path + ".d", ec);
    if (ec)
        return out;
    for (const fs::directory_entry& e : it) {
        if (e.path().extension() == ".conf" && e.is_regular_file(ec))
            out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string host_of(const std::string& repository) {
    return repository.substr(0, repository.find('/'));
}

// Whether prefix covers repository, ending at a path, tag or digest boundary.
bool prefix_matches(const std::string& repository, const std::string& prefix) {
    if (!repository.starts_with(prefix))
        return false;
    if (repository.size() == prefix.size())
        return true;
    char next = repository[prefix.size()];
    return next == '/' || next == ':' || next == '@';
}

bool wildcard_matches(const std::string& repository, const std::string& prefix) {
    std::string host = host_of(repository);
    host = host.substr(0, host.find(':'));
    const std::string suffix = prefix.substr(1); // ".example.com"
    return host.size() > suffix.size() && host.ends_with(suffix);
}

} // namespace

RegistriesConf parse_registries_conf(const std::string& toml_text, const std::string& origin) {
    RegistriesConf conf;
    merge(conf, parse_partial(toml_text, origin));
    return conf;
}

RegistriesConf load_registries_conf(const std::string& user_path, const std::string& system_path) {
    std::string user = user_path;
    if (user.empty()) {
        if (const char* env = std::getenv("CONTAINERS_REGISTRIES_CONF"); env && *env) {
            // containers/image's override: that file alone, no drop-ins
            RegistriesConf conf;
            merge(conf, parse_partial(read_file(env), env));
            return conf;
        }
        user = paths::xdg_config_home() + "/containers/registries.conf";
    }
    RegistriesConf conf;
    merge_file(conf, path_exists(user) ? user : system_path);
    // drop-ins of both folders, the user's last so that they win
    for (const std::string& path : drop_ins(system_path))
        merge_file(conf, path);
    if (user != system_path) {
        for (const std::string& path : drop_ins(user))
            merge_file(conf, path);
    }
    return conf;
}

std::optional<RegistryEntry> find_registry(const RegistriesConf& conf,
                                           const std::string& repository) {
    const RegistryEntry* best = nullptr;
    for (const RegistryEntry& e : conf.registries) {
        if (!e.prefix.starts_with("*.") && prefix_matches(repository, e.prefix) &&
            (!best || e.prefix.size() > best->prefix.size()))
            best = &e;
    }
    // an exact prefix always names at least the host, so it is more specific than any wildcard
    if (!best) {
        for (const RegistryEntry& e : conf.registries) {
            if (e.prefix.starts_with("*.") && wildcard_matches(repository, e.prefix) &&
                (!best || e.prefix.size() > best->prefix.size()))
                best = &e;
        }
    }
    if (!best)
        return std::nullopt;
    return *best;
}

CertsDir find_certs_dir(const std::string& host, const std::vector<std::string>& roots) {
    std::vector<std::string> dirs = roots;
    if (dirs.empty())
        dirs = {paths::xdg_config_home() + "/containers/certs.d", "/etc/containers/certs.d",
                "/etc/docker/certs.d"};
    CertsDir out;
    for (const std::string& root : dirs) {
        const std::string dir = root + "/" + host;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        std::vector<fs::path> files;
        for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
            files.push_back(e.path());
        if (ec)
            throw Error("certs.d " + dir + ": " + ec.message());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            const std::string ext = f.extension().string();
            if (ext == ".crt") {
                out.dir = dir;
            } else if (ext == ".cert") {
                fs::path key = fs::path(f).replace_extension(".key");
                if (!fs::exists(key, ec))
                    throw Error("certs.d " + dir + ": client certificate " + f.filename().string() +
                                " has no " + key.filename().string() +
                                " (CA certificates end in .crt)");
                if (out.cert_file.empty()) {
                    out.cert_file = f.string();
                    out.key_file = key.string();
                }
            } else if (ext == ".key") {
                fs::path cert = fs::path(f).replace_extension(".cert");
                if (!fs::exists(cert, ec))
                    throw Error("certs.d " + dir + ": client key " + f.filename().string() +
                                " has no " + cert.filename().string());
            }
        }
        // the first folder that exists is the one used, as docker and containers/image do
        return out;
    }
    return out;
}

} // namespace burrow::registry
