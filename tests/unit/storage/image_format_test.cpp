#include "core/error.hpp"
#include "storage/digest.hpp"
#include "storage/image_format.hpp"
#include "support.hpp"

using namespace burrow;
using namespace burrow::storage;

namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');
const std::string kC = "sha256:" + std::string(64, 'c');
const std::string kD = "sha256:" + std::string(64, 'd');
const std::string kE = "sha256:" + std::string(64, 'e');

// Fixtures name digests @A…@E.
std::string fill(std::string json) {
    for (auto [mark, digest] :
         {std::pair{"@A", &kA}, {"@B", &kB}, {"@C", &kC}, {"@D", &kD}, {"@E", &kE}})
        for (size_t pos; (pos = json.find(mark)) != std::string::npos;)
            json.replace(pos, 2, *digest);
    return json;
}

// As docker hub serves busybox: Docker schema2 with one gzip layer.
const std::string kDockerManifestJson = fill(R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 1457,
      "digest": "@A"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 2591575,
         "digest": "@B"
      }
   ]
})");

// An OCI manifest as buildah writes it, with annotations and two layers.
const std::string kOciManifestJson = fill(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "@A", "size": 900},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "@B", "size": 100},
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": "@C", "size": 200,
     "annotations": {"io.github.containers.zstd-chunked.manifest-position": "1:2:3:4"}}
  ],
  "annotations": {"org.opencontainers.image.base.name": "docker.io/library/alpine:3.19"}
})");

// As docker hub serves a multi-arch image, with buildx attestation entries.
const std::string kIndexJson = fill(R"({
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@A", "size": 1000,
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@B", "size": 1000,
     "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@C", "size": 1000,
     "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@D", "size": 1000,
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@E", "size": 566,
     "annotations": {"vnd.docker.reference.digest": "@A",
                     "vnd.docker.reference.type": "attestation-manifest"},
     "platform": {"architecture": "unknown", "os": "unknown"}}
  ],
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "schemaVersion": 2
})");

// A docker config with fields burrow has no type for (ArgsEscaped, Healthcheck, OnBuild).
const std::string kConfigJson = fill(
    R"({"architecture":"amd64","config":{"Hostname":"","User":"nginx",)"
    R"("ExposedPorts":{"80/tcp":{}},"Env":["PATH=/usr/local/bin:/usr/bin",)"
    R"("NGINX_VERSION=1.25.4"],"Cmd":["nginx","-g","daemon off;"],)"
    R"("Healthcheck":{"Test":["CMD","true"]},"ArgsEscaped":true,"Image":"",)"
    R"("Volumes":{"/data":{}},"WorkingDir":"/srv","Entrypoint":["/docker-entrypoint.sh"],)"
    R"("OnBuild":null,"Labels":{"maintainer":"NGINX Docker Maintainers"},"StopSignal":"SIGQUIT"},)"
    R"("created":"2024-02-14T18:57:11.123456789Z","history":[{"created":"2024-02-13T00:37:19.5Z",)"
    R"("created_by":"/bin/sh -c #(nop) ADD file:abc in / "},{"created":"2024-02-13T00:37:20Z",)"
    R"("created_by":"/bin/sh -c #(nop)  CMD [\"bash\"]","empty_layer":true},)"
    R"({"created":"2024-02-14T18:57:11Z","created_by":"RUN /bin/sh -c apt-get install nginx",)"
    R"("comment":"buildkit.dockerfile.v0"}],"os":"linux","rootfs":{"type":"layers",)"
    R"("diff_ids":["@C","@D"]},"x-unknown":{"kept":[1,2,3]}})");

const std::string kDeclaredJson = "application/json";

} // namespace

TEST_SUITE_BEGIN("storage/image_format");

