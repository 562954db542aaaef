// SPDX-License-Identifier: Apache-2.0
// LedgerBuilder + LedgerVerifier: an honest kiosk is never flagged; every way of tampering
// with a kiosk's ledger is flagged with its own problem kind.
#include "canonicaljson.h"
#include "crypto.h"
#include "ledgerbuilder.h"
#include "ledgerverifier.h"

#include <QElapsedTimer>
#include <QHash>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

using namespace hcp::trust;
using Kind = LedgerProblem::Kind;

namespace {

QJsonObject evaluation(quint64 seq, const QString &uuid, const QString &time, int satisfaction)
{
    return QJsonObject{
        {QStringLiteral("uuid"), uuid},
        {QStringLiteral("deviceSeq"), double(seq)},
        {QStringLiteral("projectNo"), QStringLiteral("110105202611280001")},
        {QStringLiteral("serviceNumber"), 1},
        {QStringLiteral("assessNumber"), 1},
        {QStringLiteral("pf"), 5},
        {QStringLiteral("satisfaction"), satisfaction},
        {QStringLiteral("evalDetail"), satisfaction <= 2 ? QStringLiteral("501") : QString()},
        {QStringLiteral("assessTime"), time},
        {QStringLiteral("userNameMasked"), QStringLiteral("李*")},
    };
}

// A simulated kiosk: writes evaluations through LedgerBuilder as the store would.
struct Kiosk
{
    explicit Kiosk(Key k = Key::generate(KeyType::Sm2)) : key(std::move(k)), builder(key) {}

    void rate(int satisfaction)
    {
        const quint64 seq = head.deviceSeq + 1;
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString time = QStringLiteral("2026-11-28 09:%1:00").arg(seq % 60, 2, 10, QLatin1Char('0'));
        const QJsonObject eval = evaluation(seq, uuid, time, satisfaction);
        QString error;
        auto entry = builder.append(head, uuid, time, eval, &error);
        QVERIFY2(entry, qPrintable(error));
        head = entry->head();
        items.append(LedgerBatchItem{*entry, eval});
    }
    void rateMany(int n)
    {
        for (int i = 0; i < n; ++i)
            rate(i % 4 == 3 ? 1 : 5);
    }
    SignedHead signedHead() const { return *builder.signHead(head); }

    Key key;
    LedgerBuilder builder;
    LedgerHead head;
    QList<LedgerBatchItem> items;
};

// What the hub stores: entries it accepted, for replay and fork checks below its head.
struct Hub
{
    LedgerVerification receive(const Key &devicePublicKey, const QList<LedgerBatchItem> &batch,
                               const std::optional<SignedHead> &head = std::nullopt)
    {
        LedgerVerifier verifier(devicePublicKey, known);
        verifier.setKnownHashLookup([this](quint64 seq) -> std::optional<QByteArray> {
            const auto it = stored.constFind(seq);
            return it == stored.cend() ? std::nullopt : std::optional<QByteArray>(*it);
        });
        LedgerVerification r = verifier.verifyBatch(batch, head);
        for (const LedgerBatchItem &item : batch) {
            if (item.entry.deviceSeq <= r.newHead.deviceSeq && !stored.contains(item.entry.deviceSeq))
                stored.insert(item.entry.deviceSeq, item.entry.entryHash);
        }
        known = r.newHead;
        return r;
    }
    LedgerHead known;
    QHash<quint64, QByteArray> stored;
};

QString describe(const LedgerVerification &r)
{
    QStringList lines;
    for (const LedgerProblem &p : r.problems)
        lines << QStringLiteral("%1 seq %2: %3").arg(LedgerProblem::kindName(p.kind)).arg(p.deviceSeq).arg(p.evidence);
    return lines.join(QLatin1Char('\n'));
}

QSet<Kind> kinds(const LedgerVerification &r)
{
    QSet<Kind> s;
    for (const LedgerProblem &p : r.problems)
        s.insert(p.kind);
    return s;
}

} // namespace

