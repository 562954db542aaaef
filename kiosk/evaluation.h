// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "channel.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace hcp::kiosk {

class IndicatorSet;
struct Questionnaire;

// One evaluation record with the national field names (reference/domain.md §a.1).
struct Evaluation {
    QString uuid;               // assigned at commit
    qint64 deviceSeq = 0;       // gap-free per device, assigned at commit
    QString projectNo;
    int serviceNumber = 1;
    int assessNumber = 1;       // 1 首次评价, 2 追评
    int evaluateType = 1;       // 1 主动评价, 2 追加评价
    int pf = Channel::terminal().pf(); // 5 自助终端, 4 评价器
    int satisfaction = 0;       // 1..5
    QStringList evalDetail;     // selected indicator codes
    QMap<QString, QString> answers; // question id → answer (see QuestionItem)
    QString writingEvaluation;  // sanitised comment
    int publicFlag = 1;         // 1 公开, 2 不公开
    QDateTime assessTime;       // kiosk local time
    QString indicatorVersion;
    QString questionnaireVersion;
    // Copied from the case so the hub and province need no join.
    QString taskCode, taskName, deptCode, deptName, areaCode, staffNo, staffName, windowNo;
    int userProp = 1;
    QString userNameMasked;
    QString assistedBy;         // agent id for 代办员-assisted ratings, else empty
    // Base64 SM2 ciphertext of the applicant's ID number for the hub's key (wire::encryptCertKey),
    // only when identified by ID card; the hub decrypts it for the upstream certKey field.
    // Personal: erased locally once the hub has acknowledged the record (PersonalDataEraser).
    QString certKeyEnc;

    // The wire form (also the ledger's canonical input). Integers stay integers.
    QJsonObject toJson() const;
    static Evaluation fromJson(const QJsonObject &o);
};

inline constexpr int kCommentMaxChars = 500;

// Removes control characters (C0, C1, DEL; newlines become spaces), collapses runs of blanks,
// trims, and cuts to maxChars characters (code points, not UTF-16 units).
QString sanitizeComment(const QString &text, int maxChars = kCommentMaxChars);

enum class RuleViolation {
    None,
    NoCase,
    NoSatisfaction,
    BadRatingNeedsReason,   // 差评 without a reason code or text
    UnknownReasonCode,      // a code that the indicator set does not offer for this level
    CommentTooLong,
    InvalidAnswer,
    InvalidPublicFlag,
};

// Checks the rules of one evaluation before it may be committed.
RuleViolation validateEvaluation(const Evaluation &e, const IndicatorSet &indicators,
                                 const Questionnaire &questionnaire);
QString ruleViolationText(RuleViolation v); // citizen-facing, translated

} // namespace hcp::kiosk
