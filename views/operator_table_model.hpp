#pragma once
// Every operator as a row (index, kind, scope, verdict, utilisation, error), kept in step
// with the session's colour values; sort and filter it with a QSortFilterProxyModel.
#include <QAbstractTableModel>

namespace tao::views {

class AuditSession;

class OperatorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Difference: the largest relative difference of a local replay or a compared trace.
    enum Column {
        Index,
        Kind,
        Scope,
        Verdict,
        Utilisation,
        SoundUtilisation,
        Difference,
        ColumnCount
    };
    enum Role { OpRole = Qt::UserRole + 1, SortRole };

    explicit OperatorTableModel(AuditSession* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void reset();
    void refreshColours(const QList<int>& ops);

    AuditSession* session_;
    int rows_ = 0;
};

} // namespace tao::views
