#include "core/verify/coverage.hpp"

#include "core/graph/op_info.hpp"
#include "core/numerics/op_bound.hpp"

#include <map>

namespace tao::verify {

std::vector<KindCoverage> boundCoverage(const graph::Model& model) {
    std::map<std::string, std::size_t> counts;
    for (const auto& op : graph::opsOf(model))
        ++counts[op.kind];
    std::vector<KindCoverage> out;
    for (const auto& [kind, n] : counts)
        out.push_back({kind, n, numerics::hasBound(kind)});
    return out;
}

} // namespace tao::verify
