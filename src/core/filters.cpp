#include "core/filters.hpp"

#include "core/error.hpp"

#include <fnmatch.h>

namespace burrow {

Filters parse_filters(const std::vector<std::string>& flags,
                      const std::vector<std::string_view>& keys) {
    Filters out;
    for (const auto& f : flags) {
        auto eq = f.find('=');
        std::string key = f.substr(0, eq);
        bool known = false;
        for (auto k : keys)
            known = known || k == key;
        if (eq == std::string::npos || !known) {
            std::string list;
            for (auto k : keys)
                list += (list.empty() ? "" : ", ") + std::string(k);
            throw Error("invalid filter \"" + f + "\": use KEY=VALUE with KEY one of " + list);
        }
        out[key].push_back(f.substr(eq + 1));
    }
    return out;
}

bool label_matches(const std::map<std::string, std::string>& labels, std::string_view want) {
    auto eq = want.find('=');
    auto it = labels.find(std::string(want.substr(0, eq)));
    if (it == labels.end())
        return false;
    return eq == std::string_view::npos || it->second == want.substr(eq + 1);
}

bool glob_matches(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), FNM_PATHNAME) == 0;
}

bool parse_filter_bool(const std::string& key, const std::string& value) {
    if (value == "true" || value == "1")
        return true;
    if (value == "false" || value == "0")
        return false;
    throw Error("invalid filter \"" + key + "=" + value + "\": use true or false");
}

} // namespace burrow
