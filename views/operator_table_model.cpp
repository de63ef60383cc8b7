#include "views/operator_table_model.hpp"

#include "core/layout/utilisation_colour.hpp"
#include "views/audit_session.hpp"

#include <QColor>
#include <cmath>

namespace tao::views {

OperatorTableModel::OperatorTableModel(AuditSession* session, QObject* parent)
    : QAbstractTableModel(parent)
    , session_(session) {
    connect(session, &AuditSession::modelChanged, this, &OperatorTableModel::reset);
    connect(session, &AuditSession::coloursChanged, this, &OperatorTableModel::refreshColours);
    rows_ = static_cast<int>(session_->ops().size());
}

void OperatorTableModel::reset() {
    beginResetModel();
    rows_ = static_cast<int>(session_->ops().size());
    endResetModel();
}

void OperatorTableModel::refreshColours(const QList<int>& ops) {
    if (rows_ == 0) return;
    if (ops.isEmpty()) {
        emit dataChanged(index(0, Verdict), index(rows_ - 1, SoundUtilisation));
        return;
    }
    for (int op : ops)
        if (op >= 0 && op < rows_)
            emit dataChanged(index(op, Verdict), index(op, SoundUtilisation));
}

int OperatorTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}

int OperatorTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OperatorTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_) return {};
    const auto op = static_cast<std::uint32_t>(index.row());
    const auto& info = session_->ops()[op];
    const auto* v = session_->verdict(op);
    if (role == OpRole) return index.row();
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Index:
            return index.row();
        case Kind:
            return QString::fromStdString(info.kind);
        case Scope:
            return QString::fromStdString(info.scope);
        case Verdict:
            if (sort) return v ? verify::severity(v->verdict) : 0;
            return v ? QString::fromUtf8(verify::verdictName(v->verdict).data())
                     : QStringLiteral("—");
        case Utilisation:
            if (sort) return v ? v->empiricalUtilisation : -1.0;
            return v ? QString::number(v->empiricalUtilisation, 'g', 3) : QString();
        case SoundUtilisation:
            if (sort) return v ? v->soundUtilisation : -1.0;
            return v ? QString::number(v->soundUtilisation, 'g', 3) : QString();
        case Difference: {
            const auto& d = session_->replayResult(op);
            if (sort) return !d ? -1.0 : d->bitExact ? 0.0 : d->maxRel;
            if (!d) return QString();
            if (d->bitExact) return tr("identical");
            return std::isinf(d->maxRel) ? QStringLiteral("∞") : QString::number(d->maxRel, 'g', 3);
        }
        }
    }
    if (role == Qt::DecorationRole && index.column() == Verdict) {
        const auto style = layout::styleOf(v);
        return QColor(style.fill.r, style.fill.g, style.fill.b);
    }
    if (role == Qt::ToolTipRole && v && !v->reason.empty())
        return QString::fromStdString(v->reason);
    if (role == Qt::TextAlignmentRole && (index.column() == Index || index.column() >= Utilisation))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant OperatorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Index:
        return tr("#");
    case Kind:
        return tr("Kind");
    case Scope:
        return tr("Scope");
    case Verdict:
        return tr("Verdict");
    case Utilisation:
        return tr("Error / threshold");
    case SoundUtilisation:
        return tr("Error / bound");
    case Difference:
        return tr("Difference (rel.)");
    }
    return {};
}

} // namespace tao::views
