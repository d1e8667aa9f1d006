#include "storage/store.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/unique_fd.hpp"
#include "core/units.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::storage {

using json = nlohmann::json;

std::string to_string(Driver d) {
    switch (d) {
    case Driver::overlay:
        return "overlay";
    case Driver::fuse_overlayfs:
        return "fuse-overlayfs";
    case Driver::vfs:
        return "vfs";
    }
    return "?";
}

Driver parse_driver(const std::string& name) {
    if (name == "overlay" || name == "overlay2")
        return Driver::overlay;
    if (name == "fuse-overlayfs")
        return Driver::fuse_overlayfs;
    if (name == "vfs")
        return Driver::vfs;
    throw Error("unknown storage driver \"" + name + "\": use overlay, fuse-overlayfs or vfs");
}

void to_json(json& j, const ImageRecord& r) {
    j = json{{"id", r.id},           {"names", r.names},
             {"digests", r.digests}, {"manifest", r.manifest_digest},
             {"layers", r.layers},   {"created", r.created},
             {"size", r.size},       {"added", r.added}};
}

void from_json(const json& j, ImageRecord& r) {
    r.id = j.at("id").get<std::string>();
    r.names = j.value("names", std::vector<std::string>{});
    r.digests = j.value("digests", std::vector<std::string>{});
    r.manifest_digest = j.value("manifest", "");
    r.layers = j.value("layers", std::vector<std::string>{});
    r.created = j.value("created", "");
    r.size = j.value("size", int64_t{0});
    r.added = j.value("added", "");
}

void to_json(json& j, const LayerRecord& r) {
    j = json{{"chain_id", r.chain_id},   {"diff_id", r.diff_id},       {"parent", r.parent},
             {"blob", r.blob},           {"media_type", r.media_type}, {"size", r.size},
             {"blob_size", r.blob_size}, {"tar_size", r.tar_size}};
}

void from_json(const json& j, LayerRecord& r) {
    r.chain_id = j.at("chain_id").get<std::string>();
    r.diff_id = j.value("diff_id", "");
    r.parent = j.value("parent", "");
    r.blob = j.value("blob", "");
    r.media_type = j.value("media_type", "");
    r.size = j.value("size", int64_t{0});
    r.blob_size = j.value("blob_size", int64_t{0});
    r.tar_size = j.value("tar_size", int64_t{0});
}

void to_json(json& j, const ContainerRecord& r) {
    j = json{{"id", r.id},
             {"name", r.name},
             {"image_id", r.image_id},
             {"image_name", r.image_name},
             {"created", r.created},
             {"driver", r.driver},
             {"config", r.config},
             {"status", r.status},
             {"exit_code", r.exit_code},
             {"started_at", r.started_at},
             {"finished_at", r.finished_at},
             {"pid", r.pid},
             {"pid_start", r.pid_start}};
}

void from_json(const json& j, ContainerRecord& r) {
    r.id = j.at("id").get<std::string>();
    r.name = j.value("name", "");
    r.image_id = j.value("image_id", "");
    r.image_name = j.value("image_name", "");
    r.created = j.value("created", "");
    r.driver = j.value("driver", "");
    r.config = j.value("config", json::object());
    r.status = j.value("status", "created");
    r.exit_code = j.value("exit_code", 0);
    r.started_at = j.value("started_at", "");
    r.finished_at = j.value("finished_at", "");
    r.pid = j.value("pid", int64_t{0});
    r.pid_start = j.value("pid_start", uint64_t{0});
}

std::string now_rfc3339() {
    return format_rfc3339_nano(std::chrono::system_clock::now());
}

void remove_all(const std::string& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) {
        // a read-only directory inside (chmod 0555 in an image) stops unlink: open it up, retry
        for (auto it = std::filesystem::recursive_directory_iterator(
                 path, std::filesystem::directory_options::skip_permission_denied, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_directory(ec) && !it->is_symlink(ec))
                ::chmod(it->path().c_str(), 0700);
        }
        ::chmod(path.c_str(), 0700);
        ec.clear();
        std::filesystem::remove_all(path, ec);
        if (ec)
            throw Error("remove " + path + ": " + ec.message());
    }
}

namespace {

bool is_hex_id(const std::string& s) {
    if (s.size() != 64)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::vector<std::string> list_dir(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT)
            return out;
        throw SysError("open", dir);
    }
    while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..")
            out.push_back(std::move(n));
    }
    ::closedir(d);
    return out;
}

