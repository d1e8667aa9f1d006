#include "core/error.hpp"
#include "core/file.hpp"
#include "core/process.hpp"
#include "core/unique_fd.hpp"
#include "storage/layer_tar.hpp"
#include "storage/layer_tar_internal.hpp"
#include "storage/libarchive.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <unordered_set>

namespace burrow::storage {

namespace {

constexpr size_t kMaxWarnings = 20;
// the kernel's own limit on symlinks followed in one lookup: path_resolution(7)
constexpr int kMaxSymlinkHops = 40;

// Numeric ids only: a layer's user names mean nothing on this host. No ACLs and no file flags:
// images carry neither, and an immutable flag would keep later layers from replacing a file.
constexpr int kDiskFlags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                           ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK |
                           ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                           ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;

struct IdRange {
    uint64_t inside = 0;
    uint64_t count = 0;
};

// The ids mapped in this process's user namespace, from /proc/self/uid_map or gid_map.
std::vector<IdRange> read_id_map(const char* path) {
    auto text = try_read_file(path);
    if (!text)
        return {{0, UINT32_MAX}};
    std::vector<IdRange> ranges;
    std::istringstream in(*text);
    uint64_t inside = 0, outside = 0, count = 0;
    while (in >> inside >> outside >> count)
        ranges.push_back({inside, count});
    return ranges;
}

bool is_mapped(const std::vector<IdRange>& ranges, uint64_t id) {
    for (const auto& r : ranges)
        if (id >= r.inside && id - r.inside < r.count)
            return true;
    return false;
}

std::string join_path(const std::string& dir, std::string_view name) {
    return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

std::string dir_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t end = path.find('/', pos);
        if (end == std::string_view::npos)
            end = path.size();
        if (end > pos)
            parts.emplace_back(path.substr(pos, end - pos));
        pos = end + 1;
    }
    return parts;
}

std::string shown(const std::string& path) {
    return path.empty() ? std::string("/") : path;
}

// Writes one layer into the directory rootfd (the process's working directory, and its root
// when chroot worked). Every path handed to libarchive is relative, cleaned and free of symlinks.
class Extractor {
public:
    Extractor(int in_fd, int rootfd, const ExtractOptions& opts)
        : api_(archive_api()), in_fd_(in_fd), rootfd_(rootfd), opts_(opts),
          uids_(read_id_map("/proc/self/uid_map")), gids_(read_id_map("/proc/self/gid_map")),
          euid_(::geteuid()), egid_(::getegid()) {}

    ExtractResult run() {
        ArchiveReader in;
        // what registries serve, decoded in-process: filter_all would also start external
        // decompressors (lrzip, grzip) on hostile input
        api_.archive_read_support_filter_gzip(in.get());
        api_.archive_read_support_filter_zstd(in.get());
        api_.archive_read_support_filter_xz(in.get());
        api_.archive_read_support_filter_bzip2(in.get());
        api_.archive_read_support_format_tar(in.get());
        // a zero-byte blob is an empty layer
        api_.archive_read_support_format_empty(in.get());
        check_archive(in.get(), api_.archive_read_open_fd(in.get(), in_fd_, 128 * 1024),
                      "reading the layer");
        ArchiveWriter disk = ArchiveWriter::disk();
        check_archive(disk.get(), api_.archive_write_disk_set_options(disk.get(), kDiskFlags),
                      "libarchive");
        in_ = in.get();
        disk_ = disk.get();
        for (;;) {
            struct archive_entry* entry = nullptr;
            int rc = api_.archive_read_next_header(in_, &entry);
            if (rc == ARCHIVE_EOF)
                break;
            if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
                throw Error("reading the layer: " + archive_error(in_));
            const char* raw = api_.archive_entry_pathname(entry);
            if (!raw)
                raw = api_.archive_entry_pathname_utf8(entry);
            if (!raw)
                throw Error("reading the layer: a member without a name: " + archive_error(in_));
            std::string member = raw;
            if (rc == ARCHIVE_WARN)
                warn(member, archive_error(in_));
            with_context("layer member " + printable_member(member),
                         [&] { extract_member(entry, member); });
        }
        // directory modes and times are applied last, now
        check_archive(disk_, api_.archive_write_close(disk_), "finishing the layer");
        return result_;
    }

private:
    void extract_member(struct archive_entry* entry, const std::string& member) {
        auto name = clean_member_path(member);
        if (!name)
            throw Error("path escapes the layer");
        // the root itself keeps the owner and mode its creator gave it
        if (name->empty())
            return;
        check_length(*name);
        if (auto whiteout = parse_whiteout(*name)) {
            apply_whiteout(*whiteout, entry);
            return;
        }

        std::string target = join_path(resolve_dir(dir_of(*name)), base_of(*name));
        check_length(target);
        auto type = api_.archive_entry_filetype(entry);
        const char* hardlink = api_.archive_entry_hardlink(entry);
        bool is_hardlink = hardlink != nullptr;
        if (is_hardlink) {
            auto link = clean_member_path(hardlink);
            if (!link)
                throw Error("hardlink target " + printable_member(hardlink) + " escapes the layer");
            if (link->empty())
                throw Error("hardlink to the layer root");
            std::string link_target = join_path(resolve_dir(dir_of(*link)), base_of(*link));
            api_.archive_entry_copy_hardlink(entry, link_target.c_str());
        }
        if (is_hardlink || type != AE_IFDIR)
            remove_directory(target);
        settle_owner(entry);
        strip_overlay_xattrs(entry);
        api_.archive_entry_copy_pathname(entry, target.c_str());

        int rc = api_.archive_write_header(disk_, entry);
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            if ((type == AE_IFCHR || type == AE_IFBLK) && !is_hardlink &&
                api_.archive_errno(disk_) == EPERM) {
                ++result_.skipped_devices;
                return;
            }
            throw Error(archive_error(disk_));
        }
        if (rc == ARCHIVE_WARN)
            warn(member, archive_error(disk_));
        copy_data(member);
        rc = api_.archive_write_finish_entry(disk_);
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            throw Error(archive_error(disk_));
        if (rc == ARCHIVE_WARN) {
            check_owner(entry, target, is_hardlink);
            warn(member, archive_error(disk_));
        }
        if (type == AE_IFREG && !is_hardlink)
            result_.content_size += static_cast<uint64_t>(api_.archive_entry_size(entry));
        mark_added(target);
    }

