#include "core/error.hpp"
#include "support.hpp"
#include "userns/caps.hpp"

#include <bit>
#include <cerrno>
#include <doctest/doctest.h>
#include <fstream>
#include <functional>
#include <linux/capability.h>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace burrow;
using namespace burrow::test;
using namespace burrow::userns;

namespace {

// Runs body in a child that holds every capability of a new user namespace.
int in_new_userns_child(const std::function<int()>& body) {
    return in_child([&] { return ::unshare(CLONE_NEWUSER) == 0 ? body() : 101; });
}

constexpr uint64_t bit(int cap) {
    return uint64_t{1} << cap;
}

CapSets read_status_caps() {
    std::ifstream in("/proc/self/status");
    std::string line;
    CapSets sets;
    while (std::getline(in, line)) {
        auto field = [&](const char* key, uint64_t& out) {
            std::string prefix = std::string(key) + ":";
            if (line.starts_with(prefix))
                out = std::stoull(line.substr(prefix.size()), nullptr, 16);
        };
        field("CapBnd", sets.bounding);
        field("CapEff", sets.effective);
        field("CapPrm", sets.permitted);
        field("CapInh", sets.inheritable);
        field("CapAmb", sets.ambient);
    }
    return sets;
}

int expect_sets(const CapSets& want) {
    CapSets got = read_status_caps();
    if (got.bounding != want.bounding)
        return 1;
    if (got.effective != want.effective)
        return 2;
    if (got.permitted != want.permitted)
        return 3;
    if (got.inheritable != want.inheritable)
        return 4;
    if (got.ambient != want.ambient)
        return 5;
    return 0;
}

} // namespace

TEST_CASE("cap_from_name takes the forms docker and podman take") {
    CHECK(cap_from_name("CAP_CHOWN") == CAP_CHOWN);
    CHECK(cap_from_name("chown") == CAP_CHOWN);
    CHECK(cap_from_name("CHOWN") == CAP_CHOWN);
    CHECK(cap_from_name("Chown") == CAP_CHOWN);
    CHECK(cap_from_name("cap_net_raw") == CAP_NET_RAW);
    CHECK(cap_from_name("Cap_Sys_Admin") == CAP_SYS_ADMIN);
    CHECK(cap_from_name("NET_BIND_SERVICE") == CAP_NET_BIND_SERVICE);

    CHECK_FALSE(cap_from_name(""));
    CHECK_FALSE(cap_from_name("CAP_"));
    CHECK_FALSE(cap_from_name("FOO"));
    CHECK_FALSE(cap_from_name("CAP_FOO"));
    CHECK_FALSE(cap_from_name("12"));
    CHECK_FALSE(cap_from_name("cap_12"));
    CHECK_FALSE(cap_from_name(" CHOWN"));
    CHECK_FALSE(cap_from_name("CHOWN "));
    CHECK_FALSE(cap_from_name("CAP_CHOWN,CAP_KILL"));
    CHECK_FALSE(cap_from_name("ALL"));
    CHECK_FALSE(cap_from_name("cap-chown"));
}

TEST_CASE("cap_name gives the canonical name, and names round-trip") {
    CHECK(cap_name(CAP_CHOWN) == "CAP_CHOWN");
    CHECK(cap_name(CAP_SYS_ADMIN) == "CAP_SYS_ADMIN");
    CHECK(cap_name(CAP_NET_BIND_SERVICE) == "CAP_NET_BIND_SERVICE");
    for (int cap = 0; cap <= last_cap(); ++cap) {
        CAPTURE(cap);
        CHECK(cap_from_name(cap_name(cap)) == cap);
    }
}

TEST_CASE("last_cap is the running kernel's") {
    std::ifstream in("/proc/sys/kernel/cap_last_cap");
    int kernel = -1;
    in >> kernel;
    REQUIRE(kernel > 0);
    CHECK(last_cap() == kernel);
    CHECK(std::popcount(all_caps_mask()) == kernel + 1);
    CHECK((all_caps_mask() & bit(kernel)) != 0);
}

TEST_CASE("the default set is podman's eleven") {
    CHECK(std::popcount(default_cap_mask()) == 11);
    CHECK(cap_mask_names(default_cap_mask()) ==
          "CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_NET_BIND_SERVICE,"
          "CAP_SETFCAP,CAP_SETGID,CAP_SETPCAP,CAP_SETUID,CAP_SYS_CHROOT");
}

TEST_CASE("cap_mask_names sorts by name") {
    CHECK(cap_mask_names(0).empty());
    CHECK(cap_mask_names(bit(CAP_KILL)) == "CAP_KILL");
    CHECK(cap_mask_names(bit(CAP_KILL) | bit(CAP_CHOWN) | bit(CAP_AUDIT_WRITE)) ==
          "CAP_AUDIT_WRITE,CAP_CHOWN,CAP_KILL");
}

