// SPDX-License-Identifier: Apache-2.0
// deploy/udev/60-hcp-kiosk.rules without udevd: Debian 12's udev (252) has no `udevadm verify`,
// so the rules are checked by a parser that knows udev's keys and operators, and then run through
// a small evaluator on synthetic devices (the reader, printers, wedge and HID POS scanners, ACM
// ports, bystanders). The evaluator implements the subset the rules use: ==/!= with globs and
// '|' alternatives on ACTION, SUBSYSTEM, KERNEL, ENV, ATTR, ATTRS; PROGRAM (really executed, so
// the HID POS probe runs on real descriptor bytes); IMPORT{builtin} "usb_id" (a no-op here: the
// devices carry ID_USB_INTERFACES) and "hwdb --subsystem=usb" (the shipped .hwdb file is parsed
// and matched against the device's USB modalias); GROUP, MODE, SYMLINK+=, ENV{}=; GOTO/LABEL.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fnmatch.h>

namespace {

const QString kDeploy = QStringLiteral(HCP_DEPLOY_DIR);

struct Token {
    QString key;
    QString attr; // the {…} part, if any
    QString op;
    QString value;
};

struct Rule {
    int line = 0;
    QList<Token> tokens;
};

struct RuleFile {
    QList<Rule> rules;
    QStringList errors;
};

const QSet<QString> kMatchOnly = {QStringLiteral("ACTION"), QStringLiteral("DEVPATH"), QStringLiteral("KERNEL"),
                                  QStringLiteral("KERNELS"), QStringLiteral("SUBSYSTEM"), QStringLiteral("SUBSYSTEMS"),
                                  QStringLiteral("DRIVER"), QStringLiteral("DRIVERS"), QStringLiteral("TAGS"),
                                  QStringLiteral("ATTRS"), QStringLiteral("TEST"), QStringLiteral("PROGRAM"),
                                  QStringLiteral("RESULT"), QStringLiteral("CONST")};
const QSet<QString> kAssignOnly = {QStringLiteral("OWNER"), QStringLiteral("GROUP"), QStringLiteral("MODE"),
                                   QStringLiteral("RUN"), QStringLiteral("LABEL"), QStringLiteral("GOTO"),
                                   QStringLiteral("IMPORT"), QStringLiteral("OPTIONS"), QStringLiteral("SECLABEL")};
const QSet<QString> kBoth = {QStringLiteral("NAME"), QStringLiteral("SYMLINK"), QStringLiteral("ENV"),
                             QStringLiteral("ATTR"), QStringLiteral("SYSCTL"), QStringLiteral("TAG")};
const QSet<QString> kNeedsAttr = {QStringLiteral("ENV"), QStringLiteral("ATTR"), QStringLiteral("ATTRS"),
                                  QStringLiteral("SYSCTL"), QStringLiteral("IMPORT"), QStringLiteral("CONST")};

RuleFile parseRules(const QString &path)
{
    RuleFile file;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        file.errors << QStringLiteral("cannot open ") + path;
        return file;
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    static const QRegularExpression tokenRe(
        QStringLiteral("^\\s*([A-Z_]+)(?:\\{([^}]*)\\})?\\s*(==|!=|\\+=|-=|:=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*"));
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QString line = lines.at(i);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(QLatin1Char('#')))
            continue;
        while (line.endsWith(QLatin1Char('\\'))) {
            if (i + 1 >= lines.size()) {
                file.errors << QStringLiteral("%1: continuation at end of file").arg(lineNo);
                break;
            }
            line = line.chopped(1) + lines.at(++i);
        }
        Rule rule;
        rule.line = lineNo;
        QStringView rest(line);
        while (!rest.trimmed().isEmpty()) {
            const auto m = tokenRe.match(rest);
            if (!m.hasMatch()) {
                file.errors << QStringLiteral("%1: cannot parse at: %2").arg(lineNo).arg(rest.trimmed().toString());
                break;
            }
            Token t{m.captured(1), m.captured(2), m.captured(3), m.captured(4)};
            const bool isMatch = t.op == QLatin1String("==") || t.op == QLatin1String("!=");
            if (!kMatchOnly.contains(t.key) && !kAssignOnly.contains(t.key) && !kBoth.contains(t.key))
                file.errors << QStringLiteral("%1: unknown key %2").arg(lineNo).arg(t.key);
            else if (kMatchOnly.contains(t.key) && !isMatch)
                file.errors << QStringLiteral("%1: %2 can only be matched").arg(lineNo).arg(t.key);
            else if (kAssignOnly.contains(t.key) && isMatch)
                file.errors << QStringLiteral("%1: %2 can only be assigned").arg(lineNo).arg(t.key);
            if (kNeedsAttr.contains(t.key) && t.attr.isEmpty())
                file.errors << QStringLiteral("%1: %2 needs {…}").arg(lineNo).arg(t.key);
            if (!kNeedsAttr.contains(t.key) && t.key != QLatin1String("TEST") && !t.attr.isEmpty())
                file.errors << QStringLiteral("%1: %2 takes no {…}").arg(lineNo).arg(t.key);
            if (t.key == QLatin1String("MODE") && !QRegularExpression(QStringLiteral("^0[0-7]{3}$")).match(t.value).hasMatch())
                file.errors << QStringLiteral("%1: MODE %2 is not octal").arg(lineNo).arg(t.value);
            rule.tokens << t;
            rest = rest.mid(m.capturedLength());
            const QStringView trimmed = rest.trimmed();
            if (trimmed.isEmpty())
                break;
            if (!trimmed.startsWith(QLatin1Char(','))) {
                file.errors << QStringLiteral("%1: missing ',' before: %2").arg(lineNo).arg(trimmed.toString());
                break;
            }
            rest = trimmed.mid(1);
        }
        file.rules << rule;
    }
    // GOTO only jumps forward, to a LABEL that exists.
    QMap<QString, int> labels;
    for (int r = 0; r < file.rules.size(); ++r)
        for (const Token &t : file.rules.at(r).tokens)
            if (t.key == QLatin1String("LABEL"))
                labels.insert(t.value, r);
    for (int r = 0; r < file.rules.size(); ++r)
        for (const Token &t : file.rules.at(r).tokens)
            if (t.key == QLatin1String("GOTO") && labels.value(t.value, -1) <= r)
                file.errors << QStringLiteral("%1: GOTO %2 has no LABEL after it").arg(file.rules.at(r).line).arg(t.value);
    return file;
}

