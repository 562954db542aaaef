// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace hcp::trust {
class PinVault;
}

namespace hcp::kiosk {

class Devices;
class EvaluationSession;

// The on-site device diagnostics page: opened by a hidden gesture and the maintenance PIN
// (hashed, from configuration, with growing lockouts), it test-reads a card, prints a test
// receipt with the printer's status, shows the camera with its decodes, and echoes scans.
// While it is open the devices report here instead of starting a citizen's visit.
class Diagnostics : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool open READ isOpen NOTIFY openChanged)
    Q_PROPERTY(bool unlocked READ isUnlocked NOTIFY openChanged)
    Q_PROPERTY(QString pinMessage READ pinMessage NOTIFY pinMessageChanged)
    Q_PROPERTY(QString cardText READ cardText NOTIFY resultsChanged)
    Q_PROPERTY(QString printerText READ printerText NOTIFY resultsChanged)
    Q_PROPERTY(QString scanText READ scanText NOTIFY resultsChanged)
    Q_PROPERTY(QString cameraText READ cameraText NOTIFY resultsChanged)
public:
    Diagnostics(Devices *devices, EvaluationSession *session, QObject *parent = nullptr);
    ~Diagnostics() override;

    // The PIN hash ("pbkdf2-sha256$…") from configuration; empty keeps the page closed.
    void setPinHash(const QString &encoded, const QString &stateFile);

    bool isOpen() const { return m_open; }
    bool isUnlocked() const { return m_unlocked; }
    QString pinMessage() const { return m_pinMessage; }
    QString cardText() const { return m_cardText; }
    QString printerText() const { return m_printerText; }
    QString scanText() const { return m_scanText; }
    QString cameraText() const { return m_cameraText; }

    Q_INVOKABLE void requestOpen();          // the hidden gesture
    Q_INVOKABLE void enterPin(const QString &pin);
    Q_INVOKABLE void close();
    Q_INVOKABLE void testRead();
    Q_INVOKABLE void testPrint();

Q_SIGNALS:
    void openChanged();
    void pinMessageChanged();
    void resultsChanged();

private:
    void setPinMessage(const QString &m);
    Devices *m_devices;
    EvaluationSession *m_session;
    std::unique_ptr<hcp::trust::PinVault> m_vault;
    bool m_open = false;
    bool m_unlocked = false;
    QString m_pinMessage, m_cardText, m_printerText, m_scanText, m_cameraText;
};

} // namespace hcp::kiosk
