// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace hcp::sync::test {

// A throwaway PostgreSQL server for hub tests: initdb in a directory the caller owns (a
// QTemporaryDir), pg_ctl on a free loopback port, fsync off; as the "postgres" user when run as
// root (PostgreSQL refuses to run as root). Stopped (immediate) by stop() or the destructor.
class PgServer
{
public:
    PgServer() = default;
    ~PgServer() { stop(); }
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    // parentDir must exist; the cluster goes to parentDir/pg. *error says why it failed.
    bool start(const QString &parentDir, QString *error);
    void stop();
    // postgres://hcp@127.0.0.1:PORT/postgres
    QString spec() const { return m_spec; }
    // A PostgreSQL program (initdb, pg_ctl, psql, …) of the newest installed server version.
    static QString binary(const QString &name);

private:
    bool run(const QString &tool, const QStringList &args, QString *output);

    QString m_data;
    QString m_spec;
    bool m_started = false;
};

} // namespace hcp::sync::test