// hwdb: match lines (no leading space) followed by " KEY=VALUE" property lines.
QList<QPair<QStringList, QMap<QString, QString>>> parseHwdb(const QString &path)
{
    QList<QPair<QStringList, QMap<QString, QString>>> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return out;
    bool inProps = false;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('#')))
            continue;
        if (line.trimmed().isEmpty()) {
            inProps = false;
            continue;
        }
        if (line.startsWith(QLatin1Char(' '))) {
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (!out.isEmpty() && eq > 0)
                out.last().second.insert(line.left(eq).trimmed(), line.mid(eq + 1));
            inProps = true;
            continue;
        }
        if (inProps || out.isEmpty())
            out.append(qMakePair(QStringList(), QMap<QString, QString>()));
        out.last().first << line;
        inProps = false;
    }
    return out;
}

struct Device {
    QString action = QStringLiteral("add");
    QString subsystem;
    QString kernel;
    QString devpath; // relative to the fake /sys
    QMap<QString, QString> env;
    QMap<QString, QString> attrs;
    QMap<QString, QString> parentAttrs;
    QString usbModalias; // what hwdb --subsystem=usb matches against
    // results
    QString group;
    QString mode;
    QStringList symlinks;
    QStringList programsRun;
};

bool globMatch(const QString &pattern, const QString &value)
{
    for (const QString &alt : pattern.split(QLatin1Char('|')))
        if (fnmatch(alt.toUtf8().constData(), value.toUtf8().constData(), 0) == 0)
            return true;
    return false;
}

