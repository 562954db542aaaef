// SPDX-License-Identifier: Apache-2.0
#include "slotstore.h"

#include "fsutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSlots, "hcp.updater.slots")

namespace hcp::updater {

using Code = UpdateError::Code;

namespace {

constexpr int kStateFormat = 1;

QString otherSlot(const QString &slot)
{
    return slot == u"a" ? QStringLiteral("b") : QStringLiteral("a");
}

QString slotFromLink(const QString &target)
{
    if (target == u"slots/a")
        return QStringLiteral("a");
    if (target == u"slots/b")
        return QStringLiteral("b");
    return {};
}

UpdateError io(const QString &message)
{
    return UpdateError::make(Code::Io, message);
}

} // namespace

QJsonObject SlotStore::State::toJson() const
{
    QJsonObject o{
        {QStringLiteral("format"), kStateFormat},
        {QStringLiteral("phase"), phase},
        {QStringLiteral("slot"), slot},
        {QStringLiteral("version"), version},
        {QStringLiteral("floor"), floor},
        {QStringLiteral("previousSlot"), previousSlot},
        {QStringLiteral("previousVersion"), previousVersion},
        {QStringLiteral("trialStartedMs"), double(trialStartedMs)},
        {QStringLiteral("trialDeadlineMs"), double(trialDeadlineMs)},
        {QStringLiteral("bootCount"), bootCount},
        {QStringLiteral("switchTarget"), switchTarget},
        {QStringLiteral("switchVersion"), switchVersion},
    };
    if (!lastResult.isEmpty())
        o.insert(QStringLiteral("lastResult"), lastResult);
    return o;
}

SlotStore::State SlotStore::State::fromJson(const QJsonObject &o)
{
    State s;
    s.phase = o.value(QLatin1String("phase")).toString(QStringLiteral("empty"));
    s.slot = o.value(QLatin1String("slot")).toString();
    s.version = o.value(QLatin1String("version")).toString();
    s.floor = o.value(QLatin1String("floor")).toString();
    s.previousSlot = o.value(QLatin1String("previousSlot")).toString();
    s.previousVersion = o.value(QLatin1String("previousVersion")).toString();
    s.trialStartedMs = qint64(o.value(QLatin1String("trialStartedMs")).toDouble());
    s.trialDeadlineMs = qint64(o.value(QLatin1String("trialDeadlineMs")).toDouble());
    s.bootCount = o.value(QLatin1String("bootCount")).toInt();
    s.switchTarget = o.value(QLatin1String("switchTarget")).toString();
    s.switchVersion = o.value(QLatin1String("switchVersion")).toString();
    s.lastResult = o.value(QLatin1String("lastResult")).toObject();
    return s;
}

SlotStore::SlotStore(const QString &root, const TrustPolicy &policy)
    : m_root(QDir(root).absolutePath())
    , m_policy(policy)
{
}

QString SlotStore::slotPath(const QString &slot) const
{
    return m_root + QStringLiteral("/slots/") + slot;
}

QString SlotStore::currentSlot() const
{
    return slotFromLink(FsUtil::readLink(m_root + QStringLiteral("/current")));
}

bool SlotStore::saveState(QString *error)
{
    const QByteArray bytes = QJsonDocument(m_state.toJson()).toJson(QJsonDocument::Indented);
    return FsUtil::writeFileAtomic(m_root + QStringLiteral("/state.json"), bytes, error);
}

void SlotStore::setResult(const QString &action, const QString &version, const QString &result,
                          const QString &reason, qint64 nowMs)
{
    m_state.lastResult = QJsonObject{
        {QStringLiteral("action"), action},
        {QStringLiteral("version"), version},
        {QStringLiteral("result"), result},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("atMs"), double(nowMs)},
    };
}

