// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>

class QHttpServerRequest;
class QHttpServerResponse;

// Small checks of client input at the hub (PROTOCOL §1a).
namespace hcp::sync::hub::guard {

// True when some JSON object in the text has the same key twice (QJsonDocument silently keeps
// the last one, so a signed or checked value could be shadowed). Keys are compared decoded
// ("a" and "\u0061" are the same key). Call it on text QJsonDocument accepts; on malformed
// text the answer is whatever was seen so far.
bool hasDuplicateKeys(const QByteArray &json);

// Parses a request body that must be one JSON object with each key once; false otherwise.
bool parseStrictObject(const QByteArray &body, QJsonObject *out);

// The client's address: the peer, or — when the peer is one of trustedProxies — the last
// address in X-Forwarded-For that is not itself a trusted proxy (--trusted-proxy).
QString clientAddress(const QHttpServerRequest &request, const QList<QHostAddress> &trustedProxies);

// Sets X-HCP-Hub-Time (the hub's clock, ms since epoch) on an answer (PROTOCOL §1).
void stampHubTime(QHttpServerResponse &response);

// A client-supplied string as it may go into the log: at most maxChars characters, the rest
// counted ("…(+N)"), control characters replaced.
QString forLog(const QString &value, int maxChars = 200);
inline QString forLog(const QByteArray &value, int maxChars = 200) { return forLog(QString::fromUtf8(value), maxChars); }

} // namespace hcp::sync::hub::guard
