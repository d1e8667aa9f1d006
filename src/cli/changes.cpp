#include "cli/changes.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace burrow::cli {

namespace {

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

// ["a", "b"] as is; anything else is the shell form, run by /bin/sh -c.
std::vector<std::string> command_form(const std::string& value) {
    if (value.starts_with("[")) {
        try {
            auto j = nlohmann::json::parse(value);
            if (j.is_array()) {
                std::vector<std::string> out;
                for (const auto& e : j) {
                    if (!e.is_string())
                        throw Error("");
                    out.push_back(e.get<std::string>());
                }
                return out;
            }
        } catch (const std::exception&) {
            // not JSON: the shell form, as docker falls back to
        }
    }
    return {"/bin/sh", "-c", value};
}

// KEY=VALUE pairs (values may be quoted), or the old form "KEY VALUE".
std::vector<std::pair<std::string, std::string>> key_values(const std::string& value,
                                                            const std::string& what) {
    std::vector<std::pair<std::string, std::string>> out;
    auto eq = value.find('=');
    auto sp = value.find_first_of(" \t");
    if (eq == std::string::npos || (sp != std::string::npos && sp < eq)) {
        if (sp == std::string::npos)
            throw Error(what + " needs KEY=VALUE: " + value);
        out.emplace_back(value.substr(0, sp), trim(value.substr(sp + 1)));
        return out;
    }
    size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i])))
            ++i;
        if (i >= value.size())
            break;
        auto e = value.find('=', i);
        if (e == std::string::npos)
            throw Error(what + " needs KEY=VALUE: " + value.substr(i));
        std::string key = value.substr(i, e - i);
        std::string val;
        i = e + 1;
        if (i < value.size() && (value[i] == '"' || value[i] == '\'')) {
            char q = value[i++];
            while (i < value.size() && value[i] != q) {
                if (value[i] == '\\' && q == '"' && i + 1 < value.size())
                    ++i;
                val += value[i++];
            }
            ++i;
        } else {
            while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i])))
                val += value[i++];
        }
        out.emplace_back(key, val);
    }
    return out;
}

} // namespace

storage::ContainerConfig apply_changes(storage::ContainerConfig config,
                                       const std::vector<std::string>& changes) {
    for (const auto& change : changes) {
        std::string line = trim(change);
        auto sp = line.find_first_of(" \t=");
        std::string word = line.substr(0, sp);
        std::string value = sp == std::string::npos ? "" : trim(line.substr(sp + 1));
        std::string upper = word;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (upper == "CMD") {
            config.cmd = command_form(value);
        } else if (upper == "ENTRYPOINT") {
            config.entrypoint = command_form(value);
        } else if (upper == "ENV") {
            for (const auto& [k, v] : key_values(value, "ENV")) {
                std::erase_if(config.env, [&](const std::string& e) {
                    return e.compare(0, k.size() + 1, k + "=") == 0;
                });
                config.env.push_back(k + "=" + v);
            }
        } else if (upper == "LABEL") {
            for (const auto& [k, v] : key_values(value, "LABEL"))
                config.labels[k] = v;
        } else if (upper == "WORKDIR") {
            config.working_dir = value;
        } else if (upper == "USER") {
            config.user = value;
        } else if (upper == "EXPOSE") {
            for (size_t i = 0; i < value.size();) {
                auto end = value.find(' ', i);
                std::string port = value.substr(i, end - i);
                if (!port.empty())
                    config.exposed_ports.insert(port.find('/') == std::string::npos ? port + "/tcp"
                                                                                    : port);
                if (end == std::string::npos)
                    break;
                i = end + 1;
            }
        } else if (upper == "VOLUME") {
            for (const auto& v : command_form(value).size() == 3 ? std::vector<std::string>{value}
                                                                 : command_form(value))
                config.volumes.insert(v);
        } else if (upper == "STOPSIGNAL") {
            config.stop_signal = value;
        } else {
            throw Error("invalid --change \"" + change +
                        "\": use CMD, ENTRYPOINT, ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME or "
                        "STOPSIGNAL");
        }
    }
    return config;
}

} // namespace burrow::cli
