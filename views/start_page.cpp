#include "views/start_page.hpp"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace tao::views {

StartPage::StartPage(QWidget* parent)
    : QWidget(parent) {
    auto* title =
        new QLabel(tr("<h1>TAO Auditor</h1>"
                      "<p>Check a provider's committed inference trace operator by operator: "
                      "every operator is recomputed from its committed inputs and judged against "
                      "its sound floating-point bound and an empirical threshold.</p>"),
                   this);
    title->setWordWrap(true);
    auto* demo =
        new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay),
                        tr("  Run the demo (Fashion-MNIST CNN with one tampered operator)"), this);
    auto* openModel = new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton),
                                      tr("  Open model (.pt)…"), this);
    auto* openTrace = new QPushButton(style()->standardIcon(QStyle::SP_DirOpenIcon),
                                      tr("  Open trace (.taotrace)…"), this);
    for (auto* b : {demo, openModel, openTrace}) {
        b->setMinimumHeight(36);
        b->setStyleSheet(QStringLiteral("text-align: left; padding-left: 12px;"));
    }
    recent_ = new QListWidget(this);
    recent_->setMaximumHeight(180);
    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addSpacing(12);
    column->addWidget(demo);
    column->addWidget(openModel);
    column->addWidget(openTrace);
    column->addSpacing(16);
    column->addWidget(new QLabel(
        tr("<b>Recent files</b> (or drop a .pt, .taotrace, profile .json or .taosession here)"),
        this));
    column->addWidget(recent_);
    column->addStretch(1);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto* holder = new QWidget(this);
    holder->setLayout(column);
    holder->setMaximumWidth(620);
    outer->addWidget(holder, 3);
    outer->addStretch(1);
    connect(demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(openModel, &QPushButton::clicked, this, &StartPage::openModelRequested);
    connect(openTrace, &QPushButton::clicked, this, &StartPage::openTraceRequested);
    connect(recent_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit recentFileRequested(item->text()); });
}

void StartPage::setRecentFiles(const QStringList& files) {
    recent_->clear();
    recent_->addItems(files);
}

} // namespace tao::views
