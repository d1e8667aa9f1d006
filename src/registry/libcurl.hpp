#pragma once

// libcurl, opened on first use rather than linked: linking it would cost every burrow command its
// loading time (see core/dynlib.hpp). The headers are included for the types and constants only;
// every call goes through curl_api().
//
// Without the type-checking macros, curl_easy_setopt and friends are plain declarations, so the
// table below can take their addresses and calls through it are not rewritten by the macros.
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

namespace burrow::registry {

// Each libcurl function burrow calls. Adding a function here is all it takes to use it.
// curl_easy_setopt, curl_easy_getinfo, curl_share_setopt and curl_multi_setopt are variadic:
// their entries have the type CURLcode (*)(CURL*, CURLoption, ...) and the like.
#define BURROW_CURL_FUNCTIONS(X)                                                                   \
    /* library */                                                                                  \
    X(curl_global_init)                                                                            \
    X(curl_version_info)                                                                           \
    X(curl_free)                                                                                   \
    X(curl_slist_append)                                                                           \
    X(curl_slist_free_all)                                                                         \
    /* single transfers */                                                                         \
    X(curl_easy_init)                                                                              \
    X(curl_easy_cleanup)                                                                           \
    X(curl_easy_reset)                                                                             \
    X(curl_easy_setopt)                                                                            \
    X(curl_easy_getinfo)                                                                           \
    X(curl_easy_perform)                                                                           \
    X(curl_easy_strerror)                                                                          \
    /* shared connections, DNS and TLS sessions */                                                 \
    X(curl_share_init)                                                                             \
    X(curl_share_setopt)                                                                           \
    X(curl_share_cleanup)                                                                          \
    X(curl_share_strerror)                                                                         \
    /* parallel transfers */                                                                       \
    X(curl_multi_init)                                                                             \
    X(curl_multi_cleanup)                                                                          \
    X(curl_multi_add_handle)                                                                       \
    X(curl_multi_remove_handle)                                                                    \
    X(curl_multi_perform)                                                                          \
    X(curl_multi_poll)                                                                             \
    X(curl_multi_info_read)                                                                        \
    X(curl_multi_strerror)                                                                         \
    /* URLs */                                                                                     \
    X(curl_url)                                                                                    \
    X(curl_url_cleanup)                                                                            \
    X(curl_url_set)                                                                                \
    X(curl_url_get)

struct CurlApi {
#define BURROW_CURL_MEMBER(name) decltype(&::name) name = nullptr;
    BURROW_CURL_FUNCTIONS(BURROW_CURL_MEMBER)
#undef BURROW_CURL_MEMBER
};

// The table, filled from libcurl.so.4 (or Debian's libcurl-gnutls.so.4) on the first call, which
// also runs curl_global_init. Throws Error when the library or one of its functions is missing.
//
// Call it first before any thread exists: curl_global_init initializes the TLS library and is
// not thread-safe before libcurl 7.84. Once loaded, the table itself is read-only and safe to
// share. A transfer may start a resolver thread for its duration: create user namespaces
// (unshare(CLONE_NEWUSER) refuses a process with threads) before any transfer or in another
// process.
const CurlApi& curl_api();

} // namespace burrow::registry
