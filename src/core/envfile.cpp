#include "core/envfile.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <cstdlib>
#include <unordered_map>

namespace burrow {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Decides whether s is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF), as Go's
// utf8.Valid, which docker applies to each line.
bool is_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        auto second = static_cast<unsigned char>(s[i + 1]);
        if (second < lo || second > hi)
            return false;
        for (size_t k = 2; k < len; ++k) {
            auto b = static_cast<unsigned char>(s[i + k]);
            if (b < 0x80 || b > 0xbf)
                return false;
        }
        i += len;
    }
    return true;
}

std::string_view key_of(std::string_view entry) {
    return entry.substr(0, entry.find('='));
}

std::optional<std::string> from_own_environment(std::string_view key) {
    const char* value = std::getenv(std::string(key).c_str());
    if (value == nullptr)
        return std::nullopt;
    return std::string(key) + "=" + value;
}

} // namespace

std::vector<std::string> parse_env_file_content(std::string_view content,
                                                const std::string& source) {
    std::vector<std::string> out;
    if (content.starts_with("\xEF\xBB\xBF"))
        content.remove_prefix(3);
    size_t line_no = 0;
    while (!content.empty()) {
        auto nl = content.find('\n');
        std::string_view line = content.substr(0, nl);
        content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
        ++line_no;
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        auto fail = [&](const std::string& why) {
            throw Error("env file " + source + ", line " + std::to_string(line_no) + ": " + why);
        };
        if (!is_utf8(line))
            fail("not valid UTF-8");
        while (!line.empty() && is_space(line.front()))
            line.remove_prefix(1);
        if (line.empty() || line.front() == '#')
            continue;

        auto eq = line.find('=');
        std::string_view key = line.substr(0, eq);
        if (key.empty())
            fail("no variable name before '='");
        for (char c : key)
            if (is_space(c))
                fail("variable name \"" + std::string(key) + "\" contains whitespace");
        if (eq != std::string_view::npos) {
            out.emplace_back(line);
        } else if (auto entry = from_own_environment(key)) {
            out.push_back(std::move(*entry));
        }
    }
    return out;
}

std::vector<std::string> read_env_file(const std::string& path) {
    return parse_env_file_content(read_file(path), path);
}

std::optional<std::string> parse_env_arg(std::string_view arg) {
    auto eq = arg.find('=');
    if (eq == 0 || arg.empty())
        throw Error("invalid environment variable \"" + std::string(arg) + "\": no variable name");
    if (eq != std::string_view::npos)
        return std::string(arg);
    return from_own_environment(arg);
}

std::vector<std::string> merge_env(const std::vector<std::string>& base,
                                   const std::vector<std::string>& overrides) {
    std::vector<std::string> out;
    std::unordered_map<std::string, size_t> index;
    auto put = [&](const std::string& entry) {
        std::string key(key_of(entry));
        auto [it, inserted] = index.try_emplace(key, out.size());
        if (inserted)
            out.push_back(entry);
        else
            out[it->second] = entry;
    };
    for (const auto& e : base)
        put(e);
    for (const auto& e : overrides)
        put(e);
    return out;
}

} // namespace burrow
