#include "registry/libcurl.hpp"

#include "core/dynlib.hpp"
#include "core/error.hpp"

#include <optional>
#include <string>

namespace burrow::registry {

namespace {

constexpr const char* kCurlSoname = "libcurl.so.4";
// Debian's libcurl3-gnutls package: the same API over GnuTLS, present on many desktops that lack
// the OpenSSL flavour.
constexpr const char* kCurlGnutlsSoname = "libcurl-gnutls.so.4";
// CURLOPT_CAINFO_BLOB, for certs.d folders, came in 7.77.
constexpr const char* kCurlTooOld = ": install libcurl4 7.77 or newer";

// Loaded once: a function-local static is initialized once even across threads, and a failed
// initialization is retried on the next call.
struct LoadedCurl {
    std::optional<DynLib> lib;
    CurlApi api;

    LoadedCurl() {
        lib.emplace(kCurlSoname);
        if (!lib->is_open())
            lib.emplace(kCurlGnutlsSoname);
        if (!lib->is_open())
            throw Error(std::string(kCurlSoname) + " is not installed: install libcurl4");
#define BURROW_CURL_LOAD(name)                                                                     \
    api.name = lib->function<decltype(&::name)>(#name);                                            \
    if (!api.name)                                                                                 \
        throw Error(std::string(kCurlSoname) + " has no " #name + kCurlTooOld);
        BURROW_CURL_FUNCTIONS(BURROW_CURL_LOAD)
#undef BURROW_CURL_LOAD
        if (CURLcode rc = api.curl_global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
            throw Error(std::string("curl_global_init: ") + api.curl_easy_strerror(rc));
    }
};

} // namespace

const CurlApi& curl_api() {
    static const LoadedCurl loaded;
    return loaded.api;
}

} // namespace burrow::registry
