#pragma once

#include "storage/lock.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace burrow::storage {

// How layers are kept and containers' roots are made. The layer format follows the driver, so a
// store keeps the driver it was first used with (podman does the same).
enum class Driver { overlay, fuse_overlayfs, vfs };
std::string to_string(Driver d);
Driver parse_driver(const std::string& name);

// One image in the store. Its id is the hex sha256 of its config, as docker's.
struct ImageRecord {
    std::string id;
    std::vector<std::string> names;   // full references: docker.io/library/busybox:latest
    std::vector<std::string> digests; // repo@sha256:… of the manifests it was pulled by
    std::string manifest_digest;      // sha256:… of the stored manifest ("" if none)
    std::vector<std::string> layers;  // chain ids (hex), bottom layer first
    std::string created;              // the config's created, RFC 3339
    int64_t size = 0;                 // bytes of the layers' files
    std::string added;                // when it came into the store, RFC 3339
};

// One layer: a folder of files, shared by every image whose chain includes it.
struct LayerRecord {
    std::string chain_id;   // hex
    std::string diff_id;    // sha256:… of the uncompressed tar
    std::string parent;     // chain id (hex) of the layer below, "" for the bottom one
    std::string blob;       // sha256:… of the blob it came from, kept in blobs/
    std::string media_type; // of that blob
    int64_t size = 0;       // bytes of its files
    int64_t blob_size = 0;
    int64_t tar_size = 0; // bytes of the uncompressed tar
};

// One container: what burrow needs to start it again, and what it did last.
struct ContainerRecord {
    std::string id; // 64 hex
    std::string name;
    std::string image_id;   // "" for a --rootfs container
    std::string image_name; // as the user named it
    std::string created;    // RFC 3339
    std::string driver;
    nlohmann::json config;          // the command's options: owned by the CLI
    std::string status = "created"; // created, running, exited
    int exit_code = 0;
    std::string started_at, finished_at; // RFC 3339, "" if never
    int64_t pid = 0;                     // of the container's pid 1, while running
    uint64_t pid_start = 0; // its start time (/proc/PID/stat), so a reused pid is not taken for it
};

void to_json(nlohmann::json& j, const ImageRecord& r);
void from_json(const nlohmann::json& j, ImageRecord& r);
void to_json(nlohmann::json& j, const LayerRecord& r);
void from_json(const nlohmann::json& j, LayerRecord& r);
void to_json(nlohmann::json& j, const ContainerRecord& r);
void from_json(const nlohmann::json& j, ContainerRecord& r);

// A folder under tmp/ for work in progress, locked by its creator. Removed when destroyed unless
// kept; a creator killed with -9 leaves it unlocked, and the next writer removes it.
class WorkDir {
public:
    WorkDir(const std::string& tmp_root, const std::string& what);
    WorkDir(WorkDir&&) = default;
    ~WorkDir();
    const std::string& path() const { return path_; }
    // Moves the folder (or a part of it) to dest atomically; dest must not exist.
    void move_to(const std::string& sub, const std::string& dest);

private:
    std::string path_;
    std::optional<FileLock> lock_;
};

// The per-user store under --root (DESIGN.md, "On disk"):
//   storage.lock            held for every change of the store's records
//   driver                  the driver its layers were made for
//   blobs/sha256/HEX        configs, manifests and layer blobs, by digest
//   layers/HEX/             one layer by chain id: diff/ (its files), layer.json
//   images/HEX.json         one image by id
//   containers/ID/          container.json, and upper/ work/ merged/ or rootfs/
//   names/NAME              a symlink to the id of the container of that name
//   tmp/                    work in progress (WorkDir)
// A record is visible only once complete: files are written to a temporary name and renamed,
// folders are built under tmp/ and renamed into place.
class Store {
public:
    explicit Store(std::string root);

    const std::string& root() const { return root_; }
    // Creates the folders; removes what interrupted commands left under tmp/.
    void prepare();
    FileLock lock() const;

    // The driver recorded for this store, or nullopt for a new one.
    std::optional<Driver> recorded_driver() const;
    void record_driver(Driver d);

    std::string blob_path(const std::string& digest) const; // "sha256:hex"
    std::string layer_dir(const std::string& chain_id) const;
    std::string container_dir(const std::string& id) const;
    std::string tmp_root() const { return root_ + "/tmp"; }
    bool has_blob(const std::string& digest) const;
    // Stores data under its sha256 digest (returned); atomic, idempotent.
    std::string put_blob(const std::string& data);
    std::string read_blob(const std::string& digest) const;
    // Moves a verified file in place as the blob `digest`.
    void adopt_blob(const std::string& file, const std::string& digest);

    // Images.
    std::vector<ImageRecord> images() const;
    std::optional<ImageRecord> image(const std::string& id) const;
    void save_image(const ImageRecord& r); // under lock
    void delete_image_record(const std::string& id);

    // Layers.
    std::optional<LayerRecord> layer(const std::string& chain_id) const;
    void save_layer(const LayerRecord& r);
    // Chain ids of layers no image uses.
    std::vector<std::string> unused_layers() const;

    // Containers.
    std::vector<ContainerRecord> containers() const;
    std::optional<ContainerRecord> container(const std::string& id) const;
    void save_container(const ContainerRecord& r);
    // Claims a name for a container id; false when another container has it. Throws Error for a
    // name that is not one (see check_container_name).
    bool claim_name(const std::string& name, const std::string& id);
    void release_name(const std::string& name, const std::string& id);
    std::optional<std::string> id_of_name(const std::string& name) const;

    // Removes a folder of the store: renamed under tmp/ first, so that it disappears at once
    // and a command killed while deleting leaves only tmp/ leftovers.
    void remove_tree(const std::string& path);

private:
    std::string root_;
};

// Docker's rule for container names: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 253 characters. A name
// becomes a file under names/, so nothing else may pass. Throws Error.
void check_container_name(const std::string& name);

// Removes a folder and everything in it; ok if it does not exist.
void remove_all(const std::string& path);

// The current time as docker writes it: 2024-05-01T12:00:00.123456789Z.
std::string now_rfc3339();

} // namespace burrow::storage
