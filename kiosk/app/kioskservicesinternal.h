// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// What KioskServices' files (kioskservices.cpp, kioskservicessync.cpp) share.
Q_DECLARE_LOGGING_CATEGORY(lcServices)
