// SPDX-License-Identifier: Apache-2.0
#include "upstreammapper.h"

#include <QDateTime>
#include <QRegularExpression>

namespace hcp::sync::hub::upstream {

namespace {

QString firstNonEmpty(std::initializer_list<QString> values)
{
    for (const QString &v : values)
        if (!v.trimmed().isEmpty())
            return v.trimmed();
    return {};
}

QString str(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isDouble())
        return QString::number(v.toInteger());
    return v.toString();
}

bool isCode(const QJsonValue &v, std::initializer_list<const char *> allowed)
{
    if (!v.isString())
        return false;
    for (const char *a : allowed)
        if (v.toString() == QLatin1String(a))
            return true;
    return false;
}

} // namespace

bool UpstreamMapper::map(const QJsonObject &e, const QJsonObject &c, const ProvinceProfile &profile,
                         const CertKeyResolver &resolver, QJsonObject *record, QString *error)
{
    QJsonObject r;
    r.insert(QStringLiteral("projectNo"), profile.projectNoPrefix + str(e, "projectNo"));
    r.insert(QStringLiteral("serviceNumber"), e.value(QLatin1String("serviceNumber")).toInt());
    r.insert(QStringLiteral("assessNumber"), e.value(QLatin1String("assessNumber")).toInt());
    r.insert(QStringLiteral("evaluateType"), QString::number(e.value(QLatin1String("evaluateType")).toInt(1)));
    r.insert(QStringLiteral("pf"), QString::number(e.value(QLatin1String("pf")).toInt()));
    r.insert(QStringLiteral("satisfaction"), QString::number(e.value(QLatin1String("satisfaction")).toInt()));
    r.insert(QStringLiteral("evalDetail"), str(e, "evalDetail").trimmed());
    r.insert(QStringLiteral("writingEvaluation"), str(e, "writingEvaluation"));
    r.insert(QStringLiteral("assessTime"), str(e, "assessTime"));
    r.insert(QStringLiteral("publicFlag"), QString::number(e.value(QLatin1String("publicFlag")).toInt(1)));
    // Real-name evaluation (S5, S17): never anonymous at a kiosk.
    r.insert(QStringLiteral("anonymityFlag"), QStringLiteral("2"));
    // 无审核系统默认为1 (G8): the hub has no audit step.
    r.insert(QStringLiteral("appStatus"), QStringLiteral("1"));
    // A citizen's own rating (G2 isdefault="0"), or the hub's default rating after the window
    // closed unrated (PROTOCOL §18.6: isdefault 1 in the stored record).
    r.insert(QStringLiteral("isdefault"), e.value(QLatin1String("isdefault")).toInt() == 1 ? QStringLiteral("1")
                                                                                          : QStringLiteral("0"));
    r.insert(QStringLiteral("dataSource"), profile.dataSource);
    const QString evaVersion = str(e, "indicatorVersion");
    if (!evaVersion.isEmpty())
        r.insert(QStringLiteral("evaVersion"), evaVersion);

    // Evaluation-level userProp is 1 个人 / 2 法人 (G1, G8); the case carries the service-record
    // list (b.3: 1 自然人, 2..9 法人及其他组织).
    const int caseProp = c.value(QLatin1String("userProp")).toInt(e.value(QLatin1String("userProp")).toInt(1));
    const int userProp = caseProp == 1 ? 1 : 2;
    r.insert(QStringLiteral("userProp"), QString::number(userProp));
    // The case holds the full name (hub-side); the kiosk record only the masked one.
    r.insert(QStringLiteral("userName"), firstNonEmpty({str(c, "userName"), str(e, "userName"), str(e, "userNameMasked")}));
    r.insert(QStringLiteral("userPageType"),
             firstNonEmpty({str(c, "userPageType"), userProp == 1 ? QStringLiteral("111") : QStringLiteral("001")}));

    QString certNo;
    if (resolver) {
        QString resolveError;
        if (!resolver(e, &certNo, &resolveError)) {
            *error = QStringLiteral("certKey: ") + resolveError;
            return false;
        }
    } else {
        certNo = str(e, "certKey");
    }
    // 线下 (hall, kiosk) evaluations carry the number in certKeyGOV (G4: certKey = 线上).
    if (!certNo.isEmpty())
        r.insert(QStringLiteral("certKeyGOV"), certNo);

    QString area = firstNonEmpty({str(e, "areaCode"), str(c, "areaCode"), profile.areaCode});
    static const QRegularExpression six(QStringLiteral("^\\d{6}$"));
    if (six.match(area).hasMatch())
        area += QStringLiteral("000000"); // G2 pads the 6-digit county code to 12 digits
    r.insert(QStringLiteral("areaCode"), area);
    const QString areaName = str(c, "areaName");
    if (!areaName.isEmpty())
        r.insert(QStringLiteral("areaName"), areaName);

    // A 33-character code is a 业务办理项; its first 31 characters are the 事项编码 (G2).
    const QString task = firstNonEmpty({str(e, "taskCode"), str(c, "taskCode")});
    QString handleItem = firstNonEmpty({str(e, "taskHandleItem"), str(c, "taskHandleItem")});
    QString taskCode = task;
    if (task.size() == 33) {
        taskCode = task.left(31);
        if (handleItem.isEmpty())
            handleItem = task;
    }
    r.insert(QStringLiteral("taskCode"), taskCode);
    r.insert(QStringLiteral("taskHandleItem"), handleItem.isEmpty() ? taskCode : handleItem);
    r.insert(QStringLiteral("taskName"), firstNonEmpty({str(e, "taskName"), str(c, "taskName")}));
    const QString subMatter = str(c, "subMatter");
    if (!subMatter.isEmpty())
        r.insert(QStringLiteral("subMatter"), subMatter);

    r.insert(QStringLiteral("deptCode"), firstNonEmpty({str(e, "deptCode"), str(c, "deptCode")}));
    const QString deptName = firstNonEmpty({str(e, "deptName"), str(c, "deptName")});
    if (!deptName.isEmpty())
        r.insert(QStringLiteral("proDepart"), deptName);
    const QString proDepartCode = str(c, "proDepartCode");
    if (!proDepartCode.isEmpty())
        r.insert(QStringLiteral("proDepartCode"), proDepartCode);
    const QString staff = firstNonEmpty({str(e, "staffName"), str(c, "staffName")});
    if (!staff.isEmpty())
        r.insert(QStringLiteral("proManager"), staff);

    r.insert(QStringLiteral("proStatus"), QString::number(c.value(QLatin1String("proStatus")).toInt(3)));
    const QString projectType = str(c, "projectType");
    if (!projectType.isEmpty())
        r.insert(QStringLiteral("projectType"), projectType);
    const QString acceptDate = str(c, "acceptDate");
    if (!acceptDate.isEmpty())
        r.insert(QStringLiteral("acceptDate"), acceptDate);
    const QString resultDate = str(c, "resultDate");
    if (!resultDate.isEmpty())
        r.insert(QStringLiteral("resultDate"), resultDate);
    *record = r;
    return true;
}

