// SPDX-License-Identifier: Apache-2.0
#include "layoutcheck.h"

#include <QFont>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTextLayout>

namespace {

struct Control {
    QQuickItem *item;
    QRectF rect;    // scene rectangle
    QRectF visible; // clipped by scrolling ancestors
};

QString rectText(const QRectF &r)
{
    return QStringLiteral("(%1,%2 %3×%4)").arg(r.x(), 0, 'f', 0).arg(r.y(), 0, 'f', 0).arg(r.width(), 0, 'f', 0).arg(r.height(), 0, 'f', 0);
}

bool isText(const QQuickItem *item) { return item->inherits("QQuickText"); }

// The item and its nearest named ancestors: "ThanksScreen/finish/Text «完成»".
QString describe(const QQuickItem *item)
{
    QStringList path;
    for (const QQuickItem *p = item; p && path.size() < 3; p = p->parentItem()) {
        if (p == item || !p->objectName().isEmpty()) {
            QString name = p->objectName();
            if (name.isEmpty())
                name = QString::fromLatin1(p->metaObject()->className()).section(QLatin1Char('_'), 0, 0);
            path.prepend(name);
        }
    }
    QString d = path.join(QLatin1Char('/'));
    if (isText(item))
        d += QStringLiteral(" «%1»").arg(item->property("text").toString().left(40));
    else if (const QVariant t = item->property("text"); t.isValid() && !t.toString().isEmpty())
        d += QStringLiteral(" «%1»").arg(t.toString().left(40));
    return d;
}

QObject *tapHandlerOf(const QQuickItem *item)
{
    for (QObject *child : item->children())
        if (child->inherits("QQuickTapHandler") && child->property("enabled").toBool()
            && child->objectName() != QLatin1String("maintenanceGesture"))
            return child;
    return nullptr;
}

// Where the glyphs are painted (a Text's box may be smaller or larger than its content).
QRectF paintedRect(const QQuickItem *text)
{
    const qreal cw = text->property("contentWidth").toReal();
    const qreal ch = text->property("contentHeight").toReal();
    const int h = text->property("horizontalAlignment").toInt();
    const int v = text->property("verticalAlignment").toInt();
    qreal x = 0, y = 0;
    if (h & Qt::AlignRight)
        x = text->width() - cw;
    else if (h & Qt::AlignHCenter)
        x = (text->width() - cw) / 2;
    if (v & Qt::AlignBottom)
        y = text->height() - ch;
    else if (v & Qt::AlignVCenter)
        y = (text->height() - ch) / 2;
    return text->mapRectToScene(QRectF(x, y, cw, ch));
}

// A wrapped line holding one character (with or without punctuation): 评/价！
QString singleCharacterLine(const QQuickItem *text)
{
    const int wrap = text->property("wrapMode").toInt();
    const qreal width = text->width() - text->property("leftPadding").toReal() - text->property("rightPadding").toReal();
    if (wrap == 0 || text->property("lineCount").toInt() < 2 || width <= 0)
        return {};
    const QFont font = text->property("font").value<QFont>();
    const QStringList paragraphs = text->property("text").toString().split(QLatin1Char('\n'));
    for (const QString &para : paragraphs) {
        QTextLayout layout(para, font);
        QTextOption option;
        option.setWrapMode(QTextOption::WrapMode(wrap));
        layout.setTextOption(option);
        QStringList lines;
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(width);
            lines.append(para.mid(line.textStart(), line.textLength()));
        }
        layout.endLayout();
        if (lines.size() < 2)
            continue;
        for (const QString &l : lines) {
            int letters = 0;
            for (const QChar c : l)
                letters += c.isLetterOrNumber() ? 1 : 0;
            if (letters == 1)
                return l.trimmed();
        }
    }
    return {};
}

class Checker {
public:
    explicit Checker(QQuickWindow *w) : m_window(w), m_bounds(0, 0, w->width(), w->height()) {}

