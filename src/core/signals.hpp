#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace burrow {

// A signal as docker and podman take it (--signal, --stop-signal, kill -s, STOPSIGNAL):
// "SIGTERM", "TERM" or "term"; a number from 1 to SIGRTMAX; real-time signals as "SIGRTMIN+3",
// "RTMAX-1", "RTMIN". nullopt for anything else, 0 included.
std::optional<int> signal_from_name(std::string_view name);

// "SIGTERM"; real-time signals as bash's kill -l names them (SIGRTMIN+n in the lower half,
// SIGRTMAX-n in the upper); the decimal number for anything without a name.
std::string signal_name(int sig);

// signal_from_name, throwing Error "invalid signal: FOO".
int parse_signal(std::string_view name);

} // namespace burrow
