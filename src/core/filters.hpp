#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace burrow {

// docker's `--filter KEY=VALUE` flags, grouped by key: the values of one key are alternatives
// (any may match), different keys must all match.
using Filters = std::map<std::string, std::vector<std::string>>;

// Parses the flags; a flag without '=' or with a key not in `keys` throws Error
// ("invalid filter \"x\": use one of a, b").
Filters parse_filters(const std::vector<std::string>& flags,
                      const std::vector<std::string_view>& keys);

// A `label=` filter value: KEY matches when the label is there, KEY=VALUE when it has VALUE.
bool label_matches(const std::map<std::string, std::string>& labels, std::string_view want);

// Shell-style pattern matching as Go's path.Match: `*` and `?` do not cross '/'.
bool glob_matches(const std::string& pattern, const std::string& text);

// "true"/"false" (and 1/0) of a boolean filter such as dangling=; throws Error otherwise.
bool parse_filter_bool(const std::string& key, const std::string& value);

} // namespace burrow