TEST_CASE("a docker schema2 manifest") {
    Manifest m = parse_manifest(kDockerManifestJson);
    CHECK(m.schema_version == 2);
    CHECK(m.media_type == kDockerManifest);
    CHECK(m.config.media_type == kDockerConfig);
    CHECK(m.config.digest == kA);
    CHECK(m.config.size == 1457);
    REQUIRE(m.layers.size() == 1);
    CHECK(m.layers[0].media_type == kDockerLayerGzip);
    CHECK(m.layers[0].digest == kB);
    CHECK(m.layers[0].size == 2591575);
    CHECK(layer_compression(m.layers[0].media_type) == Compression::Gzip);
}

TEST_CASE("an OCI manifest with annotations, and writing it back") {
    Manifest m = parse_manifest(kOciManifestJson);
    CHECK(m.media_type == kOciManifest);
    REQUIRE(m.layers.size() == 2);
    CHECK(layer_compression(m.layers[1].media_type) == Compression::Zstd);
    CHECK(m.layers[1].annotations.at("io.github.containers.zstd-chunked.manifest-position") ==
          "1:2:3:4");
    CHECK(m.annotations.at("org.opencontainers.image.base.name") ==
          "docker.io/library/alpine:3.19");

    std::string written = to_json(m);
    CHECK(written.starts_with(R"({"schemaVersion":2,"mediaType":")" + std::string(kOciManifest) +
                              R"(","config":{"mediaType":)"));
    Manifest again = parse_manifest(written);
    CHECK(to_json(again) == written);
    CHECK(again.layers[1].digest == kC);
    CHECK(again.annotations == m.annotations);
}

TEST_CASE("an OCI manifest may leave out its mediaType") {
    Manifest m = parse_manifest(fill(R"({"schemaVersion":2,"config":{"mediaType":
        "application/vnd.oci.image.config.v1+json","digest":"@A","size":2},"layers":[]})"));
    CHECK(m.media_type.empty());
    CHECK(m.layers.empty());
    CHECK(to_json(m).find("mediaType\":\"application/vnd.oci.image.manifest") == std::string::npos);
}

TEST_CASE("bad manifests") {
    const std::string config = fill(R"("config":{"mediaType":"x","digest":"@A","size":1})");
    auto manifest = [&](const std::string& body) { return "{\"schemaVersion\":2," + body + "}"; };
    auto error = [](const std::string& raw) {
        return test::error_of([&] { parse_manifest(raw); });
    };
    CHECK(error("") == "manifest: not valid JSON: parse error at line 1, column 1: syntax error "
                       "while parsing value - unexpected end of input; expected '[', '{', or a "
                       "literal");
    CHECK(error("[1]") == "manifest: not a JSON object");
    CHECK(error(manifest(R"("layers":[])")) == "manifest: missing config");
    CHECK(error(manifest(R"("config":null,"layers":[])")) == "manifest: missing config");
    CHECK(error(manifest(config)) == "manifest: missing layers");
    CHECK(error(manifest(config + R"(,"layers":{})")) == "manifest: layers must be an array");
    CHECK(error(fill(R"({"config":{"mediaType":"x","digest":"@A","size":1},"layers":[]})")) ==
          "manifest: missing schemaVersion");
    CHECK(error(R"({"schemaVersion":3})") == "manifest: unsupported schemaVersion 3");
    CHECK(error(R"({"schemaVersion":"2"})") == "manifest: schemaVersion must be an integer");
    CHECK(error(R"({"schemaVersion":1,"name":"library/busybox","tag":"latest","fsLayers":[]})") ==
          "manifest: Docker schema 1 manifests are not supported: the image was pushed by a "
          "docker older than 1.10; push it again with a current docker, podman or skopeo");
    CHECK(error(manifest(R"("config":{"mediaType":"x","digest":"sha256:abc","size":1},)"
                         R"("layers":[])")) == "manifest: config: invalid digest \"sha256:abc\"");
    CHECK(error(manifest(config +
                         fill(R"(,"layers":[{"mediaType":"x","digest":"@B","size":-1}])"))) ==
          "manifest: layers[0]: negative size");
    CHECK(error(manifest(config + fill(R"(,"layers":[{"mediaType":"x","digest":"@B","size":1},)"
                                       R"({"mediaType":"x","digest":"@B"}])"))) ==
          "manifest: layers[1]: missing size");
    CHECK(error(manifest(config +
                         fill(R"(,"layers":[{"mediaType":"x","digest":"@B","size":1.5}])"))) ==
          "manifest: layers[0]: size must be an integer");
    CHECK(error(manifest(config + fill(R"(,"layers":[{"digest":"@B","size":1}])"))) ==
          "manifest: layers[0]: missing mediaType");
    CHECK(error(manifest(config + fill(R"(,"layers":[{"mediaType":"x","size":1}])"))) ==
          "manifest: layers[0]: missing digest");
    CHECK(error(manifest(config + R"(,"layers":[],"annotations":{"a":1})")) ==
          "manifest: annotations must be an object of strings");
    CHECK(error(manifest(
              R"("mediaType":"application/vnd.oci.image.index.v1+json","manifests":[])")) ==
          "manifest: is an image index (application/vnd.oci.image.index.v1+json), not a manifest");
    CHECK(error(manifest(R"("mediaType":"text/html")")) ==
          "manifest: unsupported mediaType \"text/html\"");
}

