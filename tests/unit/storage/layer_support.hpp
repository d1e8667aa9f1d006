#pragma once
// Helpers for the layer tests: building and reading tar layers, running as root of a user
// namespace, looking at trees.

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/libarchive.hpp"
#include "support.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <sched.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace burrow::test {

struct TarMember {
    std::string name;
    unsigned type = AE_IFREG; // AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFBLK, AE_IFIFO
    unsigned perm = 0644;
    int64_t uid = 0;
    int64_t gid = 0;
    std::string data;     // a regular file's content
    std::string symlink;  // a symlink's target
    std::string hardlink; // set: a hardlink to this member
    unsigned rdev_major = 0;
    unsigned rdev_minor = 0;
    int64_t mtime = 1600000000;
    std::map<std::string, std::string> xattrs;
};

inline TarMember dir(std::string name, unsigned perm = 0755) {
    TarMember m;
    m.name = std::move(name);
    m.type = AE_IFDIR;
    m.perm = perm;
    return m;
}

inline TarMember file(std::string name, std::string data = {}, unsigned perm = 0644) {
    TarMember m;
    m.name = std::move(name);
    m.data = std::move(data);
    m.perm = perm;
    return m;
}

inline TarMember symlink(std::string name, std::string target) {
    TarMember m;
    m.name = std::move(name);
    m.type = AE_IFLNK;
    m.perm = 0777;
    m.symlink = std::move(target);
    return m;
}

inline TarMember hardlink(std::string name, std::string target) {
    TarMember m;
    m.name = std::move(name);
    m.hardlink = std::move(target);
    return m;
}

enum class Compression { None, Gzip, Zstd };

// An anonymous file, for tar streams.
inline UniqueFd memfile() {
    UniqueFd fd(::memfd_create("layer", MFD_CLOEXEC));
    REQUIRE(fd);
    return fd;
}

inline void rewind(int fd) {
    REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
}

// The members as a pax tar in an anonymous file, read from its start.
inline UniqueFd make_layer(const std::vector<TarMember>& members,
                           Compression compression = Compression::None) {
    using namespace burrow::storage;
    const ArchiveApi& api = archive_api();
    UniqueFd fd = memfile();
    Utf8Locale utf8;
    ArchiveWriter w = ArchiveWriter::stream();
    REQUIRE(api.archive_write_set_format_pax_restricted(w.get()) == ARCHIVE_OK);
    if (compression == Compression::Gzip)
        REQUIRE(api.archive_write_add_filter_gzip(w.get()) == ARCHIVE_OK);
    if (compression == Compression::Zstd)
        REQUIRE(api.archive_write_add_filter_zstd(w.get()) == ARCHIVE_OK);
    REQUIRE(api.archive_write_open_fd(w.get(), fd.get()) == ARCHIVE_OK);
    for (const auto& m : members) {
        ArchiveEntry entry;
        auto* e = entry.get();
        api.archive_entry_copy_pathname(e, m.name.c_str());
        api.archive_entry_set_filetype(e, m.type);
        api.archive_entry_set_perm(e, m.perm);
        api.archive_entry_set_uid(e, m.uid);
        api.archive_entry_set_gid(e, m.gid);
        api.archive_entry_set_mtime(e, m.mtime, 0);
        api.archive_entry_set_size(e, m.type == AE_IFREG && m.hardlink.empty()
                                          ? static_cast<la_int64_t>(m.data.size())
                                          : 0);
        if (!m.symlink.empty())
            api.archive_entry_copy_symlink(e, m.symlink.c_str());
        if (!m.hardlink.empty())
            api.archive_entry_copy_hardlink(e, m.hardlink.c_str());
        api.archive_entry_set_rdevmajor(e, m.rdev_major);
        api.archive_entry_set_rdevminor(e, m.rdev_minor);
        for (const auto& [name, value] : m.xattrs)
            api.archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
        REQUIRE(api.archive_write_header(w.get(), e) == ARCHIVE_OK);
        if (!m.data.empty() && m.hardlink.empty())
            REQUIRE(api.archive_write_data(w.get(), m.data.data(), m.data.size()) ==
                    static_cast<la_ssize_t>(m.data.size()));
    }
    REQUIRE(api.archive_write_close(w.get()) == ARCHIVE_OK);
    rewind(fd.get());
    return fd;
}

