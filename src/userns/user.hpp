#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace burrow::userns {

// Who the container's process runs as.
struct ExecUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> additional_gids;
    std::string home = "/";
    std::string name; // from /etc/passwd; empty for a uid it does not list
    bool operator==(const ExecUser&) const = default;
};

// Resolves `-u/--user` as docker does (runc's GetExecUser), given the text of the container's
// /etc/passwd and /etc/group (nullopt: the file does not exist).
//
// spec: "" (root), "name", "uid", and any of those followed by ":group" or ":gid". A number is
// always an id, listed in the file or not; a name must be listed. Without an explicit group the
// gid is the user's primary group from passwd (0 for an unlisted uid), and the supplementary
// groups are those /etc/group lists the user name in. group_add (--group-add, names or numbers)
// come after, without repeats. Malformed and comment lines of either file are skipped, and the
// first matching line wins.
//
// Errors: "unable to find user NAME: no matching entries in passwd file", "unable to find group
// NAME: no matching entries in group file", and ids out of range.
ExecUser resolve_user(std::string_view spec, std::optional<std::string_view> passwd,
                      std::optional<std::string_view> group,
                      const std::vector<std::string>& group_add = {});

// resolve_user with /etc/passwd and /etc/group of the current root. The runtime calls it after
// pivot_root, so they are the container's files, which its image controls: anything but a regular
// file is refused rather than read (a FIFO would block, /dev/zero would never end).
ExecUser resolve_user_in_root(std::string_view spec, const std::vector<std::string>& group_add);

} // namespace burrow::userns
