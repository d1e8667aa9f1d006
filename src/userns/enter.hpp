#pragma once

#include "userns/idmap.hpp"

#include <optional>

namespace burrow::userns {

// Moves the rest of the command into the user's mapped user namespace, as its root, with a
// private mount namespace: the work of every command that writes files owned by subordinate
// ids (layers, containers' upper layers) then needs no special case.
//
//   burrow (host side)                  child (continues the command)
//   fork ─────────────────────────────► unshare(NEWUSER)
//        ◄── userns ───────────────────
//   newuidmap/newgidmap
//        ─── maps ────────────────────► setresuid(0), unshare(NEWNS), returns nullopt
//   waits; forwards signals sent to it
//   returns the child's exit code
//
// Returns nullopt in the child and the child's exit code (128+N for a signal) in the parent,
// which has nothing left to do but exit with it. A second call inside is a no-op (nullopt).
// Call it before any thread exists.
std::optional<int> enter_user_namespace(const UserMappings& maps);

// Whether this process is the one enter_user_namespace moved into the user namespace.
bool is_inside_user_namespace();

// The mappings the process entered with (single_id and the maps), valid when inside.
const UserMappings& entered_mappings();

} // namespace burrow::userns
