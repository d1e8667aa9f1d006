// burrow load, save, import, export: images and containers' files in and out as archives.
#include "cli/changes.hpp"
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "registry/reference.hpp"
#include "storage/archive_io.hpp"
#include "storage/image_format.hpp"
#include "storage/images.hpp"
#include "storage/layer_tar.hpp"

#include <fcntl.h>
#include <iostream>
#include <sys/mount.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

UniqueFd open_input(const std::string& path) {
    if (path.empty() || path == "-")
        return UniqueFd(::dup(STDIN_FILENO));
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", path);
    return fd;
}

// The output file is written under a temporary name and renamed when complete: an interrupted
// save leaves no half archive under the name asked for.
class OutputFile {
public:
    explicit OutputFile(const std::string& path) : path_(path) {
        if (path.empty() || path == "-") {
            if (::isatty(STDOUT_FILENO))
                throw Error("refusing to write an archive to a terminal: use -o FILE or redirect");
            fd_ = UniqueFd(::dup(STDOUT_FILENO));
            return;
        }
        tmp_ = path + ".burrow-tmp";
        fd_ = UniqueFd(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd_)
            throw SysError("create", tmp_);
    }
    ~OutputFile() {
        if (!tmp_.empty() && !done_)
            ::unlink(tmp_.c_str());
    }
    int fd() const { return fd_.get(); }
    void commit() {
        if (!tmp_.empty()) {
            if (::fsync(fd_.get()) < 0)
                throw SysError("fsync", tmp_);
            if (::rename(tmp_.c_str(), path_.c_str()) < 0)
                throw SysError("rename", tmp_ + " to " + path_);
        }
        done_ = true;
    }

private:
    std::string path_, tmp_;
    UniqueFd fd_;
    bool done_ = false;
};

storage::LayerOptions layer_options(const StoreAccess& sa) {
    return {sa.driver, sa.single_id};
}

} // namespace

void setup_load_command(CLI::App& cmd, GlobalOptions& g) {
    auto input = std::make_shared<std::string>();
    auto quiet = std::make_shared<bool>(false);
    cmd.footer("Examples:\n"
               "  burrow load -i busybox.tar\n"
               "  zcat image.tar.gz | burrow load");
    cmd.add_option("-i,--input", *input,
                   "Read from a docker-archive or oci-archive FILE (default: stdin)")
        ->type_name("FILE");
    cmd.add_flag("-q,--quiet", *quiet, "Print only the loaded names");
    cmd.callback([input, quiet, &g] {
        if (input->empty() && ::isatty(STDIN_FILENO))
            throw Error("no archive given: use -i FILE or pipe one in");
        UniqueFd in = open_input(*input);
        StoreAccess sa = enter_store(g);
        storage::WorkDir staging(sa.store.tmp_root(), "load");
        auto sources = storage::read_image_archive(in.get(), staging.path());
        for (const auto& src : sources) {
            auto rec = storage::install_image(sa.store, src, layer_options(sa));
            if (src.names.empty())
                std::cout << "Loaded image: sha256:" << rec.id << '\n';
            for (const auto& n : src.names)
                std::cout << "Loaded image: " << n << '\n';
        }
    });
}

void setup_save_command(CLI::App& cmd, GlobalOptions& g) {
    auto output = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("docker-archive");
    auto images = std::make_shared<std::vector<std::string>>();
    cmd.footer("Examples:\n"
               "  burrow save -o busybox.tar busybox\n"
               "  burrow save --format oci-archive -o app.tar app:1 app:2\n"
               "  burrow save --format oci-dir -o ./layout busybox");
    cmd.add_option("-o,--output", *output, "Write to FILE (default: stdout)")->type_name("FILE");
    cmd.add_option("--format", *format, "docker-archive, oci-archive or oci-dir")
        ->check(CLI::IsMember({"docker-archive", "oci-archive", "oci-dir"}));
    cmd.add_option("IMAGE", *images, "Images to save")->required();
    cmd.callback([output, format, images, &g] {
        storage::Store store = open_store(g);
        std::vector<storage::SaveItem> items;
        for (const auto& typed : *images) {
            auto img = find_image(store, typed);
            storage::SaveItem item{img, {}};
            // the name asked for; an id saves the image with all its names
            for (const auto& n : img.names)
                if (n == typed || registry::matches_short_name(typed, n))
                    item.names.push_back(n);
            if (item.names.empty())
                item.names = img.names;
            items.push_back(std::move(item));
        }
        if (*format == "oci-dir") {
            if (output->empty())
                throw Error("--format oci-dir needs -o DIR");
            storage::write_image_archive(store, items, storage::ArchiveFormat::oci_dir, -1,
                                         *output);
            return;
        }
        OutputFile out(*output);
        storage::write_image_archive(store, items,
                                     *format == "oci-archive"
                                         ? storage::ArchiveFormat::oci_archive
                                         : storage::ArchiveFormat::docker_archive,
                                     out.fd());
        out.commit();
    });
}

void setup_import_command(CLI::App& cmd, GlobalOptions& g) {
    auto source = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto changes = std::make_shared<std::vector<std::string>>();
    auto message = std::make_shared<std::string>();
    cmd.footer("Examples:\n"
               "  burrow import rootfs.tar myimage:1\n"
               "  burrow export box | burrow import --change 'CMD [\"sh\"]' - copy");
    cmd.add_option("-c,--change", *changes,
                   "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, "
                   "EXPOSE")
        ->allow_extra_args(false);
    cmd.add_option("-m,--message", *message, "Commit message of the image");
    cmd.add_option("SOURCE", *source, "A root filesystem tarball: FILE or - for stdin")->required();
    cmd.add_option("REFERENCE", *name, "Name of the new image");
    cmd.callback([source, name, changes, message, &g] {
        if (source->starts_with("http://") || source->starts_with("https://"))
            throw Error("import from a URL is not available yet: download the file first");
        std::string full = name->empty() ? "" : registry::normalize_local_name(*name);
        storage::NewImageInfo info;
        info.comment = *message;
        info.created_by = "/bin/sh -c #(nop) ADD file in / ";
        info.config = apply_changes(storage::ContainerConfig{}, *changes);
        UniqueFd in = open_input(*source);
        StoreAccess sa = enter_store(g);
        storage::WorkDir staging(sa.store.tmp_root(), "import");
        storage::StagedLayer layer = storage::stage_rootfs_tarball(in.get(), staging.path());
        storage::ImageConfig cfg = storage::make_base_config(layer.diff_id, info);
        storage::ImageSource src;
        src.config = cfg.raw();
        src.layers = {layer};
        if (!full.empty())
            src.names = {full};
        auto rec = storage::install_image(sa.store, src, layer_options(sa));
        std::cout << "sha256:" << rec.id << '\n';
    });
}

void setup_export_command(CLI::App& cmd, GlobalOptions& g) {
    auto output = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    cmd.footer("Examples:\n"
               "  burrow export -o box.tar box\n"
               "  burrow export box | tar t");
    cmd.add_option("-o,--output", *output, "Write to FILE (default: stdout)")->type_name("FILE");
    cmd.add_option("CONTAINER", *name, "The container")->required();
    cmd.callback([output, name, &g] {
        OutputFile out(*output);
        StoreAccess sa = enter_store(g);
        auto c = find_container(sa.store, *name);
        MountedRoot root = mount_container_root(sa, c);
        storage::write_tree_tar(root.path, out.fd());
        out.commit();
    });
}

} // namespace burrow::cli
