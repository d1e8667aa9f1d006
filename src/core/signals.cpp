#include "core/signals.hpp"

#include "core/error.hpp"

#include <charconv>
#include <csignal>

namespace burrow {

namespace {

struct Named {
    const char* name; // without "SIG"
    int sig;
};

// Standard names first: signal_name picks the first entry for a number.
constexpr Named kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},   {"IOT", SIGIOT},
    {"CLD", SIGCHLD},  {"POLL", SIGPOLL},
};

std::optional<int> parse_small_number(std::string_view s) {
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < 0)
        return std::nullopt;
    return value;
}

// RTMIN, RTMIN+n, RTMAX, RTMAX-n (upper case, without SIG)
std::optional<int> parse_realtime(std::string_view s) {
    int base;
    int sign;
    if (s.starts_with("RTMIN")) {
        base = SIGRTMIN;
        sign = 1;
    } else if (s.starts_with("RTMAX")) {
        base = SIGRTMAX;
        sign = -1;
    } else {
        return std::nullopt;
    }
    s.remove_prefix(5);
    if (s.empty())
        return base;
    if (s.front() != (sign > 0 ? '+' : '-'))
        return std::nullopt;
    auto offset = parse_small_number(s.substr(1));
    if (!offset)
        return std::nullopt;
    int sig = base + sign * *offset;
    if (sig < SIGRTMIN || sig > SIGRTMAX)
        return std::nullopt;
    return sig;
}

} // namespace

std::optional<int> signal_from_name(std::string_view name) {
    if (!name.empty() && name.front() >= '0' && name.front() <= '9') {
        auto n = parse_small_number(name);
        if (!n || *n < 1 || *n > SIGRTMAX)
            return std::nullopt;
        return n;
    }
    std::string upper;
    for (char c : name)
        upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    std::string_view s = upper;
    if (s.starts_with("SIG"))
        s.remove_prefix(3);
    for (const auto& n : kSignals)
        if (s == n.name)
            return n.sig;
    return parse_realtime(s);
}

std::string signal_name(int sig) {
    for (const auto& n : kSignals)
        if (n.sig == sig)
            return std::string("SIG") + n.name;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
        if (sig == SIGRTMIN)
            return "SIGRTMIN";
        if (sig == SIGRTMAX)
            return "SIGRTMAX";
        if (sig - SIGRTMIN <= (SIGRTMAX - SIGRTMIN) / 2)
            return "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
        return "SIGRTMAX-" + std::to_string(SIGRTMAX - sig);
    }
    return std::to_string(sig);
}

int parse_signal(std::string_view name) {
    auto sig = signal_from_name(name);
    if (!sig)
        throw Error("invalid signal: " + std::string(name));
    return *sig;
}

} // namespace burrow