class Evaluator {
public:
    QString sysRoot;
    QMap<QString, QString> programMap; // installed path -> path in the source tree
    QList<QPair<QStringList, QMap<QString, QString>>> hwdb;
    QStringList errors;

    QString substitute(const Device &d, QString v)
    {
        v.replace(QLatin1String("$sys"), sysRoot);
        v.replace(QLatin1String("$devpath"), d.devpath);
        v.replace(QLatin1String("%k"), d.kernel);
        if (v.contains(QLatin1Char('%')) || v.contains(QLatin1Char('$')))
            errors << QStringLiteral("unsupported substitution in ") + v;
        return v;
    }

    bool matches(Device &d, const Token &t)
    {
        const bool want = t.op == QLatin1String("==");
        QString actual;
        if (t.key == QLatin1String("ACTION"))
            actual = d.action;
        else if (t.key == QLatin1String("SUBSYSTEM"))
            actual = d.subsystem;
        else if (t.key == QLatin1String("KERNEL"))
            actual = d.kernel;
        else if (t.key == QLatin1String("ENV"))
            actual = d.env.value(t.attr);
        else if (t.key == QLatin1String("ATTR"))
            actual = d.attrs.value(t.attr);
        else if (t.key == QLatin1String("ATTRS")) {
            const bool found = d.attrs.contains(t.attr) ? globMatch(t.value, d.attrs.value(t.attr))
                                                        : d.parentAttrs.contains(t.attr) && globMatch(t.value, d.parentAttrs.value(t.attr));
            return found == want;
        } else if (t.key == QLatin1String("PROGRAM")) {
            QStringList argv = substitute(d, t.value).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const QString exe = programMap.value(argv.value(0));
            if (exe.isEmpty()) {
                errors << QStringLiteral("PROGRAM %1 is not shipped").arg(argv.value(0));
                return false;
            }
            d.programsRun << argv.value(0);
            QProcess p;
            p.start(exe, argv.mid(1));
            const bool ok = p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
            return ok == want;
        } else {
            errors << QStringLiteral("evaluator does not match on ") + t.key;
            return false;
        }
        return globMatch(t.value, actual) == want;
    }

    void assign(Device &d, const Token &t)
    {
        const QString v = substitute(d, t.value);
        if (t.key == QLatin1String("GROUP"))
            d.group = v;
        else if (t.key == QLatin1String("MODE"))
            d.mode = v;
        else if (t.key == QLatin1String("SYMLINK") && t.op == QLatin1String("+="))
            d.symlinks << v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        else if (t.key == QLatin1String("ENV") && t.op == QLatin1String("="))
            d.env.insert(t.attr, v);
        else if (t.key == QLatin1String("IMPORT") && t.attr == QLatin1String("builtin")) {
            if (v == QLatin1String("usb_id"))
                return; // synthetic devices already carry ID_USB_INTERFACES
            if (v == QLatin1String("hwdb --subsystem=usb")) {
                for (const auto &entry : hwdb)
                    for (const QString &pattern : entry.first)
                        if (!d.usbModalias.isEmpty() && fnmatch(pattern.toUtf8().constData(), d.usbModalias.toUtf8().constData(), 0) == 0)
                            for (auto it = entry.second.cbegin(); it != entry.second.cend(); ++it)
                                d.env.insert(it.key(), it.value());
                return;
            }
            errors << QStringLiteral("evaluator does not know builtin ") + v;
        } else
            errors << QStringLiteral("evaluator does not assign %1 %2").arg(t.key, t.op);
    }

