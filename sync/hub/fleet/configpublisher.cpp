// SPDX-License-Identifier: Apache-2.0
#include "configpublisher.h"

#include "hubstore.h"

#include "configvalidator.h"

#include "canonicaljson.h"
#include "jsonmergepatch.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcConfigPublisher, "hcp.sync.hub.config")

namespace hcp::sync::hub {

using hcp::trust::CanonicalJson;
using hcp::trust::Crypto;

QJsonObject ConfigPublisher::Published::envelope() const
{
    return {{QStringLiteral("document"), document},
            {QStringLiteral("version"), QString::number(version)},
            {QStringLiteral("scope"), scope},
            {QStringLiteral("signature"), QString::fromLatin1(signature.toBase64())}};
}

ConfigPublisher::ConfigPublisher(HubStore *store, hcp::trust::Key signingKey)
    : m_store(store)
    , m_key(std::move(signingKey))
{
}

bool ConfigPublisher::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    Q_UNUSED(postgres);
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS config_versions (scope TEXT NOT NULL, version BIGINT NOT NULL, "
                       "document TEXT NOT NULL, signature TEXT NOT NULL, created_at BIGINT NOT NULL, "
                       "actor TEXT NOT NULL, PRIMARY KEY (scope, version))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS config_versions_version ON config_versions(version)"),
        QStringLiteral("INSERT INTO counters (name, value) VALUES ('config_version', 0) ON CONFLICT DO NOTHING"),
    };
    return HubStore::execStatements(db, statements, error);
}

QString ConfigPublisher::scopeError(const QString &scope)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(default|class:(terminal|pad)|hall:[A-Za-z0-9._-]{1,64}|device:[A-Za-z0-9._-]{1,64})$"));
    return pattern.match(scope).hasMatch()
        ? QString()
        : QStringLiteral("scope must be default, class:terminal, class:pad, hall:<code> or device:<id>");
}

QByteArray ConfigPublisher::signingInput(qint64 version, const QByteArray &canonicalDocument)
{
    return QByteArrayLiteral("HCP-CFG-V1\n") + QByteArray::number(version) + '\n' + canonicalDocument;
}

bool ConfigPublisher::verifyEnvelope(const QJsonObject &envelope, const hcp::trust::Key &hubPublicKey,
                                     QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!envelope.value(QLatin1String("document")).isObject())
        return fail(QStringLiteral("no document"));
    bool ok = false;
    const qint64 version = envelope.value(QLatin1String("version")).toString().toLongLong(&ok);
    if (!ok || version < 1)
        return fail(QStringLiteral("version is not a positive integer string"));
    const QByteArray signature = QByteArray::fromBase64(envelope.value(QLatin1String("signature")).toString().toLatin1());
    if (signature.isEmpty())
        return fail(QStringLiteral("unsigned"));
    QString canonicalError;
    const auto canonical = CanonicalJson::serialize(envelope.value(QLatin1String("document")).toObject(), &canonicalError);
    if (!canonical)
        return fail(canonicalError);
    if (!Crypto::verify(hubPublicKey, signingInput(version, *canonical), signature))
        return fail(QStringLiteral("bad signature"));
    return true;
}

ConfigPublisher::Outcome ConfigPublisher::publish(const QString &scope, const QJsonObject &document,
                                                  const QString &actor, Published *out, QString *reason)
{
    const bool calendarScope = scope == QLatin1String(kCalendarScope);
    if (QString e = calendarScope ? QString() : scopeError(scope); !e.isEmpty()) {
        *reason = e;
        return Outcome::Invalid;
    }
    if (calendarScope != document.contains(QLatin1String("holidays")) || (calendarScope && document.size() != 1)) {
        *reason = calendarScope ? QStringLiteral("the calendar scope holds only the holidays part")
                                : QStringLiteral("the holidays part is published from the calendar page (PROTOCOL §19)");
        return Outcome::Invalid;
    }
    if (QString e = ConfigValidator::validate(document); !e.isEmpty()) {
        *reason = e;
        return Outcome::Invalid;
    }
    if (m_key.isNull() || !m_key.hasPrivate()) {
        *reason = QStringLiteral("the hub has no signing identity");
        return Outcome::Failed;
    }
    const QByteArray canonical = *CanonicalJson::serialize(document);
    QSqlDatabase &db = m_store->database();
    if (!db.transaction()) {
        *reason = db.lastError().text();
        return Outcome::Failed;
    }
    QSqlQuery q(db);
    auto failed = [&](const QString &why) {
        *reason = why;
        db.rollback();
        qCWarning(lcConfigPublisher) << "publish failed:" << why;
        return Outcome::Failed;
    };
    if (!q.exec(QStringLiteral("UPDATE counters SET value = value + 1 WHERE name = 'config_version' RETURNING value"))
        || !q.next())
        return failed(q.lastError().text());
    Published p;
    p.scope = scope;
    p.version = q.value(0).toLongLong();
    q.finish();
    p.document = document;
    p.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    p.actor = actor;
    QString signError;
    const auto signature = Crypto::sign(m_key, signingInput(p.version, canonical), &signError);
    if (!signature)
        return failed(signError);
    p.signature = *signature;
    q.prepare(QStringLiteral("INSERT INTO config_versions (scope, version, document, signature, created_at, actor) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(scope);
    q.addBindValue(p.version);
    q.addBindValue(QString::fromUtf8(canonical));
    q.addBindValue(QString::fromLatin1(p.signature.toBase64()));
    q.addBindValue(p.createdAtMs);
    q.addBindValue(actor);
    if (!q.exec())
        return failed(q.lastError().text());
    if (!db.commit())
        return failed(db.lastError().text());
    qCInfo(lcConfigPublisher) << "published" << scope << "version" << p.version << "by" << actor;
    if (out)
        *out = p;
    return Outcome::Published;
}

std::optional<ConfigPublisher::Published> ConfigPublisher::readRow(QSqlQuery &q)
{
    Published p;
    p.scope = q.value(0).toString();
    p.version = q.value(1).toLongLong();
    p.document = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
    p.signature = QByteArray::fromBase64(q.value(3).toString().toLatin1());
    p.createdAtMs = q.value(4).toLongLong();
    p.actor = q.value(5).toString();
    return p;
}

std::optional<ConfigPublisher::Published> ConfigPublisher::latest(const QString &scope)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT scope, version, document, signature, created_at, actor FROM config_versions "
                             "WHERE scope = ? ORDER BY version DESC LIMIT 1"));
    q.addBindValue(scope);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return readRow(q);
}

