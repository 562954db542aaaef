// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casefiles.h"

#include <QByteArray>

namespace hcp::sync::hub::grievance {

// 申诉复核 (PROTOCOL §18.5): the department files an appeal against a 差评 it holds to be a 误评
// or 恶意差评, with its reason and evidence (attachments kept in the hub's database, at most
// kMaxAttachmentBytes each and kMaxAttachments per appeal, PDF/JPEG/PNG by their magic bytes);
// the county (maintainer/admin, never the appellant) decides 维持 (the rating stands) or 不予采纳
// with a reason. 不予采纳 keeps the evaluation and the ledger untouched, records the evaluation in
// grievance_exclusions (the 通报 leaves it out), moves the file to 不予采纳 and queues the appeal
// record for the province (grievance_upstream, UPSTREAM.md §9).
class Appeals
{
public:
    static constexpr qint64 kMaxAttachmentBytes = 5 * 1024 * 1024;
    static constexpr int kMaxAttachments = 10;

    explicit Appeals(CaseFiles &files) : m_files(files) {}

    CaseFiles::Outcome file(qint64 fileId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs);
    CaseFiles::Outcome attach(qint64 appealId, const QString &fileName, const QByteArray &data,
                              const CaseFiles::Actor &actor, qint64 nowMs);
    CaseFiles::Outcome decide(qint64 appealId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs);
    // Pending appeals the actor may see (the county's review queue; a handler's own department).
    CaseFiles::Outcome queue(const CaseFiles::Actor &actor);
    QJsonArray ofFile(qint64 fileId);
    // One attachment's bytes for a user who may see its file; false when there is none.
    bool attachment(qint64 id, const CaseFiles::Actor &actor, QByteArray *data, QString *mime, QString *name);

    // "application/pdf", "image/jpeg" or "image/png" from the first bytes; empty otherwise.
    static QString sniff(const QByteArray &data);

private:
    QJsonObject appeal(qint64 id);

    CaseFiles &m_files;
};

} // namespace hcp::sync::hub::grievance
