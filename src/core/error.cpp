#include "core/error.hpp"

#include <cstring>

namespace burrow {

namespace {
std::string sys_message(const std::string& call, const std::string& object, int err) {
    std::string msg = call;
    if (!object.empty()) {
        msg += ' ';
        msg += object;
    }
    msg += ": ";
    msg += std::strerror(err);
    return msg;
}
} // namespace

SysError::SysError(const std::string& call, const std::string& object, int err)
    : Error(sys_message(call, object, err)), errno_(err) {}

void rethrow_with_context(const std::string& context) {
    try {
        throw;
    } catch (const SysError& e) {
        throw Error(context + ": " + e.what(), e.exit_code());
    } catch (const Error& e) {
        throw Error(context + ": " + e.what(), e.exit_code());
    }
}

} // namespace burrow
