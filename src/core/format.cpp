#include "core/format.hpp"

#include <cctype>
#include <charconv>
#include <ctime>

namespace burrow {

namespace {

using json = nlohmann::json;

// What a YAML parser would read as a number: "12", "1.5", "1e3", "0x1f"; not "4.7.0".
bool looks_like_number(std::string_view s) {
    if (s.starts_with('+') || s.starts_with('-'))
        s.remove_prefix(1);
    if (s.starts_with("0x") || s.starts_with("0o"))
        return s.size() > 2;
    if (s.empty() || s.front() == '.')
        return s == ".inf" || s == ".nan" || s == ".Inf" || s == ".NaN";
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return ec == std::errc() && p == s.data() + s.size();
}

bool needs_quotes(std::string_view s) {
    if (s.empty() || looks_like_number(s))
        return true;
    static constexpr std::string_view kWords[] = {
        "true",  "false", "yes", "no", "on",  "off",  "null", "~",    "True",
        "False", "Yes",   "No",  "On", "Off", "Null", "NULL", "TRUE", "FALSE"};
    for (auto w : kWords)
        if (s == w)
            return true;
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos)
        return true;
    if (s.front() == ' ' || s.back() == ' ' || s.back() == ':')
        return true;
    if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos)
        return true;
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20)
            return true;
    return false;
}

std::string scalar(const json& v) {
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        // a JSON string is a valid YAML double-quoted scalar
        return needs_quotes(s) ? v.dump() : s;
    }
    if (v.is_array() && v.empty())
        return "[]";
    if (v.is_object() && v.empty())
        return "{}";
    if (v.is_array() || v.is_object())
        return v.dump(); // flow style, for lists nested directly in lists
    return v.dump();
}

bool is_block(const json& v) {
    return (v.is_object() || v.is_array()) && !v.empty();
}

void emit(const json& v, size_t indent, std::string& out);

// `first_pad` starts the first line (it holds the "- " of a list item); the others use `pad`.
void emit_mapping(const json& obj, const std::string& first_pad, const std::string& pad,
                  std::string& out) {
    bool first = true;
    for (const auto& [key, value] : obj.items()) {
        out += first ? first_pad : pad;
        first = false;
        out += needs_quotes(key) ? json(key).dump() : key;
        out += ':';
        if (is_block(value)) {
            out += '\n';
            // list items stay at their key's indent, as podman prints them
            emit(value, pad.size() + (value.is_object() ? 2 : 0), out);
        } else {
            out += ' ' + scalar(value) + '\n';
        }
    }
}

void emit(const json& v, size_t indent, std::string& out) {
    std::string pad(indent, ' ');
    if (v.is_object() && !v.empty()) {
        emit_mapping(v, pad, pad, out);
    } else if (v.is_array() && !v.empty()) {
        for (const auto& item : v) {
            if (item.is_object() && !item.empty())
                emit_mapping(item, pad + "- ", pad + "  ", out);
            else
                out += pad + "- " + scalar(item) + '\n';
        }
    } else {
        out += pad + scalar(v) + '\n';
    }
}

} // namespace

std::string to_yaml(const nlohmann::json& value) {
    std::string out;
    emit(value, 0, out);
    return out;
}

std::string ansic_time(std::string_view iso8601_utc) {
    std::string s(iso8601_utc);
    std::tm tm{};
    const char* end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end != '\0')
        return s;
    // the round trip fills in the weekday
    std::time_t t = ::timegm(&tm);
    std::tm utc{};
    if (!::gmtime_r(&t, &utc))
        return s;
    char buf[64];
    if (std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &utc) == 0)
        return s;
    return buf;
}

} // namespace burrow
