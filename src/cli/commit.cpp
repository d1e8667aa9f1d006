// burrow commit: a container's changes as a new image.
#include "cli/changes.hpp"
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "registry/reference.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/images.hpp"
#include "storage/layer_tar.hpp"

#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

std::string oci_layer_type(const std::string& type) {
    if (type == storage::kDockerLayerGzip)
        return std::string(storage::kOciLayerGzip);
    if (type == storage::kDockerLayer)
        return std::string(storage::kOciLayer);
    return type;
}

} // namespace

void setup_commit_command(CLI::App& cmd, GlobalOptions& g) {
    struct Opts {
        std::string author, message, container, name;
        std::vector<std::string> changes;
        bool pause = true;
        bool quiet = false;
    };
    auto o = std::make_shared<Opts>();
    cmd.footer("Examples:\n"
               "  burrow commit box mybox:1\n"
               "  burrow commit -a 'Ann <ann@example.org>' -m 'add curl' -c 'CMD [\"sh\"]' box\n");
    cmd.add_option("-a,--author", o->author, "Author of the image");
    cmd.add_option("-m,--message", o->message, "Commit message");
    cmd.add_option("-c,--change", o->changes,
                   "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, "
                   "EXPOSE")
        ->allow_extra_args(false);
    cmd.add_flag("-p,--pause", o->pause,
                 "Pause the container while committing (nothing runs detached yet to pause)");
    cmd.add_flag("-q,--quiet", o->quiet, "Print nothing but the image id");
    cmd.add_option("CONTAINER", o->container, "The container")->required();
    cmd.add_option("IMAGE", o->name, "Name of the new image, NAME[:TAG]");
    cmd.callback([o, &g] {
        std::string full = o->name.empty() ? "" : registry::normalize_local_name(o->name);
        StoreAccess sa = enter_store(g);
        storage::Store& store = sa.store;
        auto c = find_container(store, o->container);
        auto img = store.image(c.image_id);
        if (!img)
            throw Error("the image of container " + c.name + " is gone");
        auto parent = storage::ImageConfig::parse(store.read_blob("sha256:" + img->id));

        storage::WorkDir staging(store.tmp_root(), "commit");
        std::string tar = staging.path() + "/layer.tar";
        {
            UniqueFd out(::open(tar.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
            if (!out)
                throw SysError("create", tar);
            std::string dir = store.container_dir(c.id);
            if (c.driver == "vfs")
                storage::write_tree_diff(img->layers.empty()
                                             ? dir + "/empty"
                                             : store.layer_dir(img->layers.back()) + "/diff",
                                         dir + "/rootfs", out.get());
            else
                storage::write_layer_diff(dir + "/upper", out.get(), true);
        }
        UniqueFd in(::open(tar.c_str(), O_RDONLY | O_CLOEXEC));
        if (!in)
            throw SysError("open", tar);
        storage::StagedLayer layer;
        layer.file = tar;
        layer.digest = storage::sha256_of_fd(in.get());
        layer.diff_id = layer.digest;
        layer.media_type = std::string(storage::kOciLayer);
        struct stat st {};
        ::fstat(in.get(), &st);
        layer.size = st.st_size;

        storage::NewImageInfo info;
        info.author = o->author;
        info.comment = o->message;
        std::string command;
        for (const auto& a : c.config.value("args", std::vector<std::string>{}))
            command += (command.empty() ? "" : " ") + a;
        info.created_by = command.empty() ? "/bin/sh" : command;
        info.config = apply_changes(parent.config(), o->changes);
        auto config = storage::make_child_config(parent, layer.diff_id, info);

        storage::ImageSource src;
        src.config = config.raw();
        std::vector<storage::Descriptor> layers;
        for (const auto& chain : img->layers) {
            auto rec = store.layer(chain);
            if (!rec)
                throw Error("layer " + chain.substr(0, 12) + " of the image is missing");
            storage::StagedLayer existing;
            existing.digest = rec->blob;
            existing.media_type = rec->media_type;
            existing.size = rec->blob_size;
            src.layers.push_back(existing);
            storage::Descriptor d;
            d.media_type = oci_layer_type(rec->media_type);
            d.digest = rec->blob;
            d.size = rec->blob_size;
            layers.push_back(d);
        }
        src.layers.push_back(layer);
        storage::Descriptor d;
        d.media_type = layer.media_type;
        d.digest = layer.digest;
        d.size = layer.size;
        layers.push_back(d);
        src.manifest = storage::to_json(storage::make_oci_manifest(
            storage::make_descriptor(storage::kOciConfig, src.config), layers));
        if (!full.empty())
            src.names = {full};
        auto rec = storage::install_image(store, src, {sa.driver, sa.single_id});
        std::cout << "sha256:" << rec.id << '\n';
    });
}

} // namespace burrow::cli
