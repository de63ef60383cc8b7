#include "views/scope_tree_model.hpp"

#include "core/layout/graph_export.hpp"
#include "views/audit_session.hpp"

#include <QColor>

namespace tao::views {

ScopeTreeModel::ScopeTreeModel(AuditSession* session, QObject* parent)
    : QAbstractItemModel(parent)
    , session_(session) {
    connect(session, &AuditSession::modelChanged, this, &ScopeTreeModel::reset);
    connect(session, &AuditSession::coloursChanged, this, &ScopeTreeModel::refresh);
    reset();
}

void ScopeTreeModel::reset() {
    beginResetModel();
    rowOfGroup_.clear();
    rowOfOp_.clear();
    worst_.clear();
    if (const auto* h = session_->hierarchy()) {
        rowOfGroup_.assign(h->groups().size(), 0);
        rowOfOp_.assign(h->opCount(), 0);
        for (const auto& g : h->groups())
            for (std::size_t r = 0; r < g.children.size(); ++r)
                (g.children[r].isGroup ? rowOfGroup_ : rowOfOp_)[g.children[r].id] =
                    static_cast<int>(r);
        worst_ = layout::worstPerGroup(*h, session_->colourValues());
    }
    endResetModel();
}

void ScopeTreeModel::refresh() {
    const auto* h = session_->hierarchy();
    if (!h || h->groups().empty()) return;
    worst_ = layout::worstPerGroup(*h, session_->colourValues());
    // Only the Worst column changes; announce it per parent so views repaint it.
    const int rootRows = rowCount();
    if (rootRows > 0) emit dataChanged(index(0, Worst), index(rootRows - 1, Worst));
    for (std::size_t g = 1; g < h->groups().size(); ++g) {
        const auto parent = createIndex(rowOfGroup_[g], 0, groupId(static_cast<int>(g)));
        const int rows = static_cast<int>(h->groups()[g].children.size());
        if (rows > 0) emit dataChanged(index(0, Worst, parent), index(rows - 1, Worst, parent));
    }
}

int ScopeTreeModel::parentGroupOf(quintptr id) const {
    const auto* h = session_->hierarchy();
    if (id % 2 == 1) return h->groups()[(id - 1) / 2].parent;
    return h->groupOfOp(static_cast<std::uint32_t>((id - 2) / 2));
}

QModelIndex ScopeTreeModel::index(int row, int column, const QModelIndex& parent) const {
    const auto* h = session_->hierarchy();
    if (!h || h->groups().empty() || row < 0 || column < 0 || column >= ColumnCount) return {};
    const int group = parent.isValid() ? static_cast<int>((parent.internalId() - 1) / 2) : 0;
    if (parent.isValid() && parent.internalId() % 2 == 0) return {}; // ops have no children
    const auto& children = h->groups()[group].children;
    if (row >= static_cast<int>(children.size())) return {};
    const auto& c = children[row];
    return createIndex(row, column,
                       c.isGroup ? groupId(static_cast<int>(c.id)) : opId(static_cast<int>(c.id)));
}

QModelIndex ScopeTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int group = parentGroupOf(child.internalId());
    if (group <= 0) return {};
    return createIndex(rowOfGroup_[group], 0, groupId(group));
}

int ScopeTreeModel::rowCount(const QModelIndex& parent) const {
    const auto* h = session_->hierarchy();
    if (!h || h->groups().empty()) return 0;
    if (!parent.isValid()) return static_cast<int>(h->groups()[0].children.size());
    if (parent.column() != 0 || parent.internalId() % 2 == 0) return 0;
    return static_cast<int>(h->groups()[(parent.internalId() - 1) / 2].children.size());
}

int ScopeTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant ScopeTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const auto* h = session_->hierarchy();
    const quintptr id = index.internalId();
    const bool isGroup = id % 2 == 1;
    const int which = static_cast<int>(isGroup ? (id - 1) / 2 : (id - 2) / 2);
    const verify::OpVerdict* v = nullptr;
    if (isGroup)
        v = which < static_cast<int>(worst_.size()) ? worst_[which] : nullptr;
    else
        v = session_->verdict(static_cast<std::uint32_t>(which));
    if (role == OpRole) return isGroup ? -1 : which;
    if (role == GroupRole) return isGroup ? which : -1;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            if (isGroup) return QString::fromStdString(h->groups()[which].label);
            return QStringLiteral("#%1 %2").arg(which).arg(
                QString::fromStdString(session_->ops()[which].kind));
        case Ops:
            return isGroup ? static_cast<int>(h->groups()[which].opCount) : 1;
        case Worst:
            if (!v) return QStringLiteral("—");
            return QStringLiteral("%1  %2")
                .arg(QString::fromUtf8(verify::verdictName(v->verdict).data()))
                .arg(v->empiricalUtilisation, 0, 'g', 3);
        }
    }
    if (role == Qt::DecorationRole && index.column() == Worst) {
        const auto style = layout::styleOf(v);
        return QColor(style.fill.r, style.fill.g, style.fill.b);
    }
    if (role == Qt::ToolTipRole && isGroup) return QString::fromStdString(h->groups()[which].path);
    return {};
}

QVariant ScopeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Scope / operator");
    case Ops:
        return tr("Ops");
    case Worst:
        return tr("Worst");
    }
    return {};
}

QModelIndex ScopeTreeModel::indexOfOp(int op) const {
    if (op < 0 || op >= static_cast<int>(rowOfOp_.size())) return {};
    return createIndex(rowOfOp_[op], 0, opId(op));
}

} // namespace tao::views
