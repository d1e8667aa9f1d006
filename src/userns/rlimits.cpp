#include "userns/rlimits.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <charconv>

namespace burrow::userns {

namespace {

struct Resource {
    const char* name;
    int resource;
};

constexpr Resource kResources[] = {
    {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
};

const Resource* find_resource(std::string_view name) {
    std::string lower;
    for (char c : name)
        lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    std::string_view key = lower;
    if (key.starts_with("rlimit_"))
        key.remove_prefix(7);
    for (const auto& r : kResources)
        if (key == r.name)
            return &r;
    return nullptr;
}

std::string value_text(rlim_t v) {
    return v == RLIM_INFINITY ? "unlimited" : std::to_string(v);
}

rlim_t parse_value(std::string_view text, std::string_view arg) {
    if (text == "-1" || text == "unlimited")
        return RLIM_INFINITY;
    unsigned long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        value >= RLIM_INFINITY)
        throw Error("invalid ulimit \"" + std::string(arg) + "\": \"" + std::string(text) +
                    "\" is not a number, -1 or unlimited");
    return value;
}

} // namespace

Ulimit parse_ulimit(std::string_view arg) {
    auto eq = arg.find('=');
    if (eq == std::string_view::npos)
        throw Error("invalid ulimit \"" + std::string(arg) + "\": expected name=soft[:hard]");
    std::string_view name = arg.substr(0, eq);
    std::string_view values = arg.substr(eq + 1);
    const Resource* r = find_resource(name);
    if (r == nullptr)
        throw Error("invalid ulimit \"" + std::string(arg) + "\": unknown limit \"" +
                    std::string(name) + "\"");

    Ulimit u;
    u.resource = r->resource;
    u.name = r->name;
    auto colon = values.find(':');
    u.soft = parse_value(values.substr(0, colon), arg);
    if (colon == std::string_view::npos) {
        u.hard = u.soft;
    } else {
        std::string_view hard = values.substr(colon + 1);
        if (hard.find(':') != std::string_view::npos)
            throw Error("invalid ulimit \"" + std::string(arg) +
                        "\": expected at most two values, soft[:hard]");
        u.hard = parse_value(hard, arg);
    }
    // RLIM_INFINITY is the largest rlim_t, so unlimited compares as it should
    if (u.soft > u.hard)
        throw Error("invalid ulimit \"" + std::string(arg) + "\": soft limit " +
                    value_text(u.soft) + " is above hard limit " + value_text(u.hard));
    return u;
}

void apply_ulimits(const std::vector<Ulimit>& ulimits) {
    for (const auto& u : ulimits) {
        struct rlimit want {
            u.soft, u.hard
        };
        if (::setrlimit(u.resource, &want) == 0)
            continue;
        int err = errno;
        struct rlimit current {};
        if (err == EPERM && ::getrlimit(u.resource, &current) == 0 && u.hard > current.rlim_max)
            throw SysError("setrlimit",
                           u.name + " (hard limit " + value_text(u.hard) +
                               " is above the current " + value_text(current.rlim_max) +
                               ", which only root on the host can raise)",
                           err);
        throw SysError("setrlimit", u.name + "=" + value_text(u.soft) + ":" + value_text(u.hard),
                       err);
    }
}

} // namespace burrow::userns
