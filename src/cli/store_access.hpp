#pragma once

#include "cli/global.hpp"
#include "storage/driver.hpp"
#include "storage/store.hpp"

#include <optional>
#include <string>

namespace burrow::cli {

// The store as a command that changes files sees it: from inside the user's user namespace.
struct StoreAccess {
    storage::Store store;
    storage::Driver driver;
    bool single_id = false;
    std::string runtime_dir; // burrow's runtime folder, as the host user knows it
};

// Moves the command into the user namespace, where the files of layers and containers belong
// to their image's owners, and opens the store there. In burrow's own process it never returns:
// it ends the command with the exit code of the one inside (ExitRequest).
StoreAccess enter_store(GlobalOptions& g);

// The store for commands that only read records (images, ps, inspect): no user namespace.
storage::Store open_store(const GlobalOptions& g);

// The image a user named: a full or short id (with or without "sha256:"), or a name as podman
// matches it ("busybox" finds docker.io/library/busybox:latest and localhost/busybox:latest).
// Throws Error "IMAGE: image not known" when none matches, and when a short name or id
// prefix matches several images.
storage::ImageRecord find_image(const storage::Store& store, const std::string& typed);
std::optional<storage::ImageRecord> try_find_image(const storage::Store& store,
                                                   const std::string& typed);

// The container a user named: its name, full id or a unique id prefix.
storage::ContainerRecord find_container(const storage::Store& store, const std::string& typed);
std::optional<storage::ContainerRecord> try_find_container(const storage::Store& store,
                                                           const std::string& typed);

// A name as docker makes one: adjective_surname.
std::string generate_container_name();

// The image's name to show, as podman shows it: its first full name, or "<none>".
std::string display_image_name(const storage::ImageRecord& img);

} // namespace burrow::cli
