#include "core/layout/graph_export.hpp"

#include "core/io/atomic_file.hpp"
#include "core/layout/graphviz_state.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <gvc.h>
#include <mutex>
#include <sstream>

namespace tao::layout {
namespace {

std::string escapeXml(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string escapeDot(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string shortKind(const std::string& kind) {
    for (const char* prefix : {"aten::", "prim::"})
        if (kind.rfind(prefix, 0) == 0) return kind.substr(std::string(prefix).size());
    return kind;
}

std::string markerGlyph(NodeMarker m) {
    switch (m) {
    case NodeMarker::BeyondSoundBound:
        return "✕";
    case NodeMarker::NoBound:
        return "?";
    case NodeMarker::BeyondThreshold:
        return "!";
    default:
        return "";
    }
}

std::string fmt(double v) {
    std::ostringstream s;
    s.precision(1);
    s << std::fixed << v;
    return s.str();
}

} // namespace

std::vector<const verify::OpVerdict*> verdictsByOp(const verify::VerifyReport& report,
                                                   std::size_t opCount) {
    std::vector<const verify::OpVerdict*> byOp(opCount, nullptr);
    for (const auto& v : report.ops)
        if (v.op < opCount) byOp[v.op] = &v;
    return byOp;
}

std::vector<const verify::OpVerdict*>
worstPerGroup(const OpHierarchy& hierarchy, const std::vector<const verify::OpVerdict*>& byOp) {
    std::vector<const verify::OpVerdict*> worst(hierarchy.groups().size(), nullptr);
    for (std::uint32_t op = 0; op < byOp.size() && op < hierarchy.opCount(); ++op) {
        if (!byOp[op]) continue;
        for (int g = hierarchy.groupOfOp(op); g >= 0; g = hierarchy.groups()[g].parent)
            worst[g] = worseOf(worst[g], byOp[op]);
    }
    return worst;
}

std::vector<DrawnNode> describeItems(const OpHierarchy& hierarchy, const VisibleGraph& visible,
                                     const std::vector<graph::OpInfo>& ops,
                                     const std::vector<const verify::OpVerdict*>& byOp) {
    const auto worst = worstPerGroup(hierarchy, byOp);
    std::vector<DrawnNode> nodes;
    nodes.reserve(visible.items.size());
    for (const auto& item : visible.items) {
        DrawnNode n;
        n.group = item.isGroup;
        if (item.isGroup) {
            const auto& g = hierarchy.groups()[item.id];
            n.title = g.label;
            n.subtitle = std::to_string(g.opCount) + " ops";
            n.style = styleOf(worst[item.id]);
        } else {
            const auto& op = ops.at(item.id);
            n.title = shortKind(op.kind);
            n.subtitle = "#" + std::to_string(op.index) + (op.scope.empty() ? "" : "  " + op.scope);
            n.style = styleOf(item.id < byOp.size() ? byOp[item.id] : nullptr);
        }
        nodes.push_back(std::move(n));
    }
    return nodes;
}

std::string toSvg(const ExportedGraph& graph) {
    const auto& vg = *graph.visible;
    const auto& lay = *graph.layout;
    const double margin = 16;
    const double titleBand = graph.title.empty() ? 0 : 28;
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fmt(lay.width + 2 * margin)
      << "\" height=\"" << fmt(lay.height + 2 * margin + titleBand) << "\" viewBox=\"0 0 "
      << fmt(lay.width + 2 * margin) << " " << fmt(lay.height + 2 * margin + titleBand)
      << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    if (!graph.title.empty())
        s << "<text x=\"" << margin << "\" y=\"" << 22 << "\" font-size=\"15\" fill=\"#222\">"
          << escapeXml(graph.title) << "</text>\n";
    s << "<g transform=\"translate(" << margin << "," << fmt(margin + titleBand) << ")\">\n";
    for (std::size_t c = 0; c < vg.clusters.size() && c < lay.clusters.size(); ++c) {
        const auto& r = lay.clusters[c];
        s << "<g class=\"group\"><rect x=\"" << fmt(r.x) << "\" y=\"" << fmt(r.y) << "\" width=\""
          << fmt(r.width) << "\" height=\"" << fmt(r.height)
          << "\" rx=\"8\" fill=\"#f3f5f8\" stroke=\"#9aa4b2\" stroke-dasharray=\"4 3\"/>"
          << "<text x=\"" << fmt(r.x + 8) << "\" y=\"" << fmt(r.y + 15)
          << "\" font-size=\"11\" fill=\"#556\">" << escapeXml(vg.clusters[c].label)
          << "</text></g>\n";
    }
    for (std::size_t e = 0; e < lay.edges.size(); ++e) {
        const auto& route = lay.edges[e];
        if (route.bezier.empty()) continue;
        s << "<path fill=\"none\" stroke=\"#7a8494\" stroke-width=\"1.2\" d=\"M"
          << fmt(route.bezier[0].x) << "," << fmt(route.bezier[0].y);
        for (std::size_t k = 1; k + 2 < route.bezier.size(); k += 3)
            s << " C" << fmt(route.bezier[k].x) << "," << fmt(route.bezier[k].y) << " "
              << fmt(route.bezier[k + 1].x) << "," << fmt(route.bezier[k + 1].y) << " "
              << fmt(route.bezier[k + 2].x) << "," << fmt(route.bezier[k + 2].y);
        s << "\"/>\n";
        if (route.hasArrow) {
            const auto& tail = route.bezier.back();
            const double dx = route.arrowTip.x - tail.x, dy = route.arrowTip.y - tail.y;
            const double len = std::max(1e-6, std::hypot(dx, dy));
            const double px = -dy / len * 3.5, py = dx / len * 3.5;
            s << "<polygon fill=\"#7a8494\" points=\"" << fmt(route.arrowTip.x) << ","
              << fmt(route.arrowTip.y) << " " << fmt(tail.x + px) << "," << fmt(tail.y + py) << " "
              << fmt(tail.x - px) << "," << fmt(tail.y - py) << "\"/>\n";
        }
    }
    for (std::size_t i = 0; i < graph.nodes.size() && i < lay.nodeCentres.size(); ++i) {
        const auto& n = graph.nodes[i];
        const double w = n.group ? kGroupNodeWidth : kOpNodeWidth;
        const double h = n.group ? kGroupNodeHeight : kOpNodeHeight;
        const double x = lay.nodeCentres[i].x - w / 2, y = lay.nodeCentres[i].y - h / 2;
        s << "<g class=\"" << (n.group ? "group-node" : "op") << "\"><rect x=\"" << fmt(x)
          << "\" y=\"" << fmt(y) << "\" width=\"" << fmt(w) << "\" height=\"" << fmt(h)
          << "\" rx=\"" << (n.group ? 9 : 5) << "\" fill=\"" << n.style.fill.hex() << "\" stroke=\""
          << (n.group ? "#2b3340" : "#3d4654") << "\" stroke-width=\"" << (n.group ? 2 : 1)
          << "\"/>"
          << "<text x=\"" << fmt(x + 8) << "\" y=\"" << fmt(y + 16)
          << "\" font-size=\"12\" font-weight=\"bold\" fill=\"#111\">" << escapeXml(n.title)
          << "</text><text x=\"" << fmt(x + 8) << "\" y=\"" << fmt(y + h - 9)
          << "\" font-size=\"10\" fill=\"#222\">" << escapeXml(n.subtitle) << "</text>";
        const auto glyph = markerGlyph(n.style.marker);
        if (!glyph.empty())
            s << "<text x=\"" << fmt(x + w - 16) << "\" y=\"" << fmt(y + 16)
              << "\" font-size=\"13\" font-weight=\"bold\" fill=\"#111\">" << glyph << "</text>";
        s << "</g>\n";
    }
    s << "</g>\n</svg>\n";
    return s.str();
}

std::string toDot(const ExportedGraph& graph) {
    const auto& vg = *graph.visible;
    std::ostringstream s;
    s << "digraph \"" << escapeDot(graph.title) << "\" {\n"
      << "  graph [rankdir=TB, nodesep=0.25, ranksep=0.39, fontname=\"DejaVu Sans\"];\n"
      << "  node [shape=box, style=\"rounded,filled\", fixedsize=true, fontname=\"DejaVu Sans\", "
         "fontsize=10];\n"
      << "  edge [color=\"#7a8494\"];\n";
    auto writeNode = [&](std::size_t i, const std::string& indent) {
        const auto& n = graph.nodes[i];
        const auto glyph = markerGlyph(n.style.marker);
        s << indent << "n" << i << " [label=\"" << escapeDot(n.title)
          << (glyph.empty() ? "" : " " + glyph) << "\\n"
          << escapeDot(n.subtitle) << "\", fillcolor=\"" << n.style.fill.hex()
          << "\", width=" << (n.group ? kGroupNodeWidth : kOpNodeWidth) / 72.0
          << ", height=" << (n.group ? kGroupNodeHeight : kOpNodeHeight) / 72.0
          << (n.group ? ", penwidth=2" : "") << "];\n";
    };
    // Nested clusters: write each cluster with its nodes and sub-clusters.
    auto writeCluster = [&](auto&& self, int cluster, const std::string& indent) -> void {
        for (std::size_t i = 0; i < vg.items.size(); ++i)
            if (vg.items[i].cluster == cluster) writeNode(i, indent);
        for (std::size_t c = 0; c < vg.clusters.size(); ++c) {
            if (vg.clusters[c].parent != cluster) continue;
            s << indent << "subgraph cluster_" << c << " {\n"
              << indent << "  label=\"" << escapeDot(vg.clusters[c].label)
              << "\"; style=\"rounded,dashed\"; color=\"#9aa4b2\"; bgcolor=\"#f3f5f8\";\n";
            self(self, static_cast<int>(c), indent + "  ");
            s << indent << "}\n";
        }
    };
    writeCluster(writeCluster, -1, "  ");
    for (const auto& e : vg.edges)
        s << "  n" << e.from << " -> n" << e.to << ";\n";
    s << "}\n";
    return s.str();
}

void writePng(const ExportedGraph& graph, const std::filesystem::path& path) {
    const std::string dot = toDot(graph);
    char* data = nullptr;
    unsigned int length = 0;
    {
        std::lock_guard lock(detail::graphvizMutex());
        GVC_t* gvc = detail::graphvizContext();
        Agraph_t* g = agmemread(dot.c_str());
        if (!g) {
            throw std::runtime_error(path.string() + ": Graphviz could not read the graph");
        }
        const bool ok = gvLayout(gvc, g, "dot") == 0 &&
                        gvRenderData(gvc, g, "png", &data, &length) == 0 && data;
        gvFreeLayout(gvc, g);
        agclose(g);
        if (!ok) {
            if (data) gvFreeRenderData(data);
            throw std::runtime_error(path.string() + ": Graphviz has no PNG renderer here");
        }
        std::string bytes(data, length);
        gvFreeRenderData(data);
        io::writeFileAtomically(path, bytes);
    }
}

} // namespace tao::layout
