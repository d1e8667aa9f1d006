#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace burrow {

// A child process that is killed (SIGKILL) and reaped if still owned when destroyed, so that no
// error path leaves a stray process behind.
class Pid {
public:
    Pid() = default;
    explicit Pid(pid_t pid) noexcept : pid_(pid) {}
    Pid(Pid&& o) noexcept;
    Pid& operator=(Pid&& o) noexcept;
    Pid(const Pid&) = delete;
    Pid& operator=(const Pid&) = delete;
    ~Pid();

    pid_t get() const noexcept { return pid_; }
    explicit operator bool() const noexcept { return pid_ > 0; }
    // Waits for the process and returns its raw wait status; the Pid no longer owns it.
    int wait();
    pid_t release() noexcept;

private:
    pid_t pid_ = -1;
};

// waitpid retrying EINTR; returns the raw status.
int wait_status(pid_t pid);

// The shell's view of a wait status: the exit code, or 128+N for a death by signal N.
int exit_code_of(int status);

struct ProgramResult {
    int status = 0;     // raw wait status
    std::string output; // stdout and stderr together
};
// Runs argv[0] (looked up in PATH) with argv, capturing its output; throws when it cannot start.
ProgramResult run_program(const std::vector<std::string>& argv);

// Finds a program in PATH (or the given path list); empty when not found.
std::string find_program(const std::string& name, const char* path_list = nullptr);

} // namespace burrow
