// SPDX-License-Identifier: Apache-2.0
#pragma once

class QQmlEngine;

namespace hcp::kiosk {

// hcp-kiosk --self-test: compiles every QML file of the app's modules on its own and creates
// Main.qml with the services the engine's singletons see; 0 when all loaded, 1 otherwise.
int runSelfTest(QQmlEngine &engine);

} // namespace hcp::kiosk