    void run(const RuleFile &file, Device &d)
    {
        QString skipTo;
        for (const Rule &rule : file.rules) {
            bool isLabel = false;
            for (const Token &t : rule.tokens)
                if (t.key == QLatin1String("LABEL")) {
                    isLabel = true;
                    if (t.value == skipTo)
                        skipTo.clear();
                }
            if (isLabel || !skipTo.isEmpty())
                continue;
            bool all = true;
            for (const Token &t : rule.tokens) {
                const bool isMatch = t.op == QLatin1String("==") || t.op == QLatin1String("!=");
                if (isMatch && !matches(d, t)) {
                    all = false;
                    break;
                }
            }
            if (!all)
                continue;
            for (const Token &t : rule.tokens) {
                if (t.op == QLatin1String("==") || t.op == QLatin1String("!="))
                    continue;
                if (t.key == QLatin1String("GOTO"))
                    skipTo = t.value;
                else
                    assign(d, t);
            }
        }
    }
};

} // namespace

class TestUdevRules : public QObject {
    Q_OBJECT
private:
    RuleFile m_rules;
    Evaluator m_eval;
    QTemporaryDir m_sys;

    Device usbDevice(const QString &vid, const QString &pid, const QString &interfaces = {})
    {
        Device d;
        d.subsystem = QStringLiteral("usb");
        d.kernel = QStringLiteral("1-1");
        d.env.insert(QStringLiteral("DEVTYPE"), QStringLiteral("usb_device"));
        d.attrs.insert(QStringLiteral("idVendor"), vid);
        d.attrs.insert(QStringLiteral("idProduct"), pid);
        if (!interfaces.isEmpty())
            d.env.insert(QStringLiteral("ID_USB_INTERFACES"), interfaces);
        return d;
    }

    Device inputEvent(const QString &modalias)
    {
        Device d;
        d.subsystem = QStringLiteral("input");
        d.kernel = QStringLiteral("event7");
        d.env.insert(QStringLiteral("ID_BUS"), QStringLiteral("usb"));
        d.usbModalias = modalias;
        return d;
    }

    // A hidraw node whose hid device's report_descriptor holds `descriptor`.
    Device hidraw(const QByteArray &descriptor, const QString &name)
    {
        const QString devpath = QStringLiteral("/devices/usb1/1-2/1-2:1.0/0003:0C2E:0001.%1").arg(name);
        QDir(m_sys.path()).mkpath(devpath.mid(1) + QStringLiteral("/hidraw/hidraw0"));
        QFile f(m_sys.path() + devpath + QStringLiteral("/report_descriptor"));
        if (f.open(QIODevice::WriteOnly))
            f.write(descriptor);
        // hidraw0/device -> the hid device, as in sysfs
        QFile::link(m_sys.path() + devpath, m_sys.path() + devpath + QStringLiteral("/hidraw/hidraw0/device"));
        Device d;
        d.subsystem = QStringLiteral("hidraw");
        d.kernel = QStringLiteral("hidraw0");
        d.devpath = devpath + QStringLiteral("/hidraw/hidraw0");
        return d;
    }

