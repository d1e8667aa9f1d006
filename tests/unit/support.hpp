#pragma once
// Helpers shared by the unit tests.

#include "core/error.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::test {

// The message of the burrow::Error that f throws, or "(no error)".
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// Runs body in a forked child, so that what it changes (limits, namespaces, capabilities, a
// seccomp filter) stays there, and returns its exit code; an exception in body is exit code
// 100 and never crosses the fork.
inline int in_child(const std::function<int()>& body) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int rc = 100;
        try {
            rc = body();
        } catch (...) {
            rc = 100;
        }
        ::_exit(rc);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

// A temporary folder, readable by the other ids a test may run as, removed with its contents.
struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/burrow-unit-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
        ::chmod(path.c_str(), 0755);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string operator/(std::string_view rel) const { return path + "/" + std::string(rel); }
    void write(std::string_view rel, std::string_view content) const {
        std::ofstream(*this / rel) << content;
    }
};

} // namespace burrow::test
