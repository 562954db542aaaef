// SPDX-License-Identifier: Apache-2.0
// Every user-visible text has a finished English translation, with the same %N placeholders.
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void english_isCompleteAndKeepsPlaceholders()
    {
        QFile f(QStringLiteral(HCP_TS_FILE));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        QString source;
        int messages = 0;
        static const QRegularExpression ph(QStringLiteral("%\\d"));
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
                    continue;
                const QString text = xml.readElementText();
                ++messages;
                QVERIFY2(type.isEmpty() && !text.isEmpty(), qPrintable(QStringLiteral("untranslated: ") + source));
                QStringList a, b;
                for (auto it = ph.globalMatch(source); it.hasNext();)
                    a << it.next().captured();
                for (auto it = ph.globalMatch(text); it.hasNext();)
                    b << it.next().captured();
                a.sort();
                b.sort();
                QVERIFY2(a == b, qPrintable(QStringLiteral("placeholders differ: ") + source));
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 100);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
