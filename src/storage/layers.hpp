#pragma once

#include "storage/store.hpp"

#include <string>
#include <vector>

namespace burrow::storage {

// A layer blob staged in a WorkDir: its file and what the manifest and config say of it.
struct StagedLayer {
    std::string file;       // the blob as it came (compressed or not)
    std::string digest;     // sha256:… of file, verified
    std::string media_type; // "" to detect from the content
    int64_t size = 0;       // of file
    std::string diff_id;    // sha256:… of the uncompressed tar, from the image config
};

// The uncompressed tar of a layer blob (tar, gzip, zstd, detected) read from in_fd, written to
// out_fd (-1: nowhere). Returns its sha256 and size.
struct TarDigest {
    std::string digest;
    int64_t size = 0;
};
TarDigest decompress_layer(int in_fd, int out_fd);

// The media type of a layer blob from its first bytes: tar, tar+gzip or tar+zstd.
std::string sniff_layer_media_type(const std::string& file);

// Everything about the user's side of the mapping that extraction needs.
struct LayerOptions {
    Driver driver = Driver::overlay;
    bool single_id = false; // only the user is mapped: owners other than root are dropped
};

// Makes the layer of `staged` on top of the chain parent_chain (hex, "" for the bottom layer)
// and returns its record; a layer that the store has already is reused. The files are extracted
// under tmp/ and the diff id is checked as they are, then the folder is renamed into place under
// the store's lock. Must run as root of the user's user namespace.
LayerRecord install_layer(Store& store, const std::string& parent_chain, const StagedLayer& staged,
                          const LayerOptions& opts);

// Removes the layers no image uses, with their blobs; returns their chain ids. Under the lock.
std::vector<std::string> remove_unused_layers(Store& store);

// The stack of folders of an image's layers, top first, as an overlay's lowerdir wants them.
std::vector<std::string> layer_dirs_top_first(const Store& store, const ImageRecord& image);

} // namespace burrow::storage
