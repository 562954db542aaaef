// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "case.h"
#include "evaluation.h"
#include "kioskconfig.h"

#include <QString>

namespace hcp::kiosk {

class ServiceAvailability;
class Store;

// The one commit path of a rating, shared by the terminal journey (EvaluationSession), the window
// pad (PadSession) and the 追评 (FollowUpSession): the Evaluation is built from its case the same
// way, and the store's answer is handled the same way — in particular a full disk switches the
// whole kiosk out of service, whichever session hit it. What each session shows for the outcome
// stays its own.
namespace ratingcommit {

enum class Assessment { First, FollowUp }; // assessNumber/evaluateType 1/1 (主动评价) or 2/2 (追加评价)

// The fields that come from the case and the kiosk: projectNo, serviceNumber, assessNumber,
// evaluateType, pf (config), task, department, area (the case's, else the kiosk's), staff,
// window, userProp and the masked applicant name. The rating itself is the caller's.
Evaluation fromCase(const Case &c, Assessment assessment, const KioskConfig &config);

// The cached case of (projectNo, serviceNumber), or a case with only those two set when the
// kiosk has none (a pad event or a receipt of a case never looked up here).
Case storedCase(const Store &store, const QString &projectNo, int serviceNumber);

struct Outcome {
    enum class Kind { Committed, AlreadyRated, Failed };
    Kind kind = Kind::Failed;
    QString ratedTime;        // AlreadyRated: the earlier rating, "yyyy-MM-dd HH:mm"
    bool storageFull = false; // Failed on a full disk: the kiosk is now out of service
    QString error;            // Failed: the store's reason (log only)
};

// Commits `e` (filling uuid, deviceSeq …). On a full disk `availability` (may be null) is
// switched off.
Outcome commit(Store &store, Evaluation &e, ServiceAvailability *availability);

} // namespace ratingcommit
} // namespace hcp::kiosk
