// SPDX-License-Identifier: Apache-2.0
#include "pinyinengine.h"

#include <googlepinyin/pinyinime.h>

#include <QFile>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPinyin, "hcp.kiosk.pinyin")

namespace hcp::kiosk {

static constexpr int kMaxCandidates = 40;
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

void PinyinEngine::search()
{
    m_candidates.clear();
    if (m_open && !m_preedit.isEmpty()) {
        ime_pinyin::im_reset_search();
        const QByteArray sps = m_preedit.toLatin1();
        const size_t n = ime_pinyin::im_search(sps.constData(), size_t(sps.size()));
        ime_pinyin::char16 buf[64];
        for (size_t i = 0; i < n && m_candidates.size() < kMaxCandidates; ++i) {
            if (!ime_pinyin::im_get_candidate(i, buf, 63))
                break;
            buf[63] = 0;
            const QString cand = QString::fromUtf16(reinterpret_cast<const char16_t *>(buf));
            if (!cand.isEmpty() && !m_candidates.contains(cand))
                m_candidates.append(cand);
        }
    }
    Q_EMIT changed();
}

} // namespace hcp::kiosk
