#include "storage/images.hpp"

#include "core/error.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"

#include <algorithm>
#include <unistd.h>

namespace burrow::storage {

namespace {

void drop_name_elsewhere(Store& store, const std::string& name, const std::string& keep_id) {
    for (auto img : store.images()) {
        if (img.id == keep_id)
            continue;
        auto it = std::find(img.names.begin(), img.names.end(), name);
        if (it == img.names.end())
            continue;
        img.names.erase(it);
        store.save_image(img);
    }
}

} // namespace

ImageRecord install_image(Store& store, const ImageSource& src, const LayerOptions& opts) {
    ImageConfig config = ImageConfig::parse(src.config);
    if (config.diff_ids().size() != src.layers.size())
        throw Error("image config lists " + std::to_string(config.diff_ids().size()) +
                    " layers, but the image has " + std::to_string(src.layers.size()));
    ImageRecord rec;
    rec.id = Digest::parse(config.id()).hex();
    std::string parent;
    for (size_t i = 0; i < src.layers.size(); ++i) {
        StagedLayer staged = src.layers[i];
        staged.diff_id = config.diff_ids()[i];
        LayerRecord layer = with_context(
            "layer " + staged.digest, [&] { return install_layer(store, parent, staged, opts); });
        rec.size += layer.size;
        rec.layers.push_back(layer.chain_id);
        parent = layer.chain_id;
    }
    rec.created = config.created();

    auto lock = store.lock();
    store.put_blob(src.config);
    if (!src.manifest.empty())
        rec.manifest_digest = store.put_blob(src.manifest);
    if (auto old = store.image(rec.id)) {
        // the same image again: it keeps its names and gains the new ones
        rec.names = old->names;
        rec.digests = old->digests;
        rec.added = old->added;
        if (rec.manifest_digest.empty())
            rec.manifest_digest = old->manifest_digest;
    } else {
        rec.added = now_rfc3339();
    }
    for (const auto& n : src.names) {
        drop_name_elsewhere(store, n, rec.id);
        if (std::find(rec.names.begin(), rec.names.end(), n) == rec.names.end())
            rec.names.push_back(n);
    }
    for (const auto& d : src.digests)
        if (std::find(rec.digests.begin(), rec.digests.end(), d) == rec.digests.end())
            rec.digests.push_back(d);
    store.save_image(rec);
    return rec;
}

void tag_image(Store& store, const std::string& id, const std::string& name) {
    auto img = store.image(id);
    if (!img)
        throw Error("image " + id + " is not in the store");
    drop_name_elsewhere(store, name, id);
    if (std::find(img->names.begin(), img->names.end(), name) == img->names.end()) {
        img->names.push_back(name);
        store.save_image(*img);
    }
}

bool untag_image(Store& store, const std::string& name) {
    for (auto img : store.images()) {
        auto it = std::find(img.names.begin(), img.names.end(), name);
        if (it == img.names.end())
            continue;
        img.names.erase(it);
        store.save_image(img);
        return true;
    }
    return false;
}

void delete_image(Store& store, const std::string& id) {
    auto img = store.image(id);
    if (!img)
        return;
    store.delete_image_record(id);
    // the config blob goes with the image; the manifest too unless another image has it
    bool manifest_shared = false;
    for (const auto& other : store.images())
        if (!img->manifest_digest.empty() && other.manifest_digest == img->manifest_digest)
            manifest_shared = true;
    ::unlink(store.blob_path("sha256:" + id).c_str());
    if (!img->manifest_digest.empty() && !manifest_shared)
        ::unlink(store.blob_path(img->manifest_digest).c_str());
    remove_unused_layers(store);
}

} // namespace burrow::storage
