// SPDX-License-Identifier: Apache-2.0
#include "ratingcommit.h"

#include "serviceavailability.h"
#include "store.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCommit, "hcp.kiosk.commit")

namespace hcp::kiosk::ratingcommit {

Evaluation fromCase(const Case &c, Assessment assessment, const KioskConfig &config)
{
    Evaluation e;
    e.projectNo = c.projectNo;
    e.serviceNumber = c.serviceNumber;
    e.assessNumber = assessment == Assessment::First ? 1 : 2;
    e.evaluateType = assessment == Assessment::First ? 1 : 2;
    e.pf = config.pf;
    e.taskCode = c.taskCode;
    e.taskName = c.taskName;
    e.deptCode = c.deptCode;
    e.deptName = c.deptName;
    e.areaCode = c.areaCode.isEmpty() ? config.areaCode : c.areaCode;
    e.staffNo = c.staffNo;
    e.staffName = c.staffName;
    e.windowNo = c.windowNo;
    e.userProp = c.userProp;
    e.userNameMasked = c.maskedUserName();
    return e;
}

Case storedCase(const Store &store, const QString &projectNo, int serviceNumber)
{
    for (const Case &c : store.casesByProjectNo(projectNo))
        if (c.serviceNumber == serviceNumber)
            return c;
    Case bare;
    bare.projectNo = projectNo;
    bare.serviceNumber = serviceNumber;
    return bare;
}

Outcome commit(Store &store, Evaluation &e, ServiceAvailability *availability)
{
    const Store::CommitResult r = store.commitEvaluation(e);
    Outcome o;
    switch (r.status) {
    case Store::CommitResult::Status::Committed:
        qCInfo(lcCommit) << "evaluation committed, seq" << e.deviceSeq << "assessNumber" << e.assessNumber << "pf" << e.pf;
        o.kind = Outcome::Kind::Committed;
        break;
    case Store::CommitResult::Status::AlreadyRated:
        o.kind = Outcome::Kind::AlreadyRated;
        o.ratedTime = r.existingTime.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        break;
    case Store::CommitResult::Status::StorageFull:
    case Store::CommitResult::Status::StorageError:
        o.kind = Outcome::Kind::Failed;
        o.storageFull = r.status == Store::CommitResult::Status::StorageFull;
        o.error = r.error;
        qCWarning(lcCommit).noquote() << "evaluation commit failed:" << r.error;
        if (o.storageFull && availability)
            availability->setStorageAvailable(false);
        break;
    }
    return o;
}

} // namespace hcp::kiosk::ratingcommit
