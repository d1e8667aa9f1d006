#pragma once

// libarchive, opened on first use rather than linked: linking it would cost every burrow command
// its loading time (see core/dynlib.hpp). The headers are included for the types only; every
// call goes through archive_api().
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <string>
#include <utility>

namespace burrow::storage {

// Each libarchive function burrow calls. Adding a function here is all it takes to use it.
#define BURROW_ARCHIVE_FUNCTIONS(X)                                                                \
    /* library and errors */                                                                       \
    X(archive_version_number)                                                                      \
    X(archive_version_string)                                                                      \
    X(archive_errno)                                                                               \
    X(archive_error_string)                                                                        \
    X(archive_clear_error)                                                                         \
    X(archive_set_error)                                                                           \
    X(archive_format)                                                                              \
    X(archive_format_name)                                                                         \
    X(archive_filter_count)                                                                        \
    X(archive_filter_code)                                                                         \
    X(archive_filter_name)                                                                         \
    X(archive_filter_bytes)                                                                        \
    /* reading archives */                                                                         \
    X(archive_read_new)                                                                            \
    X(archive_read_free)                                                                           \
    X(archive_read_close)                                                                          \
    X(archive_read_support_filter_all)                                                             \
    X(archive_read_support_filter_none)                                                            \
    X(archive_read_support_filter_gzip)                                                            \
    X(archive_read_support_filter_zstd)                                                            \
    X(archive_read_support_filter_xz)                                                              \
    X(archive_read_support_filter_bzip2)                                                           \
    X(archive_read_support_format_all)                                                             \
    X(archive_read_support_format_tar)                                                             \
    X(archive_read_support_format_gnutar)                                                          \
    X(archive_read_support_format_raw)                                                             \
    X(archive_read_support_format_empty)                                                           \
    X(archive_read_set_options)                                                                    \
    X(archive_read_set_format_option)                                                              \
    X(archive_read_set_filter_option)                                                              \
    X(archive_read_open)                                                                           \
    X(archive_read_open_fd)                                                                        \
    X(archive_read_open_filename)                                                                  \
    X(archive_read_open_memory)                                                                    \
    X(archive_read_next_header)                                                                    \
    X(archive_read_next_header2)                                                                   \
    X(archive_read_data)                                                                           \
    X(archive_read_data_block)                                                                     \
    X(archive_read_data_skip)                                                                      \
    X(archive_read_data_into_fd)                                                                   \
    /* writing archives */                                                                         \
    X(archive_write_new)                                                                           \
    X(archive_write_free)                                                                          \
    X(archive_write_close)                                                                         \
    X(archive_write_fail)                                                                          \
    X(archive_write_set_format_pax)                                                                \
    X(archive_write_set_format_pax_restricted)                                                     \
    X(archive_write_set_format_ustar)                                                              \
    X(archive_write_set_format_gnutar)                                                             \
    X(archive_write_set_format_option)                                                             \
    X(archive_write_set_filter_option)                                                             \
    X(archive_write_set_options)                                                                   \
    X(archive_write_add_filter_none)                                                               \
    X(archive_write_add_filter_gzip)                                                               \
    X(archive_write_add_filter_zstd)                                                               \
    X(archive_write_add_filter_xz)                                                                 \
    X(archive_write_set_bytes_per_block)                                                           \
    X(archive_write_set_bytes_in_last_block)                                                       \
    X(archive_write_open)                                                                          \
    X(archive_write_open_fd)                                                                       \
    X(archive_write_open_filename)                                                                 \
    X(archive_write_open_memory)                                                                   \
    X(archive_write_header)                                                                        \
    X(archive_write_data)                                                                          \
    X(archive_write_data_block)                                                                    \
    X(archive_write_finish_entry)                                                                  \
    /* writing to disk */                                                                          \
    X(archive_write_disk_new)                                                                      \
    X(archive_write_disk_set_options)                                                              \
    X(archive_write_disk_set_skip_file)                                                            \
    /* reading from disk */                                                                        \
    X(archive_read_disk_new)                                                                       \
    X(archive_read_disk_set_symlink_physical)                                                      \
    X(archive_read_disk_set_behavior)                                                              \
    X(archive_read_disk_entry_from_file)                                                           \
    /* entries */                                                                                  \
    X(archive_entry_new)                                                                           \
    X(archive_entry_new2)                                                                          \
    X(archive_entry_free)                                                                          \
    X(archive_entry_clear)                                                                         \
    X(archive_entry_clone)                                                                         \
    X(archive_entry_pathname)                                                                      \
    X(archive_entry_pathname_utf8)                                                                 \
    X(archive_entry_set_pathname)                                                                  \
    X(archive_entry_copy_pathname)                                                                 \
    X(archive_entry_set_pathname_utf8)                                                             \
    X(archive_entry_hardlink)                                                                      \
    X(archive_entry_set_hardlink)                                                                  \
    X(archive_entry_copy_hardlink)                                                                 \
    X(archive_entry_symlink)                                                                       \
    X(archive_entry_set_symlink)                                                                   \
    X(archive_entry_copy_symlink)                                                                  \
    X(archive_entry_filetype)                                                                      \
    X(archive_entry_set_filetype)                                                                  \
    X(archive_entry_mode)                                                                          \
    X(archive_entry_set_mode)                                                                      \
    X(archive_entry_perm)                                                                          \
    X(archive_entry_set_perm)                                                                      \
    X(archive_entry_size)                                                                          \
    X(archive_entry_size_is_set)                                                                   \
    X(archive_entry_set_size)                                                                      \
    X(archive_entry_unset_size)                                                                    \
    X(archive_entry_uid)                                                                           \
    X(archive_entry_set_uid)                                                                       \
    X(archive_entry_gid)                                                                           \
    X(archive_entry_set_gid)                                                                       \
    X(archive_entry_uname)                                                                         \
    X(archive_entry_set_uname)                                                                     \
    X(archive_entry_gname)                                                                         \
    X(archive_entry_set_gname)                                                                     \
    X(archive_entry_mtime)                                                                         \
    X(archive_entry_mtime_nsec)                                                                    \
    X(archive_entry_mtime_is_set)                                                                  \
    X(archive_entry_set_mtime)                                                                     \
    X(archive_entry_unset_mtime)                                                                   \
    X(archive_entry_set_atime)                                                                     \
    X(archive_entry_unset_atime)                                                                   \
    X(archive_entry_set_ctime)                                                                     \
    X(archive_entry_unset_ctime)                                                                   \
    X(archive_entry_rdev)                                                                          \
    X(archive_entry_rdevmajor)                                                                     \
    X(archive_entry_rdevminor)                                                                     \
    X(archive_entry_set_rdev)                                                                      \
    X(archive_entry_set_rdevmajor)                                                                 \
    X(archive_entry_set_rdevminor)                                                                 \
    X(archive_entry_nlink)                                                                         \
    X(archive_entry_set_nlink)                                                                     \
    X(archive_entry_copy_stat)                                                                     \
    X(archive_entry_stat)                                                                          \
    X(archive_entry_xattr_clear)                                                                   \
    X(archive_entry_xattr_add_entry)                                                               \
    X(archive_entry_xattr_count)                                                                   \
    X(archive_entry_xattr_reset)                                                                   \
    X(archive_entry_xattr_next)

struct ArchiveApi {
#define BURROW_ARCHIVE_MEMBER(name) decltype(&::name) name = nullptr;
    BURROW_ARCHIVE_FUNCTIONS(BURROW_ARCHIVE_MEMBER)
#undef BURROW_ARCHIVE_MEMBER
};

// The table, filled from libarchive.so.13 on the first call. Throws Error when the library or
// one of its functions is missing. Call it before chroot or fork when the library must be
// loaded from the host.
const ArchiveApi& archive_api();

// libarchive's message for the last failure on a, or "unknown libarchive error".
std::string archive_error(struct archive* a);

// Throws Error("<what>: <libarchive's message>") when rc is ARCHIVE_FAILED or ARCHIVE_FATAL;
// returns rc (ARCHIVE_OK, ARCHIVE_WARN, ARCHIVE_EOF, ARCHIVE_RETRY or a byte count) otherwise.
long check_archive(struct archive* a, long rc, const std::string& what);

// A reading archive (archive_read_new), freed with archive_read_free.
class ArchiveReader {
public:
    ArchiveReader();
    ArchiveReader(ArchiveReader&& o) noexcept : a_(std::exchange(o.a_, nullptr)) {}
    ArchiveReader& operator=(ArchiveReader&& o) noexcept {
        std::swap(a_, o.a_);
        return *this;
    }
    ArchiveReader(const ArchiveReader&) = delete;
    ArchiveReader& operator=(const ArchiveReader&) = delete;
    ~ArchiveReader();

