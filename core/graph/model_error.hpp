#pragma once
#include <stdexcept>
#include <string>

namespace tao::graph {

// A model file that cannot be loaded or executed; the message names the file and the reason.
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A value an operator reads cannot be rebuilt from committed tensors: a node may have
// written into it through an alias its schema does not name (WriteHistory). The operator
// cannot be judged; the others can.
class UnrebuildableRead : public ModelError {
public:
    using ModelError::ModelError;
};

} // namespace tao::graph
