#pragma once
// Every move of the followed job's games, in chain order: game, round, what happened, the
// interval it left, who moved (by role), gas, transaction and the deadline it set. Rows are
// only ever appended, as moves are, so the view keeps its place while a game runs.
#include <QAbstractTableModel>

namespace tao::views {

class DisputeClient;

class TimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Game, Round, Move, Interval, By, Gas, Tx, Deadline, ColumnCount };
    explicit TimelineModel(DisputeClient* client, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        std::size_t game, move;
    };
    void reread();
    DisputeClient* client_;
    std::vector<Row> rows_;
};

} // namespace tao::views
