#pragma once

#include <optional>
#include <string>
#include <vector>

// registries.conf (containers-registries.conf(5), v2 TOML) and certs.d, read as podman reads them.
namespace burrow::registry {

struct Mirror {
    std::string location;
    bool insecure = false;
};

struct RegistryEntry {
    std::string prefix;   // what it matches: "host", "host/ns", "*.example.com"
    std::string location; // where to go instead ("" = prefix)
    bool insecure = false;
    bool blocked = false;
    std::vector<Mirror> mirrors;
};

struct RegistriesConf {
    std::vector<std::string> unqualified_search_registries;
    std::string short_name_mode = "permissive"; // enforcing, permissive, disabled
    std::vector<RegistryEntry> registries;
    std::vector<std::pair<std::string, std::string>> aliases; // short name → full name
};

// $XDG_CONFIG_HOME/containers/registries.conf (default ~/.config) if it exists, else
// system_path; then the *.conf drop-ins of system_path + ".d" and of the user's
// registries.conf.d, each folder in name order, the user's last (as podman). A later file
// replaces the search list, short-name-mode, aliases of the same name and registries of the same
// prefix. $CONTAINERS_REGISTRIES_CONF, when set and user_path is "", is the only file read.
// The v1 format ([registries.search], [registries.insecure], [registries.block]) is read too.
// A missing file is an empty config. A bad file is an Error "registries.conf FILE:LINE: why".
RegistriesConf
load_registries_conf(const std::string& user_path = "",
                     const std::string& system_path = "/etc/containers/registries.conf");
RegistriesConf parse_registries_conf(const std::string& toml_text, const std::string& origin);

// The entry that applies to a repository ("host/ns/repo"): the longest matching prefix, with
// wildcard subdomains ("*.example.com") matched after exact prefixes.
std::optional<RegistryEntry> find_registry(const RegistriesConf& conf,
                                           const std::string& repository);

// CA certificates and client keys for a registry host "host:port": the first of
// $XDG_CONFIG_HOME/containers/certs.d/HOST, /etc/containers/certs.d/HOST, /etc/docker/certs.d/HOST
// that exists (the roots may be given, for tests). Empty strings where none. A *.cert without
// its *.key (or the reverse) is an Error, as docker has it.
struct CertsDir {
    std::string dir;       // the folder holding *.crt (CAs); "" when it holds none
    std::string cert_file; // *.cert
    std::string key_file;  // *.key matching it
};
CertsDir find_certs_dir(const std::string& host, const std::vector<std::string>& roots = {});

} // namespace burrow::registry
