#include "views/graph_panel.hpp"

#include "core/io/atomic_file.hpp"
#include "core/layout/graph_export.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"
#include "views/graph_scene.hpp"
#include "views/graph_view.hpp"
#include "views/legend_widget.hpp"
#include "views/minimap_view.hpp"
#include "views/node_item.hpp"
#include "views/theme.hpp"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPointer>
#include <QStyle>
#include <QSvgGenerator>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace tao::views {

GraphPanel::GraphPanel(AuditSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , scene_(new GraphScene(this))
    , view_(new GraphView(this)) {
    view_->setScene(scene_);
    minimap_ = new MinimapView(view_, view_);
    minimap_->setFixedSize(180, 140);
    legend_ = new LegendWidget(this);

    auto* toolbar = new QToolBar(this);
    toolbar_ = toolbar;
    toolbar->setIconSize(QSize(18, 18));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* st = style();
    auto add = [&](QStyle::StandardPixmap icon, const QString& text, const QKeySequence& key,
                   const QString& tip, auto slot) {
        auto* a = toolbar->addAction(st->standardIcon(icon), text);
        a->setData(static_cast<int>(icon)); // re-tinted by setDark
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a); // the shortcut works wherever the focus is in the panel, not only the toolbar
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(QStyle::SP_TitleBarMaxButton, tr("Fit"), QKeySequence(Qt::Key_F),
        tr("Fit the graph in view"), [this] { view_->fitAll(); });
    add(QStyle::SP_ArrowUp, tr("Collapse"), QKeySequence(Qt::CTRL | Qt::Key_Minus),
        tr("Collapse every group"), [this] { collapseAll(); });
    add(QStyle::SP_ArrowDown, tr("Expand all"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        tr("Expand every group (slow for very large models)"), [this] { expandAll(); });
    toolbar->addSeparator();
    add(QStyle::SP_MessageBoxCritical, tr("Worst"), QKeySequence(Qt::CTRL | Qt::Key_W),
        tr("Jump to the worst operator"), [this] { jumpToWorst(); });
    add(QStyle::SP_MediaSkipForward, tr("Next suspect"), QKeySequence(Qt::Key_N),
        tr("Jump to the next operator that is not PASS"), [this] { jumpToNextSuspect(); });
    bookmarkAction_ =
        add(QStyle::SP_DialogYesButton, tr("Bookmark"), QKeySequence(Qt::CTRL | Qt::Key_B),
            tr("Bookmark the selected operator"), [this] { toggleBookmarkOnSelection(); });
    overviewAction_ =
        add(QStyle::SP_FileDialogContentsView, tr("Overview"), QKeySequence(Qt::Key_M),
            tr("Show the overview of the whole graph when it is not all in view"),
            [this] { placeMinimap(); });
    overviewAction_->setCheckable(true);
    overviewAction_->setChecked(true);
    toolbar->addSeparator();
    searchField_ = new QLineEdit(this);
    searchField_->setPlaceholderText(tr("Search name, kind or scope (Ctrl+F)"));
    searchField_->setClearButtonEnabled(true);
    searchField_->setMinimumWidth(120);
    searchField_->setMaximumWidth(260);
    toolbar->addWidget(searchField_);
    matchLabel_ = new QLabel(this);
    matchLabel_->setMinimumWidth(60);
    toolbar->addWidget(matchLabel_);
    auto* findAction = new QAction(this);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, this, &GraphPanel::focusSearch);
    addAction(findAction);
    connect(searchField_, &QLineEdit::textChanged, this, [this](const QString& t) { search(t); });
    connect(searchField_, &QLineEdit::returnPressed, this, &GraphPanel::nextMatch);
    toolbar->addSeparator();
    colourSource_ = new QComboBox(this);
    colourSource_->addItem(tr("Colour: verdicts"));
    colourSource_->addItem(tr("Colour: differences"));
    colourSource_->setToolTip(tr("What the node colours show"));
    toolbar->addWidget(colourSource_);
    connect(colourSource_, &QComboBox::currentIndexChanged, this, [this](int i) {
        session_->setColourSource(i == 0 ? ColourSource::Verdicts : ColourSource::LocalReplay);
    });

    emptyLabel_ = new QLabel(tr("Open a model to see its graph."), this);
    emptyLabel_->setAlignment(Qt::AlignCenter);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(view_, 1);
    layout->addWidget(emptyLabel_, 1);
    auto* legendRow = new QHBoxLayout;
    legendRow->setContentsMargins(8, 4, 8, 4);
    legendRow->addWidget(legend_, 1);
    layout->addLayout(legendRow);
    view_->hide();

    connect(view_, &GraphView::nodeClicked, this, &GraphPanel::onNodeClicked);
    connect(view_, &GraphView::nodeDoubleClicked, this, [this](NodeItem* node) {
        if (!node->isGroup()) session_->toggleBookmark(static_cast<int>(node->id()));
    });
    connect(view_, &GraphView::frameDoubleClicked, this, [this](QPointF p) {
        const int group = scene_->clusterGroupAt(p);
        if (group > 0) setGroupExpanded(group, false);
    });
    connect(view_, &GraphView::backgroundClicked, this, [this] { session_->selectOp(-1); });
    connect(view_, &GraphView::nodeMenuRequested, this, [this](NodeItem* node, QPoint at) {
        std::unique_ptr<QMenu> menu;
        if (node->isGroup()) {
            const int group = static_cast<int>(node->id());
            menu = std::make_unique<QMenu>(this);
            menu->addAction(tr("Expand group"), this,
                            [this, group] { setGroupExpanded(group, true); });
        } else {
            session_->selectOp(static_cast<int>(node->id()));
            menu = nodeMenu(node->id());
        }
        menu->exec(at);
    });
    connect(view_, &GraphView::navigate, this, &GraphPanel::onNavigate);
    connect(view_, &GraphView::viewportMoved, this, &GraphPanel::placeMinimap);

    connect(session_, &AuditSession::modelChanged, this, &GraphPanel::onModelChanged);
    connect(session_, &AuditSession::coloursChanged, this, [this] {
        recolour();
        colourSource_->blockSignals(true);
        colourSource_->setCurrentIndex(session_->colourSource() == ColourSource::Verdicts ? 0 : 1);
        colourSource_->blockSignals(false);
    });
    connect(session_, &AuditSession::traceChanged, this, &GraphPanel::recolour);
    connect(session_, &AuditSession::selectionChanged, this, &GraphPanel::updateSelectionMarks);
    connect(session_, &AuditSession::bookmarksChanged, this,
            [this] { scene_->setBookmarkedOps(session_->bookmarks()); });
    connect(session_, &AuditSession::disputeIntervalChanged, this,
            [this] { scene_->setDisputeInterval(session_->disputeInterval()); });
}

GraphPanel::~GraphPanel() {
    if (layoutCancel_) *layoutCancel_ = true;
}

std::unique_ptr<QMenu> GraphPanel::nodeMenu(std::uint32_t op) {
    auto menu = std::make_unique<QMenu>(this);
    const auto* h = session_->hierarchy();
    if (!h || op >= h->opCount()) return menu;
    const bool traced = session_->trace() && session_->trace()->hasOpTensors();
    menu->addAction(tr("Replay this operator"), this, [this, op] { emit replayRequested(op); })
        ->setEnabled(traced && session_->model());
    menu->addAction(tr("Export evidence…"), this, [this, op] { emit evidenceRequested(op); })
        ->setEnabled(traced && session_->model() && session_->profile());
    menu->addAction(session_->isBookmarked(int(op)) ? tr("Remove bookmark") : tr("Bookmark"), this,
                    [this, op] { session_->toggleBookmark(int(op)); });
    menu->addSeparator();
    const auto& info = session_->ops()[op];
    menu->addAction(
        tr("Copy reference (#%1 %2)").arg(op).arg(QString::fromStdString(info.kind)), this,
        [op, info] {
            QGuiApplication::clipboard()->setText(
                QStringLiteral("#%1 %2 %3")
                    .arg(op)
                    .arg(QString::fromStdString(info.kind), QString::fromStdString(info.scope))
                    .trimmed());
        });
    auto* copyHash = menu->addAction(tr("Copy output hash"), this, [this, op] {
        QGuiApplication::clipboard()->setText(
            QString::fromStdString(session_->trace()->manifest().ops.at(op).outputHash.hex()));
    });
    copyHash->setEnabled(session_->trace() && op < session_->trace()->manifest().ops.size());
    auto jumps = [&](const QString& title, const std::vector<std::uint32_t>& targets) {
        auto* sub = menu->addMenu(title);
        sub->setEnabled(!targets.empty());
        for (auto t : targets)
            sub->addAction(QStringLiteral("#%1 %2").arg(t).arg(
                               QString::fromStdString(session_->ops()[t].kind)),
                           this, [this, t] { revealOp(t); });
    };
    menu->addSeparator();
    jumps(tr("Go to producer"), h->producers()[op]);
    jumps(tr("Go to consumer"), h->consumers()[op]);
    return menu;
}

void GraphPanel::placeMinimap() {
    minimap_->move(view_->width() - minimap_->width() - 12,
                   view_->height() - minimap_->height() - 12);
    // An overview of a graph that is already wholly in view only hides nodes under it.
    const QRectF shown = view_->mapToScene(view_->viewport()->rect()).boundingRect();
    const QRectF graph = scene_->itemsBoundingRect();
    minimap_->setVisible(overviewAction_->isChecked() && !scene_->nodes().empty() &&
                         !shown.contains(graph));
}

void GraphPanel::fitToolbar() {
    // Text beside the icons while everything fits, icons alone (names in tooltips) when not:
    // a toolbar inside a panel has no working overflow menu, so nothing may overflow.
    toolbar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    if (toolbar_->sizeHint().width() > width())
        toolbar_->setToolButtonStyle(Qt::ToolButtonIconOnly);
}

bool GraphPanel::toolbarFits() const {
    for (auto* action : toolbar_->actions()) {
        auto* w = toolbar_->widgetForAction(action);
        if (w && !action->isSeparator() && !w->isVisible()) return false;
    }
    return true;
}

void GraphPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitToolbar();
    placeMinimap();
}

