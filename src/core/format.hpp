#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace burrow {

// The YAML that `podman info` prints: two-space indent, list items at their key's indent,
// strings quoted only where YAML would read them as something else ("12", "true", "").
std::string to_yaml(const nlohmann::json& value);

// "2025-06-03T12:00:00Z" as Go's time.ANSIC, "Tue Jun  3 12:00:00 2025", the way docker prints
// build times; anything else comes back unchanged.
std::string ansic_time(std::string_view iso8601_utc);

} // namespace burrow
