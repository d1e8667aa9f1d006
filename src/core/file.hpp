#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace burrow {

// Reads a whole file; throws SysError naming the path.
std::string read_file(const std::string& path);
// Reads a whole file, or nullopt when it does not exist.
std::optional<std::string> try_read_file(const std::string& path);
// Reads all of fd from its current offset.
std::string read_fd(int fd);
// Writes all of data to fd, retrying short writes and EINTR.
void write_all(int fd, const void* data, size_t len);
// Writes a file atomically: a temporary file in the same folder, fsync, rename.
void atomic_write_file(const std::string& path, const std::string& data, mode_t mode = 0644);
// Creates a folder and its parents; an existing folder is fine.
void make_dirs(const std::string& path, mode_t mode = 0755);
bool path_exists(const std::string& path);

} // namespace burrow
