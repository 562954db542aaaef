// SPDX-License-Identifier: Apache-2.0
// Child process of tst_sendercrash: runs the real OutboxSender against the hub until the outbox
// is drained, or SIGKILLs itself at the chosen send step.
// Usage: hcp-sync-crashchild KIOSK_DB CREDENTIALS_JSON STEP NTH [DEVICE_KEY_PEM]   (STEP -1 = never)
// With a device key, requests are signed with it and batches carry the ledger (signatures on).
#include "devicecredentials.h"
#include "hubclient.h"
#include "ledgerbuilder.h"
#include "outboxsender.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <csignal>
#include <unistd.h>

using namespace hcp::sync;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5 && args.size() != 6)
        return 2;
    QString error;
    const DeviceCredentials creds = DeviceCredentials::load(args.at(2), &error);
    if (!creds.isValid())
        return 2;
    const int target = args.at(3).toInt();
    const int nth = args.at(4).toInt();

    HubClient client;
    client.setCredentials(creds);
    OutboxSender sender(&client);
    if (args.size() == 6) {
        QFile pem(args.at(5));
        if (!pem.open(QIODevice::ReadOnly))
            return 2;
        const hcp::trust::Key key = hcp::trust::Key::fromPem(pem.readAll());
        if (key.isNull())
            return 2;
        client.setDeviceKey(key);
        sender.setLedgerSigner(std::make_shared<hcp::trust::LedgerBuilder>(key));
    }
    OutboxSender::Options o;
    o.batchSize = 4; // several batches per run, so kills land between and inside batches
    o.backoffBaseMs = 5;
    o.backoffCapMs = 50;
    sender.setOptions(o);
    if (!sender.open(args.at(1), &error))
        return 2;
    int seen = 0;
    sender.setStepHook([&](OutboxSender::Step step) {
        if (static_cast<int>(step) == target && ++seen == nth)
            ::kill(::getpid(), SIGKILL);
    });
    int failures = 0;
    QObject::connect(&sender, &OutboxSender::sendFailed, &app, [&] {
        if (++failures > 20)
            app.exit(3);
    });
    QObject::connect(&sender, &OutboxSender::drained, &app, [&] { app.exit(0); });
    sender.start();
    return app.exec();
}
