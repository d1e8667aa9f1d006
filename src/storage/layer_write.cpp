#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "storage/layer_tar.hpp"
#include "storage/layer_tar_internal.hpp"
#include "storage/libarchive.hpp"

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <utility>

namespace burrow::storage {

namespace {

constexpr size_t kCopyBuffer = 256 * 1024;
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

std::string join_path(const std::string& dir, std::string_view name) {
    return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

std::string shown(const std::string& path) {
    return path.empty() ? std::string(".") : path;
}

UniqueFd open_root(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", path);
    return fd;
}

// Writes tar entries for files found through directory fds, never following a symlink.
class LayerWriter {
public:
    // overlay_whiteouts: convert overlayfs whiteouts and opaque directories (upper directories);
    // userxattr says which opaque xattr the mount used.
    LayerWriter(int out_fd, bool overlay_whiteouts, bool userxattr)
        : api_(archive_api()), out_(ArchiveWriter::stream()), overlay_whiteouts_(overlay_whiteouts),
          userxattr_(userxattr), buffer_(kCopyBuffer) {
        struct archive* a = out_.get();
        // pax only where ustar cannot say it (long names, big ids, xattrs), as Go's archive/tar
        // writes docker's and containers-storage's layers
        check_archive(a, api_.archive_write_set_format_pax_restricted(a), "tar format");
        // SCHILY.xattr.* records alone, the ones Go's archive/tar reads (libarchive before 3.4.1
        // lacks the option and writes LIBARCHIVE.xattr.* as well, which readers skip)
        api_.archive_write_set_format_option(a, "pax", "xattrheader", "SCHILY");
        api_.archive_write_set_bytes_per_block(a, 10240);
        // no padding of the last block to 10240 bytes, whatever out_fd is
        api_.archive_write_set_bytes_in_last_block(a, 1);
        check_archive(a, api_.archive_write_open_fd(a, out_fd), "writing the tar stream");
    }

    // Writes `name` under dirfd as `path` and, for a directory, everything under it.
    void add_tree(int dirfd, const std::string& name, const std::string& path) {
        struct stat st;
        if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
            throw SysError("stat", path);
        UniqueFd sub = add_entry(dirfd, name, path, st);
        if (sub)
            add_children(sub.get(), path);
    }

    void add_children(int dirfd, const std::string& path) {
        for (const auto& child : list_dir(dirfd, shown(path)))
            add_tree(dirfd, child, join_path(path, child));
    }

    // Writes `name` under dirfd (whose lstat is st) as `path`, without what a directory holds;
    // returns the directory's fd for the caller to go on with.
    UniqueFd add_entry(int dirfd, const std::string& name, const std::string& path,
                       const struct stat& st) {
        auto type = st.st_mode & S_IFMT;
        // tar has no sockets; docker leaves them out too
        if (type == S_IFSOCK)
            return {};
        // before the hardlink check: overlayfs links its whiteouts to one shared inode
        if (overlay_whiteouts_ && type == S_IFCHR && st.st_rdev == ::makedev(0, 0)) {
            add_whiteout(whiteout_path(path), st.st_uid, st.st_gid, st.st_mtim.tv_sec, 0600);
            return {};
        }
        ArchiveEntry entry = make_entry(path, st);
        if (type != S_IFDIR && st.st_nlink > 1) {
            auto [it, first] = links_.try_emplace({st.st_dev, st.st_ino}, path);
            if (!first) {
                api_.archive_entry_set_size(entry.get(), 0);
                api_.archive_entry_copy_hardlink(entry.get(), it->second.c_str());
                write_header(entry, path);
                finish_entry(path);
                return {};
            }
        }

        UniqueFd fd;
        bool opaque = false;
        if (type == S_IFREG) {
            fd = UniqueFd(::openat(dirfd, name.c_str(),
                                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
            if (!fd)
                throw SysError("open", path);
            struct stat now;
            if (::fstat(fd.get(), &now) < 0)
                throw SysError("stat", path);
            if (now.st_ino != st.st_ino || now.st_dev != st.st_dev)
                throw Error(path + " changed while being written to the layer");
            add_xattrs(entry, fd.get(), path);
        } else if (type == S_IFDIR) {
            fd = try_open_dir_at(dirfd, name);
            if (!fd)
                throw SysError("open", path);
            add_xattrs(entry, fd.get(), path);
            if (overlay_whiteouts_) {
                auto value = read_xattr(fd.get(), opaque_xattr_name(userxattr_));
                opaque = value && *value == "y";
            }
        } else if (type == S_IFLNK) {
            std::string target = read_link_at(dirfd, name, path);
            api_.archive_entry_copy_symlink(entry.get(), target.c_str());
        }

        write_header(entry, path);
        if (type == S_IFREG)
            copy_data(fd.get(), st.st_size, path);
        finish_entry(path);
        if (opaque)
            add_whiteout(join_path(path, kOpaqueMarker), st.st_uid, st.st_gid, st.st_mtim.tv_sec,
                         st.st_mode & 07777);
        return type == S_IFDIR ? std::move(fd) : UniqueFd();
    }

    // An empty regular member named `path` (a .wh. name).
    void add_whiteout(const std::string& path, uid_t uid, gid_t gid, time_t mtime, mode_t perm) {
        ArchiveEntry entry;
        api_.archive_entry_copy_pathname(entry.get(), path.c_str());
        api_.archive_entry_set_filetype(entry.get(), AE_IFREG);
        api_.archive_entry_set_perm(entry.get(), perm);
        api_.archive_entry_set_uid(entry.get(), uid);
        api_.archive_entry_set_gid(entry.get(), gid);
        api_.archive_entry_set_mtime(entry.get(), mtime, 0);
        api_.archive_entry_set_size(entry.get(), 0);
        write_header(entry, path);
        finish_entry(path);
    }

    void finish() {
        check_archive(out_.get(), api_.archive_write_close(out_.get()), "writing the tar stream");
    }

private:
    static std::string whiteout_path(const std::string& path) {
        size_t slash = path.rfind('/');
        if (slash == std::string::npos)
            return std::string(kWhiteoutPrefix) + path;
        return path.substr(0, slash + 1) + std::string(kWhiteoutPrefix) + path.substr(slash + 1);
    }

    ArchiveEntry make_entry(const std::string& path, const struct stat& st) const {
        ArchiveEntry entry;
        struct archive_entry* e = entry.get();
        api_.archive_entry_copy_pathname(e, path.c_str());
        api_.archive_entry_set_filetype(e, st.st_mode & S_IFMT);
        api_.archive_entry_set_perm(e, st.st_mode & 07777);
        // numeric owners only: names from this host's passwd mean nothing in the image
        api_.archive_entry_set_uid(e, st.st_uid);
        api_.archive_entry_set_gid(e, st.st_gid);
        // whole seconds and no atime/ctime, as docker writes layers: the same tree gives the
        // same bytes, and so the same digest
        api_.archive_entry_set_mtime(e, st.st_mtim.tv_sec, 0);
        api_.archive_entry_set_size(e, S_ISREG(st.st_mode) ? st.st_size : 0);
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
            api_.archive_entry_set_rdevmajor(e, ::major(st.st_rdev));
            api_.archive_entry_set_rdevminor(e, ::minor(st.st_rdev));
        }
        return entry;
    }

    void add_xattrs(const ArchiveEntry& entry, int fd, const std::string& path) const {
        for (const auto& [name, value] : read_layer_xattrs(fd, path))
            api_.archive_entry_xattr_add_entry(entry.get(), name.c_str(), value.data(),
                                               value.size());
    }

    // ARCHIVE_WARN is success: a name that is not UTF-8 is written as bytes (pax
    // hdrcharset=BINARY), as the file system has it.
    void write_header(const ArchiveEntry& entry, const std::string& path) {
        int rc = api_.archive_write_header(out_.get(), entry.get());
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            throw Error("writing " + path + " to the tar stream: " + archive_error(out_.get()));
    }

    void finish_entry(const std::string& path) {
        int rc = api_.archive_write_finish_entry(out_.get());
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            throw Error("writing " + path + " to the tar stream: " + archive_error(out_.get()));
    }

    // Exactly `size` bytes, the size the header announced: a file that shrank meanwhile is
    // padded with zeros by libarchive, one that grew is cut.
    void copy_data(int fd, off_t size, const std::string& path) {
        auto remaining = static_cast<uint64_t>(size);
        while (remaining > 0) {
            size_t want = remaining < buffer_.size() ? remaining : buffer_.size();
            ssize_t n = ::read(fd, buffer_.data(), want);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw SysError("read", path);
            }
            if (n == 0)
                break;
            if (api_.archive_write_data(out_.get(), buffer_.data(), static_cast<size_t>(n)) < 0)
                throw Error("writing " + path + " to the tar stream: " + archive_error(out_.get()));
            remaining -= static_cast<uint64_t>(n);
        }
    }

    const ArchiveApi& api_;
    ArchiveWriter out_;
    bool overlay_whiteouts_;
    bool userxattr_;
    std::vector<char> buffer_;
    // the first path written for each inode with more than one link
    std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

// Same modification time, allowing for a copy that kept whole seconds only.
bool same_time(const struct timespec& a, const struct timespec& b) {
    return a.tv_sec == b.tv_sec && (a.tv_nsec == b.tv_nsec || a.tv_nsec == 0 || b.tv_nsec == 0);
}

std::map<std::string, std::string> layer_xattrs_at(int dirfd, const std::string& name,
                                                   const struct stat& st, const std::string& path) {
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return {};
    UniqueFd fd(
        ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", path);
    return read_layer_xattrs(fd.get(), path);
}

bool changed(int lower_dir, int upper_dir, const std::string& name, const struct stat& lower,
             const struct stat& upper, const std::string& path) {
    if (lower.st_mode != upper.st_mode || lower.st_uid != upper.st_uid ||
        lower.st_gid != upper.st_gid || !same_time(lower.st_mtim, upper.st_mtim))
        return true;
    // a directory's size says nothing about its contents
    if (!S_ISDIR(upper.st_mode) && lower.st_size != upper.st_size)
        return true;
    if ((S_ISCHR(upper.st_mode) || S_ISBLK(upper.st_mode)) && lower.st_rdev != upper.st_rdev)
        return true;
    if (S_ISLNK(upper.st_mode))
        return read_link_at(lower_dir, name, path) != read_link_at(upper_dir, name, path);
    return layer_xattrs_at(lower_dir, name, lower, path) !=
           layer_xattrs_at(upper_dir, name, upper, path);
}

void diff_dirs(LayerWriter& out, int lower_dir, int upper_dir, const std::string& prefix) {
    auto lower = list_dir(lower_dir, shown(prefix));
    auto upper = list_dir(upper_dir, shown(prefix));
    struct stat here;
    if (::fstat(upper_dir, &here) < 0)
        throw SysError("stat", shown(prefix));
    size_t i = 0, j = 0;
    while (i < lower.size() || j < upper.size()) {
        if (j == upper.size() || (i < lower.size() && lower[i] < upper[j])) {
            // deleted; one whiteout covers a directory and all it held
            out.add_whiteout(join_path(prefix, std::string(kWhiteoutPrefix) + lower[i]), 0, 0,
                             here.st_mtim.tv_sec, 0600);
            ++i;
            continue;
        }
        const std::string& name = upper[j];
        std::string path = join_path(prefix, name);
        if (i == lower.size() || upper[j] < lower[i]) {
            out.add_tree(upper_dir, name, path);
            ++j;
            continue;
        }
        ++i;
        ++j;
        struct stat ls, us;
        if (::fstatat(lower_dir, name.c_str(), &ls, AT_SYMLINK_NOFOLLOW) < 0)
            throw SysError("stat", path);
        if (::fstatat(upper_dir, name.c_str(), &us, AT_SYMLINK_NOFOLLOW) < 0)
            throw SysError("stat", path);
        if ((ls.st_mode & S_IFMT) != (us.st_mode & S_IFMT)) {
            out.add_tree(upper_dir, name, path);
            continue;
        }
        if (!S_ISDIR(us.st_mode)) {
            if (changed(lower_dir, upper_dir, name, ls, us, path))
                out.add_entry(upper_dir, name, path, us);
            continue;
        }
        UniqueFd lower_sub = try_open_dir_at(lower_dir, name);
        if (!lower_sub)
            throw SysError("open", path);
        UniqueFd upper_sub;
        if (changed(lower_dir, upper_dir, name, ls, us, path))
            upper_sub = out.add_entry(upper_dir, name, path, us);
        else
            upper_sub = try_open_dir_at(upper_dir, name);
        if (!upper_sub)
            throw SysError("open", path);
        diff_dirs(out, lower_sub.get(), upper_sub.get(), path);
    }
}

} // namespace

void write_layer_diff(const std::string& upper, int out_fd, bool userxattr) {
    with_context("writing the layer diff of " + upper, [&] {
        Utf8Locale utf8;
        UniqueFd root = open_root(upper);
        LayerWriter out(out_fd, true, userxattr);
        out.add_children(root.get(), "");
        out.finish();
    });
}

void write_tree_tar(const std::string& root, int out_fd) {
    with_context("writing " + root + " as a tar stream", [&] {
        Utf8Locale utf8;
        UniqueFd dir = open_root(root);
        LayerWriter out(out_fd, false, false);
        out.add_children(dir.get(), "");
        out.finish();
    });
}

void write_tree_diff(const std::string& lower, const std::string& upper, int out_fd) {
    with_context("writing the changes from " + lower + " to " + upper, [&] {
        Utf8Locale utf8;
        UniqueFd lower_dir = open_root(lower);
        UniqueFd upper_dir = open_root(upper);
        LayerWriter out(out_fd, false, false);
        diff_dirs(out, lower_dir.get(), upper_dir.get(), "");
        out.finish();
    });
}

} // namespace burrow::storage