TEST_CASE("an image index") {
    Index index = parse_index(kIndexJson);
    CHECK(index.media_type == kOciIndex);
    REQUIRE(index.manifests.size() == 5);
    REQUIRE(index.manifests[2].platform);
    CHECK(index.manifests[2].platform->to_string() == "linux/arm/v7");
    CHECK(index.manifests[4].annotations.at("vnd.docker.reference.type") == "attestation-manifest");
    CHECK(to_json(parse_index(to_json(index))) == to_json(index));

    CHECK(test::error_of([] { parse_index(R"({"schemaVersion":2})"); }) ==
          "image index: missing manifests");
    CHECK(test::error_of([] {
              parse_index(R"({"schemaVersion":2,"manifests":[{"mediaType":"x",)"
                          R"("digest":"sha256:zz","size":1}]})");
          }) == "image index: manifests[0]: invalid digest \"sha256:zz\"");
    CHECK(test::error_of([] {
              parse_index(fill(R"({"schemaVersion":2,"manifests":[{"mediaType":"x",)"
                               R"("digest":"@A","size":1,"platform":{"os":"linux"}}]})"));
          }) == "image index: manifests[0]: platform: missing architecture");
    CHECK(test::error_of([] { parse_index(kDockerManifestJson); }) ==
          "image index: is an image manifest "
          "(application/vnd.docker.distribution.manifest.v2+json), not an index");
}

TEST_CASE("media type detection") {
    CHECK(detect_media_type(kDockerManifestJson) == kDockerManifest);
    CHECK(detect_media_type(kIndexJson, kDeclaredJson) == kOciIndex);
    // the document's own mediaType wins over what the server declared
    CHECK(detect_media_type(kOciManifestJson, kDockerManifest) == kOciManifest);
    const std::string bare_docker = fill(R"({"schemaVersion":2,"config":{"mediaType":
        "application/vnd.docker.container.image.v1+json","digest":"@A","size":1},"layers":[]})");
    const std::string bare_oci = fill(R"({"schemaVersion":2,"config":{"mediaType":
        "application/vnd.oci.image.config.v1+json","digest":"@A","size":1},"layers":[]})");
    CHECK(detect_media_type(bare_docker) == kDockerManifest);
    CHECK(detect_media_type(bare_oci) == kOciManifest);
    CHECK(
        detect_media_type(bare_oci, "application/vnd.oci.image.manifest.v1+json; charset=utf-8") ==
        kOciManifest);
    CHECK(detect_media_type(bare_docker, " Application/VND.docker.distribution.manifest.v2+json") ==
          kDockerManifest);
    CHECK(detect_media_type(R"({"schemaVersion":2,"manifests":[]})", "text/plain") == kOciIndex);
    CHECK(detect_media_type(R"({"schemaVersion":2,"manifests":[]})", kDockerManifestList) ==
          kDockerManifestList);

    const std::string schema1 = "manifest: Docker schema 1 manifests are not supported: the image "
                                "was pushed by a docker older than 1.10; push it again with a "
                                "current docker, podman or skopeo";
    CHECK(test::error_of([] { detect_media_type(R"({"schemaVersion":1,"fsLayers":[]})"); }) ==
          schema1);
    CHECK(test::error_of([] { detect_media_type(R"({"signatures":[]})", kDockerSchema1Signed); }) ==
          schema1);
    CHECK(test::error_of([] { detect_media_type(R"({"hello":1})", "text/html"); }) ==
          "manifest: unrecognized format \"text/html\"");
    CHECK(test::error_of([] {
              detect_media_type("<html>");
          }).starts_with("manifest: not valid JSON: "));
}

