// SPDX-License-Identifier: Apache-2.0
#include "xlsxwriter.h"

#include <QBuffer>
#include <QRegularExpression>
#include <QXmlStreamWriter>
#include <QtEndian>

namespace hcp::sync::hub::grievance {

namespace {

quint32 crc32(const QByteArray &data)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (const char ch : data)
        c = table[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put16(QByteArray &out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

void put32(QByteArray &out, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    out.append(b, 4);
}

// "A", "B", …, "Z", "AA", … for a 0-based column.
QString column(int c)
{
    QString s;
    for (++c; c > 0; c = (c - 1) / 26)
        s.prepend(QChar(u'A' + (c - 1) % 26));
    return s;
}

QByteArray xml(const std::function<void(QXmlStreamWriter &)> &body)
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.writeStartDocument(QStringLiteral("1.0"), true);
    body(w);
    w.writeEndDocument();
    return out;
}

} // namespace

QByteArray XlsxWriter::zip(const QList<QPair<QString, QByteArray>> &entries)
{
    // A fixed timestamp (1 Jan 2020 00:00, DOS format): the same report gives the same bytes.
    constexpr quint16 kTime = 0, kDate = ((2020 - 1980) << 9) | (1 << 5) | 1;
    QByteArray out, central;
    for (const auto &[name, data] : entries) {
        const QByteArray n = name.toUtf8();
        const quint32 crc = crc32(data);
        const quint32 offset = quint32(out.size());
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, 0x0800); // UTF-8 names
        put16(out, 0); // stored
        put16(out, kTime);
        put16(out, kDate);
        put32(out, crc);
        put32(out, quint32(data.size()));
        put32(out, quint32(data.size()));
        put16(out, quint16(n.size()));
        put16(out, 0);
        out += n + data;
        put32(central, 0x02014b50);
        put16(central, 20);
        put16(central, 20);
        put16(central, 0x0800);
        put16(central, 0);
        put16(central, kTime);
        put16(central, kDate);
        put32(central, crc);
        put32(central, quint32(data.size()));
        put32(central, quint32(data.size()));
        put16(central, quint16(n.size()));
        put16(central, 0); // extra
        put16(central, 0); // comment
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, offset);
        central += n;
    }
    const quint32 centralOffset = quint32(out.size());
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, quint16(entries.size()));
    put16(out, quint16(entries.size()));
    put32(out, quint32(central.size()));
    put32(out, centralOffset);
    put16(out, 0);
    return out;
}

