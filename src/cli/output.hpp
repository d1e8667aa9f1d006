#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace burrow::cli {

// `--format` as docker and podman take it: "json" prints the data as indented JSON, anything else
// is a Go template over it. Returns false, printing nothing, when format is empty: the command
// then prints its own human-readable form. Template errors throw Error.
bool print_with_format(const std::string& format, const nlohmann::json& data);

// Prints the question with " [y/N] " and reads the answer from stdin: true for y or yes.
bool confirm(const std::string& question);

} // namespace burrow::cli
