// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace hcp::hardware {

// What the citizen's printed receipt (评价凭条) shows. Plain value type; the kiosk core fills
// it after the evaluation is durably committed. Contract: citizenName is the full name and is
// masked here (李华 → 李*); no field may carry an ID number — any 15/18-digit ID-shaped run in
// any field is masked before printing as a second line of defence.
struct Receipt {
    QString hallName;          // 服务大厅 / 便民服务中心
    QString serviceItem;       // 事项
    QString department;        // 部门
    QString window;            // 窗口, e.g. "3号窗口"
    QString staffName;         // 工作人员
    QString staffNumber;       // 工号 (optional)
    int satisfaction = 0;      // 5 非常满意 … 1 非常不满意; 0 = not shown
    QString evaluationNumber;  // 评价编号
    QDateTime evaluatedAt;     // shown in local time, minutes precision
    QByteArray followUpUrl;    // QR payload to follow the evaluation up (ASCII URL)
    QString citizenName;       // full name; only the masked form is printed

    // Layout of the printed receipt.
    struct Layout {
        enum class Qr { Native, Raster };
        int columns = 32;      // font A half-width columns: 32 on 58 mm paper, 48 on 80 mm
        int widthDots = 384;   // printable width: 384 on 58 mm, 576 on 80 mm
        Qr qr = Qr::Native;
        int qrModuleDots = 6;
    };

    // The text lines exactly as printed (after masking and wrapping), for logs and tests.
    QStringList lines(const Layout &layout) const;
    // Full ESC/POS job: init … QR … feed and partial cut. Empty when the follow-up QR fits
    // neither as GS ( k nor as a raster of the paper width.
    QByteArray toEscPos(const Layout &layout) const;
    QByteArray toEscPos() const { return toEscPos(Layout{}); }

    static QString satisfactionText(int level);     // tr()'d words, empty for 0/out of range
    static QString maskName(const QString &name);   // 李华 → 李*, 欧阳娜娜 → 欧***
    static QString scrubIdNumbers(const QString &s);// 11010519491231002X → 1101**********002X
};

} // namespace hcp::hardware

Q_DECLARE_METATYPE(hcp::hardware::Receipt)
