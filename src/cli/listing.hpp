#pragma once

#include "storage/image_format.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

// What the listing commands (ps, images, history, system df) and inspect share.
namespace burrow::cli {

// A field of a listing's rows and the header docker gives its column.
struct Field {
    const char* key;
    const char* header;
};

// Prints rows (objects of strings, docker's field names) as --format asks, the way docker does:
//   "" or "table"   the default table: the `columns` (keys of fields) under their headers
//   "table TMPL"    TMPL for each row, under a header row of TMPL over the headers, as a table
//   "json"          the rows as a JSON array
//   TMPL            TMPL for each row, one line each
void print_rows(const std::string& format, const nlohmann::json& rows,
                const std::vector<Field>& fields, const std::vector<std::string>& columns);

// Image configs read from the store once each, however many containers or rows need them.
class ImageConfigs {
public:
    explicit ImageConfigs(const storage::Store& store) : store_(store) {}
    // nullptr when the image or its config is gone.
    const storage::ImageConfig* get(const std::string& image_id);

private:
    const storage::Store& store_;
    std::map<std::string, std::unique_ptr<storage::ImageConfig>> configs_;
};

// The command a container runs, as it was composed when it was created: the entrypoint and the
// arguments, or the image's defaults. Empty when they can no longer be known (image gone).
std::vector<std::string> container_command(const storage::ContainerRecord& c,
                                           const storage::ImageConfig* image);

// A time as the store records it; nullopt when it is empty or unreadable.
std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& rfc3339);

// "2 minutes ago", or "N/A" for a time that is not known.
std::string time_ago(const std::string& rfc3339, std::chrono::system_clock::time_point now);

// docker's STATUS: "Created", "Up 3 seconds", "Exited (0) 29 seconds ago". state is
// current_status(c).
std::string status_text(const storage::ContainerRecord& c, const std::string& state,
                        std::chrono::system_clock::time_point now);

// Bytes of the files under a folder (apparent sizes, each hard-linked file once); folders it
// cannot read are skipped, as they belong to the container's own users.
int64_t tree_size(const std::string& path);

// The member `key` of a JSON object, without copying it; nullptr when there is none.
const nlohmann::json* json_member(const nlohmann::json& object, const char* key);

// The labels in a JSON object of strings (a record's); none for nullptr or another type.
std::map<std::string, std::string> labels_of(const nlohmann::json* labels);

} // namespace burrow::cli
