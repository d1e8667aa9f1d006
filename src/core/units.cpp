#include "core/units.hpp"

#include "core/error.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <sys/random.h>

namespace burrow {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}
} // namespace

double parse_decimal(std::string_view text, std::string_view what) {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
        throw Error("invalid " + std::string(what) + " \"" + std::string(text) +
                    "\": not a number");
    return v;
}

int64_t parse_integer(std::string_view text, std::string_view what) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        throw Error("invalid " + std::string(what) + " \"" + std::string(text) +
                    "\": not a whole number");
    return v;
}

int64_t parse_byte_size(std::string_view text, std::string_view what) {
    std::string t = lower(text);
    size_t num_end = 0;
    while (num_end < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[num_end])) || t[num_end] == '.'))
        ++num_end;
    std::string unit = t.substr(num_end);
    if (unit.size() == 2 && unit[1] == 'b')
        unit.pop_back();
    else if (unit.size() == 3 && unit.substr(1) == "ib")
        unit.resize(1);
    int64_t mult = 1;
    if (unit.empty() || unit == "b")
        mult = 1;
    else if (unit == "k")
        mult = 1LL << 10;
    else if (unit == "m")
        mult = 1LL << 20;
    else if (unit == "g")
        mult = 1LL << 30;
    else if (unit == "t")
        mult = 1LL << 40;
    else
        throw Error("invalid " + std::string(what) + " \"" + std::string(text) +
                    "\": use a number with an optional unit b, k, m, g or t");
    double n = 0;
    try {
        n = parse_decimal(std::string_view(t).substr(0, num_end), what);
    } catch (const Error&) {
        throw Error("invalid " + std::string(what) + " \"" + std::string(text) +
                    "\": use a number with an optional unit b, k, m, g or t");
    }
    double bytes = n * static_cast<double>(mult);
    if (bytes > 9.2e18)
        throw Error("invalid " + std::string(what) + " \"" + std::string(text) + "\": too large");
    return static_cast<int64_t>(bytes);
}

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("getrandom");
        }
        got += static_cast<size_t>(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

} // namespace burrow
