#pragma once
// The Fashion-MNIST test set as Debian's dataset-fashion-mnist installs it, and the test
// accuracy of a provider that runs a classifier on it (honestly or downgraded): what a
// downgrade costs the user.
#include "core/graph/model.hpp"
#include "core/provider/adversary.hpp"

#include <filesystem>

namespace tao::eval {

inline const std::filesystem::path kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct LabelledImages {
    at::Tensor images; // [N, 1, 28, 28] FP32, normalised as the demo model was trained
    at::Tensor labels; // [N] int64
};

// Reads t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from `dir`. Throws
// std::runtime_error naming the file when one is missing, truncated or not an IDX file.
LabelledImages loadFashionMnistTest(const std::filesystem::path& dir = kFashionMnistDir);

// Top-1 accuracy in [0, 1] of the model loaded from `modelPath` with `adversary` applied
// (Honest for the plain model), over the first `limit` images (all when 0). Throws
// std::invalid_argument when the mode does not apply to the model (nothing to change).
double testAccuracy(const std::filesystem::path& modelPath,
                    const provider::AdversaryOptions& adversary, const LabelledImages& data,
                    std::int64_t limit = 0);

} // namespace tao::eval
