#include "userns/idmap.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/process.hpp"
#include "core/unique_fd.hpp"

#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

bool parse_ulong(std::string_view s, unsigned long& out) {
    if (s.empty())
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

void write_proc_file(const std::string& path, const std::string& data) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", path);
    // the kernel takes a map in one write(2) only
    if (::write(fd.get(), data.data(), data.size()) != static_cast<ssize_t>(data.size()))
        throw SysError("write", path);
}

std::vector<std::string> helper_argv(const char* helper, pid_t pid,
                                     const std::vector<IdMapEntry>& map) {
    std::vector<std::string> argv{helper, std::to_string(pid)};
    for (const auto& e : map) {
        argv.push_back(std::to_string(e.inside));
        argv.push_back(std::to_string(e.outside));
        argv.push_back(std::to_string(e.count));
    }
    return argv;
}

} // namespace

std::vector<SubidRange> parse_subid_file(std::string_view content, std::string_view user_name,
                                         unsigned long user_id) {
    std::vector<SubidRange> ranges;
    std::string uid_text = std::to_string(user_id);
    while (!content.empty()) {
        auto nl = content.find('\n');
        std::string_view line = trim(content.substr(0, nl));
        content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
        if (line.empty() || line.front() == '#')
            continue;
        auto c1 = line.find(':');
        auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
        if (c2 == std::string_view::npos)
            continue;
        std::string_view owner = line.substr(0, c1);
        if (owner != user_name && owner != uid_text)
            continue;
        SubidRange r;
        if (!parse_ulong(line.substr(c1 + 1, c2 - c1 - 1), r.start) ||
            !parse_ulong(line.substr(c2 + 1), r.count) || r.count == 0)
            continue;
        // a range listed twice, or inside one listed before, would map the same ids twice and
        // the kernel refuses overlapping maps
        bool covered = false;
        for (const auto& seen : ranges)
            covered |= r.start >= seen.start && r.start + r.count <= seen.start + seen.count;
        if (!covered)
            ranges.push_back(r);
    }
    return ranges;
}

std::vector<IdMapEntry> build_id_map(unsigned long own_id, const std::vector<SubidRange>& ranges) {
    std::vector<IdMapEntry> map{{0, own_id, 1}};
    unsigned long next = 1;
    for (const auto& r : ranges) {
        map.push_back({next, r.start, r.count});
        next += r.count;
    }
    return map;
}

std::string format_id_map(const std::vector<IdMapEntry>& map) {
    std::string out;
    for (const auto& e : map)
        out += std::to_string(e.inside) + ' ' + std::to_string(e.outside) + ' ' +
               std::to_string(e.count) + '\n';
    return out;
}

UserMappings user_mappings(const std::string& subuid_path, const std::string& subgid_path) {
    uid_t uid = ::getuid();
    gid_t gid = ::getgid();
    std::string name;
    if (struct passwd* pw = ::getpwuid(uid))
        name = pw->pw_name;

    UserMappings m;
    auto read_ranges = [&](const std::string& path, unsigned long id) {
        std::optional<std::string> text;
        try {
            text = try_read_file(path);
        } catch (const SysError& e) {
            throw Error("cannot read " + path + ": " + std::strerror(e.error()) +
                        ": ask an admin to make it world-readable (chmod 644 " + path + ")");
        }
        return text ? parse_subid_file(*text, name, id) : std::vector<SubidRange>{};
    };
    auto uid_ranges = read_ranges(subuid_path, uid);
    auto gid_ranges = read_ranges(subgid_path, gid);
    std::string who = name.empty() ? "uid " + std::to_string(uid) : name;
    if (uid_ranges.empty() || gid_ranges.empty()) {
        m.single_id = true;
        m.reason = "no subordinate " + std::string(uid_ranges.empty() ? "uid" : "gid") +
                   " range for " + who + " in " + (uid_ranges.empty() ? subuid_path : subgid_path);
        uid_ranges.clear();
        gid_ranges.clear();
    }
    m.uid_map = build_id_map(uid, uid_ranges);
    m.gid_map = build_id_map(gid, gid_ranges);
    return m;
}

void write_id_maps(pid_t pid, const UserMappings& maps, const std::string& proc_root) {
    std::string base = proc_root + "/" + std::to_string(pid);
    if (maps.single_id) {
        // an unprivileged writer must deny setgroups before it may write gid_map:
        // user_namespaces(7)
        write_proc_file(base + "/setgroups", "deny");
        write_proc_file(base + "/uid_map", format_id_map(maps.uid_map));
        write_proc_file(base + "/gid_map", format_id_map(maps.gid_map));
        return;
    }
    auto helper_path = [](const char* helper) {
        std::string path = find_program(helper);
        if (path.empty())
            throw Error(std::string(helper) +
                        " not found: install the uidmap package (apt-get install uidmap)");
        return path;
    };
    // the two setuid helpers are independent: run them side by side to halve the wait
    // both looked up before either starts: a missing newgidmap leaves no newuidmap behind
    const std::string uid_helper = helper_path("newuidmap");
    const std::string gid_helper = helper_path("newgidmap");
    auto start = [&](const std::string& path, const char* helper,
                     const std::vector<IdMapEntry>& map) {
        auto argv = helper_argv(helper, pid, map);
        int p[2];
        if (::pipe2(p, O_CLOEXEC) < 0)
            throw SysError("pipe");
        UniqueFd rd(p[0]), wr(p[1]);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        // posix_spawn shares burrow's memory until the exec (vfork) instead of copying its
        // page tables: this is on every container's start path
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, wr.get(), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, wr.get(), STDERR_FILENO);
        pid_t child = -1;
        int rc = ::posix_spawn(&child, path.c_str(), &fa, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0)
            throw SysError("start", path, rc);
        return std::pair{Pid(child), std::move(rd)};
    };
    auto [uid_pid, uid_out] = start(uid_helper, "newuidmap", maps.uid_map);
    auto [gid_pid, gid_out] = start(gid_helper, "newgidmap", maps.gid_map);
    auto finish = [](const char* helper, Pid& p, UniqueFd& out) {
        std::string text = read_fd(out.get());
        int status = p.wait();
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            return;
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        std::string fix;
        if (text.find("Operation not permitted") != std::string::npos ||
            text.find("Permission denied") != std::string::npos)
            fix = ": check that " + std::string(helper) +
                  " is setuid root or has file capabilities (ls -l $(command -v " + helper + "))";
        throw Error(std::string(helper) + " failed: " +
                    (text.empty() ? "exit status " + std::to_string(exit_code_of(status)) : text) +
                    fix);
    };
    finish("newuidmap", uid_pid, uid_out);
    finish("newgidmap", gid_pid, gid_out);
}

} // namespace burrow::userns