void GraphPanel::onModelChanged() {
    matches_.clear();
    matchCursor_ = suspectCursor_ = 0;
    searchField_->blockSignals(true);
    searchField_->clear();
    searchField_->blockSignals(false);
    matchLabel_->clear();
    const auto* h = session_->hierarchy();
    if (!h || h->opCount() == 0) {
        expanded_.clear();
        if (layoutCancel_) *layoutCancel_ = true;
        ++layoutGeneration_;
        layoutPending_ = false;
        scene_->clearGraph();
        view_->hide();
        emptyLabel_->show();
        return;
    }
    expanded_ = h->defaultExpansion();
    emptyLabel_->hide();
    view_->show();
    relayout([this] { view_->fitAll(); });
}

void GraphPanel::relayout(std::function<void()> after) {
    const auto* h = session_->hierarchy();
    if (!h) return;
    if (layoutCancel_) *layoutCancel_ = true; // the previous layout is no longer wanted
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    layoutCancel_ = cancel;
    const quint64 generation = ++layoutGeneration_;
    layoutPending_ = true;
    auto visible = std::make_shared<layout::VisibleGraph>(h->visibleGraph(expanded_));
    auto request = visible->layoutRequest();
    QPointer<GraphPanel> self(this);
    (void)QtConcurrent::run([self, cancel, generation, visible, request, after]() {
        QElapsedTimer timer;
        timer.start();
        auto result = std::make_shared<layout::LayoutResult>();
        QString failure;
        try {
            *result = layout::layoutGraph(request, [cancel] { return cancel->load(); });
        } catch (const layout::LayoutCancelled&) {
            return;
        } catch (const std::exception& e) {
            failure = QString::fromStdString(e.what());
        }
        const double ms = timer.nsecsElapsed() / 1e6;
        if (!self) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, visible, result, failure, ms, after] {
                if (!self || generation != self->layoutGeneration_) return; // stale
                self->layoutPending_ = false;
                if (!failure.isEmpty()) {
                    emit self->statusMessage(tr("Layout failed: %1").arg(failure));
                    return;
                }
                QElapsedTimer apply;
                apply.start();
                self->lastLayoutMs_ = ms;
                self->scene_->setGraph(*self->session_->hierarchy(), std::move(*visible), *result,
                                       self->session_->ops());
                self->scene_->setDark(self->dark_);
                self->recolour();
                self->scene_->setBookmarkedOps(self->session_->bookmarks());
                self->scene_->setDisputeInterval(self->session_->disputeInterval());
                self->scene_->setHighlightedOps(self->matches_);
                self->updateSelectionMarks();
                self->minimap_->refit();
                self->placeMinimap();
                self->lastApplyMs_ = apply.nsecsElapsed() / 1e6;
                if (after) after();
                emit self->layoutFinished();
            },
            Qt::QueuedConnection);
    });
}

