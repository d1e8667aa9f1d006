#pragma once

#include <string>

namespace burrow::paths {

// $HOME, or the passwd entry's home when HOME is unset.
std::string home_dir();
// $XDG_DATA_HOME/burrow (default ~/.local/share/burrow).
std::string data_dir();
// $XDG_DATA_HOME/burrow/storage: the default for --root.
std::string default_storage_root();
// $XDG_CONFIG_HOME/burrow (default ~/.config/burrow).
std::string config_dir();
// $XDG_CONFIG_HOME (default ~/.config).
std::string xdg_config_home();

struct RuntimeDir {
    std::string path;
    bool from_xdg = false; // false: the /tmp fallback of DESIGN.md
};
// $XDG_RUNTIME_DIR/burrow when XDG_RUNTIME_DIR is set and usable, else /tmp/burrow-run-UID.
// Does not create anything.
RuntimeDir default_runtime_dir();

// Creates a private folder (0700) owned by the caller, refusing one that another user owns, that
// is a symlink, or that others can write: a /tmp fallback must not be taken over by another user.
void ensure_private_dir(const std::string& path);

} // namespace burrow::paths
