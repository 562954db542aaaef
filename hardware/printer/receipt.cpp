// SPDX-License-Identifier: Apache-2.0
#include "receipt.h"

#include "escpos.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace hcp::hardware {

namespace {
QString tr(const char *s)
{
    return QCoreApplication::translate("hcp::hardware::Receipt", s);
}

int displayWidth(QChar c)
{
    return c.unicode() < 0x80 ? 1 : 2;
}

// Wraps at display columns (Hanzi = 2); continuation lines are indented by `indent` columns.
QStringList wrap(const QString &s, int columns, int indent)
{
    QStringList out;
    QString cur;
    int width = 0;
    for (QChar c : s) {
        const int w = displayWidth(c);
        if (width + w > columns && !cur.isEmpty()) {
            out << cur;
            cur = QString(indent, QLatin1Char(' '));
            width = indent;
        }
        cur += c;
        width += w;
    }
    if (!cur.trimmed().isEmpty() || out.isEmpty())
        out << cur;
    return out;
}
} // namespace

QString Receipt::satisfactionText(int level)
{
    switch (level) {
    case 5: return tr("非常满意");
    case 4: return tr("满意");
    case 3: return tr("基本满意");
    case 2: return tr("不满意");
    case 1: return tr("非常不满意");
    default: return {};
    }
}

QString Receipt::maskName(const QString &name)
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        return {};
    const bool pair = n.at(0).isHighSurrogate() && n.size() > 1;
    const QString first = n.left(pair ? 2 : 1);
    const qsizetype rest = n.size() - first.size();
    return rest > 0 ? first + QString(rest, QLatin1Char('*')) : QStringLiteral("*");
}

QString Receipt::scrubIdNumbers(const QString &s)
{
    // 18-character resident ID numbers (GB 11643) whose MOD 11-2 check character is right;
    // other long digit runs (evaluation or case numbers) are left alone.
    static const QRegularExpression id(QStringLiteral("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])"));
    static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    QString out = s;
    auto it = id.globalMatch(s);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString v = m.captured(0);
        int sum = 0;
        for (int i = 0; i < 17; ++i)
            sum += (v.at(i).unicode() - '0') * weights[i];
        if (QLatin1String("10X98765432").at(sum % 11) != v.at(17).toUpper())
            continue;
        out.replace(m.capturedStart(0) + 4, 10, QString(10, QLatin1Char('*')));
    }
    return out;
}

QStringList Receipt::lines(const Layout &layout) const
{
    const auto field = [&](const char *label, const QString &value) -> QStringList {
        if (value.trimmed().isEmpty())
            return {};
        const QString l = tr(label);
        return wrap(scrubIdNumbers(l + value.simplified()), layout.columns, 2 * int(l.size()));
    };
    QStringList out;
    out << tr("政务服务“好差评”");
    out << tr("评价凭条");
    out << field("服务大厅：", hallName);
    out << field("办理事项：", serviceItem);
    out << field("办理部门：", department);
    out << field("办理窗口：", window);
    QString staff = staffName.simplified();
    if (!staffNumber.trimmed().isEmpty())
        staff += tr("（工号%1）").arg(staffNumber.simplified());
    out << field("工作人员：", staff);
    out << field("评价结果：", satisfactionText(satisfaction));
    out << field("评价编号：", evaluationNumber);
    if (evaluatedAt.isValid())
        out << field("评价时间：", evaluatedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    if (!followUpUrl.isEmpty())
        out << tr("扫码查看评价处理进度");
    if (!citizenName.trimmed().isEmpty())
        out << field("评价人：", maskName(citizenName));
    out << wrap(tr("本凭条不含身份证号码等个人敏感信息，请妥善保管。"), layout.columns, 0);
    return out;
}

QByteArray Receipt::toEscPos(const Layout &layout) const
{
    const QStringList ls = lines(layout);
    EscPos p;
    p.init().align(EscPos::Align::Center).size(2, 2).line(ls.value(0)).size(1, 1).bold(true)
        .line(ls.value(1)).bold(false).align(EscPos::Align::Left);
    const QString qrCaption = tr("扫码查看评价处理进度");
    for (qsizetype i = 2; i < ls.size(); ++i) {
        if (ls.at(i) == qrCaption) {
            p.align(EscPos::Align::Center);
            bool ok = false;
            if (layout.qr == Layout::Qr::Native) {
                // The printer scales the symbol itself: pick the largest module size (≤ the
                // layout's) at which symbol + 4-module quiet zones fit the paper.
                const int modules = EscPos::qrSymbolModules(followUpUrl, EscPos::QrEcc::M);
                int dots = layout.qrModuleDots;
                while (modules > 0 && dots > 1 && (modules + 8) * dots > layout.widthDots)
                    --dots;
                if (modules > 0 && (modules + 8) * dots <= layout.widthDots)
                    ok = p.qrNative(followUpUrl, dots, EscPos::QrEcc::M);
            }
            // Fall back to a host-rendered raster (and to smaller modules) when the printer has
            // no GS ( k or the symbol would not fit the paper.
            for (int dots = layout.qrModuleDots; !ok && dots >= 2; --dots)
                ok = p.qrRaster(followUpUrl, dots, EscPos::QrEcc::M, layout.widthDots);
            if (!ok)
                return {};  // a receipt without its follow-up QR is not printed
            p.lf().line(ls.at(i)).align(EscPos::Align::Left);
            continue;
        }
        p.line(ls.at(i));
    }
    p.feed(3).cut(EscPos::Cut::Partial, 0);
    return p.bytes();
}

} // namespace hcp::hardware