// Re-entrant within one SlotStore (boot() → rollback()); the outermost holder takes the flock
// and runs recovery. flock is per open file description, so a nested open() would deadlock.
class SlotStore::Locker
{
public:
    explicit Locker(SlotStore *store) : m_store(store) {}
    ~Locker()
    {
        if (--m_store->m_lockDepth == 0 && m_store->m_lockFd >= 0) {
            ::close(m_store->m_lockFd);
            m_store->m_lockFd = -1;
        }
    }
    bool acquire(qint64 nowMs, QString *error)
    {
        if (m_store->m_lockDepth++ > 0)
            return true;
        if (!QDir().mkpath(m_store->m_root + QStringLiteral("/slots"))) {
            if (error)
                *error = QStringLiteral("cannot create %1/slots").arg(m_store->m_root);
            return false;
        }
        const QByteArray path = QFile::encodeName(m_store->m_root + QStringLiteral("/.lock"));
        const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 || ::flock(fd, LOCK_EX) != 0) {
            if (error)
                *error = QStringLiteral("cannot lock %1: %2")
                             .arg(QFile::decodeName(path), QString::fromLocal8Bit(strerror(errno)));
            if (fd >= 0)
                ::close(fd);
            return false;
        }
        m_store->m_lockFd = fd;
        return m_store->recoverLocked(nowMs, error);
    }

private:
    SlotStore *m_store;
};

bool SlotStore::open(qint64 nowMs, QString *error)
{
    Locker lock(this);
    return lock.acquire(nowMs, error);
}

bool SlotStore::recoverLocked(qint64 nowMs, QString *error)
{
    QDir root(m_root);
    // Leftovers of an interrupted install or switch; none of them is ever pointed to.
    for (const QString &junk : {QStringLiteral("slots/.staging"), QStringLiteral("slots/.trash"),
                                QStringLiteral("current.tmp"), QStringLiteral("previous.tmp"),
                                QStringLiteral("state.json.tmp")}) {
        if (!FsUtil::removeTree(root.filePath(junk), error))
            return false;
    }

    QFile stateFile(root.filePath(QStringLiteral("state.json")));
    bool haveState = false;
    if (stateFile.open(QIODevice::ReadOnly)) {
        const QJsonDocument doc = QJsonDocument::fromJson(stateFile.readAll());
        if (doc.isObject()) {
            m_state = State::fromJson(doc.object());
            haveState = true;
        } else {
            qCWarning(lcSlots) << "state.json unreadable; rebuilding it from the slots";
        }
    }

    const QString cur = currentSlot();
    if (!haveState) {
        // Fresh layout, or a lost state file: trust only what the slot itself proves.
        m_state = State();
        if (!cur.isEmpty()) {
            UpdateError e;
            if (const auto m = verifySlot(cur, &e)) {
                m_state.phase = QStringLiteral("committed");
                m_state.slot = cur;
                m_state.version = m->version;
                m_state.floor = m->version;
            } else {
                qCWarning(lcSlots) << "current slot" << cur << "does not verify:" << e.message;
            }
        }
        return saveState(error);
    }

    if (m_state.phase == u"switching") {
        if (cur == m_state.switchTarget) {
            qCInfo(lcSlots) << "finishing an interrupted switch to" << m_state.switchVersion;
            return finishSwitch(nowMs, error);
        }
        qCWarning(lcSlots) << "install of" << m_state.switchVersion
                           << "was interrupted before the switch; staying on" << m_state.version;
        setResult(QStringLiteral("install"), m_state.switchVersion, QStringLiteral("failed"),
                  QStringLiteral("interrupted before the switch"), nowMs);
        m_state.phase = m_state.slot.isEmpty() ? QStringLiteral("empty") : QStringLiteral("committed");
        m_state.switchTarget.clear();
        m_state.switchVersion.clear();
        m_state.trialDeadlineMs = 0;
        m_state.trialStartedMs = 0;
        if (!saveState(error))
            return false;
    }

    if (!m_state.slot.isEmpty() && cur != m_state.slot) {
        if (!cur.isEmpty() && cur == m_state.previousSlot) {
            // A rollback switched the link and was cut before recording it.
            const QString from = m_state.version;
            qCWarning(lcSlots) << "finishing an interrupted rollback from" << from;
            return finishRollback(from, QStringLiteral("rollback interrupted, completed at start"),
                                  nowMs, error);
        }
        // The link lost its way (manual tampering, restored backup): trust the state's slot.
        UpdateError e;
        if (verifySlot(m_state.slot, &e)) {
            return FsUtil::replaceSymlink(root.filePath(QStringLiteral("current")),
                                          QStringLiteral("slots/") + m_state.slot, error);
        }
        if (error)
            *error = QStringLiteral("current and state disagree and slot %1 does not verify: %2")
                         .arg(m_state.slot, e.message);
        return false;
    }
    return true;
}