class TestLedger : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void entryHash_isSm3OfTheDocumentedInput()
    {
        LedgerEntry e;
        e.deviceSeq = 7;
        e.uuid = QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01");
        e.assessTime = QStringLiteral("2026-11-28 09:30:00");
        e.payloadHash = Crypto::sm3("abc");
        e.prevHash = QByteArray(32, '\x11');
        const QByteArray expectedInput =
            "HCP-LEDGER-V1|7|6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01|2026-11-28 09:30:00|"
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0|"
            "1111111111111111111111111111111111111111111111111111111111111111";
        QCOMPARE(e.hashInput(), expectedInput);
        QCOMPARE(e.computeEntryHash(), Crypto::sm3(expectedInput));
    }

    void append_firstEntry_chainsFromGenesisAndHashesCanonicalPayload()
    {
        Kiosk k;
        k.rate(5);
        const LedgerEntry e = k.items.first().entry;
        QCOMPARE(e.deviceSeq, quint64(1));
        QCOMPARE(e.prevHash, QByteArray(32, '\0'));
        QCOMPARE(e.payloadHash, Crypto::sm3(*CanonicalJson::serialize(*k.items.first().evaluation)));
        QCOMPARE(e.entryHash, e.computeEntryHash());
        QVERIFY(Crypto::verify(k.key, e.entryHash, e.signature));
        k.rate(5);
        QCOMPARE(k.items[1].entry.prevHash, e.entryHash);
        QCOMPARE(k.items[1].entry.deviceSeq, quint64(2));
    }

    void append_malformedUuidOrTime_isRefused()
    {
        LedgerBuilder b(Key::generate(KeyType::Sm2));
        QString error;
        QVERIFY(!b.append({}, QStringLiteral("{6F1C2A4E-8C1B-4F7E-9D55-0B7A3D1E2F01}"),
                          QStringLiteral("2026-11-28 09:30:00"), {}, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!b.append({}, QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"),
                          QStringLiteral("2026|11"), {}, &error));
        QVERIFY(!b.append({}, QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"),
                          QStringLiteral("2026-11-28 09:30:00"), QJsonObject{{QStringLiteral("x"), 0.5}}, &error));
    }

    void entryJson_roundTripsAndRefusesBadFields()
    {
        Kiosk k;
        k.rate(5);
        const LedgerEntry &e = k.items.first().entry;
        const auto back = LedgerEntry::fromJson(e.toJson());
        QVERIFY(back);
        QCOMPARE(*back, e);
        QJsonObject bad = e.toJson();
        bad.insert(QStringLiteral("prevHash"), QStringLiteral("zz"));
        QVERIFY(!LedgerEntry::fromJson(bad));
        bad = e.toJson();
        bad.insert(QStringLiteral("deviceSeq"), 1.5);
        QVERIFY(!LedgerEntry::fromJson(bad));
        const SignedHead h = k.signedHead();
        const auto hb = SignedHead::fromJson(h.toJson());
        QVERIFY(hb);
        QCOMPARE(hb->head, h.head);
        QVERIFY(hb->verify(k.key));
    }

    void honestKiosk_batchesRestartsAndReplays_raiseNoProblem_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::newRow("sm2") << KeyType::Sm2;
        QTest::newRow("ed25519") << KeyType::Ed25519;
    }

    void honestKiosk_batchesRestartsAndReplays_raiseNoProblem()
    {
        QFETCH(KeyType, type);
        Kiosk k(Key::generate(type));
        Hub hub;
        k.rateMany(5);
        auto r = hub.receive(k.key.publicOnly(), k.items, k.signedHead());
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.accepted, 5);
        QCOMPARE(hub.known, k.head);

        // Restart: the key is reloaded from its PEM and the head from the store.
        Kiosk restarted(Key::fromPem(k.key.privatePem()));
        restarted.head = k.head;
        restarted.items = k.items;
        restarted.rateMany(5);
        // The ack of entries 4 and 5 was lost, so they are sent again with 6..10.
        r = hub.receive(k.key.publicOnly(), restarted.items.mid(3), restarted.signedHead());
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.replayed, 2);
        QCOMPARE(r.accepted, 5);
        QCOMPARE(hub.known.deviceSeq, quint64(10));
        // The same batch once more (a lost response), and a heartbeat head.
        r = hub.receive(k.key.publicOnly(), restarted.items.mid(3), restarted.signedHead());
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.replayed, 7);
        r = hub.receive(k.key.publicOnly(), {}, restarted.signedHead());
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        // Entries without their evaluation (purged after ack) still verify.
        QList<LedgerBatchItem> bare = restarted.items;
        for (LedgerBatchItem &item : bare)
            item.evaluation.reset();
        LedgerVerifier fresh(k.key.publicOnly());
        QVERIFY(fresh.verifyBatch(bare).ok());
    }

    void deleteEntry_isGap()
    {
        Kiosk k;
        k.rateMany(8);
        Hub hub;
        QList<LedgerBatchItem> batch = k.items;
        batch.removeAt(4); // the 差评 at seq 5 torn out
        const auto r = hub.receive(k.key, batch, k.signedHead());
        QVERIFY(r.has(Kind::Gap));
        QCOMPARE(kinds(r), QSet<Kind>{Kind::Gap});
        QCOMPARE(r.problems.first().deviceSeq, quint64(6));
        QVERIFY(r.problems.first().evidence.contains(QLatin1String("5..5")));
        QCOMPARE(r.newHead.deviceSeq, quint64(4));
    }

    void deleteEntryAndRenumber_isEditedEntry()
    {
        Kiosk k;
        k.rateMany(6);
        QList<LedgerBatchItem> batch = k.items;
        batch.removeAt(2);
        for (int i = 2; i < batch.size(); ++i)
            batch[i].entry.deviceSeq -= 1;
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QVERIFY(r.has(Kind::EditedEntry));
        QCOMPARE(r.count(Kind::EditedEntry), 3);
        QCOMPARE(r.newHead.deviceSeq, quint64(2));
    }

    void changeSatisfaction_isEditedPayload()
    {
        Kiosk k;
        k.rateMany(4);
        QList<LedgerBatchItem> batch = k.items;
        QVERIFY(batch[3].evaluation->value(QLatin1String("satisfaction")).toInt() == 1);
        batch[3].evaluation->insert(QStringLiteral("satisfaction"), 5);
        const auto r = LedgerVerifier(k.key).verifyBatch(batch, k.signedHead());
        QCOMPARE(kinds(r), QSet<Kind>{Kind::EditedPayload});
        QCOMPARE(r.problems.first().deviceSeq, quint64(4));
        QCOMPARE(r.problems.first().uuid, batch[3].entry.uuid);
    }

    void changeSatisfactionAndRehash_isBadSignature()
    {
        Kiosk k;
        k.rateMany(4);
        QList<LedgerBatchItem> batch = k.items;
        batch[3].evaluation->insert(QStringLiteral("satisfaction"), 5);
        LedgerEntry &e = batch[3].entry;
        e.payloadHash = Crypto::sm3(*CanonicalJson::serialize(*batch[3].evaluation));
        e.entryHash = e.computeEntryHash();
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QCOMPARE(kinds(r), QSet<Kind>{Kind::BadSignature});
        QCOMPARE(r.newHead.deviceSeq, quint64(3));
    }

    void editAssessTime_isEditedEntry()
    {
        Kiosk k;
        k.rateMany(3);
        QList<LedgerBatchItem> batch = k.items;
        batch[1].entry.assessTime = QStringLiteral("2026-11-28 23:59:00");
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QVERIFY(r.has(Kind::EditedEntry));
    }

    void swapTwoRows_isReordered()
    {
        Kiosk k;
        k.rateMany(6);
        QList<LedgerBatchItem> batch = k.items;
        batch.swapItemsAt(2, 3);
        const auto r = LedgerVerifier(k.key).verifyBatch(batch, k.signedHead());
        QCOMPARE(kinds(r), QSet<Kind>{Kind::Reordered});
        QCOMPARE(r.problems.first().deviceSeq, quint64(3));
    }

    void swapPayloadsBetweenRows_isEditedPayload()
    {
        Kiosk k;
        k.rateMany(4);
        QList<LedgerBatchItem> batch = k.items;
        std::swap(batch[0].evaluation, batch[3].evaluation);
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QCOMPARE(r.count(Kind::EditedPayload), 2);
    }

    void insertForgedRow_isInserted()
    {
        Kiosk k;
        k.rateMany(6);
        QList<LedgerBatchItem> batch = k.items;
        // A forged good rating slipped in at seq 4, linked correctly, with a copied signature.
        LedgerBatchItem forged = batch[3];
        forged.entry.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        forged.evaluation = evaluation(4, forged.entry.uuid, forged.entry.assessTime, 5);
        forged.entry.payloadHash = Crypto::sm3(*CanonicalJson::serialize(*forged.evaluation));
        forged.entry.entryHash = forged.entry.computeEntryHash();
        batch.insert(4, forged);
        const auto r = LedgerVerifier(k.key).verifyBatch(batch, k.signedHead());
        QVERIFY2(r.has(Kind::Inserted), qPrintable(describe(r)));
        QVERIFY(r.has(Kind::BadSignature));
        QVERIFY(!r.has(Kind::Fork));
        QCOMPARE(r.newHead, k.head); // the genuine chain still verifies
    }

    void insertForgedRowThatDoesNotLink_isInserted()
    {
        Kiosk k;
        k.rateMany(3);
        Kiosk forger; // another key, another history
        forger.rateMany(4);
        QList<LedgerBatchItem> batch = k.items;
        batch.append(forger.items[3]); // seq 4, links to the forger's seq 3
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QVERIFY2(r.has(Kind::Inserted), qPrintable(describe(r)));
        QCOMPARE(r.newHead, k.head);
    }

    void restoreBackupAndContinue_isFork()
    {
        Kiosk k;
        Hub hub;
        k.rateMany(6);
        QVERIFY(hub.receive(k.key, k.items, k.signedHead()).ok());
        // The database is restored from a backup taken at seq 3 and the kiosk carries on.
        Kiosk restored(k.key);
        restored.head = k.items[2].entry.head();
        restored.items = k.items.mid(0, 3);
        restored.rateMany(4);
        const auto r = hub.receive(k.key, restored.items.mid(3), restored.signedHead());
        QVERIFY2(r.has(Kind::Fork), qPrintable(describe(r)));
        QCOMPARE(hub.known.deviceSeq, quint64(6)); // the hub keeps its history
    }

    void twoSignedEntriesForOneSeq_isFork()
    {
        Kiosk k;
        k.rateMany(3);
        Kiosk other(k.key);
        other.head = k.items[1].entry.head();
        other.items = k.items.mid(0, 2);
        other.rate(5);
        QList<LedgerBatchItem> batch = k.items;
        batch.append(other.items[2]);
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QVERIFY2(r.has(Kind::Fork), qPrintable(describe(r)));
    }

    void restoreOlderBackup_headIsRewind()
    {
        Kiosk k;
        Hub hub;
        k.rateMany(6);
        QVERIFY(hub.receive(k.key, k.items, k.signedHead()).ok());
        const SignedHead older = *k.builder.signHead(k.items[2].entry.head());
        const auto r = hub.receive(k.key, {}, older);
        QCOMPARE(kinds(r), QSet<Kind>{Kind::Rewind});
        QCOMPARE(r.problems.first().deviceSeq, quint64(3));
        QCOMPARE(hub.known.deviceSeq, quint64(6));
    }

    void headWithOtherHashAtKnownSeq_isFork()
    {
        Kiosk k;
        Hub hub;
        k.rateMany(3);
        QVERIFY(hub.receive(k.key, k.items, k.signedHead()).ok());
        const SignedHead other = *k.builder.signHead(LedgerHead{3, Crypto::sm3("other history")});
        QCOMPARE(kinds(hub.receive(k.key, {}, other)), QSet<Kind>{Kind::Fork});
    }

    void batchStartsAfterKnownHead_isGap()
    {
        Kiosk k;
        Hub hub;
        k.rateMany(8);
        QVERIFY(hub.receive(k.key, k.items.mid(0, 3)).ok());
        const auto r = hub.receive(k.key, k.items.mid(5), k.signedHead());
        QCOMPARE(kinds(r), QSet<Kind>{Kind::Gap});
        QVERIFY(r.problems.first().evidence.contains(QLatin1String("4..5")));
        QCOMPARE(hub.known.deviceSeq, quint64(3));
    }

    void replacedKey_isBadSignatureOnEveryEntryAndHead()
    {
        Kiosk original;
        Hub hub;
        original.rateMany(3);
        QVERIFY(hub.receive(original.key, original.items, original.signedHead()).ok());
        // Same chain continued under a new key (e.g. an SD card swapped into another unit).
        Kiosk swapped;
        swapped.head = original.head;
        swapped.rateMany(4);
        const auto r = hub.receive(original.key, swapped.items, swapped.signedHead());
        QCOMPARE(kinds(r), QSet<Kind>{Kind::BadSignature});
        QCOMPARE(r.count(Kind::BadSignature), 5); // four entries and the head
        QVERIFY(r.problems.first().evidence.contains(QLatin1String("replaced")));
        QCOMPARE(hub.known.deviceSeq, quint64(3));
    }

    void malformedEntry_isMalformed()
    {
        Kiosk k;
        k.rateMany(2);
        QList<LedgerBatchItem> batch = k.items;
        batch[1].entry.prevHash = QByteArray(5, 'x');
        const auto r = LedgerVerifier(k.key).verifyBatch(batch);
        QVERIFY(r.has(Kind::Malformed));
    }

    void tamperSuite_everyTamperingIsFlagged_data()
    {
        QTest::addColumn<LedgerVerifier::SignaturePolicy>("policy");
        QTest::newRow("every-entry") << LedgerVerifier::SignaturePolicy::EveryEntry;
        QTest::newRow("head-covers") << LedgerVerifier::SignaturePolicy::HeadCovers;
    }

    void tamperSuite_everyTamperingIsFlagged()
    {
        QFETCH(LedgerVerifier::SignaturePolicy, policy);
        // Each scenario edits a copy of an honest kiosk's batch the way someone with the
        // database (but not the key) could; the hub must flag every one.
        Kiosk k;
        k.rateMany(10);
        using Scenario = std::function<QList<LedgerBatchItem>(QList<LedgerBatchItem>)>;
        const QList<std::pair<const char *, Scenario>> scenarios = {
            {"delete first", [](auto b) { b.removeFirst(); return b; }},
            {"delete middle", [](auto b) { b.removeAt(5); return b; }},
            {"delete two", [](auto b) { b.removeAt(7); b.removeAt(2); return b; }},
            {"change satisfaction", [](auto b) { b[6].evaluation->insert(QStringLiteral("satisfaction"), 4); return b; }},
            {"change comment", [](auto b) { b[0].evaluation->insert(QStringLiteral("writingEvaluation"), QStringLiteral("好")); return b; }},
            {"drop a field", [](auto b) { b[2].evaluation->remove(QStringLiteral("evalDetail")); return b; }},
            {"swap rows", [](auto b) { b.swapItemsAt(1, 2); return b; }},
            {"move last first", [](auto b) { b.prepend(b.takeLast()); return b; }},
            {"swap seqs", [](auto b) { std::swap(b[3].entry.deviceSeq, b[4].entry.deviceSeq); return b; }},
            {"edit time", [](auto b) { b[8].entry.assessTime = QStringLiteral("2026-11-28 03:00:00"); return b; }},
            {"duplicate seq forged", [](auto b) { auto f = b[4]; f.entry.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces); f.entry.entryHash = f.entry.computeEntryHash(); b.insert(5, f); return b; }},
        };
        int flagged = 0;
        for (const auto &[name, tamper] : scenarios) {
            LedgerVerifier verifier(k.key);
            verifier.setSignaturePolicy(policy);
            const auto r = verifier.verifyBatch(tamper(k.items), k.signedHead());
            if (!r.ok())
                ++flagged;
            else
                qWarning() << "NOT flagged:" << name;
        }
        qInfo("%s: tamper scenarios flagged: %d/%lld (%.0f %%)", QTest::currentDataTag(), flagged,
              qlonglong(scenarios.size()), 100.0 * flagged / scenarios.size());
        QCOMPARE(flagged, int(scenarios.size()));
    }

    void corruptedSignatureField_isFlaggedOnlyWhenEveryEntryIsChecked()
    {
        // The documented trade-off of HeadCovers: the entry's content is proven by the
        // signed head, so a damaged signature field alone goes unreported in that mode.
        Kiosk k;
        k.rateMany(5);
        QList<LedgerBatchItem> batch = k.items;
        batch[2].entry.signature[10] = char(batch[2].entry.signature[10] ^ 1);
        LedgerVerifier strict(k.key);
        QCOMPARE(kinds(strict.verifyBatch(batch, k.signedHead())), QSet<Kind>{Kind::BadSignature});
        LedgerVerifier covered(k.key);
        covered.setSignaturePolicy(LedgerVerifier::SignaturePolicy::HeadCovers);
        QVERIFY(covered.verifyBatch(batch, k.signedHead()).ok());
        // Without the head the fast path cannot apply.
        QVERIFY(covered.verifyBatch(batch).has(Kind::BadSignature));
    }

    void headCovers_headBeyondBatch_fallsBackToEveryEntry()
    {
        Kiosk k;
        k.rateMany(6);
        LedgerVerifier covered(k.key);
        covered.setSignaturePolicy(LedgerVerifier::SignaturePolicy::HeadCovers);
        QList<LedgerBatchItem> batch = k.items.mid(0, 4);
        batch[1].entry.signature[10] = char(batch[1].entry.signature[10] ^ 1);
        // Head is at seq 6, batch ends at 4: not covered, so every signature is checked.
        QVERIFY(covered.verifyBatch(batch, k.signedHead()).has(Kind::BadSignature));
        const auto honest = covered.verifyBatch(k.items.mid(0, 4), k.signedHead());
        QVERIFY(honest.ok());
        QCOMPARE(honest.newHead, k.items[3].entry.head());
    }

    void measure_signAndVerifyRates_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<LedgerVerifier::SignaturePolicy>("policy");
        QTest::newRow("sm2 every-entry") << KeyType::Sm2 << LedgerVerifier::SignaturePolicy::EveryEntry;
        QTest::newRow("sm2 head-covers") << KeyType::Sm2 << LedgerVerifier::SignaturePolicy::HeadCovers;
        QTest::newRow("ed25519 every-entry") << KeyType::Ed25519 << LedgerVerifier::SignaturePolicy::EveryEntry;
        QTest::newRow("ed25519 head-covers") << KeyType::Ed25519 << LedgerVerifier::SignaturePolicy::HeadCovers;
    }

    void measure_signAndVerifyRates()
    {
        QFETCH(KeyType, type);
        QFETCH(LedgerVerifier::SignaturePolicy, policy);
        Kiosk k(Key::generate(type));
        constexpr int n = 500; // one full upload batch
        QElapsedTimer t;
        t.start();
        k.rateMany(n);
        const double signUs = double(t.nsecsElapsed()) / 1000.0 / n;
        t.restart();
        LedgerVerifier verifier(k.key.publicOnly());
        verifier.setSignaturePolicy(policy);
        const auto r = verifier.verifyBatch(k.items, k.signedHead());
        const double verifyPerS = n / (double(t.nsecsElapsed()) / 1e9);
        QVERIFY(r.ok());
        QCOMPARE(r.accepted, n);
        qInfo("%s: sign_us=%.1f (append incl. canonicalisation) verify_per_s=%.0f (with payload check)",
              QTest::currentDataTag(), signUs, verifyPerS);
    }
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
