#include "userns/cgroups.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/unique_fd.hpp"

#include <cmath>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

bool has_word(const std::string& list, const std::string& word) {
    std::istringstream in(list);
    std::string w;
    while (in >> w)
        if (w == word)
            return true;
    return false;
}

std::vector<std::string> needed_controllers(const ResourceLimits& l) {
    std::vector<std::string> c;
    if (l.cpu_shares || l.cpus)
        c.push_back("cpu");
    if (l.memory)
        c.push_back("memory");
    if (l.pids)
        c.push_back("pids");
    return c;
}

} // namespace

uint64_t cpu_shares_to_weight(uint64_t shares) {
    if (shares == 0)
        return 100;
    if (shares < 2)
        shares = 2;
    if (shares > 262144)
        shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

CgroupSupport probe_cgroup_support(const std::string& cgroup_root) {
    CgroupSupport s;
    if (!path_exists(cgroup_root + "/cgroup.controllers")) {
        s.reason = "the host uses cgroup v1 (or a hybrid layout), which cannot be delegated to an "
                   "unprivileged user";
        return s;
    }
    auto self = try_read_file("/proc/self/cgroup");
    std::string rel;
    if (self) {
        std::istringstream in(*self);
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("0::", 0) == 0)
                rel = line.substr(3);
    }
    std::string dir = cgroup_root + rel;
    if (rel.empty() || ::access((dir + "/cgroup.procs").c_str(), W_OK) != 0) {
        s.reason = "your cgroup " + (rel.empty() ? std::string("(unknown)") : rel) +
                   " is not delegated to you (run burrow from a systemd user session, or ask an "
                   "admin to delegate it)";
        return s;
    }
    s.usable = true;
    s.path = dir;
    return s;
}

std::string place_in_cgroup(const std::string& id, const ResourceLimits& limits, pid_t pid) {
    if (!limits.any())
        return {};
    CgroupSupport s = probe_cgroup_support();
    std::string enabled;
    if (s.usable)
        enabled = try_read_file(s.path + "/cgroup.subtree_control").value_or("");
    std::string missing;
    for (const auto& c : needed_controllers(limits))
        if (s.usable && !has_word(enabled, c))
            missing += (missing.empty() ? "" : ",") + c;
    if (!s.usable || !missing.empty()) {
        std::string why = s.usable ? "the " + missing +
                                         " controller is not enabled for your cgroup's children (" +
                                         s.path + "/cgroup.subtree_control)"
                                   : s.reason;
        log::warn("resource limits are not enforced: " + why);
        return {};
    }
    std::string dir = s.path + "/burrow-" + id;
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
        throw SysError("mkdir", dir);
    try {
        auto put = [&](const std::string& file, const std::string& value) {
            UniqueFd fd(::open((dir + "/" + file).c_str(), O_WRONLY | O_CLOEXEC));
            if (!fd || ::write(fd.get(), value.data(), value.size()) < 0)
                throw SysError("set " + file + " to " + value, dir);
        };
        if (limits.cpu_shares)
            put("cpu.weight", std::to_string(cpu_shares_to_weight(*limits.cpu_shares)));
        if (limits.cpus) {
            const long period = 100000;
            put("cpu.max",
                std::to_string(std::lround(*limits.cpus * period)) + " " + std::to_string(period));
        }
        if (limits.memory)
            put("memory.max", std::to_string(*limits.memory));
        if (limits.pids)
            put("pids.max", *limits.pids <= 0 ? std::string("max") : std::to_string(*limits.pids));
        put("cgroup.procs", std::to_string(pid));
    } catch (...) {
        ::rmdir(dir.c_str());
        throw;
    }
    return dir;
}

void remove_cgroup(const std::string& path) noexcept {
    if (!path.empty())
        ::rmdir(path.c_str());
}

} // namespace burrow::userns
