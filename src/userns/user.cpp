#include "userns/user.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <sys/stat.h>

namespace burrow::userns {

namespace {

// runc's limit: ids above it are (uid_t)-1 or meaningless to the kernel's id maps
constexpr unsigned long kMaxId = 0x7fffffff;
// far above any real /etc/passwd; an image cannot make the runtime read gigabytes
constexpr off_t kMaxEtcFileSize = 64L << 20;

struct PasswdEntry {
    std::string_view name;
    uid_t uid;
    gid_t gid;
    std::string_view home;
};

struct GroupEntry {
    std::string_view name;
    gid_t gid;
    std::string_view members; // comma list
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool is_number(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<unsigned long> parse_id(std::string_view s) {
    if (!is_number(s))
        return std::nullopt;
    unsigned long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value > kMaxId)
        return std::nullopt;
    return value;
}

// A number in a spec must be a valid id; in a file, a bad one only makes the line malformed.
unsigned long spec_id(std::string_view s, const char* what) {
    auto id = parse_id(s);
    if (!id)
        throw Error(std::string(what) + " " + std::string(s) + " is out of range (0-" +
                    std::to_string(kMaxId) + ")");
    return *id;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        auto pos = s.find(sep);
        out.push_back(s.substr(0, pos));
        if (pos == std::string_view::npos)
            return out;
        s.remove_prefix(pos + 1);
    }
}

// Calls f for each meaningful line: comments, blank lines and surrounding spaces dropped.
template <class F> void for_each_line(std::string_view text, F&& f) {
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty() || line.front() == '#')
            continue;
        if (f(line))
            return;
    }
}

// name:password:uid:gid:gecos:home:shell
std::optional<PasswdEntry> parse_passwd_line(std::string_view line) {
    auto f = split(line, ':');
    if (f.size() < 4 || f[0].empty())
        return std::nullopt;
    auto uid = parse_id(f[2]);
    auto gid = parse_id(f[3]);
    if (!uid || !gid)
        return std::nullopt;
    return PasswdEntry{f[0], static_cast<uid_t>(*uid), static_cast<gid_t>(*gid),
                       f.size() > 5 ? f[5] : std::string_view{}};
}

// name:password:gid:member,member
std::optional<GroupEntry> parse_group_line(std::string_view line) {
    auto f = split(line, ':');
    if (f.size() < 3 || f[0].empty())
        return std::nullopt;
    auto gid = parse_id(f[2]);
    if (!gid)
        return std::nullopt;
    return GroupEntry{f[0], static_cast<gid_t>(*gid), f.size() > 3 ? f[3] : std::string_view{}};
}

template <class Pred>
std::optional<PasswdEntry> find_passwd(std::optional<std::string_view> passwd, Pred&& pred) {
    std::optional<PasswdEntry> found;
    if (passwd)
        for_each_line(*passwd, [&](std::string_view line) {
            auto e = parse_passwd_line(line);
            if (e && pred(*e))
                found = e;
            return found.has_value();
        });
    return found;
}

// The gid a group spec names: a listed name or number, or any valid number.
gid_t lookup_group(std::string_view spec, std::optional<std::string_view> group) {
    bool numeric = is_number(spec);
    std::optional<unsigned long> id;
    if (numeric)
        id = spec_id(spec, "gid");
    std::optional<gid_t> found;
    if (group)
        for_each_line(*group, [&](std::string_view line) {
            auto e = parse_group_line(line);
            if (e && (numeric ? e->gid == *id : e->name == spec))
                found = e->gid;
            return found.has_value();
        });
    if (found)
        return *found;
    if (numeric)
        return static_cast<gid_t>(*id);
    throw Error("unable to find group " + std::string(spec) +
                ": no matching entries in group file");
}

bool lists_member(std::string_view members, std::string_view name) {
    for (auto m : split(members, ','))
        if (trim(m) == name)
            return true;
    return false;
}

void add_unique(std::vector<gid_t>& gids, gid_t gid) {
    if (std::find(gids.begin(), gids.end(), gid) == gids.end())
        gids.push_back(gid);
}

// Reads a file of the container's /etc; nullopt when it does not exist.
std::optional<std::string> read_etc_file(const char* path) {
    // O_NONBLOCK: opening a FIFO placed there by the image must not hang the runtime before the
    // type check below; it has no effect on a regular file's reads
    UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) {
        if (errno == ENOENT || errno == ENOTDIR)
            return std::nullopt;
        throw SysError("open", path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0)
        throw SysError("stat", path);
    if (!S_ISREG(st.st_mode))
        throw Error(std::string("reading ") + path + " of the container: not a regular file");
    if (st.st_size > kMaxEtcFileSize)
        throw Error(std::string("reading ") + path + " of the container: file too large (" +
                    std::to_string(st.st_size) + " bytes)");
    return with_context(std::string("read ") + path, [&] { return read_fd(fd.get()); });
}

} // namespace

ExecUser resolve_user(std::string_view spec, std::optional<std::string_view> passwd,
                      std::optional<std::string_view> group,
                      const std::vector<std::string>& group_add) {
    auto parts = split(spec, ':');
    if (parts.size() > 2)
        throw Error("invalid user \"" + std::string(spec) + "\": expected user[:group]");
    std::string_view user_arg = parts[0];
    std::string_view group_arg = parts.size() > 1 ? parts[1] : std::string_view{};

    ExecUser out;
    bool user_numeric = is_number(user_arg);
    std::optional<unsigned long> uid_arg;
    if (user_numeric)
        uid_arg = spec_id(user_arg, "uid");

    auto entry = find_passwd(passwd, [&](const PasswdEntry& e) {
        if (user_arg.empty())
            return e.uid == 0;
        return user_numeric ? e.uid == *uid_arg : e.name == user_arg;
    });
    if (entry) {
        out.uid = entry->uid;
        out.gid = entry->gid;
        out.name = entry->name;
        if (!entry->home.empty())
            out.home = entry->home;
    } else if (user_numeric) {
        out.uid = static_cast<uid_t>(*uid_arg);
    } else if (!user_arg.empty()) {
        throw Error("unable to find user " + std::string(user_arg) +
                    ": no matching entries in passwd file");
    }

    if (!group_arg.empty()) {
        // an explicit group replaces the primary group, and the implicit memberships with it
        out.gid = lookup_group(group_arg, group);
    } else if (!out.name.empty() && group) {
        for_each_line(*group, [&](std::string_view line) {
            auto e = parse_group_line(line);
            if (e && lists_member(e->members, out.name))
                add_unique(out.additional_gids, e->gid);
            return false;
        });
    }

    for (const auto& g : group_add) {
        if (g.empty())
            throw Error("invalid --group-add \"\": expected a group name or gid");
        add_unique(out.additional_gids, lookup_group(g, group));
    }
    return out;
}

ExecUser resolve_user_in_root(std::string_view spec, const std::vector<std::string>& group_add) {
    std::optional<std::string> passwd = read_etc_file("/etc/passwd");
    std::optional<std::string> group = read_etc_file("/etc/group");
    std::optional<std::string_view> passwd_view, group_view;
    if (passwd)
        passwd_view = *passwd;
    if (group)
        group_view = *group;
    return resolve_user(spec, passwd_view, group_view, group_add);
}

} // namespace burrow::userns
