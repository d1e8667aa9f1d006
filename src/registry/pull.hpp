#pragma once

#include "registry/client.hpp"
#include "storage/layers.hpp"
#include "storage/store.hpp"

#include <functional>
#include <string>

namespace burrow::registry {

struct PullOptions {
    std::string platform; // "os/arch[/variant]", "" for the host's
    int max_parallel = 6; // blobs downloaded at once
    bool quiet = false;
};

// What the pull did, for the lines docker prints.
struct PullResult {
    storage::ImageRecord image;
    std::string manifest_digest;
    bool downloaded = false; // false: the image was already in the store
};

// Progress lines as docker prints them when not on a terminal ("<id>: Pull complete").
using PullReport = std::function<void(const std::string& line)>;

// Pulls ref into the store: resolves the tag to a manifest (an index picks the platform),
// fetches the config and the layers the store lacks, several at once, each checked against
// its digest and size as it is written, then installs the image under ref's name. Nothing is
// visible until everything is verified. Must run as root of the user's user namespace.
PullResult pull_image(RegistryClient& client, storage::Store& store, const Reference& ref,
                      const storage::LayerOptions& layer_opts, const PullOptions& opts,
                      const PullReport& report);

} // namespace burrow::registry
