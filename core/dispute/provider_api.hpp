#pragma once
// The provider data API, shared by the server (core/provider) and its clients:
//   GET /v1/health                          {"ok": true}
//   GET /v1/jobs/<job>/manifest             manifest.json of the committed trace (light form)
//   GET /v1/jobs/<job>/inputs               graph inputs, safetensors bytes
//   GET /v1/jobs/<job>/ops/<op>/outputs     outputs of one operator, safetensors bytes
//                                           ("op.<op>.<output>")
//   GET /v1/jobs/<job>/ops/<op>/proof       {"leaf": {index, schemaHash, outputHash},
//                                            "proof": [siblings bottom-up], "root": ...}
// Errors are JSON {"error": "..."} with 400 (bad parameter), 404 (not committed here),
// 429 (rate limited) or 500.
#include <cstdint>
#include <string>

namespace tao::dispute::api {

inline std::string manifestPath(std::uint64_t job) {
    return "/v1/jobs/" + std::to_string(job) + "/manifest";
}
inline std::string inputsPath(std::uint64_t job) {
    return "/v1/jobs/" + std::to_string(job) + "/inputs";
}
inline std::string outputsPath(std::uint64_t job, std::uint32_t op) {
    return "/v1/jobs/" + std::to_string(job) + "/ops/" + std::to_string(op) + "/outputs";
}
inline std::string proofPath(std::uint64_t job, std::uint32_t op) {
    return "/v1/jobs/" + std::to_string(job) + "/ops/" + std::to_string(op) + "/proof";
}

} // namespace tao::dispute::api
