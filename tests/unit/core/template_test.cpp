#include "core/error.hpp"
#include "core/template.hpp"

#include <doctest/doctest.h>

using burrow::render_template;
using nlohmann::json;

namespace {
const json kData = json::parse(R"({
    "Client": {"Version": "0.1.0", "Os": "linux", "Arch": "amd64"},
    "host": {"kernel": "6.1.0", "cgroupControllers": ["cpu", "memory"], "rootless": true},
    "Names": ["web", "db"],
    "Labels": {"app": "shop", "tier": "front"},
    "Count": 3,
    "Ratio": 1.5,
    "Empty": [],
    "Nothing": null
})");
} // namespace

TEST_CASE("template: field paths with literal text around them") {
    CHECK(render_template("{{.Client.Version}}", kData) == "0.1.0");
    CHECK(render_template("v={{.Client.Version}} on {{.Client.Os}}/{{.Client.Arch}}!", kData) ==
          "v=0.1.0 on linux/amd64!");
    CHECK(render_template("no actions", kData) == "no actions");
    CHECK(render_template("", kData) == "");
}

TEST_CASE("template: fields match their key case-insensitively when not exact") {
    CHECK(render_template("{{.Host.Kernel}}", kData) == "6.1.0");
    CHECK(render_template("{{.host.kernel}}", kData) == "6.1.0");
    CHECK(render_template("{{.client.version}}", kData) == "0.1.0");
}

TEST_CASE("template: json of the whole data and of one field") {
    CHECK(json::parse(render_template("{{json .}}", kData)) == kData);
    CHECK(render_template("{{json .Client}}", kData) ==
          R"({"Arch":"amd64","Os":"linux","Version":"0.1.0"})");
    CHECK(render_template("{{json .Names}}", kData) == R"(["web","db"])");
    CHECK(render_template("{{.Names | json}}", kData) == R"(["web","db"])");
    CHECK(render_template("{{json .Client.Version}}", kData) == R"("0.1.0")");
}

TEST_CASE("template: backslash t and n written out become tab and newline") {
    CHECK(render_template(R"({{.Client.Os}}\t{{.Client.Arch}}\n)", kData) == "linux\tamd64\n");
}

TEST_CASE("template: values print as Go prints them") {
    CHECK(render_template("{{.Names}}", kData) == "[web db]");
    CHECK(render_template("{{.Labels}}", kData) == "map[app:shop tier:front]");
    CHECK(render_template("{{.Count}} {{.Ratio}} {{.host.rootless}}", kData) == "3 1.5 true");
    CHECK(render_template("{{.Nothing}}", kData) == "<nil>");
    CHECK(render_template("{{.Empty}}", kData) == "[]");
}

TEST_CASE("template: unknown fields and functions are errors") {
    CHECK_THROWS_AS(render_template("{{.Client.Nope}}", kData), burrow::Error);
    CHECK_THROWS_WITH(render_template("{{.Client.Nope}}", kData),
                      doctest::Contains("can't evaluate field Nope in .Client"));
    CHECK_THROWS_AS(render_template("{{.Client.Version.Major}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{.Nothing.X}}", kData), burrow::Error);
    CHECK_THROWS_WITH(render_template("{{frobnicate .}}", kData),
                      doctest::Contains("function \"frobnicate\" not defined"));
}

TEST_CASE("template: malformed templates are errors") {
    CHECK_THROWS_AS(render_template("{{.Client.Version", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{if .Count}}x", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("x{{end}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{\"open}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{$x := 1}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{.Count .Count}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{index .Names 1.2.3}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{index .Names 99999999999999999999}}", kData), burrow::Error);
    CHECK_THROWS_AS(render_template("{{len (index .Names 0}}", kData), burrow::Error);
}

TEST_CASE("template: functions") {
    CHECK(render_template("{{upper .Client.Os}}", kData) == "LINUX");
    CHECK(render_template("{{lower \"AbC\"}}", kData) == "abc");
    CHECK(render_template("{{title \"hello world\"}}", kData) == "Hello World");
    CHECK(render_template("{{join .Names \", \"}}", kData) == "web, db");
    CHECK(render_template("{{index .Labels \"app\"}}", kData) == "shop");
    CHECK(render_template("{{index .Labels \"missing\"}}", kData) == "");
    CHECK(render_template("{{index .Names 1}}", kData) == "db");
    CHECK(render_template("{{len .Names}}", kData) == "2");
    CHECK(render_template("{{truncate .Client.Version 3}}", kData) == "0.1");
    CHECK(render_template("{{json (split \"a:b\" \":\")}}", kData) == R"(["a","b"])");
}

TEST_CASE("template: if, else if, else, with and range") {
    CHECK(render_template("{{if .host.rootless}}rootless{{else}}root{{end}}", kData) == "rootless");
    CHECK(render_template("{{if .Empty}}a{{else if .Count}}b{{else}}c{{end}}", kData) == "b");
    CHECK(render_template("{{if .Nothing}}a{{else if .Empty}}b{{else}}c{{end}}", kData) == "c");
    CHECK(render_template("{{range .Names}}[{{.}}]{{end}}", kData) == "[web][db]");
    CHECK(render_template("{{range .Empty}}x{{else}}none{{end}}", kData) == "none");
    CHECK(render_template("{{range .Labels}}{{.}};{{end}}", kData) == "shop;front;");
    CHECK(render_template("{{with .Client}}{{.Os}}{{end}}", kData) == "linux");
    CHECK(render_template("{{with .Empty}}x{{else}}y{{end}}", kData) == "y");
}

TEST_CASE("template: trim markers and comments") {
    CHECK(render_template("a  {{- .Count -}}  b", kData) == "a3b");
    CHECK(render_template("a{{/* why */}}b", kData) == "ab");
    CHECK(render_template("{{range .Names -}}\n  {{.}}\n{{- end}}", kData) == "webdb");
    CHECK(render_template("{{-3}}", kData) == "-3");
}
