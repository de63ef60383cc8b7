#pragma once
// Help → About: the versions this build runs on and the identities of what is open, so an
// audit can be reproduced (model id, trace root, profile hash) and a bug report is complete.
#include <QDialog>

namespace tao::views {

class AuditSession;

// The facts as rich text: application, Qt and LibTorch versions, then the model id, trace
// root and profile hash in force (or "none open"), each in full hexadecimal.
QString aboutText(const AuditSession& session);

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const AuditSession& session, QWidget* parent = nullptr);
};

} // namespace tao::views
