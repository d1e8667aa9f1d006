#pragma once

#include <string>

namespace burrow::cli {

// What happened when a child process created a user namespace the way burrow's runtime does and
// mounted a native overlay in it.
struct OverlayProbe {
    std::string dir;           // the folder the probe's temporary folder was made in
    bool userns_ok = false;    // unshare(CLONE_NEWUSER) and the single-id maps worked
    bool overlay_ok = false;   // mount -t overlay -o userxattr, a copy-up and a whiteout worked
    std::string error;         // the step that failed and its errno text, or ""
    std::string cleanup_error; // the temporary folder could not be removed
};

// Creates the user namespace alone, with the single-id maps: can this user run containers at all.
OverlayProbe probe_user_namespace();

// Runs the probe in a temporary folder under parent_dir and removes it afterwards. Never throws:
// every failure is reported in the result.
OverlayProbe probe_native_overlay(const std::string& parent_dir);

} // namespace burrow::cli
