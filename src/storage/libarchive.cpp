#include "storage/libarchive.hpp"

#include "core/dynlib.hpp"
#include "core/error.hpp"

namespace burrow::storage {

namespace {

constexpr const char* kArchiveSoname = "libarchive.so.13";

// Loaded once: a function-local static is initialized once even across threads, and a failed
// initialization is retried on the next call.
struct LoadedArchive {
    DynLib lib{kArchiveSoname};
    ArchiveApi api;

    LoadedArchive() {
        if (!lib.is_open())
            throw Error(std::string(kArchiveSoname) + " is not installed: install libarchive13");
#define BURROW_ARCHIVE_LOAD(name)                                                                  \
    api.name = lib.function<decltype(&::name)>(#name);                                             \
    if (!api.name)                                                                                 \
        throw Error(std::string(kArchiveSoname) + " has no " #name                                 \
                                                  ": install libarchive13 3.6 or newer");
        BURROW_ARCHIVE_FUNCTIONS(BURROW_ARCHIVE_LOAD)
#undef BURROW_ARCHIVE_LOAD
    }
};

} // namespace

const ArchiveApi& archive_api() {
    static const LoadedArchive loaded;
    return loaded.api;
}

std::string archive_error(struct archive* a) {
    const char* msg = a ? archive_api().archive_error_string(a) : nullptr;
    return msg ? msg : "unknown libarchive error";
}

long check_archive(struct archive* a, long rc, const std::string& what) {
    if (rc == ARCHIVE_FAILED || rc == ARCHIVE_FATAL)
        throw Error(what + ": " + archive_error(a));
    return rc;
}

ArchiveReader::ArchiveReader() : a_(archive_api().archive_read_new()) {
    if (!a_)
        throw Error("libarchive: cannot allocate a reader");
}

ArchiveReader::~ArchiveReader() {
    if (a_)
        archive_api().archive_read_free(a_);
}

ArchiveWriter ArchiveWriter::stream() {
    struct archive* a = archive_api().archive_write_new();
    if (!a)
        throw Error("libarchive: cannot allocate a writer");
    return ArchiveWriter(a);
}

ArchiveWriter ArchiveWriter::disk() {
    struct archive* a = archive_api().archive_write_disk_new();
    if (!a)
        throw Error("libarchive: cannot allocate a disk writer");
    return ArchiveWriter(a);
}

ArchiveWriter::~ArchiveWriter() {
    if (a_)
        archive_api().archive_write_free(a_);
}

ArchiveEntry::ArchiveEntry() : e_(archive_api().archive_entry_new()) {
    if (!e_)
        throw Error("libarchive: cannot allocate an entry");
}

ArchiveEntry::~ArchiveEntry() {
    if (e_)
        archive_api().archive_entry_free(e_);
}

Utf8Locale::Utf8Locale() : utf8_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr)) {
    if (utf8_)
        previous_ = ::uselocale(utf8_);
}

Utf8Locale::~Utf8Locale() {
    if (utf8_) {
        ::uselocale(previous_);
        ::freelocale(utf8_);
    }
}

} // namespace burrow::storage