QString GraphPanel::tooltipForOp(std::uint32_t op) const {
    const auto& info = session_->ops()[op];
    QString tip = QStringLiteral("<b>#%1 %2</b><br>scope: %3")
                      .arg(op)
                      .arg(QString::fromStdString(info.kind).toHtmlEscaped())
                      .arg(info.scope.empty() ? tr("(top level)")
                                              : QString::fromStdString(info.scope).toHtmlEscaped());
    if (const auto& trace = session_->trace(); trace && op < trace->manifest().ops.size()) {
        QStringList shapes;
        for (const auto& t : trace->manifest().ops[op].outputs)
            shapes << QString::fromStdString(trace::describeShape(t.shape));
        tip += QStringLiteral("<br>output: %1").arg(shapes.join(QStringLiteral(", ")));
    }
    if (const auto* v = session_->verdict(op)) {
        tip += QStringLiteral("<br>verdict: <b>%1</b>")
                   .arg(QString::fromUtf8(verify::verdictName(v->verdict).data()));
        tip +=
            QStringLiteral("<br>error (|y−r|/bound): %1<br>empirical threshold: %2 (utilisation %3)"
                           "<br>sound bound: 1 (utilisation %4)<br>max |y−r|: %5")
                .arg(v->error, 0, 'g', 3)
                .arg(v->empiricalThreshold, 0, 'g', 3)
                .arg(v->empiricalUtilisation, 0, 'g', 3)
                .arg(v->soundUtilisation, 0, 'g', 3)
                .arg(v->maxAbsError, 0, 'g', 3);
        if (!v->reason.empty())
            tip += QStringLiteral("<br><i>%1</i>")
                       .arg(QString::fromStdString(v->reason).toHtmlEscaped());
    }
    if (const auto& r = session_->replayResult(op))
        tip += QStringLiteral("<br>local replay: max rel %1%2")
                   .arg(r->maxRel, 0, 'g', 3)
                   .arg(r->bitExact ? tr(" (bit-exact)") : QString());
    return tip;
}

