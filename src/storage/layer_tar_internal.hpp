#pragma once

// Shared by the layer extraction and the layer writers; not part of the storage API.
#include "core/unique_fd.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::storage {

// overlayfs' and fuse-overlayfs' own xattrs: never taken from a layer nor written into one.
bool is_overlay_xattr(std::string_view name);

// Opens the directory `name` under dirfd without following a symlink in its place. An invalid
// UniqueFd with errno set on failure (ELOOP or ENOTDIR when it is not a directory).
UniqueFd try_open_dir_at(int dirfd, const std::string& name);

// The names in the directory dirfd, sorted bytewise, without "." and "..". `path` names the
// directory in errors.
std::vector<std::string> list_dir(int dirfd, const std::string& path);

// Removes `name` under dirfd and, for a directory, everything in it, never following a symlink.
// A missing name is fine. `path` names it in errors.
void remove_all_at(int dirfd, const std::string& name, const std::string& path);

// The value of one xattr of fd, or nullopt when it has none (or may not read it).
std::optional<std::string> read_xattr(int fd, const char* name);

// The xattrs of fd that belong in a layer (is_layer_xattr), by name.
std::map<std::string, std::string> read_layer_xattrs(int fd, const std::string& path);

// The target of the symlink `name` under dirfd.
std::string read_link_at(int dirfd, const std::string& name, const std::string& path);

} // namespace burrow::storage