QString UpstreamMapper::validateCaseKey(const QJsonObject &r)
{
    static const QRegularExpression projectNo(QStringLiteral("^[A-Za-z0-9_-]{1,50}$"));
    if (!projectNo.match(r.value(QLatin1String("projectNo")).toString()).hasMatch())
        return QStringLiteral("projectNo must be 1..50 of [A-Za-z0-9_-]");
    if (r.value(QLatin1String("serviceNumber")).toInt() < 1)
        return QStringLiteral("serviceNumber must be >= 1");
    const int assessNumber = r.value(QLatin1String("assessNumber")).toInt();
    if (assessNumber != 1 && assessNumber != 2)
        return QStringLiteral("assessNumber must be 1 or 2");
    return {};
}

QString UpstreamMapper::validate(const QJsonObject &r)
{
    if (const QString key = validateCaseKey(r); !key.isEmpty())
        return key;
    const int assessNumber = r.value(QLatin1String("assessNumber")).toInt();
    if (!isCode(r.value(QLatin1String("evaluateType")), {"1", "2"}))
        return QStringLiteral("evaluateType must be 1 or 2");
    // 追评 is the second evaluation (assessNumber=2) of type 追加评价 (evaluateType=2), and only it.
    if ((assessNumber == 2) != (r.value(QLatin1String("evaluateType")).toString() == QLatin1String("2")))
        return QStringLiteral("assessNumber 2 and evaluateType 2 go together (追评)");
    if (!isCode(r.value(QLatin1String("pf")), {"1", "2", "3", "4", "5", "6", "7"}))
        return QStringLiteral("pf must be 1..7");
    if (!isCode(r.value(QLatin1String("satisfaction")), {"1", "2", "3", "4", "5"}))
        return QStringLiteral("satisfaction must be 1..5");
    const QString detail = r.value(QLatin1String("evalDetail")).toString();
    static const QRegularExpression codes(QStringLiteral("^\\d{3}(,\\d{3})*$"));
    if (!detail.isEmpty() && !codes.match(detail).hasMatch())
        return QStringLiteral("evalDetail must be 3-digit codes joined by ','");
    if (r.value(QLatin1String("satisfaction")).toString().toInt() <= 2 && detail.isEmpty()
        && r.value(QLatin1String("writingEvaluation")).toString().trimmed().isEmpty())
        return QStringLiteral("差评 requires evalDetail or writingEvaluation");
    if (r.value(QLatin1String("writingEvaluation")).toString().size() > 2000)
        return QStringLiteral("writingEvaluation longer than 2000 characters");
    const QString assessTime = r.value(QLatin1String("assessTime")).toString();
    if (!QDateTime::fromString(assessTime, QStringLiteral("yyyy-MM-dd HH:mm:ss")).isValid())
        return QStringLiteral("assessTime must be yyyy-MM-dd HH:mm:ss");
    if (!isCode(r.value(QLatin1String("userProp")), {"1", "2"}))
        return QStringLiteral("userProp must be 1 or 2");
    const QString userName = r.value(QLatin1String("userName")).toString();
    if (userName.isEmpty() || userName.size() > 30)
        return QStringLiteral("userName must be 1..30 characters");
    static const QRegularExpression pageType(QStringLiteral("^\\d{3}$"));
    if (!pageType.match(r.value(QLatin1String("userPageType")).toString()).hasMatch())
        return QStringLiteral("userPageType must be a 3-digit code");
    static const QRegularExpression area(QStringLiteral("^\\d{12}$"));
    if (!area.match(r.value(QLatin1String("areaCode")).toString()).hasMatch())
        return QStringLiteral("areaCode must be 12 digits");
    if (r.value(QLatin1String("taskCode")).toString().isEmpty())
        return QStringLiteral("taskCode missing");
    if (r.value(QLatin1String("taskName")).toString().isEmpty())
        return QStringLiteral("taskName missing");
    static const QRegularExpression credit(QStringLiteral("^[0-9A-HJ-NPQRTUWXY]{18}$"));
    if (!credit.match(r.value(QLatin1String("deptCode")).toString()).hasMatch())
        return QStringLiteral("deptCode must be an 18-character 统一社会信用代码");
    if (!isCode(r.value(QLatin1String("publicFlag")), {"1", "2"}))
        return QStringLiteral("publicFlag must be 1 or 2");
    if (!isCode(r.value(QLatin1String("proStatus")), {"1", "2", "3"}))
        return QStringLiteral("proStatus must be 1, 2 or 3");
    static const QRegularExpression three(QStringLiteral("^\\d{3}$"));
    if (!three.match(r.value(QLatin1String("dataSource")).toString()).hasMatch())
        return QStringLiteral("dataSource must be 3 digits");
    if (r.contains(QLatin1String("certKeyGOV"))) {
        static const QRegularExpression cert(QStringLiteral("^([0-9]{17}[0-9Xx]|[0-9A-HJ-NPQRTUWXY]{18})$"));
        if (!cert.match(r.value(QLatin1String("certKeyGOV")).toString()).hasMatch())
            return QStringLiteral("certKeyGOV must be an 18-character ID number or credit code");
    }
    return {};
}

CertKeyResolver UpstreamMapper::hubKeyResolver(const trust::Key &hubKey)
{
    return [hubKey](const QJsonObject &evaluation, QString *certNo, QString *error) {
        const QString enc = evaluation.value(QLatin1String("certKeyEnc")).toString();
        if (enc.isEmpty())
            return true;
        const auto decoded = QByteArray::fromBase64Encoding(enc.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            *error = QStringLiteral("certKeyEnc is not base64");
            return false;
        }
        const auto plain = trust::Crypto::sm2Decrypt(hubKey, *decoded, error);
        if (!plain)
            return false;
        static const QRegularExpression id(QStringLiteral("^([0-9]{17}[0-9Xx]|[0-9A-HJ-NPQRTUWXY]{18})$"));
        const QString number = QString::fromUtf8(*plain).toUpper();
        if (!id.match(number).hasMatch()) {
            *error = QStringLiteral("certKeyEnc does not hold an 18-character ID number or credit code");
            return false;
        }
        *certNo = number;
        return true;
    };
}

} // namespace hcp::sync::hub::upstream
