#include "views/job_list_model.hpp"

#include "core/dispute/job_board.hpp"
#include "views/chain_text.hpp"
#include "views/dispute_client.hpp"

namespace tao::views {

JobListModel::JobListModel(DisputeClient* client, QObject* parent)
    : QAbstractTableModel(parent)
    , client_(client) {
    connect(client_, &DisputeClient::jobsChanged, this, &JobListModel::reread);
}

void JobListModel::reread() {
    std::vector<quint64> ids;
    for (const auto& r : client_->jobs())
        ids.push_back(r.jobId);
    if (ids == ids_) {
        if (!ids_.empty())
            emit dataChanged(index(0, 0), index(int(ids_.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    ids_ = std::move(ids);
    endResetModel();
}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(ids_.size());
}
int JobListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

quint64 JobListModel::jobAt(int row) const {
    return row >= 0 && row < int(ids_.size()) ? ids_[row] : 0;
}

int JobListModel::rowOf(quint64 jobId) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
        if (ids_[i] == jobId) return int(i);
    return -1;
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    const auto& rows = client_->jobs();
    if (!index.isValid() || index.row() >= int(rows.size())) return {};
    const auto& r = rows[index.row()];
    if (role == Qt::TextAlignmentRole && (index.column() == Job || index.column() == Games))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Model)
        return QString::fromStdString(r.job.modelId.hex());
    if (role == Qt::ToolTipRole && index.column() == Provider)
        return QString::fromStdString(r.job.provider.hex());
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Job:
        return QVariant::fromValue(r.jobId);
    case Status:
        return QString::fromStdString(dispute::jobStatusName(r.job.status));
    case Model:
        return shortHex(r.job.modelId.hex());
    case Provider:
        return shortHex(r.job.provider.hex());
    case Window:
        return countdownText(client_->secondsUntil(
            dispute::challengeSecondsLeft(r.job, client_->chainNow()) ? r.job.challengeDeadline
                                                                      : 0));
    case Games:
        return r.openGames ? tr("%1 (%2 open)").arg(r.games.size()).arg(r.openGames)
                           : QString::number(r.games.size());
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Job",      "Status",           "Model",
                                  "Provider", "Challenge window", "Games"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace tao::views
