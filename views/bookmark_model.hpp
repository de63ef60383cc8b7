#pragma once
// The session's bookmarked operators as a list (operator, kind, scope, verdict).
#include <QAbstractListModel>

namespace tao::views {

class AuditSession;

class BookmarkModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { OpRole = Qt::UserRole + 1 };
    explicit BookmarkModel(AuditSession* session, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    AuditSession* session_;
    QList<int> ops_;
};

} // namespace tao::views
