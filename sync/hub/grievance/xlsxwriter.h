// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

namespace hcp::sync::hub::grievance {

// A minimal Office Open XML spreadsheet (ECMA-376) with one sheet: strings as inline strings,
// numbers as numbers, in an uncompressed ("stored") ZIP container. Enough for the 通报 export;
// written here because Debian ships no maintained C++ XLSX library for Qt 6, and the format's
// required part is five small XML files.
class XlsxWriter
{
public:
    // A row of cells: QString (text) or a number (double/int).
    void addRow(const QList<QVariant> &cells) { m_rows.append(cells); }
    // The .xlsx bytes; sheetName is cut to Excel's 31 characters and stripped of []:*?/\.
    QByteArray workbook(const QString &sheetName) const;

    // A ZIP archive of the given (name, data) entries, stored without compression.
    static QByteArray zip(const QList<QPair<QString, QByteArray>> &entries);

private:
    QList<QList<QVariant>> m_rows;
};

} // namespace hcp::sync::hub::grievance
