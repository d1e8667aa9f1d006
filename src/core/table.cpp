#include "core/table.hpp"

#include "core/humanize.hpp"

#include <algorithm>

namespace burrow {

namespace {

constexpr size_t kMinWidth = 10;
constexpr size_t kPadding = 3;

} // namespace

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> widths;
    for (const auto& row : rows) {
        // the last cell of a row ends the line: it takes no part in any column's width
        for (size_t i = 0; i + 1 < row.size(); ++i) {
            if (widths.size() <= i)
                widths.resize(i + 1, kMinWidth);
            widths[i] = std::max(widths[i], display_width(row[i]) + kPadding);
        }
    }
    std::string out;
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size())
                out.append(widths[i] - display_width(row[i]), ' ');
        }
        out += '\n';
    }
    return out;
}

std::string format_tabbed(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::vector<std::string> cells;
        size_t cell = start;
        for (size_t tab; (tab = text.find('\t', cell)) < end; cell = tab + 1)
            cells.push_back(text.substr(cell, tab - cell));
        cells.push_back(text.substr(cell, end - cell));
        rows.push_back(std::move(cells));
        start = end + 1;
    }
    return format_table(rows);
}

} // namespace burrow
