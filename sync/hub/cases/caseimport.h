// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QString>

namespace hcp::sync::hub {

// Reads a county's case export (PROTOCOL §10) into case objects; typing follows the national
// field list (serviceNumber, userProp, proStatus are integers). Pure parsing, no database.
class CaseImport
{
public:
    // FILE.json: an array or {"cases":[...]}; anything else is read as CSV (RFC 4180, UTF-8,
    // header row of field names). Returns false with *error on unreadable input.
    static bool readFile(const QString &path, QJsonArray *cases, QString *error);
    static bool parseCsv(const QByteArray &data, QJsonArray *cases, QString *error);
};

} // namespace hcp::sync::hub