std::optional<Manifest> SlotStore::verifySlot(const QString &slot, UpdateError *error) const
{
    auto fail = [error](Code code, const QString &message) -> std::optional<Manifest> {
        if (error)
            *error = UpdateError::make(code, message);
        return std::nullopt;
    };
    const QString dir = slotPath(slot);
    QFile marker(dir + u'/' + QLatin1String(kMarkerName));
    if (!marker.open(QIODevice::ReadOnly))
        return fail(Code::Truncated, QStringLiteral("slot %1 has no %2").arg(slot, kMarkerName));
    const QByteArray bytes = marker.read(BundleHeader::kMaxHeaderBytes + 1);
    BundleHeader header;
    qint64 needed = 0;
    UpdateError e;
    const auto state = BundleHeader::parse(bytes, &header, &needed, &e);
    if (state == BundleHeader::ParseState::NeedMore)
        return fail(Code::Truncated, QStringLiteral("slot %1 header is truncated").arg(slot));
    if (state == BundleHeader::ParseState::Failed) {
        if (error)
            *error = e;
        return std::nullopt;
    }
    if (header.headerSize() != bytes.size())
        return fail(Code::Oversized, QStringLiteral("slot %1 header has trailing bytes").arg(slot));
    if (e = verifyHeader(header, m_policy); e.isError()) {
        if (error)
            *error = e;
        return std::nullopt;
    }
    QSet<QString> expected;
    for (const ManifestFile &f : header.manifest.files) {
        expected.insert(f.path);
        QFile file(dir + u'/' + f.path);
        const QFileInfo info(file.fileName());
        if (info.isSymLink() || !info.isFile())
            return fail(Code::Truncated, QStringLiteral("slot %1 lacks %2").arg(slot, f.path));
        if (info.size() != f.size)
            return fail(info.size() < f.size ? Code::Truncated : Code::Oversized,
                        QStringLiteral("slot %1: %2 has %3 bytes, expected %4")
                            .arg(slot, f.path)
                            .arg(info.size())
                            .arg(f.size));
        if (!file.open(QIODevice::ReadOnly))
            return fail(Code::Io, QStringLiteral("slot %1: cannot read %2").arg(slot, f.path));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&file);
        if (hash.result() != f.sha256)
            return fail(Code::HashMismatch,
                        QStringLiteral("slot %1: %2 does not match its SHA-256").arg(slot, f.path));
    }
    const QDir base(dir);
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        const QFileInfo info(p);
        const QString rel = base.relativeFilePath(p);
        if (info.isDir() && !info.isSymLink())
            continue;
        if (rel == QLatin1String(kMarkerName))
            continue;
        if (!expected.contains(rel) || info.isSymLink())
            return fail(Code::Oversized, QStringLiteral("slot %1 holds unlisted %2").arg(slot, rel));
    }
    if (error)
        *error = {};
    return header.manifest;
}

