#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace burrow {

// Renders a `--format` template the way docker and podman do, over JSON data instead of Go
// structs. The subset understood:
//   text around actions; `\t` and `\n` written as two characters become a tab and a newline
//   {{.}}  {{.A.B}}        the data, or a field path; a field matches its key exactly, or else
//                          case-insensitively, so both `{{.Host.Kernel}}` (Go style) and
//                          `{{.host.kernel}}` (the JSON keys) work
//   {{json .A}}  {{.A | json}}   functions with arguments and pipes; functions: json, upper,
//                          lower, title, join LIST SEP, split S SEP, index X KEY..., len,
//                          truncate S N
//   {{if P}}…{{else if P}}…{{else}}…{{end}}, {{range P}}…{{else}}…{{end}}, {{with P}}…{{end}}
//   {{- and -}} trim the white space before and after; {{/* comments */}}
// Values print as Go's fmt does (maps as `map[k:v]`, lists as `[a b]`, null as `<nil>`).
// An unknown field, an unknown function or a malformed template throws Error.
std::string render_template(std::string_view tmpl, const nlohmann::json& data);

} // namespace burrow
