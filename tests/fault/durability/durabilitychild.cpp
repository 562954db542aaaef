// SPDX-License-Identifier: Apache-2.0
// Child process of tst_durability: opens the kiosk Store on DB_PATH and commits valid
// evaluations in a loop until it is killed. After each commitEvaluation() that returns
// Committed it writes "<uuid> <deviceSeq>\n" to stdout and flushes: from that moment the
// commit counts as reported to the parent, exactly like the thank-you screen does for a citizen.
// Usage: hcp-durability-child DB_PATH [MAX_COMMITS]   (MAX_COMMITS 0 = until killed)
// Exit codes: 2 bad usage, 3 the store did not open, 4 an evaluation was invalid, 5 commit failed.
#include "evaluation.h"
#include "indicatorset.h"
#include "questionnaire.h"
#include "store.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QUuid>

#include <cstdio>

using namespace hcp::kiosk;

namespace {

// A distinct, valid projectNo per evaluation across every run of the child: "DUR" + 32 hex
// digits of a random UUID = 35 characters of [A-Za-z0-9].
QString freshProjectNo()
{
    return QStringLiteral("DUR") + QUuid::createUuid().toString(QUuid::Id128).toUpper();
}

Evaluation makeEvaluation(QRandomGenerator &rng, const IndicatorSet &indicators)
{
    static const QStringList comments{
        QString(), QStringLiteral("工作人员态度很好，办事效率高。"),
        QStringLiteral("材料要求讲得很清楚，一次就办成了"), QStringLiteral("等候时间有点长")};
    Evaluation e;
    e.projectNo = freshProjectNo();
    e.serviceNumber = 1 + int(rng.bounded(3));
    e.pf = rng.bounded(2) ? 5 : 4;
    e.satisfaction = 1 + int(rng.bounded(5));
    e.writingEvaluation = comments.at(int(rng.bounded(comments.size())));
    e.publicFlag = rng.bounded(4) == 0 ? 2 : 1;
    const QList<Indicator> reasons = indicators.forLevel(e.satisfaction);
    if (!reasons.isEmpty() && (e.satisfaction <= 2 || rng.bounded(2)))
        e.evalDetail << reasons.at(int(rng.bounded(reasons.size()))).code;
    if (e.satisfaction <= 2 && e.evalDetail.isEmpty() && e.writingEvaluation.isEmpty())
        e.writingEvaluation = comments.at(3);
    e.indicatorVersion = indicators.version;
    e.taskCode = QStringLiteral("11330000002482536N4000117003000");
    e.taskName = QStringLiteral("食品经营许可（新办）");
    e.deptCode = QStringLiteral("330102-SCJG");
    e.deptName = QStringLiteral("市场监督管理局");
    e.areaCode = QStringLiteral("330102");
    e.staffNo = QStringLiteral("S0107");
    e.staffName = QStringLiteral("李华");
    e.windowNo = QStringLiteral("7");
    e.userNameMasked = QStringLiteral("李*");
    return e;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv); // the SQL driver plugins need an application object
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.size() > 3)
        return 2;
    const qint64 maxCommits = args.size() == 3 ? args.at(2).toLongLong() : 0;

    Store store;
    QString error;
    if (!store.open(args.at(1), &error)) {
        std::fprintf(stderr, "durability-child: open failed: %s\n", qPrintable(error));
        return 3;
    }
    const IndicatorSet indicators = IndicatorSet::builtin();
    const Questionnaire questionnaire = QuestionnaireCatalog::builtin().defaultQuestionnaire;
    QRandomGenerator rng(QRandomGenerator::system()->generate());

    for (qint64 n = 0; maxCommits == 0 || n < maxCommits; ++n) {
        Evaluation e = makeEvaluation(rng, indicators);
        const RuleViolation v = validateEvaluation(e, indicators, questionnaire);
        if (v != RuleViolation::None) {
            std::fprintf(stderr, "durability-child: invalid evaluation (rule %d)\n", int(v));
            return 4;
        }
        const Store::CommitResult r = store.commitEvaluation(e);
        if (r.status != Store::CommitResult::Status::Committed) {
            std::fprintf(stderr, "durability-child: commit failed (status %d): %s\n",
                         int(r.status), qPrintable(r.error));
            return 5;
        }
        // One line per commit, well under PIPE_BUF, so the pipe write is atomic: the parent sees
        // a whole line or nothing.
        const QByteArray line = e.uuid.toLatin1() + ' ' + QByteArray::number(e.deviceSeq) + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
    }
    return 0;
}