std::vector<QString> GraphPanel::tooltips() const {
    std::vector<QString> out;
    const auto& vg = scene_->visible();
    const auto* h = session_->hierarchy();
    const auto worst = layout::worstPerGroup(*h, session_->colourValues());
    for (const auto& item : vg.items) {
        if (!item.isGroup) {
            out.push_back(tooltipForOp(item.id));
            continue;
        }
        const auto& g = h->groups()[item.id];
        QString tip = QStringLiteral("<b>%1</b><br>%2 operators — click to expand")
                          .arg(QString::fromStdString(g.path).toHtmlEscaped())
                          .arg(g.opCount);
        if (const auto* v = worst[item.id])
            tip += QStringLiteral("<br>worst: #%1 %2 %3 (utilisation %4)")
                       .arg(v->op)
                       .arg(QString::fromStdString(v->kind))
                       .arg(QString::fromUtf8(verify::verdictName(v->verdict).data()))
                       .arg(v->empiricalUtilisation, 0, 'g', 3);
        out.push_back(tip);
    }
    return out;
}

void GraphPanel::recolour() {
    const auto* h = session_->hierarchy();
    if (!h || scene_->nodes().empty()) return;
    QElapsedTimer timer;
    timer.start();
    scene_->recolour(*h, session_->ops(), session_->colourValues(), tooltips());
    legend_->setCaption(
        session_->colourSource() == ColourSource::LocalReplay
            ? tr("%1: rel. difference 1e-7 … 1e-3").arg(session_->differenceSource())
        : session_->reportSource().isEmpty()
            ? tr("not verified yet")
            : tr("error / threshold (%1)").arg(session_->reportSource()));
    lastRecolourMs_ = timer.nsecsElapsed() / 1e6;
}

