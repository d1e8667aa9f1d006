#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

namespace burrow {

// burrow's one error model: exceptions carry a user-facing message; context is prepended on
// the way up ("pulling layer sha256:ab12…: open /x: Permission denied").
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what, int exit_code = 125)
        : std::runtime_error(what), exit_code_(exit_code) {}
    int exit_code() const noexcept { return exit_code_; }

private:
    int exit_code_;
};

// Captures errno at construction: `SysError("mount", "/x")` reads "mount /x: Permission denied".
class SysError : public Error {
public:
    SysError(const std::string& call, const std::string& object = {}, int err = errno);
    int error() const noexcept { return errno_; }

private:
    int errno_;
};

// Rethrows the exception in flight with `context: ` in front of its message, keeping its type's
// exit code. Use inside a catch block only.
[[noreturn]] void rethrow_with_context(const std::string& context);

// Runs f; on an Error, rethrows it with `context: ` prepended.
template <class F> decltype(auto) with_context(const std::string& context, F&& f) {
    try {
        return f();
    } catch (const Error&) {
        rethrow_with_context(context);
    }
}

} // namespace burrow
