#pragma once
// Shows an evidence file checked against the open model (core/dispute/evidence_bundle.hpp):
// what it records, what recomputing the operator gives, and whether the two agree, with
// the trace root, the quoted operators and both machines. "Show in graph" selects the op.
#include "core/dispute/evidence_bundle.hpp"

#include <QDialog>

class QLabel;

namespace tao::views {

class EvidenceDialog : public QDialog {
    Q_OBJECT
public:
    EvidenceDialog(const QString& path, const dispute::EvidenceCheck& check,
                   QWidget* parent = nullptr);
    // The line a person reads first: "agrees: FAIL" or why it does not.
    QString headline() const;

signals:
    void showOpRequested(std::uint32_t op);

private:
    QLabel* headline_;
};

} // namespace tao::views
