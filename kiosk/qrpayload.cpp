// SPDX-License-Identifier: Apache-2.0
#include "qrpayload.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace hcp::kiosk {

static bool isProjectNo(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{6,50}$"));
    return re.match(s).hasMatch();
}

static int parseServiceNumber(const QString &s)
{
    bool ok = false;
    const int n = s.toInt(&ok);
    return ok && n > 0 && n < 1000 ? n : 0;
}

QrPayload parseQrPayload(const QByteArray &raw)
{
    QrPayload p;
    QByteArray bytes = raw;
    // Scanners append CR / LF / Tab suffixes; a UTF-8 BOM sometimes leads.
    while (!bytes.isEmpty() && (bytes.endsWith('\r') || bytes.endsWith('\n') || bytes.endsWith('\t')))
        bytes.chop(1);
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    bytes = bytes.trimmed();
    if (bytes.isEmpty()) {
        p.error = QrPayload::Error::Empty;
        return p;
    }
    if (bytes.size() > kQrPayloadMaxBytes) {
        p.error = QrPayload::Error::Oversized;
        return p;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(bytes);
    if (utf8.hasError()) {
        p.error = QrPayload::Error::Binary;
        return p;
    }
    for (QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) { // C0, DEL, C1, bidi
            p.error = QrPayload::Error::Binary;
            return p;
        }
    }

    if (isProjectNo(text)) {
        p.kind = QrPayload::Kind::ProjectRef;
        p.error = QrPayload::Error::None;
        p.projectNo = text;
        return p;
    }

    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        && !url.host().isEmpty()) {
        // Parameters may sit in the query or, for single-page apps, in the fragment ("#/pj?code=").
        QUrlQuery q(url.query());
        const QString frag = url.fragment();
        const qsizetype qm = frag.indexOf(QLatin1Char('?'));
        QUrlQuery fq(qm >= 0 ? frag.mid(qm + 1) : QString());
        auto param = [&](const QString &name) -> QString {
            for (const QUrlQuery *src : {&q, &fq})
                for (const auto &item : src->queryItems(QUrl::FullyDecoded))
                    if (item.first.compare(name, Qt::CaseInsensitive) == 0)
                        return item.second.trimmed();
            return {};
        };
        const QString eval = param(QStringLiteral("eval"));
        const QString projectNo = [&] {
            for (const char *k : {"projectNo", "code"}) {
                const QString v = param(QLatin1String(k));
                if (!v.isEmpty())
                    return v;
            }
            return QString();
        }();
        const QString serviceCode = param(QStringLiteral("serviceCode"));
        const int serviceNumber = parseServiceNumber(param(QStringLiteral("serviceNumber")));
        if (!eval.isEmpty() && !QUuid::fromString(eval).isNull() && isProjectNo(projectNo)) {
            p.kind = QrPayload::Kind::Receipt;
            p.error = QrPayload::Error::None;
            p.evaluationUuid = QUuid::fromString(eval).toString(QUuid::WithoutBraces);
            p.projectNo = projectNo;
            p.serviceNumber = serviceNumber;
            static const QRegularExpression deviceRe(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
            const QString device = param(QStringLiteral("d"));
            bool seqOk = false;
            const qulonglong seq = param(QStringLiteral("s")).toULongLong(&seqOk);
            const QByteArray signature = trust::ReceiptWitness::signatureFromText(param(QStringLiteral("w")));
            if (deviceRe.match(device).hasMatch() && seqOk && seq > 0 && !signature.isEmpty())
                p.witness = trust::ReceiptWitness{device, seq, p.evaluationUuid, signature};
            return p;
        }
        if (isProjectNo(projectNo) || isProjectNo(serviceCode)) {
            p.kind = QrPayload::Kind::ProjectRef;
            p.error = QrPayload::Error::None;
            p.projectNo = isProjectNo(projectNo) ? projectNo : QString();
            p.serviceCode = isProjectNo(serviceCode) ? serviceCode : QString();
            if (p.projectNo.isEmpty())
                p.projectNo = p.serviceCode;
            p.serviceNumber = serviceNumber;
            return p;
        }
    }
    p.error = QrPayload::Error::Unrecognized;
    return p;
}

QString receiptQrUrl(const QString &followUpBase, const QString &evaluationUuid,
                     const QString &projectNo, int serviceNumber,
                     const std::optional<trust::ReceiptWitness> &witness)
{
    QUrl url(followUpBase);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("eval"), evaluationUuid);
    q.addQueryItem(QStringLiteral("projectNo"), projectNo);
    q.addQueryItem(QStringLiteral("serviceNumber"), QString::number(serviceNumber));
    if (witness && witness->isValid()) {
        q.addQueryItem(QStringLiteral("d"), witness->deviceId);
        q.addQueryItem(QStringLiteral("s"), QString::number(witness->deviceSeq));
        q.addQueryItem(QStringLiteral("w"), witness->signatureText());
    }
    url.setQuery(q);
    return url.toString(QUrl::FullyEncoded);
}

QString qrErrorText(QrPayload::Error e)
{
    switch (e) {
    case QrPayload::Error::None:
        return {};
    case QrPayload::Error::Empty:
        return QCoreApplication::translate("Qr", "没有读到二维码内容，请将二维码对准扫描口重试。");
    case QrPayload::Error::Oversized:
    case QrPayload::Error::Binary:
    case QrPayload::Error::Unrecognized:
        return QCoreApplication::translate(
            "Qr", "无法识别此二维码。请扫描受理通知书或办结回执上的二维码，或输入办件编号。");
    }
    return {};
}

} // namespace hcp::kiosk
