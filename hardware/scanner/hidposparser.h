// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace hcp::hardware {

// One decoded symbol from a HID-POS (usage page 0x8C) scanner.
struct HidPosScan {
    QByteArray aimId;       // AIM symbology identifier, e.g. "]Q1" for QR
    QByteArray data;        // decoded payload, continuation reports concatenated
    quint8 codeId = 0;      // Honeywell code ID (0x73 's' = QR); 0 if absent
};

// Parser for Honeywell-style HID-POS input reports (§3.2): [0] report ID 0x02, [1] length,
// [2..4] AIM ID, [5..] data, [61] Honeywell code ID, [63] "more reports follow" flag.
// The two public sources disagree on whether [1] counts the AIM bytes; the mode is configurable
// (ExcludesAimId by default) and must be confirmed with a capture from the deployed scanner.
// Pure and single-threaded.
class HidPosParser {
public:
    enum class LengthMode { ExcludesAimId, IncludesAimId };
    static constexpr int ReportSize = 64;
    static constexpr quint8 ScanReportId = 0x02;
    static constexpr int MaxDataPerReport = 56;     // bytes 5..60
    static constexpr qsizetype MaxPayload = 64 * 1024;

    explicit HidPosParser(LengthMode mode = LengthMode::ExcludesAimId);

    // Feeds one input report (with its report ID byte). Returns the scan when this report
    // completes one. Reports with another ID are ignored; malformed ones reset the scan.
    std::optional<HidPosScan> feedReport(const QByteArray &report);
    void reset();

    quint64 malformedReports() const { return m_malformed; }
    bool inProgress() const { return m_inProgress; }

    // Splits a payload into reports in the same layout (for simulators and tests).
    static QList<QByteArray> buildReports(const QByteArray &data, const QByteArray &aimId = "]Q1",
                                          quint8 codeId = 0x73, LengthMode mode = LengthMode::ExcludesAimId);

private:
    LengthMode m_mode;
    HidPosScan m_current;
    bool m_inProgress = false;
    quint64 m_malformed = 0;
};

} // namespace hcp::hardware
