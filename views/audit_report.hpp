#pragma once
// The audit as a document to file or send: what was audited (model id, trace root, profile
// hash and the percentile in force), the verdict counts, the graph as drawn with its legend,
// and the verdict table, worst first. Written as HTML (the image embedded) or PDF.
#include <QImage>
#include <QString>

namespace tao::views {

class AuditSession;

// The report as self-contained HTML. Operators beyond `maxRows` that PASS are summarised in
// one line (every non-PASS operator is always listed).
QString auditReportHtml(const AuditSession& session, const QString& modelIdHex, const QImage& graph,
                        int maxRows = 5000);

// Writes `html` as `path`: a PDF when it ends in ".pdf", else HTML (".html" added when the
// path has neither). Atomic. Returns the path written; throws std::runtime_error naming it.
QString writeAuditReport(const QString& html, const QString& path);

} // namespace tao::views
