// SPDX-License-Identifier: Apache-2.0
#include "hidposparser.h"

namespace hcp::hardware {

namespace {
constexpr int kLengthAt = 1, kAimAt = 2, kAimSize = 3, kDataAt = 5, kCodeIdAt = 61, kMoreAt = 63;
} // namespace

HidPosParser::HidPosParser(LengthMode mode)
    : m_mode(mode)
{
}

void HidPosParser::reset()
{
    m_current = {};
    m_inProgress = false;
}

std::optional<HidPosScan> HidPosParser::feedReport(const QByteArray &report)
{
    if (report.isEmpty() || quint8(report[0]) != ScanReportId)
        return std::nullopt;
    if (report.size() < ReportSize) {
        ++m_malformed;
        reset();
        return std::nullopt;
    }
    int length = quint8(report[kLengthAt]);
    if (m_mode == LengthMode::IncludesAimId)
        length -= kAimSize;
    if (length < 0 || length > MaxDataPerReport) {
        ++m_malformed;
        reset();
        return std::nullopt;
    }
    if (!m_inProgress) {
        m_current.aimId = report.mid(kAimAt, kAimSize);
        m_current.codeId = quint8(report[kCodeIdAt]);
        m_inProgress = true;
    }
    if (m_current.data.size() + length > MaxPayload) {
        ++m_malformed;
        reset();
        return std::nullopt;
    }
    m_current.data.append(report.mid(kDataAt, length));
    if (report[kMoreAt] != 0)
        return std::nullopt;
    HidPosScan done = m_current;
    reset();
    return done;
}

QList<QByteArray> HidPosParser::buildReports(const QByteArray &data, const QByteArray &aimId, quint8 codeId,
                                             LengthMode mode)
{
    QList<QByteArray> reports;
    qsizetype at = 0;
    do {
        const qsizetype n = qMin<qsizetype>(MaxDataPerReport, data.size() - at);
        QByteArray r(ReportSize, '\0');
        r[0] = char(ScanReportId);
        r[kLengthAt] = char(n + (mode == LengthMode::IncludesAimId ? kAimSize : 0));
        r.replace(kAimAt, kAimSize, aimId.leftJustified(kAimSize, '\0', true));
        r.replace(kDataAt, n, data.mid(at, n));
        r[kCodeIdAt] = char(codeId);
        at += n;
        r[kMoreAt] = char(at < data.size() ? 1 : 0);
        reports.append(r);
    } while (at < data.size());
    return reports;
}

} // namespace hcp::hardware