template <class T> std::optional<T> read_record(const std::string& path) {
    auto text = try_read_file(path);
    if (!text)
        return std::nullopt;
    try {
        return json::parse(*text).get<T>();
    } catch (const json::exception& e) {
        throw Error("read " + path + ": the record is damaged (" + e.what() + ")");
    }
}

} // namespace

WorkDir::WorkDir(const std::string& tmp_root, const std::string& what) {
    std::string path = tmp_root + "/" + what + "-" + random_hex(8);
    // the lock before the folder: a folder without a lock is never taken for a leftover
    lock_ = FileLock::exclusive(path + ".lock");
    if (::mkdir(path.c_str(), 0700) < 0)
        throw SysError("mkdir", path);
    path_ = path;
}

WorkDir::~WorkDir() {
    if (path_.empty())
        return;
    try {
        remove_all(path_);
    } catch (const Error& e) {
        log::warn(e.what());
    }
    ::unlink((path_ + ".lock").c_str());
}

void WorkDir::move_to(const std::string& sub, const std::string& dest) {
    std::string src = sub.empty() ? path_ : path_ + "/" + sub;
    if (::rename(src.c_str(), dest.c_str()) < 0)
        throw SysError("rename", src + " to " + dest);
}

Store::Store(std::string root) : root_(std::move(root)) {}

void Store::prepare() {
    for (const char* sub :
         {"", "/blobs", "/blobs/sha256", "/layers", "/images", "/containers", "/names", "/tmp"}) {
        std::string dir = root_ + sub;
        if (::mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) {
            if (errno == ENOENT) {
                make_dirs(dir, 0700);
                continue;
            }
            throw SysError("mkdir", dir);
        }
    }
    // leftovers of commands that were killed: their folder's lock is free
    for (const auto& name : list_dir(tmp_root())) {
        if (name.ends_with(".lock"))
            continue;
        std::string dir = tmp_root() + "/" + name;
        std::string lock_path = dir + ".lock";
        if (!path_exists(lock_path))
            continue; // its creator is between taking the lock and making the folder
        if (auto lock = FileLock::try_exclusive(lock_path)) {
            log::debug("removing the leftover " + dir);
            remove_all(dir);
            ::unlink(lock_path.c_str());
        }
    }
    for (const auto& name : list_dir(tmp_root())) {
        if (!name.ends_with(".lock"))
            continue;
        std::string dir = tmp_root() + "/" + name.substr(0, name.size() - 5);
        if (path_exists(dir))
            continue;
        std::string lock_path = tmp_root() + "/" + name;
        if (auto lock = FileLock::try_exclusive(lock_path))
            ::unlink(lock_path.c_str());
    }
}

FileLock Store::lock() const {
    return FileLock::exclusive(root_ + "/storage.lock");
}

std::optional<Driver> Store::recorded_driver() const {
    auto text = try_read_file(root_ + "/driver");
    if (!text)
        return std::nullopt;
    std::string name = *text;
    while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
        name.pop_back();
    return parse_driver(name);
}

void Store::record_driver(Driver d) {
    atomic_write_file(root_ + "/driver", to_string(d) + "\n");
}

std::string Store::blob_path(const std::string& digest) const {
    return root_ + "/blobs/" + Digest::parse(digest).path_component();
}

std::string Store::layer_dir(const std::string& chain_id) const {
    if (!is_hex_id(chain_id))
        throw Error("invalid layer id \"" + chain_id + "\"");
    return root_ + "/layers/" + chain_id;
}

std::string Store::container_dir(const std::string& id) const {
    if (!is_hex_id(id))
        throw Error("invalid container id \"" + id + "\"");
    return root_ + "/containers/" + id;
}

bool Store::has_blob(const std::string& digest) const {
    return path_exists(blob_path(digest));
}

std::string Store::put_blob(const std::string& data) {
    std::string digest = sha256_of(data);
    std::string path = blob_path(digest);
    if (!path_exists(path))
        atomic_write_file(path, data, 0600);
    return digest;
}

std::string Store::read_blob(const std::string& digest) const {
    auto data = try_read_file(blob_path(digest));
    if (!data)
        throw Error("blob " + digest + " is missing from the store");
    return *data;
}

void Store::adopt_blob(const std::string& file, const std::string& digest) {
    std::string path = blob_path(digest);
    if (::rename(file.c_str(), path.c_str()) < 0)
        throw SysError("rename", file + " to " + path);
}

