#include "core/error.hpp"
#include "core/signals.hpp"

#include <csignal>
#include <doctest/doctest.h>
#include <string>

using namespace burrow;

TEST_CASE("signal_from_name: names in every spelling") {
    CHECK(signal_from_name("SIGTERM") == SIGTERM);
    CHECK(signal_from_name("TERM") == SIGTERM);
    CHECK(signal_from_name("term") == SIGTERM);
    CHECK(signal_from_name("SigTerm") == SIGTERM);
    CHECK(signal_from_name("sigkill") == SIGKILL);
    CHECK(signal_from_name("HUP") == SIGHUP);
    CHECK(signal_from_name("USR1") == SIGUSR1);
    CHECK(signal_from_name("WINCH") == SIGWINCH);
    CHECK(signal_from_name("IOT") == SIGABRT);
    CHECK(signal_from_name("CLD") == SIGCHLD);
    CHECK(signal_from_name("POLL") == SIGIO);
}

TEST_CASE("signal_from_name: numbers") {
    CHECK(signal_from_name("15") == 15);
    CHECK(signal_from_name("9") == 9);
    CHECK(signal_from_name("1") == 1);
    CHECK(signal_from_name(std::to_string(SIGRTMAX)) == SIGRTMAX);
    CHECK_FALSE(signal_from_name("0"));
    CHECK_FALSE(signal_from_name(std::to_string(SIGRTMAX + 1)));
    CHECK_FALSE(signal_from_name("-9"));
    CHECK_FALSE(signal_from_name("+9"));
    CHECK_FALSE(signal_from_name("9x"));
    CHECK_FALSE(signal_from_name("99999999999999999999"));
}

TEST_CASE("signal_from_name: real-time signals") {
    CHECK(signal_from_name("SIGRTMIN") == SIGRTMIN);
    CHECK(signal_from_name("RTMIN") == SIGRTMIN);
    CHECK(signal_from_name("SIGRTMIN+3") == SIGRTMIN + 3);
    CHECK(signal_from_name("rtmin+3") == SIGRTMIN + 3);
    CHECK(signal_from_name("RTMIN+0") == SIGRTMIN);
    CHECK(signal_from_name("RTMAX") == SIGRTMAX);
    CHECK(signal_from_name("RTMAX-1") == SIGRTMAX - 1);
    CHECK(signal_from_name("SIGRTMAX-1") == SIGRTMAX - 1);
    CHECK(signal_from_name(std::string("RTMIN+") + std::to_string(SIGRTMAX - SIGRTMIN)) ==
          SIGRTMAX);
    CHECK(signal_from_name(std::string("RTMAX-") + std::to_string(SIGRTMAX - SIGRTMIN)) ==
          SIGRTMIN);

    CHECK_FALSE(signal_from_name("RTMIN-1"));
    CHECK_FALSE(signal_from_name("RTMAX+1"));
    CHECK_FALSE(signal_from_name(std::string("RTMIN+") + std::to_string(SIGRTMAX - SIGRTMIN + 1)));
    CHECK_FALSE(signal_from_name(std::string("RTMAX-") + std::to_string(SIGRTMAX - SIGRTMIN + 1)));
    CHECK_FALSE(signal_from_name("RTMIN+"));
    CHECK_FALSE(signal_from_name("RTMIN+x"));
    CHECK_FALSE(signal_from_name("RTMIN 3"));
    CHECK_FALSE(signal_from_name("RTMIN+-3"));
}

TEST_CASE("signal_from_name: not signals") {
    CHECK_FALSE(signal_from_name(""));
    CHECK_FALSE(signal_from_name("SIG"));
    CHECK_FALSE(signal_from_name("FOO"));
    CHECK_FALSE(signal_from_name("SIGFOO"));
    CHECK_FALSE(signal_from_name(" TERM"));
    CHECK_FALSE(signal_from_name("TERM "));
    CHECK_FALSE(signal_from_name("SIGSIGTERM"));
}

TEST_CASE("signal_name") {
    CHECK(signal_name(SIGTERM) == "SIGTERM");
    CHECK(signal_name(SIGKILL) == "SIGKILL");
    CHECK(signal_name(SIGABRT) == "SIGABRT");
    CHECK(signal_name(SIGCHLD) == "SIGCHLD");
    CHECK(signal_name(SIGIO) == "SIGIO");
    CHECK(signal_name(SIGRTMIN) == "SIGRTMIN");
    CHECK(signal_name(SIGRTMIN + 3) == "SIGRTMIN+3");
    CHECK(signal_name(SIGRTMAX) == "SIGRTMAX");
    CHECK(signal_name(SIGRTMAX - 1) == "SIGRTMAX-1");
    CHECK(signal_name(0) == "0");
    CHECK(signal_name(SIGRTMAX + 1) == std::to_string(SIGRTMAX + 1));
    // every number round-trips through its name
    for (int sig = 1; sig <= SIGRTMAX; ++sig) {
        CAPTURE(sig);
        CHECK(signal_from_name(signal_name(sig)) == sig);
    }
}

TEST_CASE("parse_signal") {
    CHECK(parse_signal("TERM") == SIGTERM);
    CHECK(parse_signal("2") == SIGINT);
    CHECK_THROWS_WITH_AS(parse_signal("FOO"), "invalid signal: FOO", Error);
    CHECK_THROWS_WITH_AS(parse_signal(""), "invalid signal: ", Error);
    CHECK_THROWS_WITH_AS(parse_signal("0"), "invalid signal: 0", Error);
}
