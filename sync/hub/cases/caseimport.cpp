// SPDX-License-Identifier: Apache-2.0
#include "caseimport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace hcp::sync::hub {

namespace {

// Splits RFC 4180 CSV into records of fields ("" escapes a quote; quoted fields may hold
// commas and line breaks).
bool splitCsv(const QString &text, QList<QStringList> *records, QString *error)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            fields.append(field);
            field.clear();
            fieldStarted = false;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            fields.append(field);
            if (!(fields.size() == 1 && fields.first().isEmpty()))
                records->append(fields);
            fields.clear();
            field.clear();
            fieldStarted = false;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) {
        *error = QStringLiteral("unterminated quoted field");
        return false;
    }
    if (fieldStarted || !fields.isEmpty()) {
        fields.append(field);
        records->append(fields);
    }
    return true;
}

} // namespace

bool CaseImport::parseCsv(const QByteArray &data, QJsonArray *cases, QString *error)
{
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QList<QStringList> records;
    if (!splitCsv(text, &records, error))
        return false;
    if (records.isEmpty()) {
        *error = QStringLiteral("empty CSV");
        return false;
    }
    const QStringList header = records.takeFirst();
    static const QStringList intFields{QStringLiteral("serviceNumber"), QStringLiteral("userProp"),
                                       QStringLiteral("proStatus")};
    for (int r = 0; r < records.size(); ++r) {
        const QStringList &row = records.at(r);
        if (row.size() != header.size()) {
            *error = QStringLiteral("row %1 has %2 fields, header has %3").arg(r + 2).arg(row.size()).arg(header.size());
            return false;
        }
        QJsonObject c;
        for (int i = 0; i < header.size(); ++i) {
            const QString key = header.at(i).trimmed();
            const QString value = row.at(i).trimmed();
            if (value.isEmpty())
                continue;
            if (intFields.contains(key)) {
                bool ok = false;
                const int n = value.toInt(&ok);
                c.insert(key, ok ? QJsonValue(n) : QJsonValue(value)); // non-numbers fail validation
            } else {
                c.insert(key, value);
            }
        }
        cases->append(c);
    }
    return true;
}

bool CaseImport::readFile(const QString &path, QJsonArray *cases, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return false;
    }
    const QByteArray data = f.readAll();
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
        if (pe.error != QJsonParseError::NoError) {
            *error = pe.errorString();
            return false;
        }
        if (doc.isArray())
            *cases = doc.array();
        else if (doc.object().value(QLatin1String("cases")).isArray())
            *cases = doc.object().value(QLatin1String("cases")).toArray();
        else {
            *error = QStringLiteral("expected an array of cases or {\"cases\":[...]}");
            return false;
        }
        return true;
    }
    return parseCsv(data, cases, error);
}

} // namespace hcp::sync::hub
