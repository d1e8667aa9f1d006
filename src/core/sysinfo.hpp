#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

// Parsers for the host files that `burrow info` reads; kept free of I/O so they can be tested.
namespace burrow::sysinfo {

// KEY=value lines of /etc/os-release (os-release(5)): quotes and backslash escapes removed,
// comments and malformed lines skipped.
std::map<std::string, std::string> parse_os_release(std::string_view content);

// The path of the cgroup v2 line (`0::/user.slice/…`) of /proc/PID/cgroup, if there is one.
std::optional<std::string> cgroup2_path(std::string_view proc_cgroup);

// statfs(2) f_type as a name: "ext4", "xfs", "nfs", …; unknown types as hex ("0x1234abcd").
std::string filesystem_name(uint64_t f_type);
// Network and cluster filesystems, where rootless storage does not work (no user xattrs, ids
// squashed by the server, no overlay upper layer).
bool is_network_filesystem(uint64_t f_type);

// uname's machine as the architecture name images use: x86_64 → amd64, aarch64 → arm64.
std::string go_arch(std::string_view machine);

// Where to start a new 65536-id subordinate range so that it overlaps no range of any user in
// /etc/subuid and /etc/subgid: at 100000 (shadow-utils' SUB_UID_MIN) or right after the last one,
// as useradd allocates.
unsigned long suggest_subid_start(std::string_view subuid, std::string_view subgid);

} // namespace burrow::sysinfo