bool SlotStore::extract(const QString &bundlePath, const BundleHeader &header, const QString &dir,
                        UpdateError *error)
{
    QFile in(bundlePath);
    if (!in.open(QIODevice::ReadOnly) || !in.seek(header.headerSize())) {
        *error = io(QStringLiteral("cannot read %1").arg(bundlePath));
        return false;
    }
    QSet<QString> dirs{dir};
    for (const ManifestFile &f : header.manifest.files) {
        const QString target = dir + u'/' + f.path;
        const QString parent = QFileInfo(target).absolutePath();
        if (!QDir().mkpath(parent)) {
            *error = io(QStringLiteral("cannot create %1").arg(parent));
            return false;
        }
        for (QString p = parent; p.size() > dir.size(); p = QFileInfo(p).absolutePath())
            dirs.insert(p);
        const QByteArray native = QFile::encodeName(target);
        const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                              f.executable ? 0755 : 0644);
        if (fd < 0) {
            *error = io(QStringLiteral("cannot create %1: %2")
                            .arg(target, QString::fromLocal8Bit(strerror(errno))));
            return false;
        }
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 left = f.size;
        bool ok = true;
        while (ok && left > 0) {
            const QByteArray chunk = in.read(qMin<qint64>(left, 1 << 20));
            if (chunk.isEmpty()) {
                *error = UpdateError::make(Code::Truncated, QStringLiteral("%1 is truncated").arg(f.path));
                ok = false;
                break;
            }
            hash.addData(chunk);
            qsizetype done = 0;
            while (done < chunk.size()) {
                const ssize_t n = ::write(fd, chunk.constData() + done, size_t(chunk.size() - done));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) {
                    *error = io(QStringLiteral("write %1: %2")
                                    .arg(target, QString::fromLocal8Bit(strerror(errno))));
                    ok = false;
                    break;
                }
                done += n;
            }
            left -= chunk.size();
        }
        // The bundle was hashed before; hashing again while copying closes the window in which
        // the file could have changed underneath.
        if (ok && hash.result() != f.sha256) {
            *error = UpdateError::make(Code::HashMismatch,
                                       QStringLiteral("%1 changed while installing").arg(f.path));
            ok = false;
        }
        if (ok && ::fsync(fd) != 0) {
            *error = io(QStringLiteral("fsync %1").arg(target));
            ok = false;
        }
        ::close(fd);
        if (!ok)
            return false;
    }
    QString fsError;
    for (const QString &d : std::as_const(dirs)) {
        if (!FsUtil::fsyncPath(d, &fsError)) {
            *error = io(fsError);
            return false;
        }
    }
    // The marker goes last: a slot without it is never taken for complete.
    if (!FsUtil::writeFileAtomic(dir + u'/' + QLatin1String(kMarkerName), header.encode(), &fsError)) {
        *error = io(fsError);
        return false;
    }
    return true;
}

