#pragma once
// The coordinator's jobs as a table: id, state, model, provider, the challenge window's
// countdown and the games on it. Rows keep their identity across refreshes so a selection
// survives the once-a-second re-read.
#include <QAbstractTableModel>

namespace tao::views {

class DisputeClient;

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Job, Status, Model, Provider, Window, Games, ColumnCount };
    explicit JobListModel(DisputeClient* client, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    // The job id shown in `row`; 0 for none.
    quint64 jobAt(int row) const;
    int rowOf(quint64 jobId) const; // -1 when absent

private:
    void reread();
    DisputeClient* client_;
    std::vector<quint64> ids_;
};

} // namespace tao::views
