#pragma once
// What the rest of the program knows about one operator of a model, with no
// dependency on LibTorch.
#include <cstdint>
#include <string>
#include <vector>

namespace tao::graph {

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

} // namespace tao::graph
