#include "userns/mount_specs.hpp"

#include "core/error.hpp"

#include <sys/mount.h>
#include <vector>

namespace burrow::userns {

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t end = s.find(sep, start);
        out.emplace_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
        if (end == std::string_view::npos)
            return out;
        start = end + 1;
    }
}

// Mounting over the container's root, /proc or /dev would undo what the runtime puts there
// (the masks and read-only paths of /proc among them); docker and runc refuse them too.
void check_destination(const std::string& dest, const std::string& what) {
    for (const char* reserved : {"/proc", "/dev"})
        if (dest == reserved || dest.starts_with(std::string(reserved) + "/"))
            throw Error("invalid " + what + ": cannot mount over " + dest +
                        ", which burrow sets up itself");
    if (dest == "/")
        throw Error("invalid " + what + ": cannot mount over the container's root");
}

} // namespace

std::string clean_container_path(std::string_view path, std::string_view what) {
    if (path.empty() || path.front() != '/')
        throw Error("invalid " + std::string(what) + " \"" + std::string(path) +
                    "\": the container path must be absolute");
    std::vector<std::string> parts;
    for (auto& p : split(path, '/')) {
        if (p.empty() || p == ".")
            continue;
        if (p == "..") {
            if (!parts.empty())
                parts.pop_back();
            continue;
        }
        parts.push_back(p);
    }
    std::string out;
    for (auto& p : parts)
        out += "/" + p;
    return out.empty() ? "/" : out;
}

BindMount parse_volume(std::string_view spec) {
    auto parts = split(spec, ':');
    const std::string quoted = "\"" + std::string(spec) + "\"";
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
        throw Error("invalid volume " + quoted + ": use HOST-DIR:CONTAINER-DIR[:OPTIONS]");
    if (parts[0].front() != '/')
        throw Error("invalid volume " + quoted +
                    ": named volumes are not supported yet; give an "
                    "absolute host path");
    BindMount b;
    b.source = parts[0];
    b.destination = clean_container_path(parts[1], "volume " + quoted);
    check_destination(b.destination, "volume " + quoted);
    if (parts.size() == 3) {
        for (const auto& opt : split(parts[2], ',')) {
            if (opt == "ro")
                b.read_only = true;
            else if (opt == "rw")
                b.read_only = false;
            else if (opt == "z" || opt == "Z" || opt == "rbind" || opt == "bind" || opt.empty())
                continue;
            else
                throw Error("invalid volume " + quoted + ": unknown option \"" + opt +
                            "\" (use ro, rw, z, Z)");
        }
    }
    return b;
}

TmpfsMount parse_tmpfs(std::string_view spec) {
    auto colon = spec.find(':');
    TmpfsMount t;
    t.destination =
        clean_container_path(spec.substr(0, colon), "tmpfs \"" + std::string(spec) + "\"");
    check_destination(t.destination, "tmpfs \"" + std::string(spec) + "\"");
    unsigned long flags = MS_NOEXEC | MS_NOSUID | MS_NODEV;
    std::vector<std::string> data;
    bool has_size = false;
    if (colon != std::string_view::npos) {
        for (const auto& opt : split(spec.substr(colon + 1), ',')) {
            if (opt.empty() || opt == "rw")
                flags &= ~static_cast<unsigned long>(MS_RDONLY);
            else if (opt == "ro")
                flags |= MS_RDONLY;
            else if (opt == "exec")
                flags &= ~static_cast<unsigned long>(MS_NOEXEC);
            else if (opt == "noexec")
                flags |= MS_NOEXEC;
            else if (opt == "suid")
                flags &= ~static_cast<unsigned long>(MS_NOSUID);
            else if (opt == "nosuid")
                flags |= MS_NOSUID;
            else if (opt == "dev")
                flags &= ~static_cast<unsigned long>(MS_NODEV);
            else if (opt == "nodev")
                flags |= MS_NODEV;
            else if (opt.rfind("size=", 0) == 0 || opt.rfind("mode=", 0) == 0 ||
                     opt.rfind("nr_inodes=", 0) == 0 || opt.rfind("uid=", 0) == 0 ||
                     opt.rfind("gid=", 0) == 0) {
                has_size |= opt.rfind("size=", 0) == 0;
                data.push_back(opt);
            } else
                throw Error("invalid tmpfs \"" + std::string(spec) + "\": unknown option \"" + opt +
                            "\"");
        }
    }
    if (!has_size)
        data.push_back("size=65536k");
    t.flags = flags;
    for (size_t i = 0; i < data.size(); ++i)
        t.options += (i ? "," : "") + data[i];
    return t;
}

} // namespace burrow::userns