void GraphPanel::setGroupExpanded(int group, bool on) {
    if (group <= 0 || group >= static_cast<int>(expanded_.size()) || expanded_[group] == on) return;
    expanded_[group] = on;
    // Opening a group inside a collapsed one must show it: its ancestors open too.
    if (on)
        for (int p = session_->hierarchy()->groups()[group].parent; p > 0;
             p = session_->hierarchy()->groups()[p].parent)
            expanded_[p] = true;
    if (!on) // collapsing a group hides its sub-groups' state too: reopen them collapsed
        for (std::size_t g = 0; g < expanded_.size(); ++g)
            for (int p = session_->hierarchy()->groups()[g].parent; p > 0;
                 p = session_->hierarchy()->groups()[p].parent)
                if (p == group) expanded_[g] = false;
    const auto firstOp = session_->hierarchy()->groups()[group].firstOp;
    relayout([this, firstOp] {
        if (auto* n = scene_->nodeForOp(firstOp)) view_->centreOnItem(n, false);
    });
}

void GraphPanel::toggleGroup(int group) {
    if (group > 0 && group < static_cast<int>(expanded_.size()))
        setGroupExpanded(group, !expanded_[group]);
}

void GraphPanel::expandAll() {
    std::fill(expanded_.begin(), expanded_.end(), true);
    relayout([this] { view_->fitAll(); });
}

void GraphPanel::collapseAll() {
    std::fill(expanded_.begin(), expanded_.end(), false);
    if (!expanded_.empty()) expanded_[0] = true;
    relayout([this] { view_->fitAll(); });
}

void GraphPanel::revealOp(std::uint32_t op) {
    const auto* h = session_->hierarchy();
    if (!h || op >= h->opCount()) return;
    bool changed = false;
    for (int g : h->ancestorsOfOp(op))
        if (!expanded_[g]) expanded_[g] = changed = true;
    session_->selectOp(static_cast<int>(op));
    auto centre = [this, op] {
        if (auto* n = scene_->nodeForOp(op)) view_->centreOnItem(n, true);
    };
    if (changed || layoutPending_)
        relayout(centre);
    else
        centre();
}

std::vector<std::uint32_t> GraphPanel::search(const QString& text) {
    matches_.clear();
    matchCursor_ = 0;
    const QString needle = text.trimmed();
    if (!needle.isEmpty()) {
        bool isNumber = false;
        const uint number = needle.startsWith('#') ? needle.mid(1).toUInt(&isNumber) : 0;
        for (const auto& op : session_->ops()) {
            if (isNumber
                    ? op.index == number
                    : QString::fromStdString(op.kind).contains(needle, Qt::CaseInsensitive) ||
                          QString::fromStdString(op.scope).contains(needle, Qt::CaseInsensitive))
                matches_.push_back(op.index);
        }
    }
    scene_->setHighlightedOps(matches_);
    matchLabel_->setText(needle.isEmpty()   ? QString()
                         : matches_.empty() ? tr("no match")
                                            : tr("%n match(es)", nullptr, int(matches_.size())));
    if (searchField_->text() != text) {
        searchField_->blockSignals(true);
        searchField_->setText(text);
        searchField_->blockSignals(false);
    }
    return matches_;
}

