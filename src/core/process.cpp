#include "core/process.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace burrow {

Pid::Pid(Pid&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}

Pid& Pid::operator=(Pid&& o) noexcept {
    if (this != &o) {
        this->~Pid();
        pid_ = std::exchange(o.pid_, -1);
    }
    return *this;
}

Pid::~Pid() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait_status(pid_);
    }
}

int Pid::wait() {
    return wait_status(release());
}

pid_t Pid::release() noexcept {
    return std::exchange(pid_, -1);
}

int wait_status(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, __WALL) < 0) {
        if (errno != EINTR)
            throw SysError("waitpid", std::to_string(pid));
    }
    return status;
}

int exit_code_of(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 125;
}

std::string find_program(const std::string& name, const char* path_list) {
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    if (!path_list)
        path_list = std::getenv("PATH");
    std::string paths = path_list ? path_list : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= paths.size()) {
        size_t end = paths.find(':', start);
        if (end == std::string::npos)
            end = paths.size();
        std::string dir = paths.substr(start, end - start);
        std::string cand = (dir.empty() ? "." : dir) + "/" + name;
        struct stat st;
        if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(cand.c_str(), X_OK) == 0)
            return cand;
        start = end + 1;
    }
    return {};
}

ProgramResult run_program(const std::vector<std::string>& argv) {
    std::string path = find_program(argv.at(0));
    if (path.empty())
        throw Error(argv[0] + ": not found in PATH");
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0)
        throw SysError("pipe");
    UniqueFd rd(p[0]), wr(p[1]);
    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        ::dup2(wr.get(), STDOUT_FILENO);
        ::dup2(wr.get(), STDERR_FILENO);
        ::execv(path.c_str(), args.data());
        _exit(127);
    }
    Pid child(pid);
    wr.reset();
    ProgramResult r;
    r.output = read_fd(rd.get());
    r.status = child.wait();
    return r;
}

} // namespace burrow
