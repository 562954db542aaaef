// SPDX-License-Identifier: Apache-2.0
// libFuzzer target over what the hub and the kiosk read from outside: QR payloads, evaluation
// and case JSON (validation, fingerprint) and county CSV/JSON case exports.
#include "caseimport.h"
#include "wire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(bytes);
    const QString projectNo = hcp::sync::wire::projectNoFromQr(text);
    if (!projectNo.isEmpty() && (projectNo.size() < 6 || projectNo.size() > 64))
        __builtin_trap(); // contract: a found projectNo is 6..64 characters

    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    const QJsonObject object = doc.object();
    (void)hcp::sync::wire::validateEvaluation(object);
    (void)hcp::sync::wire::validateCase(object);
    if (hcp::sync::wire::fingerprint(object).size() != 64)
        __builtin_trap();

    if (!doc.isNull()) {
        // contract: the raw slices are exactly the parsed elements
        QList<QByteArray> raw;
        if (hcp::sync::wire::splitArrayMember(bytes, "evaluations", &raw)) {
            const QJsonArray parsed = object.value(QLatin1String("evaluations")).toArray();
            if (raw.size() != parsed.size())
                __builtin_trap();
            for (qsizetype i = 0; i < raw.size(); ++i)
                if (QJsonDocument::fromJson("[" + raw.at(i) + "]").array().at(0) != parsed.at(i))
                    __builtin_trap();
        }
    }

    QJsonArray cases;
    QString error;
    if (hcp::sync::hub::CaseImport::parseCsv(bytes, &cases, &error)) {
        for (const QJsonValue &c : cases)
            (void)hcp::sync::wire::validateCase(c.toObject());
    } else if (error.isEmpty()) {
        __builtin_trap(); // contract: a failed parse says why
    }
    return 0;
}
