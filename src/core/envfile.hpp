#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Container environment from the command line: --env-file, -e, and how they combine with the
// image's Env.
namespace burrow {

// Parses docker's --env-file text: one KEY=VALUE a line, the value kept verbatim (quotes and
// trailing spaces included); blank lines and lines starting with `#` skipped; leading whitespace of
// a line dropped; a bare KEY takes its value from burrow's own environment, or is left out when
// burrow has none. A key that is empty or holds whitespace, or a line that is not UTF-8, is an
// error naming source and line ("env file ./app.env, line 3: ..."). A UTF-8 byte-order mark and
// CRLF line ends are accepted.
std::vector<std::string> parse_env_file_content(std::string_view content,
                                                const std::string& source);

// parse_env_file_content of a file's content; read errors name the path.
std::vector<std::string> read_env_file(const std::string& path);

// One -e argument: KEY=VALUE as it is; a bare KEY as KEY=<burrow's own value>, or nullopt when
// burrow's environment has no KEY. An empty key is an error.
std::optional<std::string> parse_env_arg(std::string_view arg);

// base with overrides applied in order: an entry replaces the earlier one with the same key in
// place, a new key goes to the end. Duplicates within base collapse the same way.
std::vector<std::string> merge_env(const std::vector<std::string>& base,
                                   const std::vector<std::string>& overrides);

} // namespace burrow
