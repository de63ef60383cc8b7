#include "views/eval_charts.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace tao::views {

using nlohmann::json;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QChart* titled(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

// A log axis spanning [lo, hi] padded to whole decades.
QLogValueAxis* logAxis(double lo, double hi, const QString& title) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setTitleText(title);
    axis->setLabelFormat("%g");
    lo = std::max(lo, 1e-12);
    hi = std::max(hi, lo * 10);
    axis->setRange(std::pow(10, std::floor(std::log10(lo))),
                   std::pow(10, std::ceil(std::log10(hi))));
    return axis;
}

std::vector<std::string> modelsIn(const json& rows) {
    std::vector<std::string> models;
    for (const auto& r : rows)
        if (std::find(models.begin(), models.end(), r["model"]) == models.end())
            models.push_back(r["model"]);
    return models;
}

} // namespace

QChart* tradeoffChart(const json& eval) {
    auto* chart = titled("False positives against adversary room, by safety factor");
    const auto rows = eval.value("tradeoff", json::array());
    if (rows.empty()) {
        chart->setTitle(chart->title() + " (no data)");
        return chart;
    }
    auto* x = logAxis(1, 10, "safety factor (threshold = factor x calibrated quantile)");
    x->setRange(0.9, 11);
    x->setMinorTickCount(8);
    auto* fp = new QValueAxis;
    fp->setTitleText("honest runs not PASS (%)");
    fp->setLabelFormat("%.0f");
    double maxChange = 0, minChange = 1;
    for (const auto& r : rows) {
        const double c = r["adversaryMaxOutputChange"];
        if (c > 0) {
            maxChange = std::max(maxChange, c);
            minChange = std::min(minChange, c);
        }
    }
    auto* change = logAxis(minChange, maxChange, "adversary's largest output change (relative)");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(fp, Qt::AlignLeft);
    chart->addAxis(change, Qt::AlignRight);
    double maxFp = 0;
    for (const auto& model : modelsIn(rows)) {
        auto* fpLine = new QLineSeries;
        fpLine->setName(q(model) + ": false positives");
        auto* advLine = new QLineSeries;
        advLine->setName(q(model) + ": adversary change");
        advLine->setPen(QPen(Qt::DashLine));
        for (const auto& r : rows) {
            if (r["model"] != model) continue;
            const double rate = 100.0 * r["falsePositiveRate"].get<double>();
            maxFp = std::max(maxFp, rate);
            fpLine->append(r["safetyFactor"].get<double>(), rate);
            const double c = r["adversaryMaxOutputChange"];
            if (c > 0) advLine->append(r["safetyFactor"].get<double>(), c);
        }
        for (auto* s : {fpLine, advLine})
            chart->addSeries(s);
        fpLine->attachAxis(x);
        fpLine->attachAxis(fp);
        advLine->attachAxis(x);
        advLine->attachAxis(change);
        QPen pen = advLine->pen();
        pen.setColor(fpLine->color());
        pen.setStyle(Qt::DashLine);
        pen.setWidth(2);
        advLine->setPen(pen);
    }
    const double top = std::max(10.0, std::ceil(maxFp / 10) * 10);
    fp->setRange(0, top);
    fp->setTickCount(static_cast<int>(top / (top > 50 ? 20 : 10)) + 1);
    return chart;
}