QByteArray XlsxWriter::workbook(const QString &sheetName) const
{
    const QString ns = QStringLiteral("http://schemas.openxmlformats.org/spreadsheetml/2006/main");
    const QString rel = QStringLiteral("http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    const QString pkgRel = QStringLiteral("http://schemas.openxmlformats.org/package/2006/relationships");
    QString name = sheetName;
    name.remove(QRegularExpression(QStringLiteral("[\\[\\]:*?/\\\\]")));
    name = name.left(31);
    if (name.isEmpty())
        name = QStringLiteral("Sheet1");

    const QByteArray types = xml([](QXmlStreamWriter &w) {
        w.writeStartElement(QStringLiteral("Types"));
        w.writeDefaultNamespace(QStringLiteral("http://schemas.openxmlformats.org/package/2006/content-types"));
        auto def = [&w](const char *ext, const char *type) {
            w.writeEmptyElement(QStringLiteral("Default"));
            w.writeAttribute(QStringLiteral("Extension"), QLatin1String(ext));
            w.writeAttribute(QStringLiteral("ContentType"), QLatin1String(type));
        };
        def("rels", "application/vnd.openxmlformats-package.relationships+xml");
        def("xml", "application/xml");
        auto over = [&w](const char *part, const char *type) {
            w.writeEmptyElement(QStringLiteral("Override"));
            w.writeAttribute(QStringLiteral("PartName"), QLatin1String(part));
            w.writeAttribute(QStringLiteral("ContentType"), QLatin1String(type));
        };
        over("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        over("/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        over("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        w.writeEndElement();
    });
    auto relationships = [&pkgRel](const QList<QPair<QString, QString>> &targets) {
        return xml([&](QXmlStreamWriter &w) {
            w.writeStartElement(QStringLiteral("Relationships"));
            w.writeDefaultNamespace(pkgRel);
            int i = 0;
            for (const auto &[type, target] : targets) {
                w.writeEmptyElement(QStringLiteral("Relationship"));
                w.writeAttribute(QStringLiteral("Id"), QStringLiteral("rId%1").arg(++i));
                w.writeAttribute(QStringLiteral("Type"), type);
                w.writeAttribute(QStringLiteral("Target"), target);
            }
            w.writeEndElement();
        });
    };
    const QString docRel = QStringLiteral("http://schemas.openxmlformats.org/officeDocument/2006/relationships/");
    const QByteArray rootRels = relationships({{docRel + QStringLiteral("officeDocument"), QStringLiteral("xl/workbook.xml")}});
    const QByteArray workbookRels = relationships({{docRel + QStringLiteral("worksheet"), QStringLiteral("worksheets/sheet1.xml")},
                                                   {docRel + QStringLiteral("styles"), QStringLiteral("styles.xml")}});
    const QByteArray book = xml([&](QXmlStreamWriter &w) {
        w.writeStartElement(QStringLiteral("workbook"));
        w.writeDefaultNamespace(ns);
        w.writeNamespace(rel, QStringLiteral("r"));
        w.writeStartElement(QStringLiteral("sheets"));
        w.writeEmptyElement(QStringLiteral("sheet"));
        w.writeAttribute(QStringLiteral("name"), name);
        w.writeAttribute(QStringLiteral("sheetId"), QStringLiteral("1"));
        w.writeAttribute(rel, QStringLiteral("id"), QStringLiteral("rId1"));
        w.writeEndElement();
        w.writeEndElement();
    });
    // The smallest valid style sheet: one font, the two fills Excel requires, one border, one format.
    const QByteArray styles = xml([&](QXmlStreamWriter &w) {
        w.writeStartElement(QStringLiteral("styleSheet"));
        w.writeDefaultNamespace(ns);
        w.writeStartElement(QStringLiteral("fonts"));
        w.writeAttribute(QStringLiteral("count"), QStringLiteral("1"));
        w.writeStartElement(QStringLiteral("font"));
        w.writeEmptyElement(QStringLiteral("sz"));
        w.writeAttribute(QStringLiteral("val"), QStringLiteral("11"));
        w.writeEmptyElement(QStringLiteral("name"));
        w.writeAttribute(QStringLiteral("val"), QStringLiteral("等线"));
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement(QStringLiteral("fills"));
        w.writeAttribute(QStringLiteral("count"), QStringLiteral("2"));
        for (const char *pattern : {"none", "gray125"}) {
            w.writeStartElement(QStringLiteral("fill"));
            w.writeEmptyElement(QStringLiteral("patternFill"));
            w.writeAttribute(QStringLiteral("patternType"), QLatin1String(pattern));
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeStartElement(QStringLiteral("borders"));
        w.writeAttribute(QStringLiteral("count"), QStringLiteral("1"));
        w.writeStartElement(QStringLiteral("border"));
        for (const char *side : {"left", "right", "top", "bottom", "diagonal"})
            w.writeEmptyElement(QLatin1String(side));
        w.writeEndElement();
        w.writeEndElement();
        for (const char *xfs : {"cellStyleXfs", "cellXfs"}) {
            w.writeStartElement(QLatin1String(xfs));
            w.writeAttribute(QStringLiteral("count"), QStringLiteral("1"));
            w.writeEmptyElement(QStringLiteral("xf"));
            for (const char *a : {"numFmtId", "fontId", "fillId", "borderId"})
                w.writeAttribute(QLatin1String(a), QStringLiteral("0"));
            if (qstrcmp(xfs, "cellXfs") == 0)
                w.writeAttribute(QStringLiteral("xfId"), QStringLiteral("0"));
            w.writeEndElement();
        }
        w.writeEndElement();
    });
    const QByteArray sheet = xml([&](QXmlStreamWriter &w) {
        w.writeStartElement(QStringLiteral("worksheet"));
        w.writeDefaultNamespace(ns);
        w.writeStartElement(QStringLiteral("sheetData"));
        for (qsizetype r = 0; r < m_rows.size(); ++r) {
            w.writeStartElement(QStringLiteral("row"));
            w.writeAttribute(QStringLiteral("r"), QString::number(r + 1));
            for (qsizetype c = 0; c < m_rows.at(r).size(); ++c) {
                const QVariant &v = m_rows.at(r).at(c);
                w.writeStartElement(QStringLiteral("c"));
                w.writeAttribute(QStringLiteral("r"), column(int(c)) + QString::number(r + 1));
                if (v.typeId() == QMetaType::QString) {
                    w.writeAttribute(QStringLiteral("t"), QStringLiteral("inlineStr"));
                    w.writeStartElement(QStringLiteral("is"));
                    w.writeTextElement(QStringLiteral("t"), v.toString());
                    w.writeEndElement();
                } else {
                    w.writeTextElement(QStringLiteral("v"), QString::number(v.toDouble(), 'g', 15));
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndElement();
    });
    return zip({{QStringLiteral("[Content_Types].xml"), types},
                {QStringLiteral("_rels/.rels"), rootRels},
                {QStringLiteral("xl/workbook.xml"), book},
                {QStringLiteral("xl/_rels/workbook.xml.rels"), workbookRels},
                {QStringLiteral("xl/styles.xml"), styles},
                {QStringLiteral("xl/worksheets/sheet1.xml"), sheet}});
}

} // namespace hcp::sync::hub::grievance
