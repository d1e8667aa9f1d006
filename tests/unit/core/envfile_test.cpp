#include "core/envfile.hpp"
#include "core/error.hpp"
#include "support.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

using namespace burrow;
using namespace burrow::test;
using Env = std::vector<std::string>;

namespace {

constexpr const char* kSet = "BURROW_ENVFILE_TEST_SET";
constexpr const char* kEmpty = "BURROW_ENVFILE_TEST_EMPTY";
constexpr const char* kUnset = "BURROW_ENVFILE_TEST_UNSET";

struct OwnEnvironment {
    OwnEnvironment() {
        ::setenv(kSet, "from burrow", 1);
        ::setenv(kEmpty, "", 1);
        ::unsetenv(kUnset);
    }
    ~OwnEnvironment() {
        ::unsetenv(kSet);
        ::unsetenv(kEmpty);
    }
};

} // namespace

TEST_CASE("env file: KEY=VALUE lines, values verbatim") {
    CHECK(parse_env_file_content("A=1\n"
                                 "# a comment\n"
                                 "\n"
                                 "   \t\n"
                                 "  B=2\n"
                                 "\tC= spaced value \n"
                                 "   # an indented comment\n"
                                 "D=\"quoted\"\n"
                                 "E=\n"
                                 "F=a=b#c\n"
                                 "G=héllo €",
                                 "test.env") ==
          Env{"A=1", "B=2", "C= spaced value ", "D=\"quoted\"", "E=", "F=a=b#c", "G=héllo €"});
    CHECK(parse_env_file_content("", "test.env").empty());
    CHECK(parse_env_file_content("\n\n# only comments\n", "test.env").empty());
}

TEST_CASE("env file: a bare KEY comes from burrow's own environment") {
    OwnEnvironment own;
    std::string content = std::string(kSet) + "\n" + kUnset + "\n" + kEmpty + "\n  " + kSet;
    CHECK(parse_env_file_content(content, "test.env") == Env{std::string(kSet) + "=from burrow",
                                                             std::string(kEmpty) + "=",
                                                             std::string(kSet) + "=from burrow"});
}

TEST_CASE("env file: byte-order mark and CRLF line ends") {
    CHECK(parse_env_file_content("\xEF\xBB\xBF"
                                 "A=1\r\nB=2\r\n",
                                 "test.env") == Env{"A=1", "B=2"});
    // only a byte-order mark at the start is dropped; docker keeps a later one in the key
    CHECK(parse_env_file_content("A=1\n\xEF\xBB\xBF"
                                 "B=2\n",
                                 "test.env") == Env{"A=1", "\xEF\xBB\xBF"
                                                           "B=2"});
}

TEST_CASE("env file: errors name the file and the line") {
    CHECK(error_of([] { parse_env_file_content("A=1\nMY VAR=2\n", "app.env"); }) ==
          "env file app.env, line 2: variable name \"MY VAR\" contains whitespace");
    CHECK(error_of([] { parse_env_file_content("A=1\n\n\nKEY \n", "app.env"); }) ==
          "env file app.env, line 4: variable name \"KEY \" contains whitespace");
    CHECK(error_of([] { parse_env_file_content("KEY\t=1", "app.env"); }) ==
          "env file app.env, line 1: variable name \"KEY\t\" contains whitespace");
    CHECK(error_of([] { parse_env_file_content("=value\n", "app.env"); }) ==
          "env file app.env, line 1: no variable name before '='");
    CHECK(error_of([] { parse_env_file_content("  =value\n", "app.env"); }) ==
          "env file app.env, line 1: no variable name before '='");
    for (const char* bad : {"A=\xff\n", "A=\xc0\xaf\n", "A=\xed\xa0\x80\n", "A=\xe2\x82\n",
                            "A=\xf4\x90\x80\x80\n", "A=\x80\n"}) {
        CAPTURE(bad);
        CHECK(error_of([&] { parse_env_file_content(std::string("B=1\n") + bad, "app.env"); }) ==
              "env file app.env, line 2: not valid UTF-8");
    }
    // an invalid line is an error even when it is a comment, as docker checks every line
    CHECK(error_of([] { parse_env_file_content("# \xff\n", "app.env"); }) ==
          "env file app.env, line 1: not valid UTF-8");
}

TEST_CASE("read_env_file reads a file and names it in errors") {
    char dir_template[] = "/tmp/burrow-envfile-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    std::string dir = dir_template;
    std::string path = dir + "/app.env";
    {
        std::ofstream out(path);
        out << "# settings\nA=1\nB=two words\nBAD KEY=x\n";
    }
    CHECK(error_of([&] { read_env_file(path); }) ==
          "env file " + path + ", line 4: variable name \"BAD KEY\" contains whitespace");
    {
        std::ofstream out(path);
        out << "# settings\nA=1\nB=two words\n";
    }
    CHECK(read_env_file(path) == Env{"A=1", "B=two words"});
    CHECK(error_of([&] { read_env_file(dir + "/missing.env"); }) ==
          "open " + dir + "/missing.env: No such file or directory");
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("parse_env_arg: -e KEY=VALUE and -e KEY") {
    OwnEnvironment own;
    CHECK(parse_env_arg("A=1") == "A=1");
    CHECK(parse_env_arg("A=") == "A=");
    CHECK(parse_env_arg("A=b=c") == "A=b=c");
    CHECK(parse_env_arg("A= spaced ") == "A= spaced ");
    CHECK(parse_env_arg(kSet) == std::string(kSet) + "=from burrow");
    CHECK(parse_env_arg(kEmpty) == std::string(kEmpty) + "=");
    CHECK(parse_env_arg(kUnset) == std::nullopt);
    CHECK(error_of([] { parse_env_arg(""); }) ==
          "invalid environment variable \"\": no variable name");
    CHECK(error_of([] { parse_env_arg("=x"); }) ==
          "invalid environment variable \"=x\": no variable name");
}

TEST_CASE("merge_env: later entries replace earlier ones in place") {
    CHECK(merge_env({"PATH=/bin", "HOME=/root", "A=1"}, {"A=2", "B=3", "PATH=/usr/bin"}) ==
          Env{"PATH=/usr/bin", "HOME=/root", "A=2", "B=3"});
    CHECK(merge_env({}, {"A=1", "A=2"}) == Env{"A=2"});
    CHECK(merge_env({"A=1", "B=1", "A=3"}, {}) == Env{"A=3", "B=1"});
    CHECK(merge_env({"A=1"}, {"AB=2", "A=", "a=4"}) == Env{"A=", "AB=2", "a=4"});
    CHECK(merge_env({"FOO"}, {"FOO=1"}) == Env{"FOO=1"});
    CHECK(merge_env({}, {}).empty());
}
