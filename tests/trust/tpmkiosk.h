// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test support of the TPM tests: one kiosk wired as kiosk/main.cpp wires it (Store, Ledger,
// TpmAttestor, HubClient, OutboxSender), and root's directory copies.
#include "hubclient.h"
#include "hubprocess.h"
#include "ledger.h"
#include "outboxsender.h"
#include "store.h"
#include "tpmattestor.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>
#include <optional>

namespace hcp::trust::test {

using namespace hcp::sync::test;


// One kiosk: data dir (database) and identity dir (file key + TPM key blob) apart, as in main.cpp.
class TpmKiosk
{
public:
    TpmKiosk(const QString &deviceId, const QString &root, const QUrl &hub, const QString &tcti,
             std::optional<trust::Key> key = std::nullopt)
        : m_deviceId(deviceId)
        , m_root(root)
        , m_hub(hub)
        , m_tcti(tcti)
        , m_key(key ? *key : trust::Key::generate(trust::KeyType::Sm2))
        , m_ledger(m_key)
    {
        QDir().mkpath(dataDir());
        QDir().mkpath(identityDir());
    }

    bool enroll()
    {
        m_credentials = enrollWithKey(m_hub, m_deviceId, m_key);
        return m_credentials.isValid();
    }
    void adoptCredentials(const sync::DeviceCredentials &c) { m_credentials = c; }
    void setTcti(const QString &tcti) { m_tcti = tcti; }
    const sync::DeviceCredentials &credentials() const { return m_credentials; }
    QString deviceId() const { return m_deviceId; }
    QString dataDir() const { return m_root + QStringLiteral("/data"); }
    QString identityDir() const { return m_root + QStringLiteral("/identity"); }
    QString dbPath() const { return dataDir() + QStringLiteral("/kiosk.sqlite"); }
    const trust::Key &key() const { return m_key; }
    kiosk::TpmAttestor *tpm() { return m_tpm.get(); }

    bool open(QString *error)
    {
        if (!m_store.open(dbPath(), error))
            return false;
        m_ledger.attach(m_store);
        if (!m_tcti.isEmpty()) {
            m_tpm = kiosk::TpmAttestor::open(m_tcti, identityDir() + QStringLiteral("/tpm-key.blob"), error);
            if (!m_tpm)
                return false;
            m_store.setCommitHook(m_tpm->counterHook());
        }
        m_client = std::make_unique<sync::HubClient>();
        m_client->setCredentials(m_credentials);
        m_client->setDeviceKey(m_key);
        m_sender = std::make_unique<sync::OutboxSender>(m_client.get());
        sync::OutboxSender::Options options;
        options.backoffBaseMs = 50;
        options.backoffCapMs = 200;
        options.idlePollMs = 100;
        m_sender->setOptions(options);
        m_sender->setLedgerSigner(m_ledger.builder());
        m_sender->setAttestationProvider([this] { return attestation(); });
        return m_sender->open(dbPath(), error);
    }

    void close()
    {
        m_sender.reset();
        m_client.reset();
        m_tpm.reset();
        m_store.close();
    }

    bool commit(int n, int satisfaction = 5)
    {
        for (int i = 0; i < n; ++i) {
            kiosk::Evaluation e;
            static int projects = 0; // unique across kiosks and their clones (a case is rated once)
            e.projectNo = QStringLiteral("T%1-%2").arg(m_deviceId).arg(++projects);
            e.satisfaction = satisfaction;
            if (satisfaction <= 2)
                e.writingEvaluation = QStringLiteral("窗口人员态度差");
            const auto r = m_store.commitEvaluation(e);
            if (!r.ok()) {
                qWarning() << "commit failed:" << r.error;
                return false;
            }
        }
        return true;
    }

    bool sync()
    {
        QSignalSpy drained(m_sender.get(), &sync::OutboxSender::drained);
        m_sender->start();
        const bool ok = drained.wait(20000);
        m_sender->stop();
        return ok;
    }

    // What root's copy sends instead of a fresh attestation (a captured one); empty = none.
    void replayAttestation(const QJsonObject &captured) { m_replay = captured; }

    QJsonObject attestation()
    {
        if (!m_replay.isEmpty())
            return m_replay;
        if (!m_tpm)
            return {};
        QSqlDatabase db = m_store.database();
        QString error;
        const auto a = m_tpm->attest(db, m_deviceId, &error);
        if (!a)
            qWarning() << "attest failed:" << error;
        return a.value_or(QJsonObject{});
    }

    // overrideTpm: what a tampering root sends instead of the kiosk's own attestation.
    int heartbeat(const std::optional<QJsonObject> &overrideTpm = std::nullopt)
    {
        QSqlDatabase db = m_store.database();
        sync::HeartbeatInfo info;
        info.version = QStringLiteral("test");
        info.deviceStatus = QJsonObject{{QStringLiteral("tpm"), m_tpm ? QStringLiteral("ok") : QStringLiteral("none: no /dev/tpmrm0")}};
        if (const auto head = m_ledger.signedHead(db))
            info.ledgerHead = head->toJson();
        info.tpm = overrideTpm ? *overrideTpm : attestation();
        int status = 0;
        bool done = false;
        m_client->sendHeartbeat(info, [&](const sync::HubReply &r) {
            status = r.status;
            done = true;
        });
        QTest::qWaitFor([&] { return done; }, 15000);
        return status;
    }

    // Root's SQL on the kiosk database, through the kiosk's own connection.
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_store.database());
        if (q.exec(sql))
            return true;
        qWarning() << "tamper SQL failed:" << q.lastError().text() << sql;
        return false;
    }

private:
    QString m_deviceId;
    QString m_root;
    QUrl m_hub;
    QString m_tcti;
    trust::Key m_key;
    kiosk::Ledger m_ledger;
    sync::DeviceCredentials m_credentials;
    kiosk::Store m_store;
    std::unique_ptr<kiosk::TpmAttestor> m_tpm;
    QJsonObject m_replay;
    std::unique_ptr<sync::HubClient> m_client;
    std::unique_ptr<sync::OutboxSender> m_sender;
};

inline bool copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &f : QDir(from).entryInfoList(QDir::Files))
        if (!QFile::copy(f.absoluteFilePath(), to + QLatin1Char('/') + f.fileName()))
            return false;
    return true;
}

inline bool replaceDir(const QString &from, const QString &to)
{
    QDir(to).removeRecursively();
    return copyDir(from, to);
}


} // namespace hcp::trust::test