// The members of the tar (any compression) in fd, read from its current offset.
inline std::vector<TarMember> read_layer(int fd) {
    using namespace burrow::storage;
    const ArchiveApi& api = archive_api();
    Utf8Locale utf8;
    ArchiveReader r;
    api.archive_read_support_filter_all(r.get());
    api.archive_read_support_format_tar(r.get());
    REQUIRE(api.archive_read_open_fd(r.get(), fd, 65536) == ARCHIVE_OK);
    std::vector<TarMember> out;
    struct archive_entry* e = nullptr;
    for (;;) {
        int rc = api.archive_read_next_header(r.get(), &e);
        if (rc == ARCHIVE_EOF)
            break;
        REQUIRE(rc == ARCHIVE_OK);
        TarMember m;
        m.name = api.archive_entry_pathname(e);
        m.type = api.archive_entry_filetype(e);
        m.perm = api.archive_entry_perm(e);
        m.uid = api.archive_entry_uid(e);
        m.gid = api.archive_entry_gid(e);
        m.mtime = api.archive_entry_mtime(e);
        if (const char* s = api.archive_entry_symlink(e))
            m.symlink = s;
        if (const char* h = api.archive_entry_hardlink(e))
            m.hardlink = h;
        m.rdev_major = api.archive_entry_rdevmajor(e);
        m.rdev_minor = api.archive_entry_rdevminor(e);
        api.archive_entry_xattr_reset(e);
        const char* name = nullptr;
        const void* value = nullptr;
        size_t size = 0;
        while (api.archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
            m.xattrs[name] = std::string(static_cast<const char*>(value), size);
        char buf[4096];
        la_ssize_t n;
        while ((n = api.archive_read_data(r.get(), buf, sizeof buf)) > 0)
            m.data.append(buf, static_cast<size_t>(n));
        REQUIRE(n == 0);
        out.push_back(std::move(m));
    }
    return out;
}

inline std::vector<std::string> names_of(const std::vector<TarMember>& members) {
    std::vector<std::string> names;
    for (const auto& m : members)
        names.push_back(m.name);
    return names;
}

inline const TarMember* find_member(const std::vector<TarMember>& members,
                                    const std::string& name) {
    for (const auto& m : members)
        if (m.name == name)
            return &m;
    return nullptr;
}

inline void write_all_file(const std::string& path, const std::string& data) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", path);
    write_all(fd.get(), data.data(), data.size());
}

// Runs body in a forked child that is root of a new user namespace mapping the calling user
// alone (single-id mode); returns what body returns, or "error: <message>".
inline std::string in_userns(const std::function<std::string()>& body) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    UniqueFd rd(fds[0]), wr(fds[1]);
    uid_t uid = ::getuid();
    gid_t gid = ::getgid();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        rd.reset();
        std::string out;
        try {
            if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
                throw SysError("unshare");
            write_all_file("/proc/self/setgroups", "deny");
            write_all_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
            write_all_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
            out = body();
        } catch (const std::exception& e) {
            out = std::string("error: ") + e.what();
        } catch (...) {
            out = "error: unknown";
        }
        try {
            write_all(wr.get(), out.data(), out.size());
        } catch (...) {
        }
        ::_exit(0);
    }
    wr.reset();
    std::string out = read_fd(rd.get());
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    return out;
}

inline struct stat lstat_of(const std::string& path) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(path.c_str(), &st) == 0, path);
    return st;
}

inline bool exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

// Every path under root, relative, sorted (a directory is listed before its contents).
inline std::vector<std::string> tree_of(const std::string& root) {
    std::vector<std::string> out;
    namespace fs = std::filesystem;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none);
         it != fs::recursive_directory_iterator(); ++it)
        out.push_back(it->path().lexically_relative(root).string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace burrow::test