TEST_CASE("resolve_cap_mask follows podman's --cap-add/--cap-drop rules") {
    const uint64_t defaults = default_cap_mask();
    const uint64_t all = all_caps_mask();

    SUBCASE("no flags: the defaults") {
        CHECK(resolve_cap_mask({}, {}, false) == defaults);
    }
    SUBCASE("add and drop single capabilities in any spelling") {
        CHECK(resolve_cap_mask({"NET_RAW"}, {}, false) == (defaults | bit(CAP_NET_RAW)));
        CHECK(resolve_cap_mask({"cap_net_raw", "SYS_ADMIN"}, {}, false) ==
              (defaults | bit(CAP_NET_RAW) | bit(CAP_SYS_ADMIN)));
        CHECK(resolve_cap_mask({}, {"chown"}, false) == (defaults & ~bit(CAP_CHOWN)));
        CHECK(resolve_cap_mask({"NET_RAW"}, {"CAP_KILL", "setuid"}, false) ==
              ((defaults | bit(CAP_NET_RAW)) & ~bit(CAP_KILL) & ~bit(CAP_SETUID)));
    }
    SUBCASE("adding a default or dropping an absent capability changes nothing") {
        CHECK(resolve_cap_mask({"CHOWN"}, {}, false) == defaults);
        CHECK(resolve_cap_mask({}, {"SYS_ADMIN"}, false) == defaults);
    }
    SUBCASE("comma lists, as podman's flags split them") {
        CHECK(resolve_cap_mask({"NET_RAW,SYS_ADMIN"}, {"CHOWN,KILL"}, false) ==
              ((defaults | bit(CAP_NET_RAW) | bit(CAP_SYS_ADMIN)) & ~bit(CAP_CHOWN) &
               ~bit(CAP_KILL)));
    }
    SUBCASE("--cap-drop ALL keeps exactly the added capabilities") {
        CHECK(resolve_cap_mask({}, {"ALL"}, false) == 0);
        CHECK(resolve_cap_mask({"NET_BIND_SERVICE"}, {"ALL"}, false) == bit(CAP_NET_BIND_SERVICE));
        CHECK(resolve_cap_mask({"chown", "SYS_ADMIN"}, {"all"}, false) ==
              (bit(CAP_CHOWN) | bit(CAP_SYS_ADMIN)));
        CHECK(resolve_cap_mask({"KILL"}, {"ALL", "KILL"}, false) == bit(CAP_KILL));
    }
    SUBCASE("--cap-add ALL gives everything but the dropped") {
        CHECK(resolve_cap_mask({"ALL"}, {}, false) == all);
        CHECK(resolve_cap_mask({"All"}, {"SYS_ADMIN"}, false) == (all & ~bit(CAP_SYS_ADMIN)));
    }
    SUBCASE("privileged: every capability, whatever is dropped") {
        CHECK(resolve_cap_mask({}, {}, true) == all);
        CHECK(resolve_cap_mask({"NET_RAW"}, {"ALL"}, true) == all);
    }
    SUBCASE("errors") {
        CHECK(error_of([] { resolve_cap_mask({"FOO"}, {}, false); }) ==
              "unknown capability \"FOO\"");
        CHECK(error_of([] { resolve_cap_mask({}, {"CAP_BOGUS"}, false); }) ==
              "unknown capability \"CAP_BOGUS\"");
        CHECK(error_of([] { resolve_cap_mask({"CHOWN,"}, {}, false); }) ==
              "unknown capability \"\"");
        CHECK(error_of([] { resolve_cap_mask({"7"}, {}, false); }) == "unknown capability \"7\"");
        CHECK(error_of([] { resolve_cap_mask({"FOO"}, {}, true); }) ==
              "unknown capability \"FOO\"");
        CHECK(error_of([] { resolve_cap_mask({"net_raw"}, {"CAP_NET_RAW"}, false); }) ==
              "capability CAP_NET_RAW cannot be both added and dropped");
        CHECK(error_of([] { resolve_cap_mask({"ALL"}, {"ALL"}, false); }) ==
              "--cap-add ALL and --cap-drop ALL cannot be used together");
    }
}

TEST_CASE("explicit_cap_mask is only what was added") {
    CHECK(explicit_cap_mask({}) == 0);
    CHECK(explicit_cap_mask({"NET_RAW", "chown"}) == (bit(CAP_NET_RAW) | bit(CAP_CHOWN)));
    CHECK(explicit_cap_mask({"ALL"}) == all_caps_mask());
    CHECK(error_of([] { explicit_cap_mask({"NOPE"}); }) == "unknown capability \"NOPE\"");
}

