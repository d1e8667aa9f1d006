#include "core/error.hpp"
#include "registry/reference.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace burrow;
using namespace burrow::registry;

namespace {

void require(bool ok) {
    if (!ok)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        Reference r = Reference::parse(text);
        // what burrow prints must read back as the same reference, and name what was typed
        require(Reference::parse(r.to_string()) == r);
        require(Reference::parse(r.familiar()) == r);
        require(matches_short_name(text, r.to_string()));
    } catch (const Error&) {
    }
    try {
        std::string local = normalize_local_name(text);
        require(normalize_local_name(local) == local);
    } catch (const Error&) {
    }
    return 0;
}