TEST_CASE("layer media types") {
    CHECK(layer_compression(kOciLayer) == Compression::None);
    CHECK(layer_compression(kDockerLayer) == Compression::None);
    CHECK(layer_compression(kOciLayerNondistributableGzip) == Compression::Gzip);
    CHECK(layer_compression(kDockerForeignLayer) == Compression::Gzip);
    CHECK(is_layer_media_type(kOciLayerNondistributableZstd));
    CHECK_FALSE(is_layer_media_type(kOciConfig));
    CHECK(test::error_of([] { layer_compression("application/octet-stream"); }) ==
          "\"application/octet-stream\" is not a layer media type");
}

TEST_CASE("platforms of the host and of --platform") {
    CHECK(platform_for_machine("x86_64").to_string() == "linux/amd64");
    CHECK(platform_for_machine("aarch64").to_string() == "linux/arm64/v8");
    CHECK(platform_for_machine("armv7l").to_string() == "linux/arm/v7");
    CHECK(platform_for_machine("armv6l").to_string() == "linux/arm/v6");
    CHECK(platform_for_machine("ppc64le").to_string() == "linux/ppc64le");
    CHECK(platform_for_machine("s390x").to_string() == "linux/s390x");
    CHECK(platform_for_machine("riscv64").to_string() == "linux/riscv64");
    CHECK(host_platform().os == "linux");
    CHECK_FALSE(host_platform().architecture.empty());

    CHECK(parse_platform("linux/amd64").to_string() == "linux/amd64");
    CHECK(parse_platform("linux/arm64/v8").to_string() == "linux/arm64/v8");
    CHECK(parse_platform("Linux/x86_64").to_string() == "linux/amd64");
    CHECK(parse_platform("linux/aarch64").to_string() == "linux/arm64");
    CHECK(parse_platform("linux/arm").to_string() == "linux/arm/v7");
    CHECK(parse_platform("linux/armhf").to_string() == "linux/arm/v7");
    CHECK(parse_platform("linux/armel").to_string() == "linux/arm/v6");
    for (const char* bad : {"", "linux", "linux/", "/amd64", "linux/arm/v7/x", "linux//v7"})
        CHECK(test::error_of([&] { parse_platform(bad); }) ==
              "invalid platform \"" + std::string(bad) +
                  "\": use os/arch[/variant], as linux/arm64");
}

