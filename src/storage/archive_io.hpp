#pragma once

#include "storage/images.hpp"
#include "storage/layers.hpp"
#include "storage/store.hpp"

#include <string>
#include <string_view>
#include <vector>

// Image archives as `load`, `save` and `import` read and write them: docker-archive (the
// `docker save` format), oci-archive (an OCI image layout in a tar) and OCI layout folders.
namespace burrow::storage {

// Reads a docker-archive or an oci-archive, plain or compressed (gzip, zstd, xz, bzip2), from fd,
// which may be a pipe. The archive is hostile input: each regular member is copied to a new file
// staging_dir/m-<N> while it is hashed, and members are found by their names in the archive
// only, never through the file system. Names with ".." or a leading "/" are ignored; symbolic
// and hard links resolve to other members within the archive. Returns every image the archive
// holds (an index of one image per platform gives the host's), with its staged layers.
//
// Names: a docker-archive's RepoTags are docker's short names ("busybox:latest" is
// docker.io/library/busybox:latest). In an oci-archive, the annotation io.containerd.image.name
// (always a full name) wins over org.opencontainers.image.ref.name; a ref.name with a '/' or
// ':' is a name whose short form means localhost/ (as podman loads it: skopeo's
// `oci-archive:f.tar:busybox:latest` loads as localhost/busybox:latest); a ref.name that is
// only a tag ("latest", as containerd writes it) names no repository, and that image loads
// without a name.
std::vector<ImageSource> read_image_archive(int fd, const std::string& staging_dir);

enum class ArchiveFormat { docker_archive, oci_archive, oci_dir };

struct SaveItem {
    ImageRecord image;
    std::vector<std::string> names; // the names to record, full references
};

// Writes the images in format to out_fd (docker_archive, oci_archive; a pipe is fine) or to the
// folder oci_dir_path (oci_dir: created if missing, refused unless empty). Each blob and layer
// is written once however many images share it.
//
// docker-archive: manifest.json, repositories, <config hex>.json and each layer as the
// uncompressed tar <diff id hex>/layer.tar, names in docker's short form; what `docker load`
// and `podman load` read. oci: oci-layout, index.json with one entry per name (annotations
// org.opencontainers.image.ref.name and io.containerd.image.name, both the full name) and
// blobs/sha256/. The stored manifest is written as it is when it is an OCI manifest; a Docker
// manifest is converted to OCI (as skopeo and podman do when they write OCI layouts, which
// leaves the config and layer blobs, hence the image id, unchanged); an image without a stored
// manifest gets a new OCI manifest.
void write_image_archive(const Store& store, const std::vector<SaveItem>& items,
                         ArchiveFormat format, int out_fd, const std::string& oci_dir_path = "");

// Copies a root file system tarball (plain or compressed) from fd into staging_dir as a layer
// blob and computes its diff id, for `import`. A tarball compressed with something other than
// gzip or zstd (xz, bzip2) is kept uncompressed, since OCI layers cannot be in those formats.
StagedLayer stage_rootfs_tarball(int fd, const std::string& staging_dir);

// A name as an archive gives it, as a full reference: "busybox" becomes
// "<short_domain>/busybox:latest", except that short names on docker.io take library/
// ("docker.io/library/busybox:latest"), as docker's names do. A name whose first component has
// a '.' or ':' or is "localhost" keeps its registry; a digest (@sha256:…) is kept as it is.
// Throws Error for what cannot be an image name.
std::string normalize_image_name(std::string_view name, std::string_view short_domain);
// The short form docker writes and shows: docker.io/library/busybox:latest → busybox:latest,
// docker.io/user/app:1 → user/app:1; other registries' names stay as they are.
std::string familiar_image_name(std::string_view full_name);

} // namespace burrow::storage
