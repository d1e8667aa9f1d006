// burrow pull: an image from a registry into the store.
#include "cli/pull.hpp"

#include "cli/global.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "registry/pull.hpp"

#include <iostream>

namespace burrow::cli {

namespace {

// A name without a registry goes to the first of registries.conf's unqualified-search
// registries, else docker.io, as docker does.
registry::Reference resolve_name(const std::string& typed, const registry::RegistriesConf& conf) {
    auto slash = typed.find('/');
    std::string first = slash == std::string::npos ? "" : typed.substr(0, slash);
    bool has_domain = first.find_first_of(".:") != std::string::npos || first == "localhost";
    if (!has_domain && !conf.unqualified_search_registries.empty() &&
        conf.unqualified_search_registries.front() != "docker.io")
        return registry::Reference::parse(conf.unqualified_search_registries.front() + "/" + typed);
    return registry::Reference::parse(typed);
}

bool has_tag_or_digest(const std::string& typed) {
    auto slash = typed.rfind('/');
    std::string last = slash == std::string::npos ? typed : typed.substr(slash + 1);
    return last.find(':') != std::string::npos || last.find('@') != std::string::npos;
}

} // namespace

storage::ImageRecord pull_into_store(StoreAccess& sa, const std::string& typed,
                                     const PullFlags& flags, bool quiet, bool to_stderr) {
    registry::RegistriesConf conf = registry::load_registries_conf();
    registry::Reference ref = resolve_name(typed, conf);
    if (auto entry = registry::find_registry(conf, ref.domain() + "/" + ref.path());
        entry && entry->blocked)
        throw Error("pulling " + ref.familiar() + ": the registry " + ref.domain() +
                    " is blocked in registries.conf");
    registry::ClientOptions copts;
    if (!flags.tls_verify.empty())
        copts.tls_verify = flags.tls_verify != "false";
    copts.authfile = flags.authfile;
    copts.runtime_dir = sa.runtime_dir;
    if (!flags.creds.empty()) {
        auto colon = flags.creds.find(':');
        copts.creds = registry::Credentials{
            flags.creds.substr(0, colon),
            colon == std::string::npos ? std::string() : flags.creds.substr(colon + 1)};
    }
    registry::HttpClient http;
    registry::RegistryClient client(http, copts, conf);
    auto say = [&](const std::string& line) {
        if (!quiet)
            (to_stderr ? std::cerr : std::cout) << line << '\n' << std::flush;
    };
    if (!has_tag_or_digest(typed))
        say("Using default tag: latest");
    say((ref.has_digest() ? ref.digest() : ref.tag()) + ": Pulling from " + ref.familiar_name());
    registry::PullOptions popts;
    popts.platform = flags.platform;
    popts.max_parallel = flags.max_parallel;
    auto result =
        registry::pull_image(client, sa.store, ref, {sa.driver, sa.single_id}, popts, say);
    say("Digest: " + result.manifest_digest);
    say(std::string(result.downloaded ? "Status: Downloaded newer image for "
                                      : "Status: Image is up to date for ") +
        ref.familiar());
    return result.image;
}

void add_pull_flags(CLI::App& cmd, PullFlags& f) {
    cmd.add_option("--platform", f.platform, "Pull for this platform: os/arch[/variant]");
    cmd.add_option("--tls-verify", f.tls_verify,
                   "Require HTTPS and verify certificates (default true; false for a registry "
                   "without TLS)")
        ->check(CLI::IsMember({"true", "false"}));
    cmd.add_option("--authfile", f.authfile, "Path of the authentication file");
    cmd.add_option("--creds", f.creds, "Credentials USER[:PASSWORD] for the registry");
}

void setup_pull_command(CLI::App& cmd, GlobalOptions& g) {
    auto flags = std::make_shared<PullFlags>();
    auto quiet = std::make_shared<bool>(false);
    auto name = std::make_shared<std::string>();
    cmd.footer("Examples:\n"
               "  burrow pull busybox\n"
               "  burrow pull --platform linux/arm64 docker.io/library/alpine:3.19\n"
               "  burrow pull --tls-verify=false localhost:5000/team/app:1");
    add_pull_flags(cmd, *flags);
    cmd.add_option("--max-parallel", flags->max_parallel, "Layers downloaded at once")
        ->check(CLI::Range(1, 64));
    cmd.add_flag("-q,--quiet", *quiet, "Print only the image id");
    cmd.add_option("IMAGE", *name, "The image: [REGISTRY/]NAME[:TAG|@DIGEST]")->required();
    cmd.callback([flags, quiet, name, &g] {
        registry::Reference::parse(*name); // a bad name fails before anything else
        StoreAccess sa = enter_store(g);
        auto img = pull_into_store(sa, *name, *flags, *quiet);
        if (*quiet)
            std::cout << img.id << '\n';
        else if (!img.names.empty())
            std::cout << img.names.front() << '\n';
    });
}

} // namespace burrow::cli
