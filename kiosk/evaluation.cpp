// SPDX-License-Identifier: Apache-2.0
#include "evaluation.h"

#include "case.h"
#include "indicatorset.h"
#include "questionnaire.h"
#include "satisfaction.h"

#include <QCoreApplication>

namespace hcp::kiosk {

QJsonObject Evaluation::toJson() const
{
    QJsonObject ans;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it)
        ans.insert(it.key(), it.value());
    QJsonObject o{
        {QStringLiteral("uuid"), uuid},
        {QStringLiteral("deviceSeq"), deviceSeq},
        {QStringLiteral("projectNo"), projectNo},
        {QStringLiteral("serviceNumber"), serviceNumber},
        {QStringLiteral("assessNumber"), assessNumber},
        {QStringLiteral("evaluateType"), evaluateType},
        {QStringLiteral("pf"), pf},
        {QStringLiteral("satisfaction"), satisfaction},
        {QStringLiteral("evalDetail"), evalDetail.join(QLatin1Char(','))},
        {QStringLiteral("answers"), ans},
        {QStringLiteral("writingEvaluation"), writingEvaluation},
        {QStringLiteral("publicFlag"), publicFlag},
        {QStringLiteral("assessTime"), assessTime.toString(QLatin1String(kDateTimeFormat))},
        {QStringLiteral("indicatorVersion"), indicatorVersion},
        {QStringLiteral("questionnaireVersion"), questionnaireVersion},
        {QStringLiteral("taskCode"), taskCode},
        {QStringLiteral("taskName"), taskName},
        {QStringLiteral("deptCode"), deptCode},
        {QStringLiteral("deptName"), deptName},
        {QStringLiteral("areaCode"), areaCode},
        {QStringLiteral("staffNo"), staffNo},
        {QStringLiteral("staffName"), staffName},
        {QStringLiteral("windowNo"), windowNo},
        {QStringLiteral("userProp"), userProp},
        {QStringLiteral("userNameMasked"), userNameMasked},
    };
    if (!assistedBy.isEmpty())
        o.insert(QStringLiteral("assistedBy"), assistedBy);
    if (!certKeyEnc.isEmpty())
        o.insert(QStringLiteral("certKeyEnc"), certKeyEnc);
    return o;
}

Evaluation Evaluation::fromJson(const QJsonObject &o)
{
    Evaluation e;
    auto s = [&o](const char *k) { return o.value(QLatin1String(k)).toString(); };
    auto i = [&o](const char *k, int d) { return o.value(QLatin1String(k)).toInt(d); };
    e.uuid = s("uuid");
    e.deviceSeq = o.value(QLatin1String("deviceSeq")).toInteger();
    e.projectNo = s("projectNo");
    e.serviceNumber = i("serviceNumber", 1);
    e.assessNumber = i("assessNumber", 1);
    e.evaluateType = i("evaluateType", 1);
    e.pf = i("pf", 5);
    e.satisfaction = i("satisfaction", 0);
    const QString detail = s("evalDetail");
    if (!detail.isEmpty())
        e.evalDetail = detail.split(QLatin1Char(','));
    const QJsonObject ans = o.value(QLatin1String("answers")).toObject();
    for (auto it = ans.begin(); it != ans.end(); ++it)
        e.answers.insert(it.key(), it.value().toString());
    e.writingEvaluation = s("writingEvaluation");
    e.publicFlag = i("publicFlag", 1);
    e.assessTime = QDateTime::fromString(s("assessTime"), QLatin1String(kDateTimeFormat));
    e.indicatorVersion = s("indicatorVersion");
    e.questionnaireVersion = s("questionnaireVersion");
    e.taskCode = s("taskCode");
    e.taskName = s("taskName");
    e.deptCode = s("deptCode");
    e.deptName = s("deptName");
    e.areaCode = s("areaCode");
    e.staffNo = s("staffNo");
    e.staffName = s("staffName");
    e.windowNo = s("windowNo");
    e.userProp = i("userProp", 1);
    e.userNameMasked = s("userNameMasked");
    e.assistedBy = s("assistedBy");
    e.certKeyEnc = s("certKeyEnc");
    return e;
}