UpdateError SlotStore::install(const QString &bundlePath, qint64 nowMs, qint64 trialMs)
{
    Locker lock(this);
    if (QString err; !lock.acquire(nowMs, &err))
        return io(err);
    auto failed = [this, nowMs, &bundlePath](const UpdateError &e, const QString &version) {
        setResult(QStringLiteral("install"), version,
                  e.code == Code::Io ? QStringLiteral("failed") : QStringLiteral("rejected"),
                  e.codeString() + QStringLiteral(": ") + e.message, nowMs);
        QString ignored;
        saveState(&ignored);
        qCWarning(lcSlots) << "install of" << bundlePath << "refused:" << e.codeString() << e.message;
        return e;
    };
    if (m_state.phase == u"trial")
        return UpdateError::make(Code::Busy, QStringLiteral("version %1 is still in its trial")
                                                 .arg(m_state.version));
    UpdateError e;
    const std::optional<BundleHeader> header = BundleFile::verify(bundlePath, m_policy, true, &e);
    if (!header)
        return failed(e, QString());
    const Manifest &m = header->manifest;
    const bool fresh = m_state.slot.isEmpty();
    e = checkVersion(m, fresh ? std::nullopt : std::optional<QString>(m_state.version),
                     m_state.floor.isEmpty() ? std::nullopt : std::optional<QString>(m_state.floor));
    if (e.isError())
        return failed(e, m.version);

    const QString target = fresh ? QStringLiteral("a") : otherSlot(m_state.slot);
    QString err;
    const QDir root(m_root);
    if (m_state.previousSlot == target) {
        // The rollback target is about to be overwritten: forget it first.
        if (!FsUtil::removeTree(root.filePath(QStringLiteral("previous")), &err)
            || !FsUtil::fsyncPath(m_root, &err))
            return failed(io(err), m.version);
        m_state.previousSlot.clear();
        m_state.previousVersion.clear();
        if (!saveState(&err))
            return failed(io(err), m.version);
    }
    const QString staging = root.filePath(QStringLiteral("slots/.staging"));
    if (!FsUtil::removeTree(staging, &err) || !QDir().mkpath(staging))
        return failed(io(err.isEmpty() ? QStringLiteral("cannot create staging") : err), m.version);
    if (!extract(bundlePath, *header, staging, &e)) {
        FsUtil::removeTree(staging, &err);
        return failed(e, m.version);
    }
    const QString slotDir = slotPath(target);
    const QString trash = root.filePath(QStringLiteral("slots/.trash"));
    if (QFileInfo::exists(slotDir) && ::rename(QFile::encodeName(slotDir).constData(),
                                               QFile::encodeName(trash).constData()) != 0)
        return failed(io(QStringLiteral("cannot move old slot %1 aside").arg(target)), m.version);
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(slotDir).constData()) != 0
        || !FsUtil::fsyncPath(root.filePath(QStringLiteral("slots")), &err))
        return failed(io(QStringLiteral("cannot move staging into slot %1 %2").arg(target, err)),
                      m.version);
    FsUtil::removeTree(trash, &err);

    m_state.phase = QStringLiteral("switching");
    m_state.switchTarget = target;
    m_state.switchVersion = m.version;
    m_state.trialStartedMs = nowMs;
    m_state.trialDeadlineMs = nowMs + trialMs;
    if (!saveState(&err))
        return failed(io(err), m.version);
    // The commit point: after this rename the kiosk runs the new slot.
    if (!FsUtil::replaceSymlink(root.filePath(QStringLiteral("current")),
                                QStringLiteral("slots/") + target, &err))
        return failed(io(err), m.version);
    if (!finishSwitch(nowMs, &err))
        return io(err);
    qCInfo(lcSlots) << "switched to" << m.version << "in slot" << target;
    return {};
}

bool SlotStore::finishSwitch(qint64 nowMs, QString *error)
{
    const QString oldSlot = m_state.slot;
    const QString oldVersion = m_state.version;
    const QDir root(m_root);
    if (!oldSlot.isEmpty()) {
        if (!FsUtil::replaceSymlink(root.filePath(QStringLiteral("previous")),
                                    QStringLiteral("slots/") + oldSlot, error))
            return false;
    }
    m_state.slot = m_state.switchTarget;
    m_state.version = m_state.switchVersion;
    m_state.previousSlot = oldSlot;
    m_state.previousVersion = oldVersion;
    m_state.switchTarget.clear();
    m_state.switchVersion.clear();
    m_state.bootCount = 0;
    if (oldSlot.isEmpty()) {
        // First install on a fresh layout: nothing to fall back to, so no trial.
        m_state.phase = QStringLiteral("committed");
        m_state.floor = m_state.version;
        m_state.trialStartedMs = m_state.trialDeadlineMs = 0;
        setResult(QStringLiteral("install"), m_state.version, QStringLiteral("committed"),
                  QStringLiteral("initial install"), nowMs);
    } else {
        m_state.phase = QStringLiteral("trial");
        setResult(QStringLiteral("install"), m_state.version, QStringLiteral("trial"),
                  QStringLiteral("switched from %1; waiting for a healthy report").arg(oldVersion),
                  nowMs);
    }
    return saveState(error);
}

bool SlotStore::markHealthy(qint64 nowMs, QString *error)
{
    Locker lock(this);
    if (!lock.acquire(nowMs, error))
        return false;
    if (m_state.phase != u"trial")
        return true;
    m_state.phase = QStringLiteral("committed");
    const auto v = SemVer::parse(m_state.version);
    const auto f = SemVer::parse(m_state.floor);
    if (v && (!f || *f < *v))
        m_state.floor = m_state.version;
    m_state.trialStartedMs = m_state.trialDeadlineMs = 0;
    m_state.bootCount = 0;
    setResult(QStringLiteral("install"), m_state.version, QStringLiteral("committed"),
              QStringLiteral("reported healthy"), nowMs);
    qCInfo(lcSlots) << "version" << m_state.version << "committed";
    return saveState(error);
}

