#pragma once
// The module-scope hierarchy as a tree (groups with their operators), each row showing the
// worst verdict underneath it, so hot spots are visible with everything collapsed.
#include <QAbstractItemModel>
#include <vector>

namespace tao::verify {
struct OpVerdict;
}

namespace tao::views {

class AuditSession;

class ScopeTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Ops, Worst, ColumnCount };
    enum Role { OpRole = Qt::UserRole + 1, GroupRole };

    explicit ScopeTreeModel(AuditSession* session, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The row of an operator (for selecting it in a tree view).
    QModelIndex indexOfOp(int op) const;

private:
    // Internal ids: group g -> 2g+1, op i -> 2i+2 (0 is never used: it means "root").
    static quintptr groupId(int g) { return static_cast<quintptr>(g) * 2 + 1; }
    static quintptr opId(int op) { return static_cast<quintptr>(op) * 2 + 2; }
    void reset();
    void refresh();
    int parentGroupOf(quintptr id) const;
    int rowInParent(quintptr id) const;

    AuditSession* session_;
    std::vector<const verify::OpVerdict*> worst_;
    std::vector<int> rowOfGroup_;
    std::vector<int> rowOfOp_;
};

} // namespace tao::views
