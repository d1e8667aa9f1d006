#include "cli/store_access.hpp"

#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "registry/reference.hpp"
#include "userns/enter.hpp"

#include <array>
#include <random>

namespace burrow::cli {

using storage::ContainerRecord;
using storage::ImageRecord;
using storage::Store;

StoreAccess enter_store(GlobalOptions& g) {
    // both default to paths named for the user's uid, which is 0 inside
    g.root = g.storage_root();
    g.runroot = g.runtime_root();
    userns::UserMappings maps = mappings_for_run();
    if (auto code = userns::enter_user_namespace(maps))
        throw ExitRequest{*code};
    Store store(g.storage_root());
    store.prepare();
    storage::Driver driver = storage::choose_driver(store, g.storage_driver);
    return {std::move(store), driver, maps.single_id, g.runroot};
}

Store open_store(const GlobalOptions& g) {
    return Store(g.storage_root());
}

namespace {

bool is_hex(const std::string& s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return !s.empty();
}

} // namespace

std::optional<ImageRecord> try_find_image(const Store& store, const std::string& typed) {
    if (typed.empty())
        return std::nullopt;
    std::string id = typed.starts_with("sha256:") ? typed.substr(7) : typed;
    auto images = store.images();
    if (is_hex(id)) {
        if (id.size() == 64)
            if (auto img = store.image(id))
                return img;
        std::optional<ImageRecord> found;
        int hits = 0;
        for (const auto& img : images)
            if (img.id.starts_with(id))
                found = img, ++hits;
        if (hits > 1)
            throw Error(typed + ": the short id matches several images; give more of it");
        if (found)
            return found;
    }
    std::optional<ImageRecord> found;
    std::string found_name;
    try {
        registry::Reference::parse(typed);
    } catch (const Error&) {
        return std::nullopt;
    }
    for (const auto& img : images) {
        for (const auto& name : img.names) {
            if (name == typed || registry::matches_short_name(typed, name)) {
                if (found && found->id != img.id)
                    throw Error(typed + ": the short name matches " + found_name + " and " + name +
                                "; give the full name");
                found = img;
                found_name = name;
            }
        }
        for (const auto& d : img.digests)
            if (d == typed || registry::matches_short_name(typed, d))
                found = img;
    }
    return found;
}

ImageRecord find_image(const Store& store, const std::string& typed) {
    if (auto img = try_find_image(store, typed))
        return *img;
    throw Error(typed + ": image not known");
}

std::optional<ContainerRecord> try_find_container(const Store& store, const std::string& typed) {
    if (typed.empty())
        return std::nullopt;
    if (auto id = store.id_of_name(typed))
        if (auto c = store.container(*id))
            return c;
    if (typed.size() == 64 && is_hex(typed))
        return store.container(typed);
    if (!is_hex(typed))
        return std::nullopt;
    std::optional<ContainerRecord> found;
    for (auto& c : store.containers()) {
        if (c.id.starts_with(typed)) {
            if (found)
                throw Error(typed + ": the short id matches several containers; give more of it");
            found = std::move(c);
        }
    }
    return found;
}

ContainerRecord find_container(const Store& store, const std::string& typed) {
    if (auto c = try_find_container(store, typed))
        return *c;
    throw Error("no container with name or ID \"" + typed + "\" found: no such container");
}

std::string generate_container_name() {
    static constexpr std::array kAdjectives = {
        "admiring",  "adoring",     "affectionate", "agitated",      "amazing",     "angry",
        "awesome",   "blissful",    "bold",         "boring",        "brave",       "busy",
        "charming",  "clever",      "cool",         "compassionate", "competent",   "condescending",
        "confident", "cranky",      "crazy",        "dazzling",      "determined",  "distracted",
        "dreamy",    "eager",       "ecstatic",     "elastic",       "elated",      "elegant",
        "eloquent",  "epic",        "exciting",     "fervent",       "festive",     "flamboyant",
        "focused",   "friendly",    "frosty",       "funny",         "gallant",     "gifted",
        "goofy",     "gracious",    "great",        "happy",         "hardcore",    "heuristic",
        "hopeful",   "hungry",      "infallible",   "inspiring",     "intelligent", "interesting",
        "jolly",     "jovial",      "keen",         "kind",          "laughing",    "loving",
        "lucid",     "magical",     "modest",       "musing",        "mystifying",  "naughty",
        "nervous",   "nice",        "nifty",        "nostalgic",     "objective",   "optimistic",
        "peaceful",  "pedantic",    "pensive",      "practical",     "priceless",   "quirky",
        "quizzical", "recursing",   "relaxed",      "reverent",      "romantic",    "sad",
        "serene",    "sharp",       "silly",        "sleepy",        "stoic",       "strange",
        "stupefied", "suspicious",  "sweet",        "tender",        "thirsty",     "trusting",
        "unruffled", "upbeat",      "vibrant",      "vigilant",      "vigorous",    "wizardly",
        "wonderful", "xenodochial", "youthful",     "zealous",       "zen"};
    static constexpr std::array kNames = {"agnesi",
                                          "albattani",
                                          "allen",
                                          "almeida",
                                          "archimedes",
                                          "ardinghelli",
                                          "aryabhata",
                                          "austin",
                                          "babbage",
                                          "banach",
                                          "bardeen",
                                          "bartik",
                                          "bassi",
                                          "bell",
                                          "benz",
                                          "bhabha",
                                          "bhaskara",
                                          "blackwell",
                                          "bohr",
                                          "booth",
                                          "borg",
                                          "bose",
                                          "boyd",
                                          "brahmagupta",
                                          "brattain",
                                          "brown",
                                          "carson",
                                          "cerf",
                                          "chandrasekhar",
                                          "chaplygin",
                                          "chatelet",
                                          "chatterjee",
                                          "chebyshev",
                                          "cohen",
                                          "colden",
                                          "cori",
                                          "cray",
                                          "curie",
                                          "darwin",
                                          "davinci",
                                          "dewdney",
                                          "dhawan",
                                          "diffie",
                                          "dijkstra",
                                          "dirac",
                                          "driscoll",
                                          "dubinsky",
                                          "easley",
                                          "edison",
                                          "einstein",
                                          "elbakyan",
                                          "elgamal",
                                          "elion",
                                          "ellis",
                                          "engelbart",
                                          "euclid",
                                          "euler",
                                          "faraday",
                                          "feistel",
                                          "fermat",
                                          "fermi",
                                          "feynman",
                                          "franklin",
                                          "gagarin",
                                          "galileo",
                                          "galois",
                                          "ganguly",
                                          "gates",
                                          "gauss",
                                          "germain",
                                          "goldberg",
                                          "goldstine",
                                          "goldwasser",
                                          "golick",
                                          "goodall",
                                          "gould",
                                          "greider",
                                          "grothendieck",
                                          "haibt",
                                          "hamilton",
                                          "haslett",
                                          "hawking",
                                          "heisenberg",
                                          "hellman",
                                          "hermann",
                                          "herschel",
                                          "hertz",
                                          "heyrovsky",
                                          "hodgkin",
                                          "hofstadter",
                                          "hoover",
                                          "hopper",
                                          "hugle",
                                          "hypatia",
                                          "ishizaka",
                                          "jackson",
                                          "jang",
                                          "jennings",
                                          "jepsen",
                                          "johnson",
                                          "joliot",
                                          "jones",
                                          "kalam",
                                          "kapitsa",
                                          "kare",
                                          "keldysh",
                                          "keller",
                                          "kepler",
                                          "khayyam",
                                          "khorana",
                                          "kilby",
                                          "kirch",
                                          "knuth",
                                          "kowalevski",
                                          "lalande",
                                          "lamarr",
                                          "lamport",
                                          "leakey",
                                          "leavitt",
                                          "lederberg",
                                          "lehmann",
                                          "lewin",
                                          "lichterman",
                                          "liskov",
                                          "lovelace",
                                          "lumiere",
                                          "mahavira",
                                          "margulis",
                                          "matsumoto",
                                          "maxwell",
                                          "mayer",
                                          "mccarthy",
                                          "mcclintock",
                                          "mclaren",
                                          "mclean",
                                          "mcnulty",
                                          "meitner",
                                          "mendel",
                                          "mendeleev",
                                          "merkle",
                                          "mestorf",
                                          "mirzakhani",
                                          "montalcini",
                                          "moore",
                                          "morse",
                                          "moser",
                                          "murdock",
                                          "napier",
                                          "nash",
                                          "neumann",
                                          "newton",
                                          "nightingale",
                                          "nobel",
                                          "noether",
                                          "northcutt",
                                          "noyce",
                                          "panini",
                                          "pare",
                                          "pascal",
                                          "pasteur",
                                          "payne",
                                          "perlman",
                                          "pike",
                                          "poincare",
                                          "poitras",
                                          "proskuriakova",
                                          "ptolemy",
                                          "raman",
                                          "ramanujan",
                                          "rhodes",
                                          "ride",
                                          "ritchie",
                                          "robinson",
                                          "roentgen",
                                          "rosalind",
                                          "rubin",
                                          "saha",
                                          "sammet",
                                          "sanderson",
                                          "satoshi",
                                          "shamir",
                                          "shannon",
                                          "shaw",
                                          "shirley",
                                          "shockley",
                                          "shtern",
                                          "sinoussi",
                                          "snyder",
                                          "solomon",
                                          "spence",
                                          "stonebraker",
                                          "sutherland",
                                          "swanson",
                                          "swartz",
                                          "swirles",
                                          "taussig",
                                          "tesla",
                                          "tharp",
                                          "thompson",
                                          "torvalds",
                                          "tu",
                                          "turing",
                                          "varahamihira",
                                          "vaughan",
                                          "villani",
                                          "visvesvaraya",
                                          "volhard",
                                          "wescoff",
                                          "wilbur",
                                          "wiles",
                                          "williams",
                                          "williamson",
                                          "wilson",
                                          "wing",
                                          "wozniak",
                                          "wright",
                                          "wu",
                                          "yalow",
                                          "yonath",
                                          "zhukovsky"};
    std::random_device rd;
    std::string name =
        std::string(kAdjectives[rd() % kAdjectives.size()]) + "_" + kNames[rd() % kNames.size()];
    return name;
}

std::string display_image_name(const ImageRecord& img) {
    return img.names.empty() ? "<none>" : img.names.front();
}

} // namespace burrow::cli