    void evaluate(Device &d)
    {
        m_eval.errors.clear();
        m_eval.run(m_rules, d);
        QVERIFY2(m_eval.errors.isEmpty(), qPrintable(m_eval.errors.join(QLatin1Char('\n'))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_sys.isValid());
        m_rules = parseRules(kDeploy + QStringLiteral("/udev/60-hcp-kiosk.rules"));
        m_eval.sysRoot = m_sys.path();
        m_eval.programMap.insert(QStringLiteral("/usr/lib/hcp-kiosk/hcp-hidpos-probe"),
                                 kDeploy + QStringLiteral("/udev/hcp-hidpos-probe"));
        m_eval.hwdb = parseHwdb(kDeploy + QStringLiteral("/udev/60-hcp-kiosk.hwdb"));
    }

    void rules_parseWithKnownKeysAndOperators()
    {
        QVERIFY2(m_rules.errors.isEmpty(), qPrintable(m_rules.errors.join(QLatin1Char('\n'))));
        QVERIFY(m_rules.rules.size() >= 6);
    }

    void parser_rejectsTyposAndBadOperators()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.rules"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("SUBSYTEM==\"usb\", GROUP=\"plugdev\"\n"                  // unknown key
                "SUBSYSTEM=\"usb\", MODE=\"660\"\n"                      // assigning a match key, non-octal mode
                "KERNEL==\"ttyACM*\" GROUP=\"dialout\"\n"                // missing comma
                "ATTR==\"x\", GOTO=\"nowhere\"\n");                       // ATTR without {…}, dangling GOTO
        f.close();
        const RuleFile bad = parseRules(path);
        const QString all = bad.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("unknown key SUBSYTEM")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("SUBSYSTEM can only be matched")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("MODE 660 is not octal")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("missing ','")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("ATTR needs")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("GOTO nowhere")), qPrintable(all));
    }

    void groups_areThoseTheKioskUserBelongsTo()
    {
        QFile f(kDeploy + QStringLiteral("/sysusers/hcp-kiosk.conf"));
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        QSet<QString> member;
        for (const QString &l : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
            const QStringList w = l.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (w.value(0) == QLatin1String("m") && w.value(1) == QLatin1String("hcp"))
                member.insert(w.value(2));
        }
        int groups = 0;
        for (const Rule &r : m_rules.rules)
            for (const Token &t : r.tokens)
                if (t.key == QLatin1String("GROUP")) {
                    ++groups;
                    QVERIFY2(member.contains(t.value), qPrintable(t.value));
                }
        QVERIFY(groups >= 4);
    }

    void idCardReader_0400c35a_plugdev0660WithStableLink()
    {
        Device d = usbDevice(QStringLiteral("0400"), QStringLiteral("c35a"));
        evaluate(d);
        QCOMPARE(d.group, QStringLiteral("plugdev"));
        QCOMPARE(d.mode, QStringLiteral("0660"));
        QVERIFY(d.symlinks.contains(QStringLiteral("hcp/idcard")));
    }

    void otherUsbDevice_getsNothing()
    {
        Device d = usbDevice(QStringLiteral("0400"), QStringLiteral("c35b"), QStringLiteral(":ff0000:"));
        evaluate(d);
        QVERIFY(d.group.isEmpty());
        QVERIFY(d.symlinks.isEmpty());
    }

    void removeEvent_getsNothing()
    {
        Device d = usbDevice(QStringLiteral("0400"), QStringLiteral("c35a"));
        d.action = QStringLiteral("remove");
        evaluate(d);
        QVERIFY(d.group.isEmpty());
    }

    void printerInterfaceClass07_lpAccessEvenAmongOtherInterfaces_data()
    {
        QTest::addColumn<QString>("interfaces");
        QTest::addColumn<bool>("printer");
        QTest::newRow("printer only, bidirectional") << QStringLiteral(":070102:") << true;
        QTest::newRow("composite: vendor + printer") << QStringLiteral(":ff0000:070101:") << true;
        QTest::newRow("keyboard") << QStringLiteral(":030101:") << false;
        QTest::newRow("class 07 only as a subclass byte") << QStringLiteral(":ff0700:") << false;
    }
    void printerInterfaceClass07_lpAccessEvenAmongOtherInterfaces()
    {
        QFETCH(QString, interfaces);
        QFETCH(bool, printer);
        Device d = usbDevice(QStringLiteral("0416"), QStringLiteral("5011"), interfaces);
        evaluate(d);
        QCOMPARE(d.group == QLatin1String("lp"), printer);
        QCOMPARE(d.symlinks.contains(QStringLiteral("hcp/printer")), printer);
        if (printer)
            QCOMPARE(d.mode, QStringLiteral("0660"));
    }

    void wedgeScanner_listedInHwdb_getsScannerLinkAndLibinputIgnores()
    {
        Device d = inputEvent(QStringLiteral("usb:v05E0p1200d0100dc00dsc00dp00ic03isc01ip01in00"));
        evaluate(d);
        QVERIFY(d.symlinks.contains(QStringLiteral("input/hcp-scanner")));
        QCOMPARE(d.env.value(QStringLiteral("LIBINPUT_IGNORE_DEVICE")), QStringLiteral("1"));
        QCOMPARE(d.group, QStringLiteral("input"));
    }

    void wedgeScanner_configuredByLocalEnv_getsScannerLink()
    {
        Device d = inputEvent(QStringLiteral("usb:v1EABp8203d0100dc00dsc00dp00ic03isc01ip01in00"));
        d.env.insert(QStringLiteral("HCP_BARCODE_SCANNER"), QStringLiteral("1"));
        evaluate(d);
        QVERIFY(d.symlinks.contains(QStringLiteral("input/hcp-scanner")));
    }

    void ordinaryKeyboard_staysWithTheCompositor()
    {
        Device d = inputEvent(QStringLiteral("usb:v046Dpc31cd6400dc00dsc00dp00ic03isc01ip01in00"));
        evaluate(d);
        QVERIFY(d.symlinks.isEmpty());
        QVERIFY(!d.env.contains(QStringLiteral("LIBINPUT_IGNORE_DEVICE")));
    }

    void hidraw_usagePage8C_getsHidPosAccess_data()
    {
        QTest::addColumn<QByteArray>("descriptor");
        QTest::addColumn<bool>("hidpos");
        // Usage Page (0x8C), Usage (Bar Code Scanner), Collection (Application) … End Collection
        QTest::newRow("HID POS, 2-byte usage page") << QByteArray::fromHex("068c000902a101c0") << true;
        QTest::newRow("HID POS, 1-byte usage page after vendor page")
            << QByteArray::fromHex("0600ff0901a101c0058c0902a101c0") << true;
        QTest::newRow("HID POS, 32-bit extended usage") << QByteArray::fromHex("0b02008c00a101c0") << true;
        QTest::newRow("boot keyboard") << QByteArray::fromHex("05010906a101050719e029e71500250175019508810295017508810181c0") << false;
        QTest::newRow("05 8C inside a Logical Maximum") << QByteArray::fromHex("050126058c0902") << false;
        QTest::newRow("truncated item") << QByteArray::fromHex("068c") << false;
    }
    void hidraw_usagePage8C_getsHidPosAccess()
    {
        QFETCH(QByteArray, descriptor);
        QFETCH(bool, hidpos);
        Device d = hidraw(descriptor, QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')).left(40));
        evaluate(d);
        QCOMPARE(d.programsRun, QStringList{QStringLiteral("/usr/lib/hcp-kiosk/hcp-hidpos-probe")});
        QCOMPARE(d.group == QLatin1String("plugdev"), hidpos);
        QCOMPARE(d.symlinks.contains(QStringLiteral("hcp/scanner-hidpos")), hidpos);
    }

    void cdcAcmReader_dialoutAndModemManagerKeepsOff()
    {
        Device d;
        d.subsystem = QStringLiteral("tty");
        d.kernel = QStringLiteral("ttyACM0");
        evaluate(d);
        QCOMPARE(d.group, QStringLiteral("dialout"));
        QCOMPARE(d.mode, QStringLiteral("0660"));
        QCOMPARE(d.env.value(QStringLiteral("ID_MM_DEVICE_IGNORE")), QStringLiteral("1"));
        QVERIFY(d.symlinks.contains(QStringLiteral("hcp/acm-ttyACM0")));
    }

    void usbSerialAdapter_isNotTouched()
    {
        Device d;
        d.subsystem = QStringLiteral("tty");
        d.kernel = QStringLiteral("ttyUSB0");
        evaluate(d);
        QVERIFY(d.group.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestUdevRules)
#include "tst_udevrules.moc"
