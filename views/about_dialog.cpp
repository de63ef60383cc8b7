#include "views/about_dialog.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"
#include "views/engine_jobs.hpp"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace tao::views {

QString aboutText(const AuditSession& session) {
    auto hex = [](const std::string& h) {
        return QStringLiteral("<tt>%1</tt>").arg(QString::fromStdString(h));
    };
    const QString none = QObject::tr("none open");
    QString html =
        QStringLiteral("<h3>TAO Auditor %1</h3>").arg(QCoreApplication::applicationVersion());
    html += QObject::tr("<p>Audits ML inference traces against sound IEEE-754 bounds and "
                        "calibrated thresholds, and disputes them on chain.</p>");
    html += QStringLiteral("<table cellspacing=3>");
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    row(QObject::tr("Qt"), QString::fromLatin1(qVersion()));
    row(QObject::tr("LibTorch"), QString::fromStdString(libtorchVersion()));
    row(QObject::tr("Model id"), session.model() ? hex(modelIdHex(*session.model())) : none);
    row(QObject::tr("Trace root"),
        session.trace() ? hex(session.trace()->manifest().root.hex()) : none);
    row(QObject::tr("Profile hash"),
        session.profile() ? hex(session.profile()->hash().hex()) : none);
    html += QStringLiteral("</table>");
    return html;
}

AboutDialog::AboutDialog(const AuditSession& session, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("About TAO Auditor"));
    auto* text = new QLabel(aboutText(session), this);
    text->setTextFormat(Qt::RichText);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse); // hashes are copied from here
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
}

} // namespace tao::views