std::vector<ImageRecord> Store::images() const {
    std::vector<ImageRecord> out;
    for (const auto& name : list_dir(root_ + "/images")) {
        if (!name.ends_with(".json") || !is_hex_id(name.substr(0, name.size() - 5)))
            continue;
        if (auto r = read_record<ImageRecord>(root_ + "/images/" + name))
            out.push_back(std::move(*r));
    }
    return out;
}

std::optional<ImageRecord> Store::image(const std::string& id) const {
    if (!is_hex_id(id))
        return std::nullopt;
    return read_record<ImageRecord>(root_ + "/images/" + id + ".json");
}

void Store::save_image(const ImageRecord& r) {
    if (!is_hex_id(r.id))
        throw Error("invalid image id \"" + r.id + "\"");
    atomic_write_file(root_ + "/images/" + r.id + ".json", json(r).dump(), 0600);
}

void Store::delete_image_record(const std::string& id) {
    std::string path = root_ + "/images/" + id + ".json";
    if (::unlink(path.c_str()) < 0 && errno != ENOENT)
        throw SysError("remove", path);
}

std::optional<LayerRecord> Store::layer(const std::string& chain_id) const {
    return read_record<LayerRecord>(layer_dir(chain_id) + "/layer.json");
}

void Store::save_layer(const LayerRecord& r) {
    atomic_write_file(layer_dir(r.chain_id) + "/layer.json", json(r).dump(), 0600);
}

std::vector<std::string> Store::unused_layers() const {
    std::set<std::string> used;
    for (const auto& img : images())
        used.insert(img.layers.begin(), img.layers.end());
    std::vector<std::string> out;
    for (const auto& name : list_dir(root_ + "/layers"))
        if (is_hex_id(name) && !used.count(name))
            out.push_back(name);
    return out;
}

std::vector<ContainerRecord> Store::containers() const {
    std::vector<ContainerRecord> out;
    for (const auto& name : list_dir(root_ + "/containers")) {
        if (!is_hex_id(name))
            continue;
        if (auto r =
                read_record<ContainerRecord>(root_ + "/containers/" + name + "/container.json"))
            out.push_back(std::move(*r));
    }
    return out;
}

std::optional<ContainerRecord> Store::container(const std::string& id) const {
    if (!is_hex_id(id))
        return std::nullopt;
    return read_record<ContainerRecord>(container_dir(id) + "/container.json");
}

void Store::save_container(const ContainerRecord& r) {
    atomic_write_file(container_dir(r.id) + "/container.json", json(r).dump(), 0600);
}

void check_container_name(const std::string& name) {
    bool ok =
        !name.empty() && name.size() <= 253 && std::isalnum(static_cast<unsigned char>(name[0]));
    for (char ch : name)
        ok = ok &&
             (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-');
    if (!ok)
        throw Error("invalid container name \"" + name +
                    "\": names start with a letter or digit and hold [a-zA-Z0-9_.-]");
}

bool Store::claim_name(const std::string& name, const std::string& id) {
    check_container_name(name);
    std::string link = root_ + "/names/" + name;
    if (::symlink(id.c_str(), link.c_str()) == 0)
        return true;
    if (errno != EEXIST)
        throw SysError("claim the name", name);
    // a name left by a container that is gone (killed while being removed) is free again
    auto owner = id_of_name(name);
    if (owner && !path_exists(container_dir(*owner))) {
        ::unlink(link.c_str());
        return ::symlink(id.c_str(), link.c_str()) == 0;
    }
    return false;
}

void Store::release_name(const std::string& name, const std::string& id) {
    if (id_of_name(name) == id)
        ::unlink((root_ + "/names/" + name).c_str());
}

std::optional<std::string> Store::id_of_name(const std::string& name) const {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
        return std::nullopt;
    char buf[128];
    ssize_t n = ::readlink((root_ + "/names/" + name).c_str(), buf, sizeof buf - 1);
    if (n <= 0)
        return std::nullopt;
    std::string id(buf, static_cast<size_t>(n));
    if (!is_hex_id(id))
        return std::nullopt;
    return id;
}

void Store::remove_tree(const std::string& path) {
    std::string trash = tmp_root() + "/trash-" + random_hex(8);
    auto lock = FileLock::exclusive(trash + ".lock");
    if (::rename(path.c_str(), trash.c_str()) < 0) {
        int err = errno;
        ::unlink((trash + ".lock").c_str());
        if (err == ENOENT)
            return;
        throw SysError("rename", path + " to " + trash, err);
    }
    remove_all(trash);
    ::unlink((trash + ".lock").c_str());
}

} // namespace burrow::storage
