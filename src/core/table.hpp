#pragma once

#include <string>
#include <vector>

namespace burrow {

// Rows laid out as docker lays out its tables (Go's text/tabwriter with minwidth 10, padding 3):
// each column as wide as its widest cell plus 3 spaces, and at least 10; the last cell of a
// row is not padded, so lines carry no trailing blanks. Widths count UTF-8 code points.
// Returns the lines, each ending in '\n'.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// Text whose lines hold cells separated by tabs (a rendered `table …` template), laid out as
// format_table lays out rows.
std::string format_tabbed(const std::string& text);

} // namespace burrow
