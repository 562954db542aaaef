// SPDX-License-Identifier: Apache-2.0
#include "personaldata.h"

#include "../wire.h"
#include "hubstore.h"

#include "deviceidentity.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcPersonalData, "hcp.sync.hub.personaldata")

namespace hcp::sync::hub {

std::optional<QString> decryptCertKey(const trust::DeviceIdentity &hub, const QString &certKeyEnc)
{
    if (hub.type() != trust::KeyType::Sm2 || certKeyEnc.isEmpty())
        return std::nullopt;
    const auto cipher = QByteArray::fromBase64Encoding(certKeyEnc.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!cipher)
        return std::nullopt;
    QString error;
    const auto plain = trust::Crypto::sm2Decrypt(hub.key(), *cipher, &error);
    if (!plain) {
        // The reason only: never the ciphertext, never a plain number.
        qCWarning(lcPersonalData) << "certKeyEnc not decryptable:" << error;
        return std::nullopt;
    }
    return QString::fromUtf8(*plain);
}

bool migrateCertKeyHashes(HubStore &store, QString *error)
{
    QSqlDatabase &db = store.database();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT value FROM hub_meta WHERE key = 'cert_key_hash_scheme'"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    if (q.next() && q.value(0).toString() == QLatin1String(wire::kCertKeyHashScheme))
        return true;
    q.finish();
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    auto fail = [&](const QSqlQuery &failed) {
        if (error)
            *error = failed.lastError().text();
        db.rollback();
        return false;
    };
    // Rewritten in C++ rather than with JSON SQL functions: the same code runs on SQLite and
    // PostgreSQL (payload is TEXT on both).
    QList<std::pair<QString, int>> keys;
    QList<QString> payloads;
    if (!q.exec(QStringLiteral("SELECT project_no, service_number, payload FROM cases "
                               "WHERE cert_key_hash IS NOT NULL AND cert_key_hash <> ''")))
        return fail(q);
    while (q.next()) {
        keys.append({q.value(0).toString(), q.value(1).toInt()});
        QJsonObject c = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
        c.remove(QStringLiteral("certKeyHash"));
        payloads.append(QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact)));
    }
    q.finish();
    if (!keys.isEmpty()) {
        QSqlQuery counter(db);
        counter.prepare(QStringLiteral("UPDATE counters SET value = value + ? WHERE name = 'case_change' RETURNING value"));
        counter.addBindValue(static_cast<qint64>(keys.size()));
        if (!counter.exec() || !counter.next())
            return fail(counter);
        qint64 seq = counter.value(0).toLongLong() - keys.size();
        counter.finish();
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE cases SET cert_key_hash = NULL, payload = ?, change_seq = ? "
                                      "WHERE project_no = ? AND service_number = ?"));
        for (qsizetype i = 0; i < keys.size(); ++i) {
            update.bindValue(0, payloads.at(i));
            update.bindValue(1, ++seq);
            update.bindValue(2, keys.at(i).first);
            update.bindValue(3, keys.at(i).second);
            if (!update.exec())
                return fail(update);
        }
    }
    QSqlQuery mark(db);
    mark.prepare(QStringLiteral("INSERT INTO hub_meta (key, value) VALUES ('cert_key_hash_scheme', ?) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    mark.addBindValue(QString::fromLatin1(wire::kCertKeyHashScheme));
    if (!mark.exec())
        return fail(mark);
    if (!db.commit()) {
        if (error)
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    if (!keys.isEmpty())
        qCWarning(lcPersonalData).nospace()
            << keys.size() << " case(s) lost their ID-number hash (scheme changed to "
            << wire::kCertKeyHashScheme << "): re-import them with certNo so card lookups find them";
    return true;
}

} // namespace hcp::sync::hub
