#include "core/error.hpp"
#include "support.hpp"
#include "userns/rlimits.hpp"

#include <cerrno>
#include <doctest/doctest.h>
#include <functional>
#include <string>
#include <sys/capability.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace burrow;
using namespace burrow::test;
using namespace burrow::userns;

namespace {} // namespace

TEST_CASE("parse_ulimit: soft and hard") {
    CHECK(parse_ulimit("nofile=1024:2048") == Ulimit{RLIMIT_NOFILE, 1024, 2048, "nofile"});
    CHECK(parse_ulimit("nofile=1024") == Ulimit{RLIMIT_NOFILE, 1024, 1024, "nofile"});
    CHECK(parse_ulimit("nproc=0:0") == Ulimit{RLIMIT_NPROC, 0, 0, "nproc"});
    CHECK(parse_ulimit("core=-1") == Ulimit{RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY, "core"});
    CHECK(parse_ulimit("memlock=unlimited") ==
          Ulimit{RLIMIT_MEMLOCK, RLIM_INFINITY, RLIM_INFINITY, "memlock"});
    CHECK(parse_ulimit("stack=8388608:unlimited") ==
          Ulimit{RLIMIT_STACK, 8388608, RLIM_INFINITY, "stack"});
    CHECK(parse_ulimit("cpu=10:-1") == Ulimit{RLIMIT_CPU, 10, RLIM_INFINITY, "cpu"});
    CHECK(parse_ulimit("fsize=5:5") == Ulimit{RLIMIT_FSIZE, 5, 5, "fsize"});
}

TEST_CASE("parse_ulimit: every name docker knows, and the RLIMIT_ spelling") {
    struct {
        const char* name;
        int resource;
    } names[] = {
        {"core", RLIMIT_CORE},
        {"cpu", RLIMIT_CPU},
        {"data", RLIMIT_DATA},
        {"fsize", RLIMIT_FSIZE},
        {"locks", RLIMIT_LOCKS},
        {"memlock", RLIMIT_MEMLOCK},
        {"msgqueue", RLIMIT_MSGQUEUE},
        {"nice", RLIMIT_NICE},
        {"nproc", RLIMIT_NPROC},
        {"rss", RLIMIT_RSS},
        {"rtprio", RLIMIT_RTPRIO},
        {"rttime", RLIMIT_RTTIME},
        {"sigpending", RLIMIT_SIGPENDING},
        {"stack", RLIMIT_STACK},
        {"nofile", RLIMIT_NOFILE},
        {"as", RLIMIT_AS},
    };
    for (const auto& n : names) {
        CAPTURE(n.name);
        Ulimit u = parse_ulimit(std::string(n.name) + "=1:2");
        CHECK(u.resource == n.resource);
        CHECK(u.name == n.name);
    }
    CHECK(parse_ulimit("NOFILE=1").resource == RLIMIT_NOFILE);
    CHECK(parse_ulimit("RLIMIT_NOFILE=1").name == "nofile");
    CHECK(parse_ulimit("rlimit_nproc=1").resource == RLIMIT_NPROC);
}

TEST_CASE("parse_ulimit: errors are one line each") {
    CHECK(error_of([] { parse_ulimit("nofile"); }) ==
          "invalid ulimit \"nofile\": expected name=soft[:hard]");
    CHECK(error_of([] { parse_ulimit(""); }) == "invalid ulimit \"\": expected name=soft[:hard]");
    CHECK(error_of([] { parse_ulimit("bogus=1"); }) ==
          "invalid ulimit \"bogus=1\": unknown limit \"bogus\"");
    CHECK(error_of([] { parse_ulimit("=1"); }) == "invalid ulimit \"=1\": unknown limit \"\"");
    CHECK(error_of([] { parse_ulimit("nofile="); }) ==
          "invalid ulimit \"nofile=\": \"\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile=abc"); }) ==
          "invalid ulimit \"nofile=abc\": \"abc\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile=1:x"); }) ==
          "invalid ulimit \"nofile=1:x\": \"x\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile=-2"); }) ==
          "invalid ulimit \"nofile=-2\": \"-2\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile= 1"); }) ==
          "invalid ulimit \"nofile= 1\": \" 1\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile=1:"); }) ==
          "invalid ulimit \"nofile=1:\": \"\" is not a number, -1 or unlimited");
    CHECK(error_of([] { parse_ulimit("nofile=99999999999999999999"); }).find("is not a number") !=
          std::string::npos);
    CHECK(error_of([] { parse_ulimit("nofile=1:2:3"); }) ==
          "invalid ulimit \"nofile=1:2:3\": expected at most two values, soft[:hard]");
    CHECK(error_of([] { parse_ulimit("nofile=2048:1024"); }) ==
          "invalid ulimit \"nofile=2048:1024\": soft limit 2048 is above hard limit 1024");
    CHECK(error_of([] { parse_ulimit("nofile=unlimited:1024"); }) ==
          "invalid ulimit \"nofile=unlimited:1024\": soft limit unlimited is above hard limit "
          "1024");
}

TEST_CASE("apply_ulimits sets the limits") {
    int rc = in_child([] {
        struct rlimit cur {};
        ::getrlimit(RLIMIT_NOFILE, &cur);
        rlim_t hard = cur.rlim_max == RLIM_INFINITY ? 4096 : cur.rlim_max - 1;
        rlim_t soft = hard / 2;
        apply_ulimits(
            {Ulimit{RLIMIT_NOFILE, soft, hard, "nofile"}, Ulimit{RLIMIT_CORE, 0, 0, "core"}});
        struct rlimit got {};
        ::getrlimit(RLIMIT_NOFILE, &got);
        if (got.rlim_cur != soft || got.rlim_max != hard)
            return 1;
        ::getrlimit(RLIMIT_CORE, &got);
        if (got.rlim_cur != 0 || got.rlim_max != 0)
            return 2;
        apply_ulimits({});
        return 0;
    });
    CHECK(rc == 0);
}

TEST_CASE("apply_ulimits: raising a hard limit says only root can") {
    int rc = in_child([] {
        // lower the hard limit first, then give up CAP_SYS_RESOURCE (root may hold it), so that
        // raising it again is refused to anyone
        struct rlimit low {
            64, 128
        };
        if (::setrlimit(RLIMIT_NOFILE, &low) != 0)
            return 1;
        cap_t caps = ::cap_get_proc();
        cap_value_t resource = CAP_SYS_RESOURCE;
        if (caps == nullptr || ::cap_set_flag(caps, CAP_EFFECTIVE, 1, &resource, CAP_CLEAR) != 0 ||
            ::cap_set_proc(caps) != 0)
            return 2;
        ::cap_free(caps);
        try {
            apply_ulimits({Ulimit{RLIMIT_NOFILE, 64, 256, "nofile"}});
            return 3;
        } catch (const SysError& e) {
            if (e.error() != EPERM)
                return 4;
            if (std::string(e.what()) !=
                "setrlimit nofile (hard limit 256 is above the current 128, which only root on "
                "the host can raise): Operation not permitted")
                return 5;
        }
        // and any other failure names the limit and its values
        try {
            apply_ulimits({Ulimit{RLIMIT_NOFILE, 64, 128, "nofile"}, Ulimit{-1, 1, 1, "bogus"}});
            return 6;
        } catch (const SysError& e) {
            if (e.error() != EINVAL || std::string(e.what()) != "setrlimit bogus=1:1: Invalid "
                                                                "argument")
                return 7;
        }
        return 0;
    });
    CHECK(rc == 0);
}