TEST_CASE("picking the image for a platform from an index") {
    Index index = parse_index(kIndexJson);
    CHECK(select_platform(index, "linux", "amd64").digest == kA);
    CHECK(select_platform(index, "linux", "arm64", "v8").digest == kD);
    CHECK(select_platform(index, "linux", "arm64").digest == kD);
    CHECK(select_platform(index, "linux", "arm", "v7").digest == kC);
    CHECK(select_platform(index, "linux", "arm", "v6").digest == kB);
    // an armv8l CPU runs v7 code, the newest the index has
    CHECK(select_platform(index, platform_for_machine("armv8l")).digest == kC);
    CHECK(select_platform(index, platform_for_machine("x86_64")).digest == kA);
    CHECK(select_platform(index, platform_for_machine("aarch64")).digest == kD);
    CHECK(test::error_of([&] { select_platform(index, "linux", "arm", "v5"); }) ==
          "the image index has no image for linux/arm/v5 (it has linux/amd64, linux/arm/v6, "
          "linux/arm/v7, linux/arm64/v8, unknown/unknown)");
    CHECK(test::error_of([&] { select_platform(index, platform_for_machine("riscv64")); }) ==
          "the image index has no image for linux/riscv64 (it has linux/amd64, linux/arm/v6, "
          "linux/arm/v7, linux/arm64/v8, unknown/unknown)");
    CHECK(test::error_of([&] {
              select_platform(index, "windows", "amd64");
          }).starts_with("the image index has no image for windows/amd64 "));

    // arm64 images without a variant are v8; an exact variant still wins
    Index plain = parse_index(fill(R"({"schemaVersion":2,"manifests":[
        {"mediaType":"x","digest":"@A","size":1,"platform":{"architecture":"arm64","os":"linux"}},
        {"mediaType":"x","digest":"@B","size":1,
         "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]})"));
    CHECK(select_platform(plain, "linux", "arm64", "v8").digest == kB);
    CHECK(select_platform(plain, "linux", "arm64").digest == kA);
    CHECK(select_platform(plain, "linux", "arm64", "v9").digest == kA);

    Index anonymous = parse_index(fill(R"({"schemaVersion":2,"manifests":[
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@E","size":1}]})"));
    CHECK(select_platform(anonymous, "linux", "amd64").digest == kE);
    Index empty = parse_index(R"({"schemaVersion":2,"manifests":[]})");
    CHECK(test::error_of([&] { select_platform(empty, "linux", "amd64"); }) ==
          "the image index has no image for linux/amd64 (it has none)");
}

TEST_CASE("converting manifests between Docker and OCI") {
    Manifest docker = convert_manifest(parse_manifest(kDockerManifestJson), ManifestFormat::Oci);
    CHECK(docker.media_type == kOciManifest);
    CHECK(docker.config.media_type == kOciConfig);
    CHECK(docker.layers[0].media_type == kOciLayerGzip);
    CHECK(docker.layers[0].digest == kB);
    Manifest back = convert_manifest(docker, ManifestFormat::Docker);
    CHECK(to_json(back) == to_json(parse_manifest(kDockerManifestJson)));

    Manifest oci = parse_manifest(kOciManifestJson);
    CHECK(test::error_of([&] { convert_manifest(oci, ManifestFormat::Docker); }) ==
          "manifest: Docker images cannot have zstd layers: save in OCI format");
    oci.layers.pop_back();
    Manifest as_docker = convert_manifest(oci, ManifestFormat::Docker);
    CHECK(as_docker.annotations.empty());
    CHECK(as_docker.layers[0].media_type == kDockerLayerGzip);

    Manifest foreign = parse_manifest(kDockerManifestJson);
    foreign.layers[0].media_type = kDockerForeignLayer;
    foreign.layers[0].urls = {"https://example.com/layer.tar.gz"};
    Manifest nondist = convert_manifest(foreign, ManifestFormat::Oci);
    CHECK(nondist.layers[0].media_type == kOciLayerNondistributableGzip);
    CHECK(nondist.layers[0].urls == foreign.layers[0].urls);
    CHECK(convert_manifest(nondist, ManifestFormat::Docker).layers[0].media_type ==
          kDockerForeignLayer);
    foreign.layers[0].media_type = "application/octet-stream";
    CHECK(test::error_of([&] { convert_manifest(foreign, ManifestFormat::Oci); }) ==
          "manifest: cannot convert layer type \"application/octet-stream\"");
}

TEST_CASE("an OCI manifest for what burrow writes") {
    std::string config = R"({"rootfs":{"type":"layers","diff_ids":[]}})";
    Descriptor cd = make_descriptor(kOciConfig, config);
    CHECK(cd.digest == sha256_of(config));
    CHECK(cd.size == static_cast<int64_t>(config.size()));
    Descriptor layer{std::string(kOciLayerGzip), kB, 42};
    Manifest m = make_oci_manifest(cd, {layer}, {{"org.opencontainers.image.ref.name", "v1"}});
    Manifest parsed = parse_manifest(to_json(m));
    CHECK(parsed.media_type == kOciManifest);
    CHECK(parsed.config.digest == cd.digest);
    CHECK(parsed.layers[0].size == 42);
    CHECK(parsed.annotations.at("org.opencontainers.image.ref.name") == "v1");
}

TEST_CASE("an image config keeps its bytes and reads its fields") {
    ImageConfig c = ImageConfig::parse(kConfigJson);
    CHECK(c.raw() == kConfigJson);
    CHECK(c.id() == sha256_of(kConfigJson));
    CHECK(c.architecture() == "amd64");
    CHECK(c.os() == "linux");
    CHECK(c.variant().empty());
    CHECK(c.created() == "2024-02-14T18:57:11.123456789Z");
    CHECK(c.author().empty());
    const ContainerConfig& cc = c.config();
    CHECK(cc.user == "nginx");
    CHECK(cc.env.size() == 2);
    CHECK(cc.env[1] == "NGINX_VERSION=1.25.4");
    CHECK(cc.entrypoint == std::vector<std::string>{"/docker-entrypoint.sh"});
    CHECK(cc.cmd == std::vector<std::string>{"nginx", "-g", "daemon off;"});
    CHECK(cc.working_dir == "/srv");
    CHECK(cc.exposed_ports == std::set<std::string>{"80/tcp"});
    CHECK(cc.labels.at("maintainer") == "NGINX Docker Maintainers");
    CHECK(cc.volumes == std::set<std::string>{"/data"});
    CHECK(cc.stop_signal == "SIGQUIT");
    CHECK(c.diff_ids() == std::vector<std::string>{kC, kD});
    REQUIRE(c.history().size() == 3);
    CHECK(c.history()[1].empty_layer);
    CHECK(c.history()[1].created_by == "/bin/sh -c #(nop)  CMD [\"bash\"]");
    CHECK(c.history()[2].comment == "buildkit.dockerfile.v0");
    CHECK(c.json()["x-unknown"]["kept"][2] == 3);

    Manifest m = parse_manifest(kOciManifestJson);
    check_layers_match(m, c);
    m.layers.pop_back();
    CHECK(test::error_of([&] { check_layers_match(m, c); }) ==
          "image config lists 2 layers (rootfs.diff_ids) but its manifest has 1");
}

TEST_CASE("old configs: a string Cmd, nulls") {
    ImageConfig c = ImageConfig::parse(
        R"({"config":{"Cmd":"/bin/sh","Env":null,"Entrypoint":null,"Labels":null},)"
        R"("rootfs":{"type":"layers","diff_ids":[]}})");
    CHECK(c.config().cmd == std::vector<std::string>{"/bin/sh"});
    CHECK(c.config().entrypoint.empty());
    CHECK(c.config().env.empty());
    CHECK(c.history().empty());
}

TEST_CASE("bad image configs") {
    auto error = [](const std::string& raw) {
        return test::error_of([&] { ImageConfig::parse(raw); });
    };
    CHECK(error("{").starts_with("image config: not valid JSON: "));
    CHECK(error("1") == "image config: not a JSON object");
    CHECK(error("{}") == "image config: missing rootfs");
    CHECK(error(R"({"rootfs":{"diff_ids":[]}})") == "image config: rootfs: missing type");
    CHECK(error(R"({"rootfs":{"type":"ext4","diff_ids":[]}})") ==
          "image config: rootfs: unsupported type \"ext4\"");
    CHECK(error(R"({"rootfs":{"type":"layers","diff_ids":["sha256:1"]}})") ==
          "image config: rootfs: diff_ids[0]: invalid digest \"sha256:1\"");
    CHECK(error(R"({"rootfs":{"type":"layers","diff_ids":[1]}})") ==
          "image config: rootfs: diff_ids must be an array of strings");
    CHECK(error(R"({"config":{"Env":"A=1"},"rootfs":{"type":"layers"}})") ==
          "image config: config: Env must be an array of strings");
    CHECK(error(R"({"config":{"User":0},"rootfs":{"type":"layers"}})") ==
          "image config: config: User must be a string");
    CHECK(error(R"({"config":{"ExposedPorts":["80/tcp"]},"rootfs":{"type":"layers"}})") ==
          "image config: config: ExposedPorts must be an object");
    CHECK(error(R"({"rootfs":{"type":"layers"},"history":{}})") ==
          "image config: history must be an array");
    CHECK(error(R"({"rootfs":{"type":"layers"},"history":[{"empty_layer":"yes"}]})") ==
          "image config: history[0]: empty_layer must be true or false");
    CHECK(error(R"({"os":["linux"],"rootfs":{"type":"layers"}})") ==
          "image config: os must be a string");
}

TEST_CASE("the config commit makes") {
    ImageConfig parent = ImageConfig::parse(kConfigJson);
    NewImageInfo info;
    info.created = parse_rfc3339("2024-05-01T12:00:00.123456789Z");
    info.author = "Ada <ada@example.com>";
    info.comment = "fixed the config";
    info.created_by = "/bin/sh";
    ImageConfig child = make_child_config(parent, kE, info);
    CHECK(child.created() == "2024-05-01T12:00:00.123456789Z");
    CHECK(child.author() == "Ada <ada@example.com>");
    CHECK(child.diff_ids() == std::vector<std::string>{kC, kD, kE});
    REQUIRE(child.history().size() == 4);
    const HistoryEntry& h = child.history().back();
    CHECK(h.created == "2024-05-01T12:00:00.123456789Z");
    CHECK(h.created_by == "/bin/sh");
    CHECK(h.author == "Ada <ada@example.com>");
    CHECK(h.comment == "fixed the config");
    CHECK_FALSE(h.empty_layer);
    CHECK(child.config() == parent.config());
    CHECK(child.json()["x-unknown"] == parent.json()["x-unknown"]);
    CHECK(child.json()["config"]["Healthcheck"] == parent.json()["config"]["Healthcheck"]);
    CHECK(child.id() != parent.id());
    CHECK(child.raw() == ImageConfig::parse(child.raw()).raw());

    ContainerConfig changed = parent.config();
    changed.cmd = {"nginx-debug"};
    changed.entrypoint.clear();
    changed.env.push_back("DEBUG=1");
    changed.exposed_ports.insert("443/tcp");
    changed.labels["version"] = "2";
    changed.user.clear();
    NewImageInfo config_only;
    config_only.config = changed;
    config_only.created = parse_rfc3339("2024-05-01T12:00:00Z");
    ImageConfig edited = make_child_config(parent, "", config_only);
    CHECK(edited.config() == changed);
    CHECK(edited.diff_ids() == parent.diff_ids());
    CHECK(edited.history().back().empty_layer);
    CHECK(edited.history().back().created == "2024-05-01T12:00:00Z");
    CHECK(edited.author().empty());
    CHECK_FALSE(edited.json()["config"].contains("Entrypoint"));
    CHECK_FALSE(edited.json()["config"].contains("User"));
    CHECK(edited.json()["config"]["ExposedPorts"]["443/tcp"].is_object());
    CHECK(edited.json()["config"]["ArgsEscaped"] == true);

    CHECK(test::error_of([&] { make_child_config(parent, "sha256:nope", info); }) ==
          "invalid layer diff id \"sha256:nope\"");
}

TEST_CASE("the config import makes") {
    NewImageInfo info;
    info.created = parse_rfc3339("2024-05-01T12:00:00Z");
    info.created_by = "/bin/sh -c #(nop) ADD file:rootfs.tar in /";
    ContainerConfig cc;
    cc.cmd = {"/bin/sh"};
    info.config = cc;
    ImageConfig c = make_base_config(kA, info, platform_for_machine("aarch64"));
    CHECK(c.raw() ==
          R"({"created":"2024-05-01T12:00:00Z","architecture":"arm64","os":"linux","variant":"v8",)"
          R"("config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[")" +
              kA +
              R"("]},"history":[{"created":"2024-05-01T12:00:00Z","created_by":)"
              R"("/bin/sh -c #(nop) ADD file:rootfs.tar in /"}]})");
    CHECK(make_base_config(kA, NewImageInfo{}).architecture() == host_platform().architecture);
}

TEST_CASE("RFC 3339 times as docker writes and reads them") {
    using namespace std::chrono;
    sys_days day = 2024y / May / 1;
    auto noon = system_clock::time_point(day) + 12h;
    CHECK(format_rfc3339_nano(noon) == "2024-05-01T12:00:00Z");
    CHECK(format_rfc3339_nano(noon + 123456789ns) == "2024-05-01T12:00:00.123456789Z");
    CHECK(format_rfc3339_nano(noon + 120ms) == "2024-05-01T12:00:00.12Z");
    CHECK(format_rfc3339_nano(system_clock::time_point()) == "1970-01-01T00:00:00Z");
    CHECK(format_rfc3339_nano(system_clock::time_point() - 1ns) ==
          "1969-12-31T23:59:59.999999999Z");

    CHECK(parse_rfc3339("2024-05-01T12:00:00Z") == noon);
    CHECK(parse_rfc3339("2024-05-01t12:00:00z") == noon);
    CHECK(parse_rfc3339("2024-05-01T12:00:00.123456789Z") == noon + 123456789ns);
    CHECK(parse_rfc3339("2024-05-01T12:00:00.5Z") == noon + 500ms);
    CHECK(parse_rfc3339("2024-05-01T12:00:00.1234567891234Z") == noon + 123456789ns);
    CHECK(parse_rfc3339("2024-05-01T14:30:00+02:30") == noon);
    CHECK(parse_rfc3339("2024-05-01T07:00:00.25-05:00") == noon + 250ms);
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == system_clock::time_point());
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z") ==
          system_clock::time_point(sys_days(2024y / 2 / 29)));
    CHECK(parse_rfc3339("0001-01-01T00:00:00Z") == system_clock::time_point::min());
    CHECK(parse_rfc3339("9999-12-31T23:59:59Z") == system_clock::time_point::max());
    CHECK(parse_rfc3339(format_rfc3339_nano(noon + 7ns)) == noon + 7ns);

    for (const char* bad :
         {"", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01 12:00:00Z", "2024-5-01T12:00:00Z",
          "2024-13-01T12:00:00Z", "2023-02-29T12:00:00Z", "2024-05-01T24:00:00Z",
          "2024-05-01T12:60:00Z", "2024-05-01T12:00:60Z", "2024-05-01T12:00:00.Z",
          "2024-05-01T12:00:00+0200", "2024-05-01T12:00:00+24:00", "2024-05-01T12:00:00Zjunk",
          "2024-05-01T12:00:00UTC"})
        CHECK(test::error_of([&] { parse_rfc3339(bad); }) ==
              "invalid time \"" + std::string(bad) +
                  "\": expected RFC 3339, as 2024-05-01T12:00:00Z");
}

TEST_SUITE_END();
