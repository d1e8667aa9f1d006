#pragma once

#include <cstdint>
#include <linux/filter.h>
#include <string>
#include <string_view>
#include <vector>

// Seccomp profiles in the containers JSON format (containers/common seccomp.json, as podman,
// docker, runc and crun read them), compiled in the parent into a plain BPF program, so that the
// container's child only has to hand that program to the kernel just before exec: no JSON, no
// libseccomp and no allocation there.
//
// The format, as read here:
//   defaultAction, defaultErrnoRet (or defaultErrno: "ENOSYS"), architectures or archMap,
//   syscalls: [{names (or name), action, errnoRet (or errno), args: [{index, value, valueTwo,
//   op}], includes: {caps, arches, minKernel}, excludes: {caps, arches}}]
// - A rule applies when the container holds every capability in includes.caps and none in
//   excludes.caps, the host's native architecture (Go names: amd64, arm64, x86, ...) is in
//   includes.arches (when given) and not in excludes.arches, and the running kernel is at least
//   includes.minKernel. A capability name libcap does not know is never held.
// - archMap adds the native architecture's sub-architectures (x86 and x32 on x86_64).
// - A syscall name libseccomp does not know is skipped; an unknown action, operator, errno or
//   architecture is an error. Rules whose action is the default action are skipped.
// - As runc and crun do, a rule that tests the same argument twice becomes one rule per test.
// - errnoRet defaults to EPERM for SCMP_ACT_ERRNO and SCMP_ACT_TRACE.
// - A profile with neither defaultAction nor syscalls means no filter, as in podman.
// - SCMP_ACT_NOTIFY (which needs a listener) is refused; flags and listenerPath are ignored.
namespace burrow::userns {

struct SeccompProgram {
    std::vector<struct sock_filter> filter;
    bool empty() const { return filter.empty(); }
};

// Compiles a profile in the containers JSON format for this machine, deciding
// capability-conditional rules against cap_mask (bit N = capability N, as in linux/capability.h).
// `source` names the file in error messages. Throws burrow::Error: `seccomp profile SOURCE:
// syscalls[3]: unknown action "X"`.
SeccompProgram compile_seccomp_profile(std::string_view json, uint64_t cap_mask,
                                       const std::string& source);

// The built-in default profile, compiled.
SeccompProgram default_seccomp_program(uint64_t cap_mask);

// The built-in default profile's JSON text (for `burrow info`/docs and tests).
std::string_view default_seccomp_profile_json();

// The program for `--security-opt seccomp=VALUE`: "unconfined" is no filter (an empty program),
// anything else is the path of a profile file.
SeccompProgram seccomp_program_for_option(const std::string& value, uint64_t cap_mask);

// Installs the program in the calling thread (the container's child, just before exec); an empty
// program installs nothing. Does not allocate unless it fails. Throws SysError on failure (the
// caller sends it to the parent).
//
// The kernel accepts a filter only from a thread that has CAP_SYS_ADMIN in its user namespace or
// has set no_new_privs (seccomp(2)); otherwise this fails with EACCES. It does not set
// no_new_privs itself: the caller either installs the filter while it still holds CAP_SYS_ADMIN
// (before it switches to the container's user) or sets no_new_privs first.
void install_seccomp(const SeccompProgram& program);

} // namespace burrow::userns
