// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

// What LedgerCheck's two files (ledgercheck.cpp, batchcheck.cpp) share.
Q_DECLARE_LOGGING_CATEGORY(lcLedgerCheck)

namespace hcp::sync::hub::ledgerinternal {

inline QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

inline QByteArray unhex(const QVariant &v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

// Per batch; the kiosk sends at most 100 (OutboxSender).
inline constexpr qsizetype kMaxUnledgeredReports = 500;

// Rolls back unless committed: every early return leaves the database as it was. Joined
// (the caller already holds a transaction): begins, commits and rolls back nothing; the caller
// commits or rolls back the whole request.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db, bool joined = false)
        : m_db(db)
        , m_joined(joined)
        , m_open(joined || db.transaction())
    {
    }
    ~Transaction()
    {
        if (m_open && !m_joined)
            m_db.rollback();
    }
    bool isOpen() const { return m_open; }
    bool commit()
    {
        m_open = false;
        if (m_joined || m_db.commit())
            return true;
        m_db.rollback();
        return false;
    }

private:
    QSqlDatabase &m_db;
    bool m_joined;
    bool m_open;
};

} // namespace hcp::sync::hub::ledgerinternal
