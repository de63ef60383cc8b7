#include "views/timeline_model.hpp"

#include "core/dispute/dispute_timeline.hpp"
#include "core/dispute/job_board.hpp"
#include "views/chain_text.hpp"
#include "views/dispute_client.hpp"
#include "views/job_list_model.hpp"

#include <QColor>

namespace tao::views {

TimelineModel::TimelineModel(DisputeClient* client, QObject* parent)
    : QAbstractTableModel(parent)
    , client_(client) {
    connect(client_, &DisputeClient::timelineChanged, this, &TimelineModel::reread);
}

void TimelineModel::reread() {
    std::vector<Row> rows;
    const auto& games = client_->timeline();
    // In chain order across games: by block, then the order the events came in.
    for (std::size_t g = 0; g < games.size(); ++g)
        for (std::size_t m = 0; m < games[g].moves.size(); ++m)
            rows.push_back({g, m});
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        return games[a.game].moves[a.move].blockNumber < games[b.game].moves[b.move].blockNumber;
    });
    const bool extends =
        rows.size() >= rows_.size() &&
        std::equal(rows_.begin(), rows_.end(), rows.begin(),
                   [](const Row& a, const Row& b) { return a.game == b.game && a.move == b.move; });
    if (!extends) {
        beginResetModel();
        rows_ = std::move(rows);
        endResetModel();
        return;
    }
    if (!rows_.empty())
        emit dataChanged(index(0, 0), index(int(rows_.size()) - 1, ColumnCount - 1));
    if (rows.size() > rows_.size()) {
        beginInsertRows({}, int(rows_.size()), int(rows.size()) - 1);
        rows_ = std::move(rows);
        endInsertRows();
    }
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}
int TimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
    const auto& games = client_->timeline();
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const auto [g, m] = rows_[index.row()];
    if (g >= games.size() || m >= games[g].moves.size()) return {};
    const auto& game = games[g];
    const auto& t = game.moves[m];
    if (role == Qt::ToolTipRole && index.column() == Tx)
        return QString::fromStdString(t.txHash.hex());
    if (role == Qt::ToolTipRole && index.column() == By)
        return QString::fromStdString(t.from.hex());
    if (role == Qt::ForegroundRole && index.column() == Move && t.event == "DisputeResolved")
        return QColor(game.winner && *game.winner == game.challenger ? QColor(0, 120, 60)
                                                                     : QColor(170, 40, 30));
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Game:
        return QVariant::fromValue(t.gameId);
    case Round:
        return t.round ? QVariant(t.round) : QVariant();
    case Move:
        return QString::fromStdString(t.summary);
    case Interval:
        return t.interval
                   ? QStringLiteral("[%1, %2)").arg(t.interval->first).arg(t.interval->second)
                   : QString();
    case By: {
        for (const auto& j : client_->jobs())
            if (client_->followed() && j.jobId == *client_->followed() && j.job.provider == t.from)
                return tr("provider");
        if (t.from == game.challenger)
            return client_->account().compare(QString::fromStdString(t.from.hex()),
                                              Qt::CaseInsensitive) == 0
                       ? tr("you (challenger)")
                       : tr("challenger");
        return shortHex(t.from.hex());
    }
    case Gas:
        return QVariant::fromValue(t.gasUsed);
    case Tx:
        return shortHex(t.txHash.hex());
    case Deadline:
        // Only the deadline in force: that of the last move of a game still running.
        if (!t.deadline || !game.game.open() || m + 1 != game.moves.size()) return QString();
        return countdownText(client_->secondsUntil(*t.deadline));
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Game", "Round", "Move", "Interval",
                                  "By",   "Gas",   "Tx",   "Deadline"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace tao::views