    // The kernel's limits, checked here for a message that says so: path_resolution(7)
    static void check_length(const std::string& path) {
        if (path.size() >= PATH_MAX)
            throw Error("name too long");
        for (const auto& part : split_path(path))
            if (part.size() > NAME_MAX)
                throw Error("name too long");
    }

    void copy_data(const std::string& member) {
        for (;;) {
            const void* buf = nullptr;
            size_t len = 0;
            la_int64_t offset = 0;
            int rc = api_.archive_read_data_block(in_, &buf, &len, &offset);
            if (rc == ARCHIVE_EOF)
                return;
            if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
                throw Error("reading: " + archive_error(in_));
            if (rc == ARCHIVE_WARN)
                warn(member, archive_error(in_));
            if (api_.archive_write_data_block(disk_, buf, len, offset) < ARCHIVE_WARN)
                throw Error(archive_error(disk_));
        }
    }

    // The physical path of the directory `dir` (cleaned, relative to the root), with symlinks
    // resolved inside the root as the kernel resolves them in a chroot: `..` stops at the root
    // and an absolute target starts over from it. Names that do not exist yet stay as they are.
    std::string resolve_dir(const std::string& dir) const {
        std::vector<std::string> pending = split_path(dir);
        std::reverse(pending.begin(), pending.end());
        std::vector<std::string> done;
        std::string path;
        int hops = 0;
        auto rebuild = [&] {
            path.clear();
            for (const auto& part : done)
                path = join_path(path, part);
        };
        while (!pending.empty()) {
            std::string part = std::move(pending.back());
            pending.pop_back();
            if (part == ".")
                continue;
            if (part == "..") {
                if (!done.empty())
                    done.pop_back();
                rebuild();
                continue;
            }
            std::string candidate = join_path(path, part);
            struct stat st;
            if (::fstatat(rootfd_, candidate.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0 ||
                !S_ISLNK(st.st_mode)) {
                done.push_back(std::move(part));
                path = std::move(candidate);
                continue;
            }
            if (++hops > kMaxSymlinkHops)
                throw Error("too many levels of symbolic links under " + shown(dir));
            std::string target = read_link_at(rootfd_, candidate, candidate);
            if (target.starts_with('/')) {
                done.clear();
                path.clear();
            }
            auto parts = split_path(target);
            pending.insert(pending.end(), parts.rbegin(), parts.rend());
        }
        return path;
    }

    // A directory in the way of a non-directory goes with its contents: the layer replaces it
    // (libarchive removes only empty ones).
    void remove_directory(const std::string& target) const {
        struct stat st;
        if (::fstatat(rootfd_, target.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode))
            remove_all_at(rootfd_, target, target);
    }

    bool can_own(uint64_t uid, uint64_t gid) const {
        if (euid_ != 0)
            return uid == euid_ && gid == egid_;
        return is_mapped(uids_, uid) && is_mapped(gids_, gid);
    }

    void settle_owner(struct archive_entry* entry) const {
        auto uid = static_cast<uint64_t>(api_.archive_entry_uid(entry));
        auto gid = static_cast<uint64_t>(api_.archive_entry_gid(entry));
        if (can_own(uid, gid))
            return;
        if (!opts_.ignore_chown_errors)
            throw Error("cannot own it as uid " + std::to_string(uid) + ", gid " +
                        std::to_string(gid) +
                        ": not mapped in the user namespace (check /etc/subuid and /etc/subgid)");
        api_.archive_entry_set_uid(entry, euid_);
        api_.archive_entry_set_gid(entry, egid_);
    }

    // libarchive reports a failed chown as a mere warning; it is an error unless chown errors
    // are ignored.
    void check_owner(struct archive_entry* entry, const std::string& target, bool hardlink) const {
        if (hardlink || opts_.ignore_chown_errors)
            return;
        struct stat st;
        if (::fstatat(rootfd_, target.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
            throw SysError("stat", target);
        if (st.st_uid != static_cast<uid_t>(api_.archive_entry_uid(entry)) ||
            st.st_gid != static_cast<gid_t>(api_.archive_entry_gid(entry)))
            throw Error(archive_error(disk_));
    }

    // A layer may not set overlayfs' own xattrs: a stray opaque or redirect xattr would change
    // what the mounted container sees.
    void strip_overlay_xattrs(struct archive_entry* entry) const {
        if (api_.archive_entry_xattr_reset(entry) == 0)
            return;
        std::vector<std::pair<std::string, std::string>> kept;
        bool dropped = false;
        const char* name = nullptr;
        const void* value = nullptr;
        size_t size = 0;
        while (api_.archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
            if (is_overlay_xattr(name))
                dropped = true;
            else
                kept.emplace_back(name, std::string(static_cast<const char*>(value), size));
        }
        if (!dropped)
            return;
        api_.archive_entry_xattr_clear(entry);
        for (const auto& [n, v] : kept)
            api_.archive_entry_xattr_add_entry(entry, n.c_str(), v.data(), v.size());
    }

    // Opens the directory of a whiteout, refusing symlinks on the way: a whiteout deletes, and
    // no layer tool writes one through a symlink. Missing directories are created when `create`
    // is set; otherwise an invalid fd means there is nothing to white out.
    UniqueFd open_whiteout_dir(const std::string& dir, bool create) const {
        UniqueFd cur(::fcntl(rootfd_, F_DUPFD_CLOEXEC, 0));
        if (!cur)
            throw SysError("dup");
        std::string path;
        for (const auto& part : split_path(dir)) {
            path = join_path(path, part);
            struct stat st;
            if (::fstatat(cur.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno != ENOENT)
                    throw SysError("stat", path);
                if (!create)
                    return {};
                if (::mkdirat(cur.get(), part.c_str(), 0755) < 0)
                    throw SysError("mkdir", path);
            } else if (S_ISLNK(st.st_mode)) {
                throw Error("whiteout through the symlink " + path);
            } else if (!S_ISDIR(st.st_mode)) {
                if (!create)
                    return {};
                throw Error(path + " is not a directory");
            }
            UniqueFd next = try_open_dir_at(cur.get(), part);
            if (!next)
                throw SysError("open", path);
            cur = std::move(next);
        }
        return cur;
    }

    void apply_whiteout(const Whiteout& whiteout, struct archive_entry* entry) {
        if (whiteout.kind == WhiteoutKind::Metadata)
            return;
        bool overlay = opts_.whiteouts == WhiteoutFormat::Overlay;
        UniqueFd dirfd = open_whiteout_dir(whiteout.dir, overlay);
        if (!dirfd)
            return;
        if (whiteout.kind == WhiteoutKind::Opaque) {
            if (!overlay) {
                clear_opaque(dirfd.get(), whiteout.dir);
                return;
            }
            const char* xattr = opaque_xattr_name(opts_.userxattr);
            if (::fsetxattr(dirfd.get(), xattr, "y", 1, 0) < 0)
                throw SysError(std::string("set ") + xattr + " on", shown(whiteout.dir));
            return;
        }
        std::string path = join_path(whiteout.dir, whiteout.name);
        // a whiteout hides lower layers only, never what its own layer adds: OCI image-spec
        if (added_.count(path))
            return;
        remove_all_at(dirfd.get(), whiteout.name, path);
        if (!overlay)
            return;
        if (::mknodat(dirfd.get(), whiteout.name.c_str(), S_IFCHR, ::makedev(0, 0)) < 0) {
            if (errno == EPERM)
                throw Error("mknod " + path +
                            ": Operation not permitted (overlay whiteouts in a user namespace "
                            "need Linux 5.8 or newer)");
            throw SysError("mknod", path);
        }
        settle_owner(entry);
        if (::fchownat(dirfd.get(), whiteout.name.c_str(), api_.archive_entry_uid(entry),
                       api_.archive_entry_gid(entry), AT_SYMLINK_NOFOLLOW) < 0 &&
            !opts_.ignore_chown_errors)
            throw SysError("chown", path);
    }

    // An opaque directory keeps only what this layer puts in it, whether the marker comes
    // before or after those members.
    void clear_opaque(int dirfd, const std::string& dir) {
        for (const auto& name : list_dir(dirfd, shown(dir))) {
            std::string path = join_path(dir, name);
            if (!added_.count(path)) {
                remove_all_at(dirfd, name, path);
                continue;
            }
            struct stat st;
            if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISDIR(st.st_mode)) {
                UniqueFd sub = try_open_dir_at(dirfd, name);
                if (!sub)
                    throw SysError("open", path);
                clear_opaque(sub.get(), path);
            }
        }
    }

    void mark_added(std::string path) {
        while (!path.empty() && added_.insert(path).second)
            path = dir_of(path);
    }

    void warn(const std::string& member, const std::string& what) {
        if (result_.warnings.size() < kMaxWarnings)
            result_.warnings.push_back("layer member " + printable_member(member) + ": " + what);
    }

    const ArchiveApi& api_;
    int in_fd_;
    int rootfd_;
    ExtractOptions opts_;
    std::vector<IdRange> uids_;
    std::vector<IdRange> gids_;
    uid_t euid_;
    gid_t egid_;
    struct archive* in_ = nullptr;
    struct archive* disk_ = nullptr;
    // physical paths this layer created, with their parents
    std::unordered_set<std::string> added_;
    ExtractResult result_;
};

// The forked child: chroot into the root when allowed, extract, report on reply_fd, _exit.
[[noreturn]] void extract_in_child(int in_fd, int rootfd, const std::string& root,
                                   const ExtractOptions& opts, int reply_fd) {
    nlohmann::json reply;
    int code = 0;
    try {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // what libarchive and the locale need comes from the host, before chroot
        Utf8Locale utf8;
        ::umask(022);
        Extractor extractor(in_fd, rootfd, opts);
        if (::fchdir(rootfd) < 0)
            throw SysError("chdir", root);
        bool chrooted = ::chroot(".") == 0;
        // without CAP_SYS_CHROOT, the path checks alone keep members inside the root
        if (!chrooted && errno != EPERM)
            throw SysError("chroot", root);
        ExtractResult result = extractor.run();
        reply = {{"content_size", result.content_size},
                 {"skipped_devices", result.skipped_devices},
                 {"chrooted", chrooted},
                 {"warnings", result.warnings}};
    } catch (const std::exception& e) {
        reply = {{"error", e.what()}};
        code = 1;
    } catch (...) {
        reply = {{"error", "unknown error"}};
        code = 1;
    }
    try {
        std::string text = reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        write_all(reply_fd, text.data(), text.size());
    } catch (...) {
        code = 2;
    }
    ::_exit(code);
}

} // namespace

ExtractResult extract_layer(int fd, const std::string& root, const ExtractOptions& opts) {
    // loaded here, from the host, before the child chroots
    archive_api();
    UniqueFd rootfd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!rootfd)
        throw SysError("open", root);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd reply_read(fds[0]), reply_write(fds[1]);
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        reply_read.reset();
        extract_in_child(fd, rootfd.get(), root, opts, reply_write.get());
    }
    Pid child(pid);
    reply_write.reset();
    std::string text = read_fd(reply_read.get());
    int status = child.wait();

    auto reply = nlohmann::json::parse(text, nullptr, false);
    if (reply.is_object() && reply.contains("error"))
        throw Error(reply["error"].get<std::string>());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !reply.is_object())
        throw Error("extracting a layer into " + root + ": the extracting process " +
                    (WIFSIGNALED(status)
                         ? "was killed by signal " + std::to_string(WTERMSIG(status))
                         : "exited with " + std::to_string(exit_code_of(status))));
    ExtractResult result;
    result.content_size = reply.value("content_size", uint64_t{0});
    result.skipped_devices = reply.value("skipped_devices", uint64_t{0});
    result.chrooted = reply.value("chrooted", false);
    result.warnings = reply.value("warnings", std::vector<std::string>{});
    return result;
}

} // namespace burrow::storage