QStringList ConfigPublisher::scopesFor(const HubStore::Device &device)
{
    return {QLatin1String(kCalendarScope), QStringLiteral("default"), QStringLiteral("class:") + device.deviceClass,
            QStringLiteral("hall:") + device.hallCode, QStringLiteral("device:") + device.deviceId};
}

QJsonObject ConfigPublisher::compose(const QList<QJsonObject> &layers)
{
    QJsonObject out;
    for (const QJsonObject &layer : layers) {
        for (auto it = layer.begin(); it != layer.end(); ++it) {
            if (it.key() == QLatin1String("kiosk"))
                out.insert(it.key(), JsonMergePatch::layer(out.value(it.key()).toObject(), it.value().toObject()));
            else
                out.insert(it.key(), it.value());
        }
    }
    return out;
}

QJsonObject ConfigPublisher::composeFor(const HubStore::Device &device, const QString &scope, const QJsonObject &candidate)
{
    QList<QJsonObject> documents;
    for (const QString &s : scopesFor(device)) {
        if (s == scope)
            documents.append(candidate);
        else if (auto p = latest(s))
            documents.append(p->document);
    }
    return compose(documents);
}

std::optional<ConfigPublisher::Published> ConfigPublisher::forDevice(const HubStore::Device &device)
{
    QList<Published> layers;
    QString key;
    for (const QString &scope : scopesFor(device)) {
        if (auto p = latest(scope)) {
            key += scope + QLatin1Char('@') + QString::number(p->version) + QLatin1Char('|');
            layers.append(*p);
        }
    }
    if (layers.size() <= 1)
        return layers.isEmpty() ? std::nullopt : std::optional<Published>(layers.first());
    if (const auto it = m_composed.constFind(key); it != m_composed.constEnd())
        return *it;
    Published p = layers.last();
    QList<QJsonObject> documents;
    for (const Published &layer : layers) {
        documents.append(layer.document);
        if (layer.version > p.version) {
            p.version = layer.version;
            p.createdAtMs = layer.createdAtMs;
            p.actor = layer.actor;
        }
    }
    p.document = compose(documents);
    // The layers were each validated when published; their composition is checked again, as a
    // kiosk will check it, so that a layer which is valid alone cannot produce an invalid whole.
    if (const QString e = ConfigValidator::validate(p.document); !e.isEmpty()) {
        qCWarning(lcConfigPublisher) << "composed configuration for" << device.deviceId << "is invalid:" << e;
        return std::nullopt;
    }
    QString signError;
    const auto signature = Crypto::sign(m_key, signingInput(p.version, *CanonicalJson::serialize(p.document)), &signError);
    if (!signature) {
        qCWarning(lcConfigPublisher) << "cannot sign the composed configuration:" << signError;
        return std::nullopt;
    }
    p.signature = *signature;
    if (m_composed.size() > 4096) // one entry per distinct (hall, class, device-override) combination in use
        m_composed.clear();
    m_composed.insert(key, p);
    return p;
}

QJsonArray ConfigPublisher::history(int limit)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT scope, version, document, signature, created_at, actor FROM config_versions "
                             "ORDER BY version DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next()) {
        const auto p = readRow(q);
        out.append(QJsonObject{{QStringLiteral("scope"), p->scope},
                               {QStringLiteral("version"), QString::number(p->version)},
                               {QStringLiteral("createdAtMs"), p->createdAtMs},
                               {QStringLiteral("actor"), p->actor},
                               {QStringLiteral("parts"), QJsonArray::fromStringList(p->document.keys())}});
    }
    return out;
}

} // namespace hcp::sync::hub
