#pragma once
// A saved audit (.taosession, JSON): which model, trace, profile and comparison profiles,
// each with the identity it had (model id, trace root, profile hash) so a changed file is
// noticed on reopening; the bookmarks, the percentile in force and the selected operator. Paths are
// stored relative to the session file where they can be, so a folder holding the audit can be moved
// as a whole.
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <stdexcept>

namespace tao::views {

class AuditSession;

struct SessionFile {
    struct Entry {
        QString path;     // absolute once read
        QString identity; // hex model id, trace root or profile hash; empty when unknown
    };
    std::optional<Entry> model, trace, profile;
    QList<Entry> comparisons;
    QList<int> bookmarks;
    std::optional<double> percentile; // the audit's override, a fraction in (0, 1]
    int selectedOp = -1;

    // The files to open (MainWindow::openPaths puts them in order).
    QStringList paths() const;
};

class SessionFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What is open in `session` now. `modelIdHex` gives the model's id (it needs LibTorch).
SessionFile describeSession(const AuditSession& session, const QString& modelIdHex);
// Writes atomically; throws SessionFileError naming the path and the reason.
void saveSessionFile(const SessionFile& file, const QString& path);
// Throws SessionFileError naming the path and what is wrong (not JSON, wrong version,
// a bad field).
SessionFile loadSessionFile(const QString& path);
// Empty when every file open in `session` has the identity `file` recorded; else one line
// per file that changed since the session was saved.
QStringList identityMismatches(const SessionFile& file, const AuditSession& session,
                               const QString& modelIdHex);

} // namespace tao::views