void GraphPanel::nextMatch() {
    if (matches_.empty()) return;
    const auto op = matches_[matchCursor_ % matches_.size()];
    matchLabel_->setText(
        tr("%1 / %2").arg(matchCursor_ % matches_.size() + 1).arg(matches_.size()));
    ++matchCursor_;
    revealOp(op);
}

void GraphPanel::jumpToWorst() {
    if (auto worst = session_->worstOp()) {
        revealOp(*worst);
        emit statusMessage(tr("Worst operator: #%1").arg(*worst));
    } else {
        emit statusMessage(tr("No verdicts yet: open a trace to verify"));
    }
}

void GraphPanel::jumpToNextSuspect() {
    const auto suspects = session_->suspiciousOps();
    if (suspects.empty()) {
        emit statusMessage(tr("No operator beyond its threshold"));
        return;
    }
    // In topological order, after the current selection.
    std::vector<std::uint32_t> ordered(suspects.begin(), suspects.end());
    std::sort(ordered.begin(), ordered.end());
    const int current = session_->selectedOp();
    auto it = std::upper_bound(ordered.begin(), ordered.end(), current < 0 ? -1 : current,
                               [](int c, std::uint32_t op) { return c < static_cast<int>(op); });
    revealOp(it == ordered.end() ? ordered.front() : *it);
}

void GraphPanel::toggleBookmarkOnSelection() {
    if (session_->selectedOp() >= 0) session_->toggleBookmark(session_->selectedOp());
}

void GraphPanel::focusSearch() {
    searchField_->setFocus();
    searchField_->selectAll();
}

void GraphPanel::setDark(bool dark) {
    dark_ = dark;
    for (auto* a : toolbar_->actions())
        if (a->data().isValid())
            a->setIcon(
                themedIcon(style(), static_cast<QStyle::StandardPixmap>(a->data().toInt()), dark));
    scene_->setDark(dark);
    recolour();
}

void GraphPanel::onNodeClicked(NodeItem* node) {
    if (node->isGroup()) {
        setGroupExpanded(static_cast<int>(node->id()), true);
        return;
    }
    session_->selectOp(static_cast<int>(node->id()));
}

void GraphPanel::updateSelectionMarks() {
    scene_->clearSelection();
    const int op = session_->selectedOp();
    if (op < 0) return;
    if (auto* n = scene_->nodeForOp(static_cast<std::uint32_t>(op)); n && !n->isGroup())
        n->setSelected(true);
}

void GraphPanel::onNavigate(int key) {
    const auto* h = session_->hierarchy();
    if (!h || h->opCount() == 0) return;
    const int op = session_->selectedOp();
    if (op < 0) {
        revealOp(0);
        return;
    }
    const auto u = static_cast<std::uint32_t>(op);
    switch (key) {
    case Qt::Key_Up: // to the producer of the first input
        if (!h->producers()[u].empty()) revealOp(h->producers()[u].front());
        break;
    case Qt::Key_Down: // to the first consumer
        if (!h->consumers()[u].empty()) revealOp(h->consumers()[u].front());
        break;
    case Qt::Key_Left:
        if (u > 0) revealOp(u - 1);
        break;
    case Qt::Key_Right:
        if (u + 1 < h->opCount()) revealOp(u + 1);
        break;
    case Qt::Key_Backspace: // collapse the group around the selection
        if (int g = h->groupOfOp(u); g > 0) setGroupExpanded(g, false);
        break;
    default:
        break;
    }
}

