// SPDX-License-Identifier: Apache-2.0
// hcp-update: build and sign bundles (release side) and drive the A/B update state on a kiosk.
// Exit status: 0 success, 1 usage or local error, 2 bundle rejected, 3 rolled back.
#include "bundle.h"
#include "updateagent.h"
#include "updateconfig.h"

#include "crypto.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>
#include <QUrl>

using namespace hcp::updater;
using hcp::trust::Key;
using hcp::trust::KeyType;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int usage()
{
    err() << "usage:\n"
             "  hcp-update keygen [--type sm2|ed25519] KEY.pem        (writes KEY.pem and KEY.pub)\n"
             "  hcp-update build --key KEY.pem --version V --device-class C [--rollback] DIR OUT.bundle\n"
             "  hcp-update verify --config CONF BUNDLE\n"
             "  hcp-update install --config CONF [--root R] BUNDLE|URL\n"
             "  hcp-update status|commit|boot --config CONF [--root R]\n"
             "  hcp-update rollback --config CONF [--root R] [--reason TEXT]\n";
    err().flush();
    return 1;
}

int rejected(const UpdateError &e)
{
    err() << "rejected: " << e.codeString() << ": " << e.message << "\n";
    err().flush();
    return e.code == UpdateError::Code::Io ? 1 : 2;
}

void printJson(const QJsonObject &o)
{
    out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
    out().flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hcp-update"));
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("what to do"));
    const QCommandLineOption keyOpt(QStringLiteral("key"), QStringLiteral("private key PEM"),
                                    QStringLiteral("file"));
    const QCommandLineOption versionOpt(QStringLiteral("version"), QStringLiteral("semver"),
                                        QStringLiteral("v"));
    const QCommandLineOption classOpt(QStringLiteral("device-class"), QStringLiteral("class"),
                                      QStringLiteral("c"));
    const QCommandLineOption rollbackOpt(QStringLiteral("rollback"),
                                         QStringLiteral("sign as a rollback release"));
    const QCommandLineOption createdOpt(QStringLiteral("created"), QStringLiteral("RFC 3339 UTC"),
                                        QStringLiteral("time"));
    const QCommandLineOption typeOpt(QStringLiteral("type"), QStringLiteral("sm2 or ed25519"),
                                     QStringLiteral("type"), QStringLiteral("sm2"));
    const QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("update.json"),
                                       QStringLiteral("file"), QStringLiteral("/etc/hcp-kiosk/update.json"));
    const QCommandLineOption rootOpt(QStringLiteral("root"), QStringLiteral("A/B root"),
                                     QStringLiteral("dir"));
    const QCommandLineOption reasonOpt(QStringLiteral("reason"), QStringLiteral("why"),
                                       QStringLiteral("text"), QStringLiteral("manual rollback"));
    p.addOptions({keyOpt, versionOpt, classOpt, rollbackOpt, createdOpt, typeOpt, configOpt, rootOpt,
                  reasonOpt});
    p.addHelpOption();
    p.process(app);
    const QStringList args = p.positionalArguments();
    if (args.isEmpty())
        return usage();
    const QString command = args.first();

    if (command == u"keygen") {
        if (args.size() != 2)
            return usage();
        const QString type = p.value(typeOpt);
        if (type != u"sm2" && type != u"ed25519")
            return usage();
        const Key key = Key::generate(type == u"ed25519" ? KeyType::Ed25519 : KeyType::Sm2);
        QString error;
        QString pubPath = args[1];
        if (pubPath.endsWith(QStringLiteral(".pem")))
            pubPath.chop(4);
        pubPath += QStringLiteral(".pub");
        if (!hcp::trust::Crypto::writePrivateFile(args[1], key.privatePem(), false, &error)) {
            err() << error << "\n";
            return 1;
        }
        QFile pub(pubPath);
        if (!pub.open(QIODevice::WriteOnly) || pub.write(key.publicPem()) < 0) {
            err() << "cannot write " << pubPath << "\n";
            return 1;
        }
        out() << TrustPolicy::keyIdOf(key) << "\n";
        return 0;
    }

    if (command == u"build") {
        if (args.size() != 3 || !p.isSet(keyOpt) || !p.isSet(versionOpt) || !p.isSet(classOpt))
            return usage();
        QFile keyFile(p.value(keyOpt));
        if (!keyFile.open(QIODevice::ReadOnly)) {
            err() << "cannot read " << keyFile.fileName() << "\n";
            return 1;
        }
        QString error;
        const Key key = Key::fromPem(keyFile.readAll(), &error);
        if (key.isNull()) {
            err() << "bad key: " << error << "\n";
            return 1;
        }
        if (!SemVer::parse(p.value(versionOpt))) {
            err() << "--version must be a semantic version (e.g. 1.4.0)\n";
            return 1;
        }
        if (!BundleFile::build(args[1], key, p.value(versionOpt), p.value(classOpt),
                               p.isSet(rollbackOpt), args[2], &error, p.value(createdOpt))) {
            err() << "build failed: " << error << "\n";
            return 1;
        }
        out() << args[2] << "\n";
        return 0;
    }

    QString error;
    std::optional<UpdateConfig> config = UpdateConfig::load(p.value(configOpt), &error);
    if (!config) {
        err() << error << "\n";
        return 1;
    }
    if (p.isSet(rootOpt))
        config->root = p.value(rootOpt);

    if (command == u"verify") {
        if (args.size() != 2)
            return usage();
        UpdateError e;
        const auto header = BundleFile::verify(args[1], config->policy, true, &e);
        if (!header)
            return rejected(e);
        printJson(header->manifest.toJson());
        return 0;
    }

    if (config->root.isEmpty()) {
        err() << "no A/B root: set \"root\" in the config or pass --root\n";
        return 1;
    }
    UpdateAgent agent(*config);
    if (!agent.open(&error)) {
        err() << error << "\n";
        return 1;
    }

    if (command == u"status") {
        printJson(agent.status());
        return 0;
    }
    if (command == u"commit") {
        agent.markHealthy();
        printJson(agent.status());
        return agent.store().state().phase == u"committed" ? 0 : 1;
    }
    if (command == u"boot") {
        const bool rolled = agent.boot();
        printJson(agent.status());
        return rolled ? 3 : 0;
    }
    if (command == u"rollback") {
        const UpdateError e = agent.rollback(p.value(reasonOpt));
        if (e.isError())
            return rejected(e);
        printJson(agent.status());
        return 0;
    }
    if (command == u"install") {
        if (args.size() != 2)
            return usage();
        const QUrl url(args[1]);
        if (url.scheme() == u"http" || url.scheme() == u"https") {
            int rc = 1;
            bool done = false; // the agent may fail synchronously, before exec() runs
            QObject::connect(&agent, &UpdateAgent::installed, &app, [&] {
                rc = 0;
                done = true;
                app.quit();
            });
            QObject::connect(&agent, &UpdateAgent::failed, &app,
                             [&](const QString &code, const QString &message) {
                                 err() << "rejected: " << code << ": " << message << "\n";
                                 rc = code == u"io" ? 1 : 2;
                                 done = true;
                                 app.quit();
                             });
            agent.installFromUrl(url);
            if (!done)
                app.exec();
            if (rc == 0)
                printJson(agent.status());
            return rc;
        }
        const UpdateError e = agent.installFile(args[1]);
        if (e.isError())
            return rejected(e);
        printJson(agent.status());
        return 0;
    }
    return usage();
}
