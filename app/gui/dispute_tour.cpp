#include "app/gui/dispute_tour.hpp"

#include "app/gui/tour.hpp"
#include "views/audit_session.hpp"
#include "views/challenge_dialog.hpp"
#include "views/dispute_client.hpp"
#include "views/dispute_dock.hpp"
#include "views/job_list_model.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QJsonObject>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <memory>

using tao::tour::click;
using tao::views::MainWindow;

namespace {
QString clickButton(QPushButton* b, const QString& what) {
    if (!b || !b->isVisible() || !b->isEnabled()) return what + QStringLiteral(" is not clickable");
    click(b, b->rect().center());
    return {};
}
} // namespace

void addDisputeTour(tao::tour::Tour& tour, MainWindow* w) {
    auto* dock = w->disputeDock();
    // Tools → Start demo network, as a person opens a menu and picks the item.
    tour.add([w] {
        w->resize(1500, 950);
        for (auto* a : w->menuBar()->actions())
            if (a->text().remove('&') == QStringLiteral("Tools")) {
                click(w->menuBar(), w->menuBar()->actionGeometry(a).center());
                return QString();
            }
        return QStringLiteral("the menu bar has no Tools menu");
    });
    tour.add([] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu) return QStringLiteral("clicking Tools opened no menu");
        for (auto* a : menu->actions())
            if (a->text().remove('&') == QStringLiteral("Start demo network")) {
                click(menu, menu->actionGeometry(a).center());
                return QString();
            }
        return QStringLiteral("the Tools menu has no Start demo network");
    });
    tour.addWait(
        [w, dock] {
            return dock->client()->isConnected() && dock->jobsView()->model()->rowCount() == 2 &&
                   w->session()->hasModel() && w->session()->profile();
        },
        QStringLiteral("the demo network did not list its two jobs"), 180000);
    // The job list, the tampered job selected by a click on its row.
    tour.add([w, dock, &tour] {
        w->disputesDockWidget()->raise();
        w->resizeDocks({w->disputesDockWidget()}, {w->height() * 45 / 100}, Qt::Vertical);
        const auto job =
            QString::number(dock->demoNetwork()[QStringLiteral("tamperedJob")].toInteger());
        auto* view = dock->jobsView();
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, 0).data().toString() == job) {
                click(view->viewport(), view->visualRect(view->model()->index(r, 1)).center());
                if (QString::number(dock->selectedJob()) != job)
                    return QStringLiteral("clicking job %1 did not select it").arg(job);
                return tour.save(w, QStringLiteral("dispute_jobs.png"));
            }
        return QStringLiteral("the job list has no job %1").arg(job);
    });
    tour.add([dock] { return clickButton(dock->openButton(), QStringLiteral("Open job")); });
    tour.addWait(
        [w] {
            return w->session()->tracePath().contains(QStringLiteral("job-")) &&
                   w->session()->hasVerdicts();
        },
        QStringLiteral("the opened job was not verified"), 120000);
    // The confirmation, then step by step.
    auto dialog = std::make_shared<QPointer<tao::views::ChallengeDialog>>();
    tour.add([dock, dialog] {
        QObject::connect(dock, &tao::views::DisputeDock::dialogShown, dock,
                         [dialog](tao::views::ChallengeDialog* d) { *dialog = d; });
        return clickButton(dock->challengeButton(), QStringLiteral("Challenge…"));
    });
    tour.addWait([dialog] { return *dialog && (*dialog)->isVisible(); },
                 QStringLiteral("the challenge confirmation did not show"), 60000);
    tour.add([dialog] {
        auto* radio = (*dialog)->stepByStepButton();
        click(radio, radio->rect().center());
        return radio->isChecked() ? QString() : QStringLiteral("step by step did not check");
    });
    tour.add([dialog, &tour] {
        QString e = tour.save(*dialog, QStringLiteral("dispute_confirm.png"));
        if (e.isEmpty()) e = clickButton((*dialog)->challengeButton(), QStringLiteral("Challenge"));
        return e;
    });
    // The first selection, confirmed by hand; the timeline mid-dispute, the next one waiting.
    tour.addWait([dock] { return dock->sendButton()->isEnabled(); },
                 QStringLiteral("no selection came up to confirm"), 90000);
    tour.add([dock] { return clickButton(dock->sendButton(), QStringLiteral("Send selection")); });
    tour.addWait(
        [w, dock] {
            const auto& i = w->session()->disputeInterval();
            return dock->sendButton()->isEnabled() && i &&
                   i->second - i->first < w->session()->ops().size();
        },
        QStringLiteral("the interval did not narrow to a second selection"), 90000);
    tour.add([w, &tour] { return tour.save(w, QStringLiteral("dispute_timeline.png")); });
    // Then automatically to the verdict.
    tour.add([dock] {
        auto* box = dock->stepByStepBox();
        click(box, QPoint(8, box->height() / 2));
        return box->isChecked() ? QStringLiteral("step by step did not turn off") : QString();
    });
    tour.addWait([dock] { return dock->outcomeText().contains(QStringLiteral("Challenger won")); },
                 QStringLiteral("the challenge was not won"), 180000);
    tour.add([w, &tour] { return tour.save(w, QStringLiteral("dispute_won.png")); });
}
