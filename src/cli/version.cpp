// burrow version: docker's `version` layout, with the engine's pieces that burrow carries inside
// (the runtime and the libraries) in place of docker's daemon components.
#include "cli/build_info.hpp"
#include "cli/global.hpp"
#include "cli/host_info.hpp"
#include "cli/output.hpp"
#include "core/format.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace burrow::cli {

namespace {

using json = nlohmann::json;

// docker's field names, so that scripts written for `docker version --format` work unchanged.
json version_data() {
    std::string arch = host_arch();
    json client = {
        {"Platform", {{"Name", "burrow"}}},
        {"Version", build::kVersion},
        // no daemon and no remote API: the command line is the interface, versioned with burrow
        {"ApiVersion", build::kVersion},
        {"Compiler", compiler()},
        {"GitCommit", build::kGitCommit},
        {"BuildTime", build::kBuilt},
        {"Os", "linux"},
        {"Arch", arch},
    };
    json components = json::array();
    components.push_back({{"Name", "Engine"},
                          {"Version", build::kVersion},
                          {"Details",
                           {{"ApiVersion", build::kVersion},
                            {"KernelVersion", kernel_release()},
                            {"Os", "linux"},
                            {"Arch", arch}}}});
    components.push_back({{"Name", "Runtime"},
                          {"Version", build::kVersion},
                          {"Details", {{"Name", "burrow (built in)"}, {"Spec", kOciSpecVersion}}}});
    for (const auto& lib : library_versions()) {
        json c = {{"Name", lib.name}, {"Version", lib.version}};
        if (!lib.details.empty()) {
            c["Details"] = json::object();
            for (const auto& [key, value] : lib.details)
                c["Details"][key] = value;
        }
        components.push_back(std::move(c));
    }
    json server = {
        {"Platform", {{"Name", "burrow engine (daemonless, built in)"}}},
        {"Version", build::kVersion},
        {"ApiVersion", build::kVersion},
        {"KernelVersion", kernel_release()},
        {"Os", "linux"},
        {"Arch", arch},
        {"Components", components},
    };
    return {{"Client", client}, {"Server", server}};
}

void line(std::string& out, int indent, const std::string& label, const std::string& value) {
    std::string head = std::string(indent, ' ') + label + ":";
    // the value column docker's tabwriter settles on for these labels
    constexpr size_t kColumn = 16;
    head.resize(std::max(kColumn, head.size() + 1), ' ');
    out += head + value + "\n";
}

std::string human(const json& v) {
    const json& c = v["Client"];
    const json& s = v["Server"];
    std::string out;
    out += "Client: " + c["Platform"]["Name"].get<std::string>() + "\n";
    line(out, 1, "Version", c["Version"]);
    line(out, 1, "API version", c["ApiVersion"]);
    line(out, 1, "Compiler", c["Compiler"]);
    line(out, 1, "Git commit", c["GitCommit"]);
    line(out, 1, "Built", ansic_time(c["BuildTime"].get<std::string>()));
    line(out, 1, "OS/Arch", c["Os"].get<std::string>() + "/" + c["Arch"].get<std::string>());
    out += "\nServer: " + s["Platform"]["Name"].get<std::string>() + "\n";
    for (const json& comp : s["Components"]) {
        std::string name = comp["Name"];
        out += " " + name + ":\n";
        const json details = comp.value("Details", json::object());
        if (name == "Engine") {
            line(out, 2, "Version", comp["Version"]);
            line(out, 2, "API version", details["ApiVersion"]);
            line(out, 2, "Kernel", details["KernelVersion"]);
            line(out, 2, "OS/Arch",
                 details["Os"].get<std::string>() + "/" + details["Arch"].get<std::string>());
        } else if (name == "Runtime") {
            line(out, 2, "Name", details["Name"]);
            line(out, 2, "Spec", "OCI runtime-spec " + details["Spec"].get<std::string>());
        } else {
            line(out, 2, "Version", comp["Version"]);
            for (const auto& [key, value] : details.items())
                line(out, 2, key, value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    return out;
}

} // namespace

void setup_version_command(CLI::App& command, GlobalOptions&) {
    CLI::App* cmd = &command;
    cmd->footer("Examples:\n"
                "  burrow version\n"
                "  burrow version --format json\n"
                "  burrow version --format '{{.Client.Version}}'");
    auto format = std::make_shared<std::string>();
    cmd->add_option("-f,--format", *format,
                    "Format the output: json, or a Go template such as '{{.Client.Version}}'");
    cmd->callback([format] {
        json data = version_data();
        if (!print_with_format(*format, data))
            std::cout << human(data);
    });
}

} // namespace burrow::cli
