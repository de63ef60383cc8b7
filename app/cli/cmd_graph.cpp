#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "core/graph/op_info.hpp"
#include "core/io/atomic_file.hpp"
#include "core/layout/bounds_overlay.hpp"
#include "core/layout/graph_export.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"

#include <iostream>
#include <set>
#include <sstream>

namespace tao::cli {
namespace {

// "--expand all" opens every group; otherwise a comma-separated list of scope paths,
// each opened together with its ancestors.
std::vector<bool> expansionFor(const layout::OpHierarchy& hierarchy, const std::string& spec) {
    auto expanded = hierarchy.defaultExpansion();
    if (spec.empty()) return expanded;
    if (spec == "all") return std::vector<bool>(hierarchy.groups().size(), true);
    std::stringstream list(spec);
    std::string path;
    while (std::getline(list, path, ',')) {
        bool found = false;
        for (std::size_t g = 0; g < hierarchy.groups().size(); ++g) {
            if (hierarchy.groups()[g].path != path) continue;
            for (int a = static_cast<int>(g); a >= 0; a = hierarchy.groups()[a].parent)
                expanded[a] = true;
            found = true;
        }
        if (!found) throw UsageError("--expand: no module scope named '" + path + "'");
    }
    return expanded;
}

} // namespace

int runGraph(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "trace", "profile", "svg", "png", "dot", "expand"}, {});
    const int outputs = cl.has("svg") + cl.has("png") + cl.has("dot");
    if (outputs == 0) throw UsageError("give --svg, --png or --dot");
    if (cl.has("profile") && !cl.has("trace")) throw UsageError("--profile needs --trace");

    auto model = graph::loadModel(cl.value("model"));
    const auto& ops = graph::opsOf(*model);
    verify::VerifyReport report;
    std::string judged = "not verified";
    if (cl.has("trace")) {
        auto bundle = trace::TraceBundle::open(cl.value("trace"));
        if (cl.has("profile")) {
            const auto profilePath = cl.value("profile");
            auto profile = numerics::Profile::load(profilePath);
            verify::checkProfileMatchesModel(*model, profile, profilePath);
            report = verify::verifyTrace(model, bundle, profile);
            judged = "verified against " + profilePath;
        } else {
            report = layout::reportFromBounds(verify::boundsOfTrace(model, bundle));
            judged = "sound bounds only (no profile)";
        }
    }

    const layout::OpHierarchy hierarchy(ops);
    const auto visible = hierarchy.visibleGraph(expansionFor(hierarchy, cl.valueOr("expand", "")));
    const auto layoutResult = layout::layoutGraph(visible.layoutRequest());
    layout::ExportedGraph exported;
    exported.hierarchy = &hierarchy;
    exported.visible = &visible;
    exported.layout = &layoutResult;
    exported.nodes =
        layout::describeItems(hierarchy, visible, ops, layout::verdictsByOp(report, ops.size()));
    std::ostringstream title;
    title << std::filesystem::path(cl.value("model")).stem().string() << " — " << ops.size()
          << " operators, " << judged;
    if (!report.ops.empty())
        title << ": " << report.count(verify::Verdict::Fail) << " FAIL, "
              << report.count(verify::Verdict::Suspect) << " SUSPECT";
    exported.title = title.str();

    if (cl.has("svg")) {
        io::writeFileAtomically(cl.value("svg"), layout::toSvg(exported));
        std::cout << "written to " << cl.value("svg") << "\n";
    }
    if (cl.has("dot")) {
        io::writeFileAtomically(cl.value("dot"), layout::toDot(exported));
        std::cout << "written to " << cl.value("dot") << "\n";
    }
    if (cl.has("png")) {
        layout::writePng(exported, cl.value("png"));
        std::cout << "written to " << cl.value("png") << "\n";
    }
    std::cout << visible.items.size() << " nodes shown (" << hierarchy.groups().size() - 1
              << " module groups), " << judged << "\n";
    if (report.ops.empty()) return kOk;
    return verdictExitCode(report.overall());
}

} // namespace tao::cli
