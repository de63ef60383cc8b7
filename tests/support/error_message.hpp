#pragma once
// The message of the exception of type E that `f` throws, or an empty string when it
// throws nothing: tests assert on what a user would read.
#include <QString>

namespace tao::test {

template <typename E, typename F> QString messageOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace tao::test
