#pragma once

#include "storage/layers.hpp"
#include "storage/store.hpp"

#include <string>
#include <vector>

namespace burrow::storage {

// An image whose blobs are staged and verified, ready to enter the store.
struct ImageSource {
    std::string config;               // raw bytes; its sha256 is the image id
    std::string manifest;             // raw bytes, "" when the source has none (docker-archive)
    std::vector<StagedLayer> layers;  // bottom first
    std::vector<std::string> names;   // full references
    std::vector<std::string> digests; // repo@sha256:…
};

// Installs the layers, the config and manifest blobs and the image record, and moves its names
// from any image that had them. Must run as root of the user's user namespace.
ImageRecord install_image(Store& store, const ImageSource& src, const LayerOptions& opts);

// Gives `name` to the image `id`, taking it from the image that had it. Under the lock.
void tag_image(Store& store, const std::string& id, const std::string& name);
// Takes `name` from its image; false when no image has it.
bool untag_image(Store& store, const std::string& name);

// Removes the image record and the layers and blobs nothing else uses. Under the lock.
void delete_image(Store& store, const std::string& id);

} // namespace burrow::storage
