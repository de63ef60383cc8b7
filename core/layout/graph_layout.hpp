#pragma once
// Hierarchical (layered) layout of a small directed graph with Graphviz `dot`, behind a
// plain interface: callers describe nodes, nested clusters and edges and get positions and
// edge splines back as plain structs (points, y growing downwards, origin top-left).
// Graphviz keeps global state, so layouts are serialised by a process-wide mutex; run this
// off the GUI thread.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tao::layout {

struct Point {
    double x = 0;
    double y = 0;
};

struct Rect {
    double x = 0; // top-left
    double y = 0;
    double width = 0;
    double height = 0;
};

struct LayoutNode {
    double width = 0; // points
    double height = 0;
    int cluster = -1; // index into LayoutRequest::clusters, -1 for the top level
};

// A box drawn around a set of nodes (an expanded module scope); clusters nest.
struct LayoutCluster {
    std::string label;
    int parent = -1;
};

struct LayoutEdge {
    int from = 0;
    int to = 0;
};

struct LayoutRequest {
    std::vector<LayoutNode> nodes;
    std::vector<LayoutCluster> clusters;
    std::vector<LayoutEdge> edges;
    double nodeSeparation = 18; // points between neighbours in a rank
    double rankSeparation = 28; // points between ranks
};

// One edge as drawn: a cubic Bezier chain (1 + 3k control points) ending near the head
// node, and the tip of its arrow head.
struct EdgeRoute {
    std::vector<Point> bezier;
    bool hasArrow = false;
    Point arrowTip;
};

struct LayoutResult {
    std::vector<Point> nodeCentres; // per request node
    std::vector<EdgeRoute> edges;   // per request edge
    std::vector<Rect> clusters;     // per request cluster
    double width = 0;
    double height = 0;
};

class LayoutCancelled : public std::runtime_error {
public:
    LayoutCancelled()
        : std::runtime_error("layout cancelled") {}
};

// Lays the graph out top to bottom. `cancelled` is polled while waiting for the Graphviz
// lock and between the build, layout and read-back stages; returning true throws
// LayoutCancelled. Throws std::runtime_error when Graphviz fails.
LayoutResult layoutGraph(const LayoutRequest& request, const std::function<bool()>& cancelled = {});

} // namespace tao::layout
