#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace burrow::userns {

// One line of /etc/subuid or /etc/subgid that belongs to the user: `name:start:count`.
struct SubidRange {
    unsigned long start = 0;
    unsigned long count = 0;
};

// One line of a uid_map/gid_map: ids [inside, inside+count) map to [outside, outside+count).
struct IdMapEntry {
    unsigned long inside = 0;
    unsigned long outside = 0;
    unsigned long count = 0;
    bool operator==(const IdMapEntry&) const = default;
};

// The ranges of `content` (the text of /etc/subuid or /etc/subgid) that belong to the user,
// matched by name or by numeric id, in file order. Malformed lines are skipped, as shadow-utils
// does; ranges of count 0 are dropped.
std::vector<SubidRange> parse_subid_file(std::string_view content, std::string_view user_name,
                                         unsigned long user_id);

// Container id 0 = the user's own id; 1..N = the subordinate ranges, one after another.
std::vector<IdMapEntry> build_id_map(unsigned long own_id, const std::vector<SubidRange>& ranges);

// The text written to /proc/PID/uid_map: one "inside outside count" line per entry.
std::string format_id_map(const std::vector<IdMapEntry>& map);

// Both maps of the calling user, read from /etc/subuid and /etc/subgid (or the files given, for
// tests). single_id is true when either file has no range for the user: the maps then hold the
// user alone.
struct UserMappings {
    std::vector<IdMapEntry> uid_map;
    std::vector<IdMapEntry> gid_map;
    bool single_id = false;
    std::string reason; // why single-id mode, for the warning
};
UserMappings user_mappings(const std::string& subuid_path = "/etc/subuid",
                           const std::string& subgid_path = "/etc/subgid");

// Writes the maps of the process `pid`, which has unshared its user namespace and waits:
// newuidmap/newgidmap for ranges, or directly (setgroups deny first) in single-id mode.
// proc_root is /proc except in tests.
void write_id_maps(pid_t pid, const UserMappings& maps, const std::string& proc_root = "/proc");

} // namespace burrow::userns