QChart* tightnessChart(const json& eval) {
    auto* chart = titled("Sound bound / empirical threshold, median per operator kind");
    const auto rows = eval.value("tightness", json::array());
    std::set<std::string> kindSet;
    for (const auto& r : rows)
        kindSet.insert(r["kind"].get<std::string>());
    const std::vector<std::string> kinds(kindSet.begin(), kindSet.end());
    auto* series = new QBarSeries;
    double lo = 1, hi = 1;
    for (const auto& r : rows) {
        lo = std::min(lo, r["median"].get<double>());
        hi = std::max(hi, r["median"].get<double>());
    }
    auto* y = logAxis(lo, hi, "bound / threshold");
    for (const auto& model : modelsIn(rows)) {
        auto* set = new QBarSet(q(model));
        std::map<std::string, double> median;
        for (const auto& r : rows)
            if (r["model"] == model) median[r["kind"]] = r["median"];
        // A bar of 1 is "no room between threshold and bound"; a kind the model lacks
        // sits at the axis floor, drawn as no bar.
        for (const auto& k : kinds)
            *set << (median.count(k) ? median[k] : y->min());
        series->append(set);
    }
    chart->addSeries(series);
    QStringList labels;
    for (const auto& k : kinds)
        labels << q(k.rfind("aten::", 0) == 0 ? k.substr(6) : k);
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    x->setLabelsAngle(-60);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

QChart* reductionChart(const json& eval) {
    auto* chart = titled("Sound bound / empirical threshold by reduction length");
    const auto rows = eval.value("tightnessByReduction", json::array());
    double lo = 1, hi = 1, maxLength = 4;
    for (const auto& r : rows) {
        lo = std::min(lo, r["median"].get<double>());
        hi = std::max(hi, r["median"].get<double>());
        maxLength = std::max(maxLength, r["upTo"].get<double>());
    }
    auto* x = logAxis(1, maxLength, "terms summed per output element (class upper end)");
    auto* y = logAxis(lo, hi, "median bound / threshold");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const auto& model : modelsIn(rows)) {
        auto* line = new QLineSeries;
        line->setName(q(model));
        line->setPointsVisible(true);
        for (const auto& r : rows)
            if (r["model"] == model)
                line->append(r["upTo"].get<double>(), r["median"].get<double>());
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    return chart;
}

QChart* adversaryChart(const json& eval) {
    auto* chart = titled("Threshold-aware adversary: largest output change it reached");
    const auto rows = eval.value("thresholdAware", json::array());
    auto* series = new QBarSeries;
    QStringList categories;
    std::vector<std::pair<std::string, std::string>> keys; // (model, allowance)
    double lo = 1e30, hi = 1e-30;
    for (const auto& r : rows) {
        const std::pair<std::string, std::string> k{r["model"], r["allowance"]};
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
            keys.push_back(k);
            categories << q(k.first + (k.second == "empirical" ? ": thresholds" : ": bound only"));
        }
        if (const double v = r["maxOutputChange"]; v > 0) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    auto* y = logAxis(lo > hi ? 1e-6 : lo, hi, "max |output change| / max |output|");
    for (const double f : {0.5, 0.9, 0.99}) {
        auto* set = new QBarSet(QString("f = %1").arg(f));
        for (const auto& k : keys) {
            double v = y->min(); // no change: no bar
            for (const auto& r : rows)
                if (r["model"] == k.first && r["allowance"] == k.second &&
                    std::abs(r["fraction"].get<double>() - f) < 1e-9 &&
                    r["maxOutputChange"].get<double>() > 0)
                    v = r["maxOutputChange"];
            *set << v;
        }
        series->append(set);
    }
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

QChart* accuracyChart(const json& eval) {
    auto* chart = titled("What a downgrade costs: Fashion-MNIST test accuracy");
    if (!eval.contains("accuracy")) {
        chart->setTitle(chart->title() + " (no data)");
        return chart;
    }
    auto* set = new QBarSet("accuracy (%)");
    QStringList labels;
    double lo = 100;
    for (const auto& p : eval["accuracy"]["providers"]) {
        const double a = 100.0 * p["accuracy"].get<double>();
        lo = std::min(lo, a);
        *set << a;
        labels << q(p["provider"]);
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    set->setLabelColor(QColor(40, 40, 40)); // the default is white, unreadable above a bar
    series->setLabelsFormat("@value");
    series->setLabelsPrecision(4);
    chart->addSeries(series);
    chart->legend()->hide();
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    x->setLabelsAngle(-90); // vertical: long provider names are not cut short
    auto* y = new QValueAxis;
    y->setTitleText("test accuracy (%)");
    const double floor10 = std::max(0.0, std::floor(lo / 10) * 10 - 10);
    y->setRange(floor10, 100);
    y->setTickCount(static_cast<int>((100 - floor10) / 10) + 1);
    y->setLabelFormat("%.0f");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

namespace {
// One line per field over the sequence-128 rows of a growth document, x = parameters;
// each field's values are multiplied by its scale into the chart's unit.
struct GrowthField {
    std::string field;
    QString name;
    double scale;
};

QChart* growthChart(const json& growth, const QString& title, const QString& unit,
                    const std::vector<GrowthField>& fields) {
    auto* chart = titled(title);
    std::vector<json> rows;
    for (const auto& r : growth.value("rows", json::array()))
        if (r.value("sequence", 0) == 128) rows.push_back(r);
    if (rows.empty()) {
        chart->setTitle(title + " (no results: run scripts/bench growth)");
        return chart;
    }
    double xlo = 1e18, xhi = 0, ylo = 1e18, yhi = 0;
    for (const auto& r : rows) {
        xlo = std::min(xlo, r["parameters"].get<double>());
        xhi = std::max(xhi, r["parameters"].get<double>());
        for (const auto& f : fields) {
            ylo = std::min(ylo, r[f.field].get<double>() * f.scale);
            yhi = std::max(yhi, r[f.field].get<double>() * f.scale);
        }
    }
    auto* x = logAxis(xlo, xhi, "parameters");
    // The sizes span less than a decade: show the one decade they are in.
    x->setRange(std::pow(10, std::floor(std::log10(xlo))),
                std::pow(10, std::ceil(std::log10(xhi))));
    auto* y = logAxis(ylo, yhi, unit);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const auto& f : fields) {
        auto* line = new QLineSeries;
        line->setName(f.name);
        line->setPointsVisible(true);
        for (const auto& r : rows)
            if (r.contains(f.field)) // absent where the step did not run (out of memory)
                line->append(r["parameters"].get<double>(), r[f.field].get<double>() * f.scale);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    return chart;
}
} // namespace

QChart* growthTimeChart(const json& growth) {
    return growthChart(growth,
                       "Time against model size (sequence 128; forward and capture on one thread, "
                       "verify on two)",
                       "seconds",
                       {{"plain_forward_s", "plain forward", 1},
                        {"capture_full_s", "capture, full trace to disk", 1},
                        {"tao_verify_wall_s", "tao verify, wall time with the model load", 1}});
}

QChart* growthMemoryChart(const json& growth) {
    return growthChart(
        growth, "Memory against model size (sequence 128)", "GiB",
        {{"model_file_bytes", "model file", 1.0 / (1 << 30)},
         {"trace_bytes", "full trace on disk", 1.0 / (1 << 30)},
         {"tao_capture_peak_rss_mib", "tao capture, peak RSS", 1.0 / 1024},
         {"tao_verify_peak_rss_mib", "tao verify, peak RSS", 1.0 / 1024},
         {"tao_calibrate_peak_rss_mib", "tao calibrate (one input), peak RSS", 1.0 / 1024}});
}

bool saveChartPng(QChart* chart, const QString& path, QSize size) {
    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(size);
    const auto image = view.grab().toImage();
    view.setChart(new QChart); // the caller keeps ownership of `chart`
    return image.save(path);
}

} // namespace tao::views
