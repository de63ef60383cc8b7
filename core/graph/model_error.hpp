#pragma once
#include <stdexcept>
#include <string>

namespace tao::graph {

// A model file that cannot be loaded or executed; the message names the file and the reason.
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace tao::graph
