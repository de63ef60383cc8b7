#include "views/session_file.hpp"

#include "core/io/atomic_file.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tao::views {
namespace {

constexpr int kVersion = 1;
const QString kFormat = QStringLiteral("tao-session");

QJsonObject toJson(const SessionFile::Entry& e, const QDir& base) {
    return {{QStringLiteral("path"), base.relativeFilePath(e.path)},
            {QStringLiteral("identity"), e.identity}};
}

SessionFile::Entry entryOf(const QJsonValue& v, const QDir& base, const QString& what) {
    const auto o = v.toObject();
    const auto path = o.value(QStringLiteral("path"));
    if (!v.isObject() || !path.isString() || path.toString().isEmpty())
        throw SessionFileError(what.toStdString() + ": needs an object with a \"path\"");
    return {QDir::cleanPath(base.absoluteFilePath(path.toString())),
            o.value(QStringLiteral("identity")).toString()};
}

} // namespace

QStringList SessionFile::paths() const {
    QStringList out;
    for (const auto& e : {model, trace, profile})
        if (e) out << e->path;
    return out;
}

SessionFile describeSession(const AuditSession& s, const QString& modelIdHex) {
    SessionFile f;
    if (s.model()) f.model = SessionFile::Entry{s.modelPath(), modelIdHex};
    if (s.trace())
        f.trace = SessionFile::Entry{s.tracePath(),
                                     QString::fromStdString(s.trace()->manifest().root.hex())};
    if (s.loadedProfile())
        f.profile = SessionFile::Entry{s.profilePath(),
                                       QString::fromStdString(s.loadedProfile()->hash().hex())};
    for (const auto& c : s.comparisonProfiles())
        f.comparisons << SessionFile::Entry{c.path, QString::fromStdString(c.loaded->hash().hex())};
    f.bookmarks = s.bookmarks();
    f.percentile = s.percentileOverride();
    f.selectedOp = s.selectedOp();
    return f;
}

void saveSessionFile(const SessionFile& f, const QString& path) {
    const QDir base = QFileInfo(path).absoluteDir();
    QJsonObject o{{QStringLiteral("format"), kFormat}, {QStringLiteral("version"), kVersion}};
    if (f.model) o[QStringLiteral("model")] = toJson(*f.model, base);
    if (f.trace) o[QStringLiteral("trace")] = toJson(*f.trace, base);
    if (f.profile) o[QStringLiteral("profile")] = toJson(*f.profile, base);
    QJsonArray comparisons, bookmarks;
    for (const auto& c : f.comparisons)
        comparisons.append(toJson(c, base));
    for (int b : f.bookmarks)
        bookmarks.append(b);
    o[QStringLiteral("comparisonProfiles")] = comparisons;
    o[QStringLiteral("bookmarks")] = bookmarks;
    if (f.percentile) o[QStringLiteral("percentile")] = *f.percentile;
    o[QStringLiteral("selectedOp")] = f.selectedOp;
    try {
        io::writeFileAtomically(path.toStdString(),
                                QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString());
    } catch (const std::exception& e) {
        throw SessionFileError(e.what());
    }
}

SessionFile loadSessionFile(const QString& path) {
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        throw SessionFileError(path.toStdString() + ": cannot be read (" +
                               in.errorString().toStdString() + ")");
    QJsonParseError parse{};
    const auto doc = QJsonDocument::fromJson(in.readAll(), &parse);
    const auto fail = [&path](const QString& why) {
        return SessionFileError((path + QStringLiteral(": ") + why).toStdString());
    };
    if (parse.error != QJsonParseError::NoError)
        throw fail(
            QStringLiteral("not JSON (%1 at byte %2)").arg(parse.errorString()).arg(parse.offset));
    const auto o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kFormat)
        throw fail(QStringLiteral("not a TAO session file (no \"format\": \"tao-session\")"));
    if (o.value(QStringLiteral("version")).toInt() != kVersion)
        throw fail(QStringLiteral("version %1; this auditor reads version %2")
                       .arg(o.value(QStringLiteral("version")).toInt())
                       .arg(kVersion));
    const QDir base = QFileInfo(path).absoluteDir();
    SessionFile f;
    try {
        for (auto [key, slot] : {std::pair{QStringLiteral("model"), &f.model},
                                 std::pair{QStringLiteral("trace"), &f.trace},
                                 std::pair{QStringLiteral("profile"), &f.profile}})
            if (o.contains(key)) *slot = entryOf(o.value(key), base, key);
        for (const auto& c : o.value(QStringLiteral("comparisonProfiles")).toArray())
            f.comparisons << entryOf(c, base, QStringLiteral("comparisonProfiles"));
    } catch (const SessionFileError& e) {
        throw fail(QString::fromUtf8(e.what()));
    }
    for (const auto& b : o.value(QStringLiteral("bookmarks")).toArray()) {
        if (!b.isDouble() || b.toDouble() < 0 || b.toDouble() != b.toInt())
            throw fail(QStringLiteral("bookmarks must be operator indices (whole numbers ≥ 0)"));
        f.bookmarks << b.toInt();
    }
    if (o.contains(QStringLiteral("percentile"))) {
        const double p = o.value(QStringLiteral("percentile")).toDouble(-1);
        if (!(p > 0 && p <= 1))
            throw fail(QStringLiteral("percentile must be a fraction in (0, 1]"));
        f.percentile = p;
    }
    f.selectedOp = o.value(QStringLiteral("selectedOp")).toInt(-1);
    if (!f.model) throw fail(QStringLiteral("names no model"));
    return f;
}

QStringList identityMismatches(const SessionFile& f, const AuditSession& s,
                               const QString& modelIdHex) {
    QStringList out;
    const auto check = [&out](const std::optional<SessionFile::Entry>& e, const QString& now,
                              const QString& what) {
        if (e && !e->identity.isEmpty() && e->identity != now)
            out << QStringLiteral("%1 %2: %3 is now %4, the session recorded %5")
                       .arg(what, e->path,
                            what == QLatin1String("model")   ? QStringLiteral("id")
                            : what == QLatin1String("trace") ? QStringLiteral("root")
                                                             : QStringLiteral("hash"),
                            now.left(16) + QStringLiteral("…"),
                            e->identity.left(16) + QStringLiteral("…"));
    };
    check(f.model, modelIdHex, QStringLiteral("model"));
    check(f.trace, s.trace() ? QString::fromStdString(s.trace()->manifest().root.hex()) : QString(),
          QStringLiteral("trace"));
    check(f.profile,
          s.loadedProfile() ? QString::fromStdString(s.loadedProfile()->hash().hex()) : QString(),
          QStringLiteral("profile"));
    return out;
}

} // namespace tao::views
