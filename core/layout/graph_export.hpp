#pragma once
// What each visible node shows (title, subtitle, colour, marker) and writing the laid-out,
// coloured graph as SVG, DOT or PNG with no display: the GUI's export and `tao graph`
// share this, so a file looks like the screen.
#include "core/layout/op_hierarchy.hpp"
#include "core/layout/utilisation_colour.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace tao::layout {

struct DrawnNode {
    std::string title;    // operator kind without "aten::", or the group's name
    std::string subtitle; // scope / op index, or the group's op count
    NodeStyle style;      // a group shows its worst child
    bool group = false;
};

// Verdict per op (null where there is none), e.g. from a VerifyReport.
std::vector<const verify::OpVerdict*> verdictsByOp(const verify::VerifyReport& report,
                                                   std::size_t opCount);
// Per group: the worst verdict among its operators (null when none has one).
std::vector<const verify::OpVerdict*>
worstPerGroup(const OpHierarchy& hierarchy, const std::vector<const verify::OpVerdict*>& byOp);

std::vector<DrawnNode> describeItems(const OpHierarchy& hierarchy, const VisibleGraph& visible,
                                     const std::vector<graph::OpInfo>& ops,
                                     const std::vector<const verify::OpVerdict*>& byOp);

struct ExportedGraph {
    const OpHierarchy* hierarchy = nullptr;
    const VisibleGraph* visible = nullptr;
    const LayoutResult* layout = nullptr;
    std::vector<DrawnNode> nodes;
    std::string title;
};

std::string toSvg(const ExportedGraph& graph);
// DOT with colours and labels; Graphviz renders it the same way (`dot -Tpng`).
std::string toDot(const ExportedGraph& graph);
// Renders the DOT form with Graphviz's own PNG renderer, written atomically.
// Throws std::runtime_error naming the path.
void writePng(const ExportedGraph& graph, const std::filesystem::path& path);

} // namespace tao::layout