TEST_CASE("cap_sets_for: root keeps the mask, other users only what they added") {
    const uint64_t mask = default_cap_mask() | bit(CAP_NET_RAW);

    CapSets root = cap_sets_for(mask, bit(CAP_NET_RAW), true);
    CHECK(root == CapSets{mask, mask, mask, 0, 0});

    CapSets user = cap_sets_for(mask, 0, false);
    CHECK(user == CapSets{mask, 0, 0, 0, 0});

    const uint64_t added = bit(CAP_NET_RAW) | bit(CAP_CHOWN);
    CapSets with_add = cap_sets_for(mask, added, false);
    CHECK(with_add == CapSets{mask, added, added, added, added});

    // an added capability that --cap-drop ALL or the bounding set took away stays out
    CapSets outside = cap_sets_for(bit(CAP_CHOWN), bit(CAP_CHOWN) | bit(CAP_SYS_ADMIN), false);
    CHECK(outside ==
          CapSets{bit(CAP_CHOWN), bit(CAP_CHOWN), bit(CAP_CHOWN), bit(CAP_CHOWN), bit(CAP_CHOWN)});
}

TEST_CASE("current_bounding_set matches /proc/self/status") {
    CHECK(current_bounding_set() == read_status_caps().bounding);
}

TEST_CASE("child side: the sets of a root container process") {
    int rc = in_new_userns_child([] {
        CapSets sets = cap_sets_for(default_cap_mask(), 0, true);
        drop_bounding_set(sets.bounding);
        set_process_caps(sets.effective, sets.permitted, sets.inheritable, sets.ambient);
        return expect_sets(sets);
    });
    CHECK(rc == 0);
}

TEST_CASE("child side: the sets of a non-root process with an added capability") {
    int rc = in_new_userns_child([] {
        const uint64_t mask = default_cap_mask() | bit(CAP_NET_RAW);
        CapSets sets = cap_sets_for(mask, bit(CAP_NET_RAW) | bit(CAP_KILL), false);
        drop_bounding_set(sets.bounding);
        set_process_caps(sets.effective, sets.permitted, sets.inheritable, sets.ambient);
        return expect_sets(sets);
    });
    CHECK(rc == 0);
}

TEST_CASE("child side: a user with nothing added ends with empty sets") {
    int rc = in_new_userns_child([] {
        CapSets sets = cap_sets_for(default_cap_mask(), 0, false);
        drop_bounding_set(sets.bounding);
        set_process_caps(sets.effective, sets.permitted, sets.inheritable, sets.ambient);
        return expect_sets(sets);
    });
    CHECK(rc == 0);
}

TEST_CASE("child side: set_process_caps replaces an earlier ambient set") {
    int rc = in_new_userns_child([] {
        const uint64_t two = bit(CAP_CHOWN) | bit(CAP_KILL);
        set_process_caps(all_caps_mask(), all_caps_mask(), two, two);
        if (read_status_caps().ambient != two)
            return 10;
        set_process_caps(two, two, bit(CAP_KILL), bit(CAP_KILL));
        return expect_sets({all_caps_mask(), two, two, bit(CAP_KILL), bit(CAP_KILL)});
    });
    CHECK(rc == 0);
}

TEST_CASE("child side: failures are SysErrors naming the capability") {
    int rc = in_new_userns_child([] {
        // an ambient capability must be permitted and inheritable
        try {
            set_process_caps(bit(CAP_KILL), bit(CAP_KILL), 0, bit(CAP_KILL));
            return 10;
        } catch (const SysError& e) {
            if (e.error() != EPERM ||
                std::string(e.what()) !=
                    "raise ambient capability CAP_KILL: Operation not permitted")
                return 11;
        }
        // capset cannot raise what is no longer permitted
        try {
            set_process_caps(bit(CAP_CHOWN), bit(CAP_CHOWN), 0, 0);
            return 12;
        } catch (const SysError& e) {
            if (e.error() != EPERM)
                return 13;
        }
        // without CAP_SETPCAP, asking for the bounding set already held is still fine...
        drop_bounding_set(all_caps_mask());
        // ...but dropping more is not
        try {
            drop_bounding_set(all_caps_mask() & ~bit(CAP_SYS_ADMIN));
            return 14;
        } catch (const SysError& e) {
            if (e.error() != EPERM ||
                std::string(e.what()).find("CAP_SYS_ADMIN") == std::string::npos)
                return 15;
        }
        return 0;
    });
    CHECK(rc == 0);
}
