#include "cli/output.hpp"

#include "core/template.hpp"

#include <iostream>

namespace burrow::cli {

bool print_with_format(const std::string& format, const nlohmann::json& data) {
    if (format.empty())
        return false;
    std::string out = format == "json" ? data.dump(4) : render_template(format, data);
    // render first: a template error must not leave half a line on stdout
    std::cout << out << '\n';
    return true;
}

bool confirm(const std::string& question) {
    std::cout << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

} // namespace burrow::cli