    QStringList run()
    {
        QQuickItem *root = m_window->contentItem();
        m_header = find(root, QStringLiteral("header"));
        m_footer = find(root, QStringLiteral("footer"));
        m_loader = find(root, QStringLiteral("screenLoader"));
        for (const char *name : {"agentPage", "diagnosticsPage"})
            if (QQuickItem *o = find(root, QString::fromLatin1(name)); o && o->isVisible())
                m_covered.append(sceneRect(o));
        if (QQuickItem *c = find(root, QStringLiteral("idleCountdown")); c && c->isVisible())
            m_covered.append(sceneRect(c));
        walk(root, m_bounds, false, nullptr);
        for (int i = 0; i < m_controls.size(); ++i)
            for (int j = i + 1; j < m_controls.size(); ++j) {
                const Control &a = m_controls.at(i), &b = m_controls.at(j);
                if (related(a.item, b.item))
                    continue;
                const QRectF both = a.visible.intersected(b.visible);
                if (both.width() > 1 && both.height() > 1)
                    fail(QStringLiteral("controls overlap: %1 %2 and %3 %4")
                             .arg(describe(a.item), rectText(a.rect), describe(b.item), rectText(b.rect)));
            }
        // Texts drawn over texts (the English footer's sync line ran under the hotline).
        for (int i = 0; i < m_texts.size(); ++i)
            for (int j = i + 1; j < m_texts.size(); ++j) {
                const Control &a = m_texts.at(i), &b = m_texts.at(j);
                if (related(a.item, b.item))
                    continue;
                const QRectF both = a.visible.intersected(b.visible);
                if (both.width() > 2 && both.height() > 2)
                    fail(QStringLiteral("texts overlap: %1 %2 and %3 %4")
                             .arg(describe(a.item), rectText(a.rect), describe(b.item), rectText(b.rect)));
            }
        return m_failures;
    }

private:
    static QQuickItem *find(QQuickItem *root, const QString &name) { return findItem(root, name); }
    static QRectF sceneRect(const QQuickItem *item) { return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())); }
    static bool isAncestor(const QQuickItem *a, const QQuickItem *b)
    {
        for (const QQuickItem *p = b->parentItem(); p; p = p->parentItem())
            if (p == a)
                return true;
        return false;
    }
    static bool related(const QQuickItem *a, const QQuickItem *b) { return isAncestor(a, b) || isAncestor(b, a); }
    static bool inside(const QRectF &inner, const QRectF &outer)
    {
        return inner.left() >= outer.left() - 0.5 && inner.top() >= outer.top() - 0.5
            && inner.right() <= outer.right() + 0.5 && inner.bottom() <= outer.bottom() + 0.5;
    }
    static bool meets(const QRectF &a, const QRectF &b)
    {
        const QRectF i = a.intersected(b);
        return i.width() > 0.5 && i.height() > 0.5;
    }
    void fail(const QString &what) { m_failures.append(what); }

    bool underOverlay(const QQuickItem *item, const QRectF &r) const
    {
        if (!m_loader || !isAncestor(m_loader, item))
            return false;
        for (const QRectF &c : m_covered)
            if (meets(c, r))
                return true;
        return false;
    }

    // clip: the rectangle the item must lie in; scrolled: inside a Flickable (may be cut by
    // scrolling); control: the interactive ancestor whose box holds this item's text.
    void walk(QQuickItem *item, QRectF clip, bool scrolled, QQuickItem *control)
    {
        if (!item->isVisible() || item->opacity() <= 0.01)
            return;
        const QRectF r = sceneRect(item);
        if (underOverlay(item, r))
            return;
        const bool flickable = item->inherits("QQuickFlickable");
        if (flickable) {
            checkBox(item, r, clip, scrolled);
            const qreal contentHeight = item->property("contentHeight").toReal();
            const qreal contentWidth = item->property("contentWidth").toReal();
            if ((contentHeight > item->height() + 1 || contentWidth > item->width() + 1) && !hasScrollHint())
                fail(QStringLiteral("scrolls without a scroll hint: %1 %2 (content %3×%4)")
                         .arg(describe(item), rectText(r)).arg(contentWidth, 0, 'f', 0).arg(contentHeight, 0, 'f', 0));
        }
        const bool interactive = tapHandlerOf(item) && item->isEnabled();
        if (interactive) {
            checkBox(item, r, clip, scrolled);
            m_controls.append({item, r, scrolled ? r.intersected(clip) : r});
            control = item;
        }
        if (isText(item) && !item->property("text").toString().trimmed().isEmpty()) {
            const QRectF p = paintedRect(item);
            checkBox(item, p, clip, scrolled);
            // A scroll hint floats over the list it belongs to on purpose.
            if ((!scrolled || meets(p, clip)) && !inScrollHint(item))
                m_texts.append({item, p, scrolled ? p.intersected(clip) : p});
            if (control && !inside(p, sceneRect(control)) && !(scrolled && !meets(p, clip)))
                fail(QStringLiteral("text outside its control %1: %2 %3").arg(describe(control), describe(item), rectText(p)));
            if (item->property("truncated").toBool())
                fail(QStringLiteral("text elided/truncated: %1 %2").arg(describe(item), rectText(p)));
            if (const QString l = singleCharacterLine(item); !l.isEmpty())
                fail(QStringLiteral("single character «%1» wraps onto its own line: %2 %3").arg(l, describe(item), rectText(p)));
        }
        if (flickable) {
            if (item->clip())
                clip = clip.intersected(r);
            scrolled = true;
        } else if (item->clip()) {
            clip = clip.intersected(r);
        }
        for (QQuickItem *c : item->childItems())
            walk(c, clip, scrolled, control);
    }

    // Inside the window and its clipping ancestors (a scrolled item may be cut by its list, not
    // by anything else), and in or out of the header/footer as it belongs.
    void checkBox(const QQuickItem *item, const QRectF &r, const QRectF &clip, bool scrolled)
    {
        if (r.isEmpty() || (scrolled && !meets(r, clip)))
            return; // nothing of it shows
        if (!inside(scrolled ? r.intersected(clip) : r, m_bounds))
            fail(QStringLiteral("outside the window %1: %2 %3").arg(rectText(m_bounds), describe(item), rectText(r)));
        else if (!scrolled && !inside(r, clip))
            fail(QStringLiteral("cut off by its clipping parent %1: %2 %3").arg(rectText(clip), describe(item), rectText(r)));
        for (const QQuickItem *band : {m_header, m_footer}) {
            if (!band || !band->isVisible())
                continue;
            const QRectF b = sceneRect(band);
            const bool belongs = isAncestor(band, item);
            if (belongs && !inside(r, b))
                fail(QStringLiteral("leaves the %1 %2: %3 %4").arg(band->objectName(), rectText(b), describe(item), rectText(r)));
            if (!belongs && meets(scrolled ? r.intersected(clip) : r, b))
                fail(QStringLiteral("runs into the %1 %2: %3 %4").arg(band->objectName(), rectText(b), describe(item), rectText(r)));
        }
    }

    static bool inScrollHint(const QQuickItem *item)
    {
        for (const QQuickItem *i = item; i; i = i->parentItem())
            if (i->objectName().startsWith(QLatin1String("scrollHint")))
                return true;
        return false;
    }

    bool hasScrollHint()
    {
        std::function<bool(QQuickItem *)> search = [&](QQuickItem *i) {
            if (!i->isVisible())
                return false;
            if (i->objectName().startsWith(QLatin1String("scrollHint")))
                return true;
            for (QQuickItem *c : i->childItems())
                if (search(c))
                    return true;
            return false;
        };
        return search(m_window->contentItem());
    }

    QQuickWindow *m_window;
    QRectF m_bounds;
    QQuickItem *m_header = nullptr, *m_footer = nullptr, *m_loader = nullptr;
    QList<QRectF> m_covered;
    QList<Control> m_controls;
    QList<Control> m_texts;
    QStringList m_failures;
};

} // namespace

QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (root->objectName() == name)
        return root;
    for (QQuickItem *c : root->childItems())
        if (QQuickItem *f = findItem(c, name))
            return f;
    return nullptr;
}

QStringList checkLayout(QQuickWindow *window)
{
    return Checker(window).run();
}
