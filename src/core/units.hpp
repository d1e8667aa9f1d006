#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace burrow {

// docker's sizes: "1048576", "512k", "64m", "1g", "2GB", "1.5g" (binary units, case-insensitive).
// Throws Error naming `what` on anything else.
int64_t parse_byte_size(std::string_view text, std::string_view what);

// A decimal number such as "1.5" for --cpus; throws Error naming `what`.
double parse_decimal(std::string_view text, std::string_view what);

// A whole number; throws Error naming `what`.
int64_t parse_integer(std::string_view text, std::string_view what);

// n random bytes as lowercase hex, from getrandom(2).
std::string random_hex(size_t bytes);

} // namespace burrow
