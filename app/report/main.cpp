// `tao-eval-report`: docs/evaluation.md and its figures from bench/results/eval.json, and
// the headline table in README.md between its eval-headline markers.
// Renders the charts offscreen (no display needed).
// Usage: tao-eval-report [--results DIR] [--out FILE.md] [--figures DIR]
//        tao-eval-report --growth   (docs/growth_*.png from bench/results/growth.json)
#include "core/eval/report_markdown.hpp"
#include "core/io/atomic_file.hpp"
#include "views/eval_charts.hpp"

#include <QApplication>
#include <filesystem>
#include <iostream>
#include <memory>

namespace {

nlohmann::json readJson(const std::filesystem::path& path, bool required) {
    if (!std::filesystem::exists(path)) {
        if (required) throw std::runtime_error(path.string() + ": missing (run tao eval first)");
        return nullptr;
    }
    try {
        return nlohmann::json::parse(tao::io::readWholeFile(path));
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path.string() + ": not JSON (" + e.what() + ")");
    }
}

// `--growth`: docs/growth_time.png and docs/growth_memory.png from bench/results/growth.json.
int renderGrowth(const std::filesystem::path& root) {
    try {
        const auto growth = readJson(root / "bench/results/growth.json", true);
        for (const auto& [name, make] :
             std::vector<std::pair<std::string, QChart* (*)(const nlohmann::json&)>>{
                 {"growth_time", tao::views::growthTimeChart},
                 {"growth_memory", tao::views::growthMemoryChart}}) {
            std::unique_ptr<QChart> chart(make(growth));
            const auto png = root / "docs" / (name + ".png");
            if (!tao::views::saveChartPng(chart.get(), QString::fromStdString(png.string()),
                                          QSize(900, 560)))
                throw std::runtime_error(png.string() + ": cannot write");
            std::cout << "wrote " << png.string() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tao-eval-report: " << e.what() << "\n";
        return 1;
    }
}

} // namespace

int main(int argc, char** argv) {
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::filesystem::path root = TAO_SOURCE_DIR;
    std::filesystem::path results = root / "bench/results";
    std::filesystem::path out = root / "docs/evaluation.md";
    std::filesystem::path figures = root / "docs/evaluation";
    const auto args = app.arguments();
    if (args.size() == 2 && args[1] == "--growth") return renderGrowth(root);
    for (int i = 1; i < args.size(); ++i) {
        const bool hasValue = i + 1 < args.size();
        if (args[i] == "--results" && hasValue)
            results = args[++i].toStdString();
        else if (args[i] == "--out" && hasValue)
            out = args[++i].toStdString();
        else if (args[i] == "--figures" && hasValue)
            figures = args[++i].toStdString();
        else {
            std::cerr << "usage: tao-eval-report [--results DIR] [--out FILE.md] [--figures DIR]\n";
            return 3;
        }
    }
    try {
        const auto eval = readJson(results / "eval.json", true);
        if (eval.value("format", "") != "tao-eval")
            throw std::runtime_error((results / "eval.json").string() +
                                     ": not a tao-eval document");
        tao::eval::CompanionResults more{readJson(results / "eval-disputes.json", false),
                                         readJson(results / "capture.json", false),
                                         readJson(results / "thresholds.json", false),
                                         readJson(results / "dispute.json", false)};
        std::filesystem::create_directories(figures);
        const std::vector<std::pair<std::string, QChart* (*)(const nlohmann::json&)>> charts = {
            {"adversary", tao::views::adversaryChart},
            {"tradeoff", tao::views::tradeoffChart},
            {"tightness", tao::views::tightnessChart},
            {"reduction", tao::views::reductionChart},
            {"accuracy", tao::views::accuracyChart}};
        for (const auto& [name, make] : charts) {
            std::unique_ptr<QChart> chart(make(eval));
            const auto png = figures / (name + ".png");
            if (!tao::views::saveChartPng(chart.get(), QString::fromStdString(png.string()),
                                          QSize(1100, 650)))
                throw std::runtime_error(png.string() + ": cannot write");
        }
        const auto relative = std::filesystem::relative(figures, out.parent_path()).string();
        tao::io::writeFileAtomically(out, tao::eval::evaluationMarkdown(eval, more, relative));
        std::cout << "wrote " << out.string() << " and " << charts.size() << " figures under "
                  << figures.string() << "\n";
        // The README's copy of the headline table sits between two markers.
        const auto readme = root / "README.md";
        const std::string begin = "<!-- eval-headline:begin -->";
        const std::string end = "<!-- eval-headline:end -->";
        auto text = tao::io::readWholeFile(readme);
        const auto b = text.find(begin), e = text.find(end);
        if (b != std::string::npos && e != std::string::npos && b < e) {
            text.replace(b + begin.size(), e - b - begin.size(),
                         "\n" + tao::eval::headlineTable(eval));
            tao::io::writeFileAtomically(readme, text);
            std::cout << "updated the headline table in " << readme.string() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tao-eval-report: " << e.what() << "\n";
        return 1;
    }
}
