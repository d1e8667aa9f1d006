#include "core/sysinfo.hpp"

#include <charconv>

namespace burrow::sysinfo {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

template <class F> void for_each_line(std::string_view text, F&& f) {
    while (!text.empty()) {
        size_t nl = text.find('\n');
        f(text.substr(0, nl));
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
}

std::optional<std::string> unquote(std::string_view v) {
    if (v.empty() || (v.front() != '"' && v.front() != '\''))
        return std::string(v);
    char q = v.front();
    std::string out;
    for (size_t i = 1; i < v.size(); ++i) {
        char c = v[i];
        if (c == q)
            return i + 1 == v.size() ? std::optional(out) : std::nullopt;
        if (c == '\\' && q == '"' && i + 1 < v.size())
            c = v[++i];
        out += c;
    }
    return std::nullopt; // unterminated
}

bool parse_ulong(std::string_view s, unsigned long& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

} // namespace

std::map<std::string, std::string> parse_os_release(std::string_view content) {
    std::map<std::string, std::string> out;
    for_each_line(content, [&](std::string_view line) {
        line = trim(line);
        if (line.empty() || line.front() == '#')
            return;
        size_t eq = line.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return;
        if (auto v = unquote(trim(line.substr(eq + 1))))
            out[std::string(trim(line.substr(0, eq)))] = *v;
    });
    return out;
}

std::optional<std::string> cgroup2_path(std::string_view proc_cgroup) {
    std::optional<std::string> path;
    for_each_line(proc_cgroup, [&](std::string_view line) {
        if (line.starts_with("0::"))
            path = std::string(trim(line.substr(3)));
    });
    return path;
}

namespace {
struct FsType {
    uint64_t magic;
    const char* name;
    bool network;
};
// magic numbers from linux/magic.h, and from the sources of filesystems that are not in it
constexpr FsType kFsTypes[] = {
    {0xEF53, "ext4", false},         {0x58465342, "xfs", false},
    {0x9123683E, "btrfs", false},    {0x01021994, "tmpfs", false},
    {0x858458F6, "ramfs", false},    {0x794C7630, "overlay", false},
    {0x2FC12FC1, "zfs", false},      {0xF2F52010, "f2fs", false},
    {0xCA451A4E, "bcachefs", false}, {0x65735546, "fuse", false},
    {0x73717368, "squashfs", false}, {0x4D44, "vfat", false},
    {0x52654973, "reiserfs", false}, {0x3153464A, "jfs", false},
    {0x9FA0, "proc", false},         {0x62656572, "sysfs", false},
    {0x63677270, "cgroup2", false},  {0x27E0EB, "cgroup", false},
    {0x6969, "nfs", true},           {0x0BD00BD0, "lustre", true},
    {0x47504653, "gpfs", true},      {0xFF534D42, "cifs", true},
    {0xFE534D42, "smb2", true},      {0x00C36400, "ceph", true},
    {0x19830326, "beegfs", true},    {0xAAD7AAEA, "panfs", true},
    {0x5346414F, "afs", true},       {0x01161970, "gfs2", true},
    {0x7461636F, "ocfs2", true},     {0x01021997, "9p", false},
};
} // namespace

std::string filesystem_name(uint64_t f_type) {
    for (const auto& t : kFsTypes)
        if (t.magic == f_type)
            return t.name;
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, f_type, 16);
    return "0x" + std::string(buf, ec == std::errc() ? p : buf);
}

bool is_network_filesystem(uint64_t f_type) {
    for (const auto& t : kFsTypes)
        if (t.magic == f_type)
            return t.network;
    return false;
}

std::string go_arch(std::string_view machine) {
    static constexpr std::pair<std::string_view, std::string_view> kArches[] = {
        {"x86_64", "amd64"},    {"aarch64", "arm64"},
        {"arm64", "arm64"},     {"i386", "386"},
        {"i486", "386"},        {"i586", "386"},
        {"i686", "386"},        {"armv6l", "arm"},
        {"armv7l", "arm"},      {"armv8l", "arm"},
        {"ppc64le", "ppc64le"}, {"ppc64", "ppc64"},
        {"s390x", "s390x"},     {"riscv64", "riscv64"},
        {"mips64", "mips64"},   {"loongarch64", "loong64"},
    };
    for (auto [m, arch] : kArches)
        if (m == machine)
            return std::string(arch);
    return std::string(machine);
}

unsigned long suggest_subid_start(std::string_view subuid, std::string_view subgid) {
    constexpr unsigned long kMin = 100000;
    unsigned long end = kMin;
    auto scan = [&](std::string_view line) {
        line = trim(line);
        size_t c1 = line.find(':'), c2 = line.rfind(':');
        if (line.empty() || line.front() == '#' || c1 == std::string_view::npos || c1 == c2)
            return;
        unsigned long start = 0, count = 0;
        if (parse_ulong(line.substr(c1 + 1, c2 - c1 - 1), start) &&
            parse_ulong(line.substr(c2 + 1), count) && start + count > end)
            end = start + count;
    };
    for_each_line(subuid, scan);
    for_each_line(subgid, scan);
    return end;
}

} // namespace burrow::sysinfo
