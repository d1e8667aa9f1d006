#include "storage/driver.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/process.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::storage {

bool kernel_overlay_works(const Store& store, std::string* why) {
    WorkDir probe(store.tmp_root(), "probe");
    const std::string& d = probe.path();
    for (const char* sub : {"/lower", "/upper", "/work", "/merged"})
        make_dirs(d + sub, 0755);
    atomic_write_file(d + "/lower/file", "x");
    std::string opts =
        "lowerdir=" + d + "/lower,upperdir=" + d + "/upper,workdir=" + d + "/work,userxattr";
    auto fail = [&](const std::string& step) {
        if (why)
            *why = step + ": " + std::strerror(errno);
        return false;
    };
    if (::mount("overlay", (d + "/merged").c_str(), "overlay", 0, opts.c_str()) < 0)
        return fail("mount overlay");
    // a whiteout and a copy-up: what every container's first writes need
    bool ok = ::unlink((d + "/merged/file").c_str()) == 0;
    if (!ok)
        fail("whiteout");
    else if (::mkdir((d + "/merged/dir").c_str(), 0755) < 0)
        ok = fail("mkdir");
    ::umount2((d + "/merged").c_str(), MNT_DETACH);
    return ok;
}

namespace {

bool fuse_overlayfs_works(std::string* why) {
    if (find_program("fuse-overlayfs").empty()) {
        *why = "fuse-overlayfs is not installed";
        return false;
    }
    int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *why = std::string("open /dev/fuse: ") + std::strerror(errno);
        return false;
    }
    ::close(fd);
    return true;
}

} // namespace

Driver choose_driver(Store& store, const std::string& requested) {
    const bool automatic = requested.empty() || requested == "auto";
    if (auto recorded = store.recorded_driver()) {
        if (!automatic && parse_driver(requested) != *recorded)
            throw Error("the storage at " + store.root() + " was made with the " +
                        to_string(*recorded) + " driver, not " + requested +
                        ": use that one, or remove everything with 'burrow system reset' first");
        return *recorded;
    }
    Driver d = Driver::vfs;
    if (!automatic) {
        d = parse_driver(requested);
    } else {
        std::string why_overlay, why_fuse;
        if (kernel_overlay_works(store, &why_overlay)) {
            d = Driver::overlay;
        } else if (fuse_overlayfs_works(&why_fuse)) {
            log::info("the kernel's overlay does not work here (" + why_overlay +
                      "): using fuse-overlayfs");
            d = Driver::fuse_overlayfs;
        } else {
            log::warn("neither the kernel's overlay (" + why_overlay + ") nor fuse-overlayfs (" +
                      why_fuse +
                      ") works here: using vfs, which copies each image for each "
                      "container");
        }
    }
    auto lock = store.lock();
    if (auto recorded = store.recorded_driver())
        return *recorded; // another command chose first
    store.record_driver(d);
    return d;
}

} // namespace burrow::storage
