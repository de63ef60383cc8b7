#include "views/audit_report.hpp"

#include "core/io/atomic_file.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"
#include "views/theme.hpp"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <cmath>
#include <stdexcept>

namespace tao::views {
namespace {

QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}

QString colourOf(verify::Verdict v) {
    return verdictColour(v).name();
}

QString number(double v) {
    if (std::isinf(v)) return QStringLiteral("∞");
    if (std::isnan(v)) return QStringLiteral("—");
    return QString::number(v, 'g', 3);
}

} // namespace

QString auditReportHtml(const AuditSession& s, const QString& modelIdHex, const QImage& graph,
                        int maxRows) {
    QString html = QStringLiteral("<html><head><meta charset='utf-8'><title>TAO audit: %1</title>"
                                  "<style>body{font-family:sans-serif} td,th{padding:2px 8px;"
                                  "text-align:left} .mono{font-family:monospace}</style></head>"
                                  "<body>")
                       .arg(s.modelName().toHtmlEscaped());
    html += QStringLiteral("<h1>TAO audit: %1</h1>").arg(s.modelName().toHtmlEscaped());
    html += QStringLiteral("<table>");
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(k, v);
    };
    row(QObject::tr("Model"), QStringLiteral("%1<br><span class='mono'>%2</span>")
                                  .arg(s.modelPath().toHtmlEscaped(), modelIdHex));
    if (s.trace())
        row(QObject::tr("Trace"),
            QStringLiteral("%1<br><span class='mono'>root %2</span>")
                .arg(s.tracePath().toHtmlEscaped(),
                     QString::fromStdString(s.trace()->manifest().root.hex())));
    row(QObject::tr("Judged against"), s.reportSource().isEmpty()
                                           ? QObject::tr("not verified")
                                           : s.reportSource().toHtmlEscaped());
    if (s.profile())
        row(QObject::tr("Profile"),
            QStringLiteral("%1<br><span class='mono'>hash %2</span><br>p%3 × %4")
                .arg(s.profilePath().toHtmlEscaped(),
                     QString::fromStdString(s.loadedProfile()->hash().hex()))
                .arg(s.profile()->percentile * 100)
                .arg(s.profile()->safetyFactor));
    row(QObject::tr("Written"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    html += QStringLiteral("</table>");

    // Counts, then the table worst first.
    std::vector<const verify::OpVerdict*> judged;
    int counts[5] = {0, 0, 0, 0, 0};
    for (std::uint32_t op = 0; op < s.ops().size(); ++op)
        if (const auto* v = s.verdict(op)) {
            judged.push_back(v);
            ++counts[static_cast<int>(v->verdict)];
        }
    html += QStringLiteral("<h2>%1</h2><p>").arg(QObject::tr("Verdicts"));
    for (auto v : {verify::Verdict::Fail, verify::Verdict::Suspect, verify::Verdict::NoBound,
                   verify::Verdict::Pass})
        html += QStringLiteral("<b style='color:%1'>%2 %3</b> &nbsp; ")
                    .arg(colourOf(v))
                    .arg(counts[static_cast<int>(v)])
                    .arg(QString::fromUtf8(verify::verdictName(v).data()));
    html += QObject::tr("of %1 operators.</p>").arg(s.ops().size());

    if (!graph.isNull()) {
        QBuffer png;
        png.open(QIODevice::WriteOnly);
        graph.save(&png, "PNG");
        html += QStringLiteral("<h2>%1</h2><img width='%2' src='data:image/png;base64,%3'>")
                    .arg(QObject::tr("Graph"))
                    .arg(std::min(graph.width(), 900))
                    .arg(QString::fromLatin1(png.data().toBase64()));
    }

    std::stable_sort(judged.begin(), judged.end(), [](const auto* a, const auto* b) {
        if (verify::severity(a->verdict) != verify::severity(b->verdict))
            return verify::severity(a->verdict) > verify::severity(b->verdict);
        return a->empiricalUtilisation > b->empiricalUtilisation;
    });
    html += QStringLiteral("<h2>%1</h2><table border='1' cellspacing='0'><tr><th>#</th><th>%2</th>"
                           "<th>%3</th><th>%4</th><th>%5</th><th>%6</th><th>%7</th></tr>")
                .arg(QObject::tr("Operators, worst first"), QObject::tr("kind"),
                     QObject::tr("scope"), QObject::tr("verdict"), QObject::tr("error / threshold"),
                     QObject::tr("error / bound"), QObject::tr("why"));
    int rows = 0, omitted = 0;
    for (const auto* v : judged) {
        if (rows >= maxRows && v->verdict == verify::Verdict::Pass) {
            ++omitted;
            continue;
        }
        ++rows;
        html +=
            QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td style='color:%4'><b>%5"
                           "</b></td><td>%6</td><td>%7</td><td>%8</td></tr>")
                .arg(v->op)
                .arg(esc(v->kind), esc(v->scope), colourOf(v->verdict),
                     QString::fromUtf8(verify::verdictName(v->verdict).data()),
                     number(v->empiricalUtilisation), number(v->soundUtilisation), esc(v->reason));
    }
    html += QStringLiteral("</table>");
    if (omitted > 0)
        html += QObject::tr("<p>%1 more PASS operators are not listed.</p>").arg(omitted);
    return html + QStringLiteral("</body></html>");
}

QString writeAuditReport(const QString& html, const QString& requested) {
    const QString suffix = QFileInfo(requested).suffix().toLower();
    const bool pdf = suffix == QLatin1String("pdf");
    const QString path = pdf || suffix == QLatin1String("html") || suffix == QLatin1String("htm")
                             ? requested
                             : requested + QStringLiteral(".html");
    QByteArray bytes;
    if (pdf) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setTitle(QStringLiteral("TAO audit"));
        QTextDocument document;
        document.setHtml(html);
        document.print(&writer);
    } else {
        bytes = html.toUtf8();
    }
    io::writeFileAtomically(path.toStdString(), bytes.toStdString());
    return path;
}

} // namespace tao::views