QString sanitizeComment(const QString &text, int maxChars)
{
    QString out;
    out.reserve(text.size());
    bool lastBlank = false;
    const QList<uint> ucs4 = text.toUcs4();
    int kept = 0;
    for (uint cp : ucs4) {
        const bool isNewline = cp == '\n' || cp == '\r' || cp == '\t';
        const bool isControl = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028
                               || cp == 0x2029 || (cp >= 0x200b && cp <= 0x200f) || cp == 0xfeff;
        if (isControl && !isNewline)
            continue;
        const bool blank = isNewline || cp == ' ' || cp == 0x3000;
        if (blank) {
            if (lastBlank || out.isEmpty())
                continue;
            lastBlank = true;
            out.append(QLatin1Char(' '));
            ++kept;
        } else {
            lastBlank = false;
            const char32_t c = char32_t(cp);
            out.append(QString::fromUcs4(&c, 1));
            ++kept;
        }
        if (kept >= maxChars)
            break;
    }
    return out.trimmed();
}

RuleViolation validateEvaluation(const Evaluation &e, const IndicatorSet &indicators,
                                 const Questionnaire &questionnaire)
{
    if (e.projectNo.isEmpty() || e.serviceNumber < 1)
        return RuleViolation::NoCase;
    if (!isValidSatisfaction(e.satisfaction))
        return RuleViolation::NoSatisfaction;
    for (const QString &code : e.evalDetail)
        if (!indicators.isKnownFor(code, e.satisfaction))
            return RuleViolation::UnknownReasonCode;
    if (e.writingEvaluation.toUcs4().size() > kCommentMaxChars
        || sanitizeComment(e.writingEvaluation) != e.writingEvaluation)
        return RuleViolation::CommentTooLong;
    if (isBadRating(e.satisfaction) && e.evalDetail.isEmpty() && e.writingEvaluation.isEmpty())
        return RuleViolation::BadRatingNeedsReason;
    if (e.publicFlag != 1 && e.publicFlag != 2)
        return RuleViolation::InvalidPublicFlag;
    for (auto it = e.answers.cbegin(); it != e.answers.cend(); ++it) {
        bool ok = false;
        for (const QuestionItem &item : questionnaire.items)
            if (item.id == it.key())
                ok = item.acceptsAnswer(it.value());
        if (!ok)
            return RuleViolation::InvalidAnswer;
    }
    return RuleViolation::None;
}

QString ruleViolationText(RuleViolation v)
{
    switch (v) {
    case RuleViolation::None:
        return {};
    case RuleViolation::NoCase:
        return QCoreApplication::translate("Rules", "请先选择要评价的办件。");
    case RuleViolation::NoSatisfaction:
        return QCoreApplication::translate("Rules", "请先选择满意程度。");
    case RuleViolation::BadRatingNeedsReason:
        return QCoreApplication::translate("Rules", "差评请至少选择一项原因，或写下您的意见。");
    case RuleViolation::UnknownReasonCode:
        return QCoreApplication::translate("Rules", "所选原因已失效，请重新选择。");
    case RuleViolation::CommentTooLong:
        return QCoreApplication::translate("Rules", "留言最多500字，请精简后再提交。");
    case RuleViolation::InvalidAnswer:
        return QCoreApplication::translate("Rules", "问卷答案无效，请重新选择。");
    case RuleViolation::InvalidPublicFlag:
        return QCoreApplication::translate("Rules", "请选择是否公开评价。");
    }
    return {};
}

QString satisfactionText(int level)
{
    switch (level) {
    case 5: return QCoreApplication::translate("Satisfaction", "非常满意");
    case 4: return QCoreApplication::translate("Satisfaction", "满意");
    case 3: return QCoreApplication::translate("Satisfaction", "基本满意");
    case 2: return QCoreApplication::translate("Satisfaction", "不满意");
    case 1: return QCoreApplication::translate("Satisfaction", "非常不满意");
    default: return {};
    }
}

} // namespace hcp::kiosk
