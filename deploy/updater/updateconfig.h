// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bundle.h"

#include <QString>

#include <optional>

namespace hcp::updater {

// The kiosk's update configuration: a JSON file baked into the read-only image, e.g.
// /etc/hcp-kiosk/update.json:
//   {"root": "/var/lib/hcp-kiosk/update", "deviceClass": "hcp-kiosk-amd64",
//    "releaseKeys": ["-----BEGIN PUBLIC KEY-----\n…"], "releaseKeyFiles": ["release-sm2.pub"],
//    "trialSeconds": 300, "maxTrialBoots": 3, "maxBundleBytes": 2147483648}
// releaseKeyFiles are relative to the config file's directory. At least one key is required:
// there is no configuration that installs unsigned bundles.
struct UpdateConfig
{
    QString root;
    TrustPolicy policy;
    qint64 trialSeconds = 300;  // READY + first sync must come within this
    int maxTrialBoots = 3;      // starts during a trial before it counts as a crash loop
    int downloadAttempts = 20;  // consecutive attempts without progress before giving up
    int retryInitialMs = 1000;
    int retryMaxMs = 60000;

    static std::optional<UpdateConfig> load(const QString &path, QString *error);
};

} // namespace hcp::updater
