#include "core/eval/fashion_mnist.hpp"

#include "core/graph/interpreter.hpp"

#include <stdexcept>
#include <zlib.h>

namespace tao::eval {

namespace {

std::vector<std::uint8_t> gunzip(const std::filesystem::path& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
        throw std::runtime_error(path.string() +
                                 ": cannot open (install dataset-fashion-mnist: scripts/setup)");
    std::vector<std::uint8_t> data;
    std::uint8_t buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        data.insert(data.end(), buf, buf + n);
    const bool failed = n < 0;
    gzclose(f);
    if (failed) throw std::runtime_error(path.string() + ": not a readable gzip file");
    return data;
}

std::uint32_t bigEndian(const std::vector<std::uint8_t>& d, std::size_t at) {
    return (std::uint32_t(d[at]) << 24) | (std::uint32_t(d[at + 1]) << 16) |
           (std::uint32_t(d[at + 2]) << 8) | std::uint32_t(d[at + 3]);
}

// The IDX payload after checking magic and size; dims receives the dimensions.
std::size_t idxPayload(const std::vector<std::uint8_t>& d, const std::filesystem::path& path,
                       std::uint32_t rank, std::vector<std::int64_t>& dims) {
    if (d.size() < 4 + 4 * rank || bigEndian(d, 0) != (0x0800u | rank))
        throw std::runtime_error(path.string() + ": not an IDX file of unsigned bytes, rank " +
                                 std::to_string(rank));
    std::size_t count = 1;
    for (std::uint32_t i = 0; i < rank; ++i) {
        dims.push_back(bigEndian(d, 4 + 4 * i));
        count *= static_cast<std::size_t>(dims.back());
    }
    const std::size_t offset = 4 + 4 * rank;
    if (d.size() != offset + count)
        throw std::runtime_error(path.string() + ": truncated (" + std::to_string(d.size()) +
                                 " bytes, header says " + std::to_string(offset + count) + ")");
    return offset;
}

} // namespace

LabelledImages loadFashionMnistTest(const std::filesystem::path& dir) {
    const auto imagesPath = dir / "t10k-images-idx3-ubyte.gz";
    const auto labelsPath = dir / "t10k-labels-idx1-ubyte.gz";
    auto images = gunzip(imagesPath);
    auto labels = gunzip(labelsPath);
    std::vector<std::int64_t> imageDims, labelDims;
    const auto imageAt = idxPayload(images, imagesPath, 3, imageDims);
    const auto labelAt = idxPayload(labels, labelsPath, 1, labelDims);
    if (imageDims[0] != labelDims[0] || imageDims[1] != 28 || imageDims[2] != 28)
        throw std::runtime_error(dir.string() + ": images and labels do not match");
    const auto n = imageDims[0];
    auto pixels = at::from_blob(images.data() + imageAt, {n, 1, 28, 28}, at::kByte).clone();
    LabelledImages out;
    // The normalisation the demo classifier was trained with (scripts/models/fashion_cnn.py).
    out.images = (pixels.to(at::kFloat) / 255.0 - 0.2860) / 0.3530;
    out.labels = at::from_blob(labels.data() + labelAt, {n}, at::kByte).to(at::kLong);
    return out;
}

double testAccuracy(const std::filesystem::path& modelPath,
                    const provider::AdversaryOptions& adversary, const LabelledImages& data,
                    std::int64_t limit) {
    torch::NoGradGuard noGrad;
    auto model = graph::Model::load(modelPath);
    provider::Adversary adv(model, adversary);
    graph::Interpreter interp(model);
    const auto n = limit > 0 ? std::min(limit, data.images.size(0)) : data.images.size(0);
    std::int64_t correct = 0;
    const std::int64_t batch = 250;
    for (std::int64_t lo = 0; lo < n; lo += batch) {
        const auto hi = std::min(n, lo + batch);
        std::vector<c10::IValue> inputs{data.images.slice(0, lo, hi)};
        adv.begin(inputs);
        graph::ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
            adv.alter(op, outs);
        };
        const auto scores = interp.run(inputs, hooks).at(0).toTensor();
        correct += scores.argmax(1).eq(data.labels.slice(0, lo, hi)).sum().item<std::int64_t>();
        if (lo == 0) adv.requireApplied(); // a mode that changes nothing is not a provider
    }
    return static_cast<double>(correct) / static_cast<double>(n);
}

} // namespace tao::eval
