#pragma once

#include <optional>
#include <string>

namespace burrow {

// A shared library loaded on demand. burrow links into its binary only what starting a container
// needs: every library linked in costs each command its loading, a few hundred microseconds each.
// Libraries that only some commands use are opened here when those commands run.
class DynLib {
public:
    // Opens the library by soname; is_open() is false when it is not installed.
    explicit DynLib(const char* soname);
    DynLib(const DynLib&) = delete;
    DynLib& operator=(const DynLib&) = delete;
    ~DynLib();

    bool is_open() const { return handle_ != nullptr; }
    // The address of a function, or nullptr.
    template <class Fn> Fn function(const char* name) const {
        return reinterpret_cast<Fn>(symbol(name));
    }

private:
    void* symbol(const char* name) const;
    void* handle_ = nullptr;
};

} // namespace burrow
