#include "storage/layers.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/unique_fd.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/layer_tar.hpp"
#include "storage/libarchive.hpp"

#include <archive.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::storage {

TarDigest decompress_layer(int in_fd, int out_fd) {
    const ArchiveApi& api = archive_api();
    ArchiveReader r;
    api.archive_read_support_filter_all(r.get());
    api.archive_read_support_format_raw(r.get());
    api.archive_read_support_format_empty(r.get());
    check_archive(r.get(), api.archive_read_open_fd(r.get(), in_fd, 1 << 16), "open layer");
    struct archive_entry* entry = nullptr;
    long rc = check_archive(r.get(), api.archive_read_next_header(r.get(), &entry), "read layer");
    Sha256 hash;
    TarDigest out;
    if (rc != ARCHIVE_EOF) {
        char buf[1 << 16];
        for (;;) {
            la_ssize_t n = api.archive_read_data(r.get(), buf, sizeof buf);
            if (n < 0)
                throw Error("decompress layer: " + archive_error(r.get()));
            if (n == 0)
                break;
            hash.update(buf, static_cast<size_t>(n));
            if (out_fd >= 0)
                write_all(out_fd, buf, static_cast<size_t>(n));
            out.size += n;
        }
    }
    out.digest = hash.finish();
    return out;
}

std::string sniff_layer_media_type(const std::string& file) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw SysError("open", file);
    unsigned char head[4] = {};
    ssize_t n = ::read(fd.get(), head, sizeof head);
    if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        return std::string(kOciLayerGzip);
    if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        return std::string(kOciLayerZstd);
    return std::string(kOciLayer);
}

namespace {

// Copies a layer's full tree for the vfs driver, where each layer holds its parent's files too.
void copy_tree(const std::string& from, const std::string& to) {
    auto r = run_program({"cp", "-a", "--reflink=auto", from + "/.", to});
    if (exit_code_of(r.status) != 0)
        throw Error("copy " + from + " to " + to + ": " + r.output);
}

// Feeds the uncompressed tar of `blob` into a pipe from a child process and hashes it there, so
// that extraction and the diff id check take one pass over the blob.
struct Feeder {
    Pid pid;
    UniqueFd tar;    // read end: the uncompressed tar
    UniqueFd result; // read end: "sha256:… size" once the whole tar was fed
};

Feeder start_feeder(const std::string& blob) {
    archive_api(); // loaded here, before the fork
    int data[2], res[2];
    if (::pipe2(data, O_CLOEXEC) < 0 || ::pipe2(res, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd data_r(data[0]), data_w(data[1]), res_r(res[0]), res_w(res[1]);
    UniqueFd in(::open(blob.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in)
        throw SysError("open", blob);
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        std::string msg;
        try {
            ::signal(SIGPIPE, SIG_DFL);
            data_r.reset();
            res_r.reset();
            TarDigest d = decompress_layer(in.get(), data_w.get());
            msg = d.digest + " " + std::to_string(d.size);
        } catch (const std::exception& e) {
            msg = std::string("error ") + e.what();
        }
        data_w.reset();
        write_all(res_w.get(), msg.data(), msg.size());
        _exit(0);
    }
    Feeder f{Pid(pid), std::move(data_r), std::move(res_r)};
    return f;
}

TarDigest finish_feeder(Feeder& f) {
    // extraction stops at the tar's end marker: read the padding after it too, so that the
    // feeder hashes everything and ends
    char buf[1 << 16];
    while (::read(f.tar.get(), buf, sizeof buf) > 0) {
    }
    f.tar.reset();
    std::string msg = read_fd(f.result.get());
    f.pid.wait();
    if (msg.starts_with("error "))
        throw Error(msg.substr(6));
    auto space = msg.find(' ');
    if (space == std::string::npos)
        throw Error("decompress layer: the decompressing process failed");
    return {msg.substr(0, space), std::stoll(msg.substr(space + 1))};
}

} // namespace

LayerRecord install_layer(Store& store, const std::string& parent_chain, const StagedLayer& staged,
                          const LayerOptions& opts) {
    const std::string chain =
        Digest::parse(
            chain_id(parent_chain.empty() ? "" : "sha256:" + parent_chain, staged.diff_id))
            .hex();
    if (auto existing = store.layer(chain))
        return *existing;

    WorkDir work(store.tmp_root(), "layer");
    const std::string diff = work.path() + "/diff";
    if (::mkdir(diff.c_str(), 0755) < 0 && errno != EEXIST)
        throw SysError("mkdir", diff);
    if (opts.driver == Driver::vfs && !parent_chain.empty())
        copy_tree(store.layer_dir(parent_chain) + "/diff", diff);

    Feeder feeder = start_feeder(staged.file);
    ExtractOptions eo;
    eo.whiteouts = opts.driver == Driver::vfs ? WhiteoutFormat::Delete : WhiteoutFormat::Overlay;
    eo.userxattr = true;
    eo.ignore_chown_errors = opts.single_id;
    ExtractResult extracted;
    try {
        extracted = extract_layer(feeder.tar.get(), diff, eo);
    } catch (...) {
        feeder.tar.reset();
        throw;
    }
    TarDigest tar = finish_feeder(feeder);
    if (tar.digest != staged.diff_id)
        throw Error("its uncompressed content has the digest " + tar.digest +
                    ", but the image config says " + staged.diff_id);
    if (extracted.skipped_devices > 0)
        log::warn("layer " + Digest::parse(staged.digest).short_hex() + ": skipped " +
                  std::to_string(extracted.skipped_devices) +
                  " device node(s) that cannot be created without root");

    LayerRecord rec;
    rec.chain_id = chain;
    rec.diff_id = staged.diff_id;
    rec.parent = parent_chain;
    rec.blob = staged.digest;
    rec.media_type =
        staged.media_type.empty() ? sniff_layer_media_type(staged.file) : staged.media_type;
    rec.size = static_cast<int64_t>(extracted.content_size);
    rec.blob_size = staged.size;
    rec.tar_size = tar.size;
    atomic_write_file(work.path() + "/layer.json", nlohmann::json(rec).dump(), 0600);

    auto lock = store.lock();
    if (auto existing = store.layer(chain))
        return *existing; // made by another command meanwhile
    if (!store.has_blob(staged.digest)) {
        // a hard link keeps the staged file for other layers of the same blob
        if (::link(staged.file.c_str(), store.blob_path(staged.digest).c_str()) < 0 &&
            errno != EEXIST)
            throw SysError("link", staged.file);
    }
    work.move_to("", store.layer_dir(chain));
    return rec;
}

std::vector<std::string> remove_unused_layers(Store& store) {
    std::vector<std::string> removed;
    for (const auto& chain : store.unused_layers()) {
        auto rec = store.layer(chain);
        store.remove_tree(store.layer_dir(chain));
        if (rec && !rec->blob.empty()) {
            bool shared = false;
            for (const auto& other : store.images())
                for (const auto& l : other.layers)
                    if (auto o = store.layer(l); o && o->blob == rec->blob)
                        shared = true;
            if (!shared)
                ::unlink(store.blob_path(rec->blob).c_str());
        }
        removed.push_back(chain);
    }
    return removed;
}

std::vector<std::string> layer_dirs_top_first(const Store& store, const ImageRecord& image) {
    std::vector<std::string> dirs;
    for (auto it = image.layers.rbegin(); it != image.layers.rend(); ++it)
        dirs.push_back(store.layer_dir(*it) + "/diff");
    return dirs;
}

} // namespace burrow::storage
