// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

// Small checks of client input at the hub (PROTOCOL §1a).
namespace hcp::sync::hub::guard {

// True when some JSON object in the text has the same key twice (QJsonDocument silently keeps
// the last one, so a signed or checked value could be shadowed). Keys are compared decoded
// ("a" and "\u0061" are the same key). Call it on text QJsonDocument accepts; on malformed
// text the answer is whatever was seen so far.
bool hasDuplicateKeys(const QByteArray &json);

// A client-supplied string as it may go into the log: at most maxChars characters, the rest
// counted ("…(+N)"), control characters replaced.
QString forLog(const QString &value, int maxChars = 200);
inline QString forLog(const QByteArray &value, int maxChars = 200) { return forLog(QString::fromUtf8(value), maxChars); }

} // namespace hcp::sync::hub::guard
