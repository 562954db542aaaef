// SPDX-License-Identifier: Apache-2.0
// PersonalDataEraser: which records lose which fields, and when (acked by the hub and entered in
// the ledger); what stays; the ledger entry is untouched.
#include "ledger.h"
#include "personaldataeraser.h"
#include "store.h"

#include "crypto.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;

class TestPersonalDataEraser : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    static Evaluation eval(const QString &projectNo)
    {
        Evaluation e;
        e.projectNo = projectNo;
        e.serviceNumber = 1;
        e.satisfaction = 2;
        e.evalDetail = {QStringLiteral("501")};
        e.writingEvaluation = QStringLiteral("请回电话13800000000");
        e.userNameMasked = QStringLiteral("李*");
        e.certKeyEnc = QStringLiteral("MHgCIQDsynthetic+ciphertext+for+test==");
        e.assistedBy = QStringLiteral("agent-7");
        return e;
    }
    static void setOutboxState(Store &s, const QString &uuid, int state)
    {
        QSqlQuery q(s.database());
        q.prepare(QStringLiteral("UPDATE outbox SET state = ? WHERE uuid = ?"));
        q.addBindValue(state);
        q.addBindValue(uuid);
        QVERIFY(q.exec());
        QCOMPARE(q.numRowsAffected(), 1);
    }
    static QString text(Store &s, const QString &sql, const QString &uuid)
    {
        QSqlQuery q(s.database());
        q.prepare(sql);
        q.addBindValue(uuid);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    }

private Q_SLOTS:
    void erase_onlyAckedRecordsWithLedgerEntry_keepsNonPersonalFieldsAndLedger()
    {
        Store s;
        QVERIFY(s.open(m_dir.filePath(QStringLiteral("kiosk.sqlite"))));
        PersonalDataEraser eraser(&s);
        QSignalSpy erased(&eraser, &PersonalDataEraser::erased);

        // Committed before the ledger exists, and acknowledged: never erased, and never entered
        // into the ledger later (no row is signed after the fact): it stays as it is, as evidence.
        Evaluation e0 = eval(QStringLiteral("ERASE00000"));
        QVERIFY(s.commitEvaluation(e0).ok());
        setOutboxState(s, e0.uuid, 2);
        QCOMPARE(eraser.eraseAcknowledged(), 0);

        Ledger ledger(hcp::trust::Key::generate(hcp::trust::KeyType::Sm2));
        ledger.attach(s);
        Evaluation e1 = eval(QStringLiteral("ERASE00001"));
        QVERIFY(s.commitEvaluation(e1).ok());
        setOutboxState(s, e1.uuid, 2);
        Evaluation e2 = eval(QStringLiteral("ERASE00002"));
        QVERIFY(s.commitEvaluation(e2).ok());
        Evaluation e3 = eval(QStringLiteral("ERASE00003"));
        QVERIFY(s.commitEvaluation(e3).ok());
        setOutboxState(s, e3.uuid, 3); // quarantined: the hub has not accepted it
        const QString ledgerE1 = text(s, QStringLiteral("SELECT entry FROM ledger WHERE uuid = ?"), e1.uuid);
        QVERIFY(!ledgerE1.isEmpty());

        // e1: acked + ledger → erased; e2: queued; e3: quarantined.
        QCOMPARE(eraser.eraseAcknowledged(), 1);
        QCOMPARE(erased.size(), 1);
        const Evaluation back1 = *s.evaluation(e1.uuid);
        QVERIFY(back1.certKeyEnc.isEmpty());
        QVERIFY(back1.userNameMasked.isEmpty());
        QVERIFY(back1.writingEvaluation.isEmpty());
        QCOMPARE(back1.satisfaction, 2);
        QCOMPARE(back1.evalDetail, QStringList{QStringLiteral("501")});
        QCOMPARE(back1.assistedBy, QStringLiteral("agent-7"));
        QCOMPARE(back1.deviceSeq, e1.deviceSeq);
        const QString outbox1 = text(s, QStringLiteral("SELECT payload FROM outbox WHERE uuid = ?"), e1.uuid);
        QVERIFY(!outbox1.contains(QLatin1String("certKeyEnc")) && !outbox1.contains(QStringLiteral("13800000000")));
        QCOMPARE(text(s, QStringLiteral("SELECT entry FROM ledger WHERE uuid = ?"), e1.uuid), ledgerE1);
        QVERIFY(text(s, QStringLiteral("SELECT entry FROM ledger WHERE uuid = ?"), e0.uuid).isEmpty());
        for (const Evaluation &kept : {e0, e2, e3}) {
            const Evaluation b = *s.evaluation(kept.uuid);
            QCOMPARE(b.certKeyEnc, kept.certKeyEnc);
            QCOMPARE(b.writingEvaluation, kept.writingEvaluation);
        }
        // One rating per case still holds for an erased record.
        QVERIFY(s.ratedAt(e1.projectNo, 1).has_value());
        Evaluation again = eval(QStringLiteral("ERASE00001"));
        QCOMPARE(s.commitEvaluation(again).status, Store::CommitResult::Status::AlreadyRated);

        // Acked later: erased then; a second pass finds nothing.
        setOutboxState(s, e2.uuid, 2);
        QCOMPARE(eraser.eraseAcknowledged(), 1);
        QVERIFY(s.evaluation(e2.uuid)->certKeyEnc.isEmpty());
        QCOMPARE(eraser.eraseAcknowledged(), 0);
        QVERIFY(!s.evaluation(e3.uuid)->certKeyEnc.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPersonalDataEraser)
#include "tst_personaldataeraser.moc"
