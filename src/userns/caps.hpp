#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Linux capabilities of the container's process: names, the --cap-add/--cap-drop arithmetic,
// the five sets a process gets, and their application in the forked child.
//
// A mask holds capability N in bit N; every capability the kernel knows fits in 64 bits.
namespace burrow::userns {

// `CAP_CHOWN`, `chown` and `Chown` all name capability 0. Names libcap does not know are nullopt;
// so are numbers, which docker and podman do not accept either.
std::optional<int> cap_from_name(std::string_view name);

// "CAP_CHOWN"; a capability newer than libcap's table reads as its decimal number.
std::string cap_name(int cap);

// The highest capability of the running kernel (/proc/sys/kernel/cap_last_cap, read once),
// or the one this program was built with when /proc does not say.
int last_cap();

// Every capability up to last_cap().
uint64_t all_caps_mask();

// podman's default set: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETFCAP,
// SETGID, SETPCAP, SETUID, SYS_CHROOT.
uint64_t default_cap_mask();

// The capabilities of a container, as podman computes them from --cap-add, --cap-drop and
// --privileged (containers/common MergeCapabilities):
// - privileged: every capability; --cap-add/--cap-drop are checked for unknown names only;
// - --cap-drop ALL: exactly the --cap-add list (ALL in both is an error);
// - --cap-add ALL: every capability but the --cap-drop list;
// - otherwise the defaults, minus --cap-drop, plus --cap-add; one capability in both lists is
//   an error, whatever the order on the command line.
// Names are taken as cap_from_name takes them, `all` in any case. The result is not limited to
// the bounding set burrow itself runs with: intersect it with current_bounding_set().
uint64_t resolve_cap_mask(const std::vector<std::string>& add, const std::vector<std::string>& drop,
                          bool privileged);

// Just the --cap-add list as a mask (ALL = every capability); the caps a non-root user keeps.
uint64_t explicit_cap_mask(const std::vector<std::string>& add);

// "CAP_CHOWN,CAP_KILL", sorted by name as podman prints them in inspect; "" for an empty mask.
std::string cap_mask_names(uint64_t mask);

// The bounding set of the calling process (PR_CAPBSET_READ). A user namespace inherits it, so
// the container can hold nothing outside it.
uint64_t current_bounding_set();

struct CapSets {
    uint64_t bounding = 0;
    uint64_t effective = 0;
    uint64_t permitted = 0;
    uint64_t inheritable = 0;
    uint64_t ambient = 0;
    bool operator==(const CapSets&) const = default;
};

// The sets of the container's process (podman >= 4, after CVE-2022-27652, which was about
// containers starting with non-empty inheritable sets):
// - root user: bounding = effective = permitted = mask; inheritable = ambient = 0. execve as
//   uid 0 grants the bounding set again, so nothing needs to be inheritable.
// - other users: bounding = mask; only the capabilities the user asked for by name
//   (explicitly_added, within mask) are effective, permitted, inheritable and ambient: ambient
//   is the only set that survives execve of an ordinary binary by a non-root uid.
CapSets cap_sets_for(uint64_t mask, uint64_t explicitly_added, bool root_user);

// Child side. These run in the forked child of the runtime, after the namespaces are set up and
// before exec. They do not allocate unless they fail. The order is fixed by the kernel rules in
// capabilities(7):
//
//   1. drop_bounding_set(sets.bounding)   -- needs CAP_SETPCAP, so while still uid 0
//   2. if the user is not uid 0: prctl(PR_SET_KEEPCAPS, 1), then setgroups/setresgid/setresuid.
//      A change of all uids from 0 to non-zero clears the permitted set unless KEEPCAPS is set,
//      and always clears the effective set.
//   3. set_process_caps(sets.effective, sets.permitted, sets.inheritable, sets.ambient)
//      capset can only lower permitted, so this comes after setresuid has done its clearing;
//      KEEPCAPS is reset by execve, as is wanted.
//   4. no_new_privs, seccomp, execve.

// Drops every capability up to last_cap() that is not in keep from the bounding set.
void drop_bounding_set(uint64_t keep);

// Sets the effective, permitted and inheritable sets (capset), then makes the ambient set exactly
// `ambient` (cleared, then raised one by one: a capability must already be permitted and
// inheritable to be raised).
void set_process_caps(uint64_t effective, uint64_t permitted, uint64_t inheritable,
                      uint64_t ambient);

} // namespace burrow::userns
