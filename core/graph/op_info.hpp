#pragma once
// What the rest of the program knows about one operator of a model, with no
// dependency on LibTorch.
#include "core/commit/hash.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tao::graph {

class Model;

struct OpInfo {
    std::uint32_t index = 0; // position in topological order among operators
    std::string kind;        // schema name, e.g. "aten::conv2d"
    std::string scope;       // module path from the inlined call stack, e.g. "layer1.0.conv1"
    // Tensor inputs as references: "op:<index>.<output>", "input:<name>", "param:<name>", "const".
    std::vector<std::string> inputs;
    // Per node output: -1 for a tensor, or the (static) length of a tensor list, or
    // 0 when the length is only known at run time.
    std::vector<int> outputLists;
    std::string schema; // full schema text, for the inspector
};

// Where a loaded model's weights live. Heap: copies, as torch::jit::load makes them.
// MappedFile: read in place from a private mapping of the archive (MappedWeights), for
// work that can give a weight's pages back after the last operator reading it
// (Model::releaseWeightsAfter); falls back to Heap where the archive does not allow it.
// The archive must then not be rewritten in place while the model is in use. BySize: Heap for an
// archive of at most kHeapArchiveBytes, MappedFile above (residenceForArchive).
enum class WeightResidence { Heap, MappedFile, BySize };

// The largest archive BySize copies into the heap. A mapped weight's pages are first
// touched while an operator reads them, one fault per 4 KiB page (about 1 us each on the
// virtual machines measured: 12 ms of resnet18's 44 MB, a third of its forward pass),
// where the heap copy pays for them while loading. Up to this size the copy costs less
// memory than the 167 MiB LibTorch itself holds; above it the mapping keeps a verifier's
// peak memory from growing with the model.
inline constexpr std::uintmax_t kHeapArchiveBytes = std::uintmax_t(256) << 20;

// Heap for an archive of at most kHeapArchiveBytes, else MappedFile.
WeightResidence residenceForArchive(std::uintmax_t archiveBytes);

// Torch-free access to a loaded model, for code that must not include LibTorch
// headers (the CLI, views). loadModel throws ModelError like Model::load.
std::shared_ptr<Model> loadModel(const std::filesystem::path& path,
                                 WeightResidence residence = WeightResidence::Heap);
const std::vector<OpInfo>& opsOf(const Model& model);
const commit::Hash32& idOf(const Model& model);
const commit::Hash32& legacyIdOf(const Model& model);
// How `id` (from a trace or profile) names `model`: its version-independent id, its
// legacy (format 1, LibTorch-version-dependent) id, or neither.
enum class IdMatch { Current, Legacy, None };
IdMatch matchId(const Model& model, const commit::Hash32& id);
// One line for a user when `what` (a file) names the model by its legacy id; empty otherwise.
std::string legacyIdNote(const Model& model, const commit::Hash32& id, const std::string& what);
const std::vector<std::string>& inputNamesOf(const Model& model);

} // namespace tao::graph
