#include "core/layout/graph_layout.hpp"

#include "core/layout/graphviz_state.hpp"

#include <chrono>
#include <string>

namespace tao::layout {

namespace detail {

// libgvc and libcgraph keep global state (the context, symbol tables, error buffers).
std::timed_mutex& graphvizMutex() {
    static std::timed_mutex mutex;
    return mutex;
}

GVC_t* graphvizContext() {
    // One context for the process, with the built-in plugins (dot layout, PNG renderer).
    static GVC_t* context = gvContext();
    return context;
}

} // namespace detail

namespace {

void setAttribute(void* object, int kind, Agraph_t* root, const char* name,
                  const std::string& value, const char* fallback) {
    agattr(root, kind, const_cast<char*>(name), const_cast<char*>(fallback));
    agset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()));
}

void throwIfCancelled(const std::function<bool()>& cancelled) {
    if (cancelled && cancelled()) throw LayoutCancelled();
}

} // namespace

LayoutResult layoutGraph(const LayoutRequest& request, const std::function<bool()>& cancelled) {
    LayoutResult result;
    result.nodeCentres.resize(request.nodes.size());
    result.edges.resize(request.edges.size());
    result.clusters.resize(request.clusters.size());
    if (request.nodes.empty()) return result;

    std::unique_lock lock(detail::graphvizMutex(), std::defer_lock);
    while (!lock.try_lock_for(std::chrono::milliseconds(20)))
        throwIfCancelled(cancelled);
    throwIfCancelled(cancelled);

    GVC_t* gvc = detail::graphvizContext();
    Agraph_t* root = agopen(const_cast<char*>("g"), Agdirected, nullptr);
    struct Closer {
        GVC_t* gvc;
        Agraph_t* graph;
        bool laidOut = false;
        ~Closer() {
            if (laidOut) gvFreeLayout(gvc, graph);
            agclose(graph);
        }
    } closer{gvc, root};

    auto graphAttr = [&](Agraph_t* g, const char* name, const std::string& value) {
        agattr(root, AGRAPH, const_cast<char*>(name), const_cast<char*>(""));
        agset(g, const_cast<char*>(name), const_cast<char*>(value.c_str()));
    };
    graphAttr(root, "rankdir", "TB");
    graphAttr(root, "nodesep", std::to_string(request.nodeSeparation / 72.0));
    graphAttr(root, "ranksep", std::to_string(request.rankSeparation / 72.0));
    graphAttr(root, "splines", "spline");
    graphAttr(root, "newrank", "true");

    // Clusters: subgraphs whose names start with "cluster" are drawn as boxes by dot.
    std::vector<Agraph_t*> clusterGraphs(request.clusters.size(), nullptr);
    for (std::size_t c = 0; c < request.clusters.size(); ++c) {
        const int parent = request.clusters[c].parent;
        Agraph_t* parentGraph =
            parent >= 0 && static_cast<std::size_t>(parent) < c ? clusterGraphs[parent] : root;
        std::string name = "cluster_" + std::to_string(c);
        clusterGraphs[c] = agsubg(parentGraph, name.data(), 1);
        // A label gives the box a title band; the text itself is drawn by the caller.
        graphAttr(clusterGraphs[c], "label", request.clusters[c].label);
        graphAttr(clusterGraphs[c], "margin", "10");
    }

    std::vector<Agnode_t*> nodes(request.nodes.size());
    for (std::size_t i = 0; i < request.nodes.size(); ++i) {
        const auto& n = request.nodes[i];
        std::string name = "n" + std::to_string(i);
        Agraph_t* owner = n.cluster >= 0 ? clusterGraphs.at(n.cluster) : root;
        nodes[i] = agnode(owner, name.data(), 1);
        if (owner != root) agsubnode(root, nodes[i], 1);
        setAttribute(nodes[i], AGNODE, root, "shape", "box", "box");
        setAttribute(nodes[i], AGNODE, root, "fixedsize", "true", "true");
        setAttribute(nodes[i], AGNODE, root, "label", "", "");
        setAttribute(nodes[i], AGNODE, root, "width", std::to_string(n.width / 72.0), "1");
        setAttribute(nodes[i], AGNODE, root, "height", std::to_string(n.height / 72.0), "0.5");
    }
    std::vector<Agedge_t*> edges(request.edges.size());
    for (std::size_t e = 0; e < request.edges.size(); ++e) {
        const auto& edge = request.edges[e];
        std::string name = "e" + std::to_string(e);
        edges[e] = agedge(root, nodes.at(edge.from), nodes.at(edge.to), name.data(), 1);
    }
    throwIfCancelled(cancelled);

    if (gvLayout(gvc, root, "dot") != 0) throw std::runtime_error("Graphviz dot layout failed");
    closer.laidOut = true;
    throwIfCancelled(cancelled);

    // Graphviz works in points with y growing upwards; flip into screen coordinates.
    const boxf bb = GD_bb(root);
    const double top = bb.UR.y;
    auto toScreen = [&](pointf p) { return Point{p.x - bb.LL.x, top - p.y}; };
    result.width = bb.UR.x - bb.LL.x;
    result.height = bb.UR.y - bb.LL.y;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        result.nodeCentres[i] = toScreen(ND_coord(nodes[i]));
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const splines* spl = ED_spl(edges[e]);
        if (!spl || spl->size == 0) continue;
        auto& out = result.edges[e];
        // dot gives one Bezier chain per edge unless it was split (concentrate, loops).
        const bezier& bz = spl->list[0];
        for (int k = 0; k < bz.size; ++k)
            out.bezier.push_back(toScreen(bz.list[k]));
        if (bz.eflag) {
            out.hasArrow = true;
            out.arrowTip = toScreen(bz.ep);
        }
    }
    for (std::size_t c = 0; c < clusterGraphs.size(); ++c) {
        const boxf cb = GD_bb(clusterGraphs[c]);
        const Point tl = toScreen(pointf{cb.LL.x, cb.UR.y});
        result.clusters[c] = Rect{tl.x, tl.y, cb.UR.x - cb.LL.x, cb.UR.y - cb.LL.y};
    }
    return result;
}

} // namespace tao::layout
