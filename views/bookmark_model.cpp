#include "views/bookmark_model.hpp"

#include "core/layout/utilisation_colour.hpp"
#include "views/audit_session.hpp"

#include <QColor>

namespace tao::views {

BookmarkModel::BookmarkModel(AuditSession* session, QObject* parent)
    : QAbstractListModel(parent)
    , session_(session) {
    auto reload = [this] {
        beginResetModel();
        ops_ = session_->bookmarks();
        endResetModel();
    };
    connect(session, &AuditSession::bookmarksChanged, this, reload);
    connect(session, &AuditSession::coloursChanged, this, [this] {
        if (!ops_.isEmpty()) emit dataChanged(index(0), index(static_cast<int>(ops_.size()) - 1));
    });
    ops_ = session_->bookmarks();
}

int BookmarkModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(ops_.size());
}

QVariant BookmarkModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= ops_.size()) return {};
    const int op = ops_[index.row()];
    if (op >= static_cast<int>(session_->ops().size())) return {};
    const auto& info = session_->ops()[op];
    const auto* v = session_->verdict(static_cast<std::uint32_t>(op));
    switch (role) {
    case OpRole:
        return op;
    case Qt::DisplayRole:
        return QStringLiteral("#%1  %2  %3%4")
            .arg(op)
            .arg(QString::fromStdString(info.kind))
            .arg(QString::fromStdString(info.scope))
            .arg(v ? QStringLiteral("  — ") +
                         QString::fromUtf8(verify::verdictName(v->verdict).data())
                   : QString());
    case Qt::DecorationRole: {
        const auto s = layout::styleOf(v);
        return QColor(s.fill.r, s.fill.g, s.fill.b);
    }
    }
    return {};
}

} // namespace tao::views
