// SPDX-License-Identifier: Apache-2.0
#include "pinyinengine.h"

#include <googlepinyin/pinyinime.h>

#include <QFile>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcPinyin, "hcp.kiosk.pinyin")

namespace hcp::kiosk {

static constexpr int kMaxCandidates = 40;
static constexpr int kNameScan = 600; // engine candidates looked at when ranking for a name

// The most common surnames, most common first (national household statistics' top 100).
static const QString &surnames()
{
    static const QString s = QStringLiteral(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
        "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤");
    return s;
}
// Characters common in given names, roughly by frequency.
static const QString &givenNameChars()
{
    static const QString s = QStringLiteral(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玉红梅林鹏飞宇浩婷欣怡俊凯丹燕鑫亮斌波宁琳"
        "晶慧佳雪颖倩琴云洁萍淑珍志海峰东春荣凤莉兵德福生龙成民永新晓小雨思子嘉泽博睿轩涵梓一诗雅萱晨阳金山青丰"
        "利学光祥忠清正立庆少玲彬健莹妍琪瑶婉悦晴蕾薇琦雯巧美丰彤宏亚坤旭鸿军益安");
    return s;
}
// Characters no one is named with; offered last in a name, never in the first row.
static const QString &unsuitableNameChars()
{
    static const QString s = QStringLiteral("贱死亡鬼屎尸病痛奸骗贼臭毒癌贫穷丑蠢笨坏恶凶杀尿粪屁骚淫妓奴囚狗猪蛆");
    return s;
}
static constexpr int kMaxPreedit = 24; // letters; a long name is ~12

PinyinEngine::PinyinEngine(QObject *parent) : QObject(parent) {}

PinyinEngine::~PinyinEngine()
{
    if (m_open)
        ime_pinyin::im_close_decoder();
}

QString PinyinEngine::defaultDictionary()
{
    return QStringLiteral(HCP_GOOGLEPINYIN_DICT);
}

bool PinyinEngine::open(const QString &dictionary)
{
    if (m_open)
        return true;
    if (!QFile::exists(dictionary)) {
        qCWarning(lcPinyin) << "pinyin dictionary missing:" << dictionary;
        return false;
    }
    // An empty user-dictionary path: nothing typed is ever written to disk.
    m_open = ime_pinyin::im_open_decoder(QFile::encodeName(dictionary).constData(), "");
    if (!m_open)
        qCWarning(lcPinyin) << "cannot open pinyin dictionary" << dictionary;
    else
        ime_pinyin::im_set_max_lens(kMaxPreedit, kMaxPreedit);
    return m_open;
}

void PinyinEngine::typeLetter(const QString &letter)
{
    if (letter.size() != 1 || m_preedit.size() >= kMaxPreedit)
        return;
    const QChar c = letter.at(0).toLower();
    if (c < QLatin1Char('a') || c > QLatin1Char('z'))
        return;
    m_preedit.append(c);
    search();
}

void PinyinEngine::backspace()
{
    if (m_preedit.isEmpty())
        return;
    m_preedit.chop(1);
    search();
}

void PinyinEngine::clear()
{
    m_preedit.clear();
    search();
}

QString PinyinEngine::choose(int index)
{
    if (index < 0 || index >= m_candidates.size())
        return {};
    const QString text = m_candidates.at(index);
    clear();
    return text;
}

void PinyinEngine::setNameContext(int charsBefore)
{
    const int n = charsBefore < 0 ? -1 : charsBefore;
    if (n == m_nameChars)
        return;
    m_nameChars = n;
    if (!m_preedit.isEmpty())
        search();
}

void PinyinEngine::search()
{
    m_candidates.clear();
    if (m_open && !m_preedit.isEmpty()) {
        ime_pinyin::im_reset_search();
        const QByteArray sps = m_preedit.toLatin1();
        const size_t n = ime_pinyin::im_search(sps.constData(), size_t(sps.size()));
        const bool name = m_nameChars >= 0;
        const int scan = name ? kNameScan : kMaxCandidates;
        QStringList all;
        ime_pinyin::char16 buf[64];
        for (size_t i = 0; i < n && all.size() < scan; ++i) {
            if (!ime_pinyin::im_get_candidate(i, buf, 63))
                break;
            buf[63] = 0;
            const QString cand = QString::fromUtf16(reinterpret_cast<const char16_t *>(buf));
            if (!cand.isEmpty() && !all.contains(cand))
                all.append(cand);
        }
        if (name) {
            // Listed characters by their rank in the list, then the engine's order; unsuitable last.
            const QString &common = m_nameChars == 0 ? surnames() : givenNameChars();
            QList<std::pair<int, QString>> ranked;
            QStringList rest, last;
            for (const QString &c : std::as_const(all)) {
                const qsizetype at = c.size() == 1 ? common.indexOf(c) : -1;
                if (at >= 0)
                    ranked.append({int(at), c});
                else if (c.size() == 1 && unsuitableNameChars().contains(c))
                    last.append(c);
                else
                    rest.append(c);
            }
            std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
            for (const auto &r : std::as_const(ranked))
                m_candidates.append(r.second);
            m_candidates += rest;
            m_candidates += last;
            m_candidates = m_candidates.mid(0, kMaxCandidates);
        } else {
            m_candidates = all;
        }
    }
    Q_EMIT changed();
}

} // namespace hcp::kiosk
