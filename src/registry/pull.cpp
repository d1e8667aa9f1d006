#include "registry/pull.hpp"

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "storage/images.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace burrow::registry {

namespace {

const char* kManifestAccept = "application/vnd.oci.image.index.v1+json, "
                              "application/vnd.docker.distribution.manifest.list.v2+json, "
                              "application/vnd.oci.image.manifest.v1+json, "
                              "application/vnd.docker.distribution.manifest.v2+json";

std::string where(const Reference& ref) {
    return ref.familiar() + " from " + ref.domain();
}

// GETs a manifest by tag or digest; returns its bytes and digest, checked when asked by digest.
std::pair<std::string, std::string> fetch_manifest(RegistryClient& client, const Reference& ref,
                                                   const std::string& tag_or_digest,
                                                   std::string* media_type) {
    Request req;
    req.url = "/v2/" + ref.path() + "/manifests/" + tag_or_digest;
    req.headers.emplace_back("Accept", kManifestAccept);
    Response r;
    for (int attempt = 1;; ++attempt) {
        try {
            r = client.request(ref, req);
        } catch (const Error&) {
            if (attempt >= 3)
                rethrow_with_context("pulling " + where(ref));
            std::this_thread::sleep_for(retry_delay(attempt));
            continue;
        }
        if (!is_retryable_status(r.status) || attempt >= 3)
            break;
        std::this_thread::sleep_for(retry_delay(attempt, &r));
    }
    if (r.status != 200)
        throw Error("pulling " + where(ref) + ": manifest " + tag_or_digest + ": " +
                    describe_http_error(r));
    std::string digest = storage::sha256_of(r.body);
    if (tag_or_digest.starts_with("sha256:") && digest != tag_or_digest)
        throw Error("pulling " + where(ref) + ": the manifest's digest is " + digest +
                    ", not the " + tag_or_digest + " asked for");
    *media_type = storage::detect_media_type(r.body, r.header("content-type").value_or(""));
    return {r.body, digest};
}

// A blob to a file, checked against its digest and size while it is written.
Request blob_request(const Reference& ref, const std::string& digest, int fd,
                     std::shared_ptr<storage::DigestingWriter> writer) {
    (void)fd;
    Request req;
    req.url = "/v2/" + ref.path() + "/blobs/" + digest;
    req.on_data = [writer](const char* data, size_t len) {
        writer->write(data, len);
        return true;
    };
    return req;
}

} // namespace

PullResult pull_image(RegistryClient& client, storage::Store& store, const Reference& ref,
                      const storage::LayerOptions& layer_opts, const PullOptions& opts,
                      const PullReport& report) {
    std::string media_type;
    const std::string wanted = ref.has_digest() ? ref.digest() : ref.tag();
    auto [manifest_raw, manifest_digest] = fetch_manifest(client, ref, wanted, &media_type);
    // the digest a user pulls by and sees is the one of what the tag names (an index for a
    // multi-platform image), as docker prints it
    const std::string top_digest = manifest_digest;
    if (storage::is_index_media_type(media_type)) {
        storage::Index index = storage::parse_index(manifest_raw);
        const storage::Platform platform = opts.platform.empty()
                                               ? storage::host_platform()
                                               : storage::parse_platform(opts.platform);
        const storage::Descriptor& d = storage::select_platform(index, platform);
        std::tie(manifest_raw, manifest_digest) =
            fetch_manifest(client, ref, d.digest, &media_type);
    }
    storage::Manifest manifest = storage::parse_manifest(manifest_raw);

    storage::WorkDir staging(store.tmp_root(), "pull");
    // the config
    std::string config_raw;
    {
        Request req;
        req.url = "/v2/" + ref.path() + "/blobs/" + manifest.config.digest;
        Response r = client.request(ref, req);
        if (r.status != 200)
            throw Error("pulling " + where(ref) + ": config " + manifest.config.digest + ": " +
                        describe_http_error(r));
        if (storage::sha256_of(r.body) != manifest.config.digest)
            throw Error("pulling " + where(ref) + ": config " + manifest.config.digest +
                        ": the content does not match its digest");
        config_raw = r.body;
    }
    storage::ImageConfig config = storage::ImageConfig::parse(config_raw);
    storage::check_layers_match(manifest, config);

    // an image already in the store under this id needs nothing more
    const std::string id = storage::Digest::parse(config.id()).hex();
    std::vector<std::string> chains = storage::chain_ids(config.diff_ids());

    storage::ImageSource src;
    src.config = config_raw;
    src.manifest = manifest_raw;
    src.names = {ref.has_digest() && ref.tag().empty() ? "" : ref.with_tag(ref.tag()).to_string()};
    if (src.names.front().empty())
        src.names.clear();
    src.digests = {ref.name() + "@" + top_digest};

    struct Pending {
        size_t index;
        std::string file;
        UniqueFd fd;
        std::shared_ptr<storage::DigestingWriter> writer;
    };
    std::vector<Pending> pending;
    std::vector<Request> requests;
    for (size_t i = 0; i < manifest.layers.size(); ++i) {
        const auto& d = manifest.layers[i];
        storage::StagedLayer layer;
        layer.digest = d.digest;
        layer.media_type = d.media_type;
        layer.size = d.size;
        layer.diff_id = config.diff_ids()[i];
        src.layers.push_back(layer);
        if (store.layer(storage::Digest::parse(chains[i]).hex())) {
            report(storage::Digest::parse(d.digest).hex().substr(0, 12) + ": Already exists");
            continue;
        }
        Pending p;
        p.index = i;
        p.file = staging.path() + "/layer-" + std::to_string(i);
        p.fd = UniqueFd(::open(p.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!p.fd)
            throw SysError("create", p.file);
        p.writer = std::make_shared<storage::DigestingWriter>(
            p.fd.get(), storage::Digest::parse(d.digest), d.size);
        report(storage::Digest::parse(d.digest).hex().substr(0, 12) + ": Pulling fs layer");
        requests.push_back(blob_request(ref, d.digest, p.fd.get(), p.writer));
        pending.push_back(std::move(p));
    }
    bool downloaded = !pending.empty() || !store.image(id);
    if (!requests.empty()) {
        auto outcomes = client.request_all(ref, requests, opts.max_parallel);
        for (size_t k = 0; k < pending.size(); ++k) {
            auto& p = pending[k];
            const auto& d = manifest.layers[p.index];
            auto& o = outcomes[k];
            if (!o.response)
                throw Error("pulling " + where(ref) + ": layer " + d.digest + ": " + o.error);
            if (o.response->status != 200)
                throw Error("pulling " + where(ref) + ": layer " + d.digest + ": " +
                            describe_http_error(*o.response));
            with_context("pulling " + where(ref) + ": layer " + d.digest,
                         [&] { p.writer->finish(); });
            p.fd.reset();
            src.layers[p.index].file = p.file;
            report(storage::Digest::parse(d.digest).hex().substr(0, 12) + ": Download complete");
        }
    }
    storage::ImageRecord rec = storage::install_image(store, src, layer_opts);
    for (const auto& p : pending)
        report(storage::Digest::parse(manifest.layers[p.index].digest).hex().substr(0, 12) +
               ": Pull complete");
    return {rec, top_digest, downloaded};
}

} // namespace burrow::registry
