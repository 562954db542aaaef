// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QStringList>
#include <QVariantList>

namespace hcp::kiosk {

class EvaluationSession;

// Application-wide state the screens need besides the session: demo mode and its panel,
// display mode, language. QML-unaware (exposed by qml/Kiosk/Core's registration header).
class AppController : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool demoMode READ demoMode CONSTANT)
    Q_PROPERTY(bool elderlyMode READ elderlyMode WRITE setElderlyMode NOTIFY elderlyModeChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(QVariantList demoPeople READ demoPeople CONSTANT)
    Q_PROPERTY(QVariantList demoCodes READ demoCodes CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(bool cameraPreviewAvailable READ cameraPreviewAvailable NOTIFY cameraPreviewAvailableChanged)
public:
    explicit AppController(EvaluationSession *session, QObject *parent = nullptr);

    bool demoMode() const { return m_demo; }
    void setDemoMode(bool on) { m_demo = on; }
    bool elderlyMode() const { return m_elderly; }
    void setElderlyMode(bool on);
    QString language() const { return m_language; }
    Q_INVOKABLE void setLanguage(const QString &lang);
    QString version() const;
    bool cameraPreviewAvailable() const { return m_cameraPreview; }
    void setCameraPreviewAvailable(bool on) { if (on != m_cameraPreview) { m_cameraPreview = on; Q_EMIT cameraPreviewAvailableChanged(); } }

    // Demo panel: people with a synthetic ID card, and receipt QR payloads to "scan".
    struct DemoPerson { QString name; QString idNumber; };
    void setDemoPeople(const QList<DemoPerson> &people);
    // The demo's synthetic cards: 李华, 王建国, 张秀英, 吴敏 and the demo 代办员 赵代办.
    static QList<DemoPerson> builtinDemoPeople();
    void setDemoCodes(const QStringList &codes) { m_codes = codes; }
    QVariantList demoPeople() const;
    QVariantList demoCodes() const;
    Q_INVOKABLE void demoSwipeCard(int index);
    Q_INVOKABLE void demoScan(int index);
    Q_INVOKABLE void demoScanText(const QString &text);
    Q_INVOKABLE void demoSetPaper(bool present) { if (m_demo) Q_EMIT demoPaperRequested(present); }

Q_SIGNALS:
    void elderlyModeChanged();
    void languageChanged();
    void cameraPreviewAvailableChanged();
    // The composition root routes these through the device simulators when they exist.
    void demoCardRequested(const QString &name, const QString &idNumber);
    void demoScanRequested(const QByteArray &payload);
    void demoPaperRequested(bool present);

private:
    EvaluationSession *m_session;
    bool m_demo = false;
    bool m_elderly = false;
    bool m_cameraPreview = false;
    QString m_language = QStringLiteral("zh_CN");
    QList<DemoPerson> m_people;
    QStringList m_codes;
};

} // namespace hcp::kiosk
