#include "core/dynlib.hpp"

#include <dlfcn.h>

namespace burrow {

DynLib::DynLib(const char* soname) : handle_(::dlopen(soname, RTLD_LAZY | RTLD_LOCAL)) {}

DynLib::~DynLib() {
    if (handle_)
        ::dlclose(handle_);
}

void* DynLib::symbol(const char* name) const {
    return handle_ ? ::dlsym(handle_, name) : nullptr;
}

} // namespace burrow
