#pragma once

// Image layers as tar streams: extracting a layer into a directory and writing a directory (or
// the difference between two) back out as a layer, with the OCI/AUFS whiteout convention.
//
// Hostile layers, case by case, as containers-storage treats them:
//   - a member or hardlink target whose name climbs out of the layer (`../x`, `a/../../x`,
//     a pax `path` that does) is refused: extract_layer throws naming the member;
//   - absolute names (`/etc/x`) and `./` prefixes are taken relative to the layer root;
//   - a member whose parent path goes through a symlink lands where that symlink leads when it
//     is resolved inside the root (`evil -> /` then `evil/etc/x` writes `<root>/etc/x`), as
//     podman's chrooted extraction does; nothing is ever written outside the root;
//   - a whiteout whose directory goes through a symlink is refused (podman would follow it
//     inside its chroot; no diff tool writes such a whiteout, and deletions stay off symlink
//     targets);
//   - names longer than the kernel allows (PATH_MAX, NAME_MAX) are refused;
//   - device nodes that cannot be created are skipped and counted.
// The extraction also runs chrooted into the root, so a mistake in the above stays inside.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::storage {

enum class WhiteoutFormat {
    Overlay, // whiteouts become 0:0 character devices, opaque markers an overlay xattr
    Delete,  // whiteouts delete what lower layers put there (the vfs driver's full copies)
};

struct ExtractOptions {
    WhiteoutFormat whiteouts = WhiteoutFormat::Overlay;
    // Mark opaque directories with user.overlay.opaque (overlayfs' userxattr mount option, as
    // in a user namespace) instead of trusted.overlay.opaque.
    bool userxattr = true;
    // When an owner in the layer is not mapped in the user namespace (single-id mode), leave the
    // file to the extracting user instead of failing, as podman's ignore_chown_errors.
    bool ignore_chown_errors = false;
};

struct ExtractResult {
    uint64_t content_size = 0;         // uncompressed bytes of regular files
    uint64_t skipped_devices = 0;      // device nodes the user namespace may not create
    bool chrooted = false;             // false when chroot was refused and only path checks applied
    std::vector<std::string> warnings; // non-fatal failures (an xattr, a time), the first few
};

// Reads a layer from fd (tar, plain or compressed with gzip, zstd, xz or bzip2: the stream says
// which, whatever the media type claimed) and writes it into the existing directory root.
// Owners, modes, xattrs and times are restored as the layer says, so the caller runs it as root
// of a user namespace with the user's mapping. Reading stops at the tar's end marker. Throws
// Error naming the member at fault.
ExtractResult extract_layer(int fd, const std::string& root, const ExtractOptions& opts);

// Writes an overlay upper directory to out_fd as an uncompressed pax tar layer: overlay
// whiteouts (0:0 character devices) become `.wh.NAME` members, opaque directories a
// `DIR/.wh..wh..opq` member; userxattr says which opaque xattr the mount used.
void write_layer_diff(const std::string& upper, int out_fd, bool userxattr);

// Writes the whole tree under root to out_fd as an uncompressed pax tar (burrow export).
void write_tree_tar(const std::string& root, int out_fd);

// Writes what changed from lower to upper as an uncompressed pax tar layer: new and changed
// entries (by type, mode, owner, size, mtime, xattrs, link target or device), and `.wh.NAME`
// for each deleted name (a deleted directory is one whiteout).
void write_tree_diff(const std::string& lower, const std::string& upper, int out_fd);

// ---- pure helpers, exposed for tests

// A member name made relative and free of `.` and `..`: "./a//b/" -> "a/b", "/etc/x" -> "etc/x",
// "a/../b" -> "b", "." -> "" (the root). nullopt when it climbs out of the root ("a/../../x").
std::optional<std::string> clean_member_path(std::string_view name);

enum class WhiteoutKind {
    Delete,   // dir/.wh.NAME: NAME was deleted
    Opaque,   // dir/.wh..wh..opq: dir hides what lower layers have in it
    Metadata, // other .wh..wh.* names: AUFS bookkeeping, never extracted
};

struct Whiteout {
    WhiteoutKind kind;
    std::string dir;  // "" for the root
    std::string name; // the deleted name; empty for Opaque and Metadata
};

// Classifies a cleaned member name; nullopt for an ordinary member. Throws Error("invalid
// whiteout") for a whiteout that names nothing or a parent (".wh.", ".wh..", ".wh...").
std::optional<Whiteout> parse_whiteout(std::string_view member);

// A member name fit for an error message: control bytes escaped, cut after 200 bytes.
std::string printable_member(std::string_view name);

// Whether an xattr belongs in a layer: security.capability (file capabilities) and user.*,
// without overlayfs' and fuse-overlayfs' own bookkeeping, as containers-storage records them.
bool is_layer_xattr(std::string_view name);

// The xattr overlayfs reads to find an opaque directory.
const char* opaque_xattr_name(bool userxattr);

} // namespace burrow::storage