namespace {
constexpr int kExportHeader = 50; // model and trace, then what the colours measure

QString withSuffix(const QString& path, const QString& suffix) {
    return QFileInfo(path).suffix().compare(suffix, Qt::CaseInsensitive) == 0
               ? path
               : path + QLatin1Char('.') + suffix;
}
} // namespace

QSize GraphPanel::exportSize(QRectF* source, double* scale) const {
    *source = scene_->itemsBoundingRect().adjusted(-16, -16, 16, 16);
    *scale = std::min(2.0, 16000.0 / std::max(source->width(), source->height()));
    // Never narrower than the legend on two rows.
    const int width = std::max(int(source->width() * *scale), legend_->sizeHint().width() / 2 + 40);
    return {width, kExportHeader + int(source->height() * *scale) + 8 +
                       legend_->heightForWidth(width) + 8};
}

void GraphPanel::paintExport(QPainter& painter, const QSize& size, const QRectF& source,
                             double scale) {
    const QColor canvas = dark_ ? QColor(30, 32, 36) : QColor(Qt::white);
    const QColor fg = dark_ ? QColor(230, 232, 236) : QColor(34, 34, 34);
    painter.fillRect(QRect(QPoint(0, 0), size), canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(fg);
    QFont bold = font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    painter.setFont(bold);
    QString title = session_->modelName();
    if (!session_->tracePath().isEmpty())
        title += QStringLiteral(" — ") + QFileInfo(session_->tracePath()).fileName();
    painter.drawText(QRect(12, 4, size.width() - 24, 24), Qt::AlignVCenter, title);
    painter.setFont(font());
    const QString profile = session_->profilePath().isEmpty()
                                ? tr("no profile (sound bounds only)")
                                : QFileInfo(session_->profilePath()).fileName();
    painter.drawText(QRect(12, 26, size.width() - 24, 20), Qt::AlignVCenter,
                     tr("Colours: %1 · profile: %2").arg(legend_->caption(), profile));
    // Selection and search marks belong to the screen, not to the document.
    scene_->clearSelection();
    scene_->setHighlightedOps({});
    const QRectF target(0, kExportHeader, source.width() * scale, source.height() * scale);
    scene_->render(&painter, target, source);
    updateSelectionMarks();
    scene_->setHighlightedOps(matches_);
    legend_->paintInto(
        painter,
        QRect(0, int(target.bottom()) + 8, size.width(), legend_->heightForWidth(size.width())),
        fg);
}

bool GraphPanel::exportImage(const QString& requested, const char* format, QString* error,
                             QString* written) {
    if (scene_->nodes().empty()) {
        if (error) *error = tr("nothing to export");
        return false;
    }
    const bool svg = qstrcmp(format, "svg") == 0;
    const QString path = withSuffix(requested, QString::fromLatin1(format));
    QRectF source;
    double scale = 1;
    const QSize size = exportSize(&source, &scale);
    QBuffer bytes;
    bytes.open(QIODevice::WriteOnly);
    if (svg) {
        QSvgGenerator generator;
        generator.setOutputDevice(&bytes);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(session_->modelName());
        QPainter painter(&generator);
        paintExport(painter, size, source, scale);
    } else {
        renderImage().save(&bytes, "PNG");
    }
    try {
        io::writeFileAtomically(path.toStdString(), bytes.data().toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    if (written) *written = path;
    return true;
}

QImage GraphPanel::renderImage() {
    if (scene_->nodes().empty()) return {};
    QRectF source;
    double scale = 1;
    QImage image(exportSize(&source, &scale), QImage::Format_ARGB32);
    QPainter painter(&image);
    paintExport(painter, image.size(), source, scale);
    return image;
}

bool GraphPanel::exportSvg(const QString& path, QString* error, QString* written) {
    return exportImage(path, "svg", error, written);
}

bool GraphPanel::exportPng(const QString& path, QString* error, QString* written) {
    return exportImage(path, "png", error, written);
}

} // namespace tao::views
