#pragma once

#include "core/unique_fd.hpp"

#include <optional>
#include <string>

namespace burrow::storage {

// An flock(2) on a file, held until destroyed. The kernel drops it when the holder dies, so a
// command killed with -9 never leaves the store locked.
class FileLock {
public:
    // Waits for the lock; creates the file if needed.
    static FileLock exclusive(const std::string& path);
    static FileLock shared(const std::string& path);
    // The lock if nobody holds it, else nullopt.
    static std::optional<FileLock> try_exclusive(const std::string& path);

    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;

private:
    explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace burrow::storage