    struct archive* get() const noexcept {
        return a_;
    }

private:
    struct archive* a_ = nullptr;
};

// A writing archive, to a stream (archive_write_new) or to disk (archive_write_disk_new), freed
// with archive_write_free. Call archive_write_close first to see the errors of the last writes:
// freeing closes too, silently.
class ArchiveWriter {
public:
    static ArchiveWriter stream();
    static ArchiveWriter disk();
    ArchiveWriter(ArchiveWriter&& o) noexcept : a_(std::exchange(o.a_, nullptr)) {}
    ArchiveWriter& operator=(ArchiveWriter&& o) noexcept {
        std::swap(a_, o.a_);
        return *this;
    }
    ArchiveWriter(const ArchiveWriter&) = delete;
    ArchiveWriter& operator=(const ArchiveWriter&) = delete;
    ~ArchiveWriter();

    struct archive* get() const noexcept {
        return a_;
    }

private:
    explicit ArchiveWriter(struct archive* a) noexcept : a_(a) {}
    struct archive* a_ = nullptr;
};

// An archive_entry, freed with archive_entry_free.
class ArchiveEntry {
public:
    ArchiveEntry();
    ArchiveEntry(ArchiveEntry&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
    ArchiveEntry& operator=(ArchiveEntry&& o) noexcept {
        std::swap(e_, o.e_);
        return *this;
    }
    ArchiveEntry(const ArchiveEntry&) = delete;
    ArchiveEntry& operator=(const ArchiveEntry&) = delete;
    ~ArchiveEntry();

    struct archive_entry* get() const noexcept {
        return e_;
    }

private:
    struct archive_entry* e_ = nullptr;
};

// Switches the calling thread to the C.UTF-8 character type while alive. libarchive converts
// pax names (UTF-8) to the current locale's charset; in the plain C locale it cannot, and names
// outside ASCII would come out mangled. With C.UTF-8 they pass through as bytes. Without that
// locale installed, nothing changes.
class Utf8Locale {
public:
    Utf8Locale();
    Utf8Locale(const Utf8Locale&) = delete;
    Utf8Locale& operator=(const Utf8Locale&) = delete;
    ~Utf8Locale();

private:
    locale_t utf8_ = nullptr;
    locale_t previous_ = nullptr;
};

} // namespace burrow::storage
