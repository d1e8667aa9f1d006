#include "userns/caps.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

constexpr int kMaskBits = 64;

constexpr uint64_t bit(int cap) {
    return uint64_t{1} << cap;
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_all(std::string_view s) {
    return s.size() == 3 && ascii_lower(s[0]) == 'a' && ascii_lower(s[1]) == 'l' &&
           ascii_lower(s[2]) == 'l';
}

// Read with open/read rather than streams: the child side calls last_cap() after fork and should
// not need the allocator for it.
int read_last_cap() {
    int fd = ::open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return CAP_LAST_CAP;
    char buf[16];
    ssize_t n;
    do {
        n = ::read(fd, buf, sizeof buf - 1);
    } while (n < 0 && errno == EINTR);
    ::close(fd);
    if (n <= 0)
        return CAP_LAST_CAP;
    int value = 0;
    ssize_t i = 0;
    for (; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        value = value * 10 + (buf[i] - '0');
    if (i == 0 || value >= kMaskBits)
        return CAP_LAST_CAP;
    return value;
}

// Splits podman-style "CHOWN,KILL" entries; each piece is ALL or a capability name.
struct ParsedList {
    uint64_t mask = 0;
    bool all = false;
};

ParsedList parse_cap_list(const std::vector<std::string>& entries) {
    ParsedList out;
    for (const auto& entry : entries) {
        std::string_view rest = entry;
        for (;;) {
            auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            if (is_all(item)) {
                out.all = true;
            } else {
                auto cap = cap_from_name(item);
                if (!cap)
                    throw Error("unknown capability \"" + std::string(item) + "\"");
                if (*cap > last_cap())
                    throw Error("capability " + cap_name(*cap) +
                                " is not supported by the running kernel");
                out.mask |= bit(*cap);
            }
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

} // namespace

std::optional<int> cap_from_name(std::string_view name) {
    std::string normalized;
    normalized.reserve(name.size() + 4);
    for (char c : name) {
        c = ascii_lower(c);
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return std::nullopt;
        normalized += c;
    }
    if (!normalized.starts_with("cap_"))
        normalized.insert(0, "cap_");
    // libcap's cap_from_name also takes "12"; a capability is named on burrow's command line
    if (normalized.size() <= 4 || normalized[4] < 'a' || normalized[4] > 'z')
        return std::nullopt;
    cap_value_t value = 0;
    if (::cap_from_name(normalized.c_str(), &value) != 0 || value < 0 || value >= kMaskBits)
        return std::nullopt;
    return value;
}

std::string cap_name(int cap) {
    if (cap < 0)
        return std::to_string(cap);
    char* raw = ::cap_to_name(cap);
    if (raw == nullptr)
        return std::to_string(cap);
    std::string name = raw;
    ::cap_free(raw);
    for (char& c : name)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return name;
}

int last_cap() {
    static const int value = read_last_cap();
    return value;
}

uint64_t all_caps_mask() {
    int last = last_cap();
    return last >= kMaskBits - 1 ? ~uint64_t{0} : bit(last + 1) - 1;
}

uint64_t default_cap_mask() {
    return bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_FOWNER) | bit(CAP_FSETID) |
           bit(CAP_KILL) | bit(CAP_NET_BIND_SERVICE) | bit(CAP_SETFCAP) | bit(CAP_SETGID) |
           bit(CAP_SETPCAP) | bit(CAP_SETUID) | bit(CAP_SYS_CHROOT);
}

uint64_t resolve_cap_mask(const std::vector<std::string>& add, const std::vector<std::string>& drop,
                          bool privileged) {
    ParsedList adds = parse_cap_list(add);
    ParsedList drops = parse_cap_list(drop);
    if (privileged)
        return all_caps_mask();
    if (drops.all) {
        if (adds.all)
            throw Error("--cap-add ALL and --cap-drop ALL cannot be used together");
        return adds.mask;
    }
    if (adds.all)
        return all_caps_mask() & ~drops.mask;
    if (uint64_t both = adds.mask & drops.mask; both != 0) {
        int cap = __builtin_ctzll(both);
        throw Error("capability " + cap_name(cap) + " cannot be both added and dropped");
    }
    return (default_cap_mask() & ~drops.mask) | adds.mask;
}

uint64_t explicit_cap_mask(const std::vector<std::string>& add) {
    ParsedList adds = parse_cap_list(add);
    return adds.all ? all_caps_mask() : adds.mask;
}

std::string cap_mask_names(uint64_t mask) {
    std::vector<std::string> names;
    for (int cap = 0; cap < kMaskBits; ++cap)
        if (mask & bit(cap))
            names.push_back(cap_name(cap));
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& name : names) {
        if (!out.empty())
            out += ',';
        out += name;
    }
    return out;
}

uint64_t current_bounding_set() {
    uint64_t mask = 0;
    for (int cap = 0; cap <= last_cap(); ++cap) {
        int r = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (r < 0)
            throw SysError("prctl PR_CAPBSET_READ", cap_name(cap));
        if (r == 1)
            mask |= bit(cap);
    }
    return mask;
}

CapSets cap_sets_for(uint64_t mask, uint64_t explicitly_added, bool root_user) {
    CapSets sets;
    sets.bounding = mask;
    if (root_user) {
        sets.effective = mask;
        sets.permitted = mask;
        return sets;
    }
    uint64_t kept = explicitly_added & mask;
    sets.effective = kept;
    sets.permitted = kept;
    sets.inheritable = kept;
    sets.ambient = kept;
    return sets;
}

void drop_bounding_set(uint64_t keep) {
    for (int cap = 0; cap <= last_cap(); ++cap) {
        if (keep & bit(cap))
            continue;
        // PR_CAPBSET_DROP wants CAP_SETPCAP even for a capability that is already gone; skipping
        // those lets a caller without it ask for a set it already has.
        int present = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (present < 0)
            throw SysError("prctl PR_CAPBSET_READ", cap_name(cap));
        if (present == 0)
            continue;
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
            throw SysError("drop capability from the bounding set", cap_name(cap));
    }
}

void set_process_caps(uint64_t effective, uint64_t permitted, uint64_t inheritable,
                      uint64_t ambient) {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
        data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
        data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
        data[i].inheritable = static_cast<uint32_t>(inheritable >> (32 * i));
    }
    if (::capset(&header, data) != 0)
        throw SysError("capset");

    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
        // kernels before 4.3 have no ambient set, and then none to clear
        if (errno == EINVAL && ambient == 0)
            return;
        throw SysError("prctl PR_CAP_AMBIENT_CLEAR_ALL");
    }
    for (int cap = 0; cap < kMaskBits; ++cap) {
        if (!(ambient & bit(cap)))
            continue;
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
            throw SysError("raise ambient capability", cap_name(cap));
    }
}

} // namespace burrow::userns