UpdateError SlotStore::rollback(const QString &reason, qint64 nowMs)
{
    Locker lock(this);
    if (QString err; !lock.acquire(nowMs, &err))
        return io(err);
    if (m_state.previousSlot.isEmpty())
        return UpdateError::make(Code::NoPrevious, QStringLiteral("no previous slot to return to"));
    UpdateError e;
    if (!verifySlot(m_state.previousSlot, &e))
        return UpdateError::make(Code::NoPrevious,
                                 QStringLiteral("previous slot %1 does not verify: %2")
                                     .arg(m_state.previousSlot, e.message));
    QString err;
    if (!FsUtil::replaceSymlink(m_root + QStringLiteral("/current"),
                                QStringLiteral("slots/") + m_state.previousSlot, &err))
        return io(err);
    if (!finishRollback(QString(m_state.version), reason, nowMs, &err))
        return io(err);
    return {};
}

bool SlotStore::finishRollback(const QString &fromVersion, const QString &reason, qint64 nowMs,
                               QString *error)
{
    // The abandoned slot stays on disk until the next install reuses it, but `previous` no
    // longer names it, so nothing ever switches back to it by itself.
    if (!FsUtil::removeTree(m_root + QStringLiteral("/previous"), error)
        || !FsUtil::fsyncPath(m_root, error))
        return false;
    m_state.slot = m_state.previousSlot;
    m_state.version = m_state.previousVersion;
    m_state.previousSlot.clear();
    m_state.previousVersion.clear();
    m_state.phase = QStringLiteral("committed");
    m_state.trialStartedMs = m_state.trialDeadlineMs = 0;
    m_state.bootCount = 0;
    setResult(QStringLiteral("rollback"), fromVersion, QStringLiteral("rolledBack"),
              QStringLiteral("rolled back from %1: %2").arg(fromVersion, reason), nowMs);
    qCWarning(lcSlots) << "rolled back from" << fromVersion << "to" << m_state.version << reason;
    return saveState(error);
}

bool SlotStore::boot(qint64 nowMs, int maxTrialBoots, QString *error)
{
    Locker lock(this);
    if (!lock.acquire(nowMs, error))
        return false;
    if (m_state.phase != u"trial")
        return false;
    ++m_state.bootCount;
    if (!saveState(error))
        return false;
    if (m_state.bootCount > maxTrialBoots) {
        const UpdateError e = rollback(
            QStringLiteral("crash loop: %1 starts without a healthy report").arg(m_state.bootCount),
            nowMs);
        if (e.isError() && error)
            *error = e.message;
        return !e.isError();
    }
    return checkDeadline(nowMs, error);
}

bool SlotStore::checkDeadline(qint64 nowMs, QString *error)
{
    Locker lock(this);
    if (!lock.acquire(nowMs, error))
        return false;
    if (m_state.phase != u"trial" || nowMs <= m_state.trialDeadlineMs)
        return false;
    const UpdateError e = rollback(
        QStringLiteral("not healthy within the trial deadline (%1 s)")
            .arg((m_state.trialDeadlineMs - m_state.trialStartedMs) / 1000),
        nowMs);
    if (e.isError() && error)
        *error = e.message;
    return !e.isError();
}

QJsonObject SlotStore::status() const
{
    QJsonObject o{
        {QStringLiteral("phase"), m_state.phase},
        {QStringLiteral("slot"), m_state.slot},
        {QStringLiteral("version"), m_state.version},
        {QStringLiteral("floor"), m_state.floor},
        {QStringLiteral("previousVersion"), m_state.previousVersion},
    };
    if (m_state.phase == u"trial") {
        o.insert(QStringLiteral("trialDeadlineMs"), double(m_state.trialDeadlineMs));
        o.insert(QStringLiteral("bootCount"), m_state.bootCount);
    }
    if (!m_state.lastResult.isEmpty())
        o.insert(QStringLiteral("lastResult"), m_state.lastResult);
    return o;
}

} // namespace hcp::updater
