// docs/ describes the code, so the code checks docs/: every hop, check, finding code,
// error code, JSON field, recipe step, guided page and lab fault the code has is in the
// docs' tables, the docs list none the code lacks, and README's layout names the tree's
// folders. A failure names the row to add, change or remove; rows the code spells out
// (hops, codes, faults) are printed as they should read.

#include "replayed_matrix.h"
#include "report/matrix_report.h"
#include "diagnose/engine.h"
#include "diagnose/finding_codes.h"
#include "diagnose/guide_steps.h"
#include "remote/error_codes.h"
#include "replayed.h"
#include "report/json_report.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QDirIterator>
#include <QSet>
#include <QtTest>

#include <mutex>

using namespace podpath;

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString readSource(const QString &relative)
{
    QFile f(QStringLiteral(PODPATH_SOURCE_DIR "/") + relative);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The lines under the heading `title` (any level) up to the next heading; headings
// inside code fences do not count.
QStringList section(const QString &markdown, const QString &title)
{
    static const QRegularExpression heading(QStringLiteral("^#+ (.*)$"));
    QStringList out;
    bool inside = false, fenced = false;
    for (const QString &line : markdown.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("```")))
            fenced = !fenced;
        if (const auto m = fenced ? QRegularExpressionMatch() : heading.match(line); m.hasMatch()) {
            if (inside)
                break;
            inside = m.captured(1).trimmed() == title;
            continue;
        }
        if (inside)
            out << line;
    }
    return out;
}

// The lines of the first code fence in `lines`.
QStringList firstFence(const QStringList &lines)
{
    QStringList out;
    bool in = false;
    for (const QString &l : lines) {
        if (l.startsWith(QLatin1String("```"))) {
            if (in)
                return out;
            in = true;
            continue;
        }
        if (in)
            out << l;
    }
    return out;
}

// Table rows by the id in their first cell: "| `request.client.tunnel` | ... |".
QMap<QString, QString> rowsById(const QStringList &lines)
{
    static const QRegularExpression row(QStringLiteral("^\\| `([^`]+)` \\|"));
    QMap<QString, QString> rows;
    for (const QString &l : lines)
        if (const auto m = row.match(l); m.hasMatch())
            rows.insert(m.captured(1), l.trimmed());
    return rows;
}

// A table row as the docs write it: the id in backticks, then the cells.
QString row(const QString &id, const QStringList &cells)
{
    QStringList escaped;
    for (QString c : cells)
        escaped << c.replace(QLatin1Char('|'), QLatin1String("\\|"));
    return QStringLiteral("| `%1` | %2 |").arg(id, escaped.join(QLatin1String(" | ")));
}

QJsonObject labCatalogue()
{
    return QJsonDocument::fromJson(readSource(QStringLiteral("tests/lab/faults.json")).toUtf8()).object();
}

// One cell for a value that may differ per mode: "`x`", or "ipip `x`, vxlan `y`"; a
// number is bare, a missing value "-".
QString perMode(const QJsonObject &expected, const QStringList &modes, const QString &field)
{
    auto text = [](const QJsonValue &v) {
        if (v.isNull() || v.isUndefined())
            return QStringLiteral("-");
        return v.isDouble() ? QString::number(v.toInt()) : QStringLiteral("`%1`").arg(v.toString());
    };
    QStringList values;
    for (const QString &m : modes)
        values << text(expected[m].toObject()[field]);
    values.removeDuplicates();
    if (values.size() == 1)
        return values.front();
    QStringList parts;
    for (const QString &m : modes)
        parts << m + QLatin1Char(' ') + text(expected[m].toObject()[field]);
    return parts.join(QLatin1String(", "));
}

// A recorded lab session run through the engine, with the path of every recipe step.
struct Replay {
    diagnose::Diagnosis diagnosis;
    QStringList stepPaths;
};

std::optional<Replay> replay(const QString &session, const std::vector<diagnose::Stage> &stages = {})
{
    Replay out;
    std::mutex mutex;  // steps report from the recipe's threads
    auto run = testing::replayed(session, stages, [&](const diagnose::StepReport &r) {
        std::lock_guard lock(mutex);
        if (!out.stepPaths.contains(qs(r.path)))
            out.stepPaths << qs(r.path);
    });
    if (!run)
        return std::nullopt;
    out.diagnosis = run->diagnosis;
    return out;
}

// The documents whose fields the schema must name: a healthy run, a failing one with
// counters and findings, one that could not run, the wizard's staged run, and the
// document of a node PodPath could not connect to.
const std::vector<QJsonObject> &jsonDocuments()
{
    static const std::vector<QJsonObject> docs = [] {
        std::vector<QJsonObject> out;
        using diagnose::Stage;
        for (const auto &[session, stages] :
             std::vector<std::pair<QString, std::vector<Stage>>>{
                 {QStringLiteral("ipip-healthy"), {}},
                 {QStringLiteral("ipip-iptables-drop-server-request"), {}},
                 {QStringLiteral("vxlan-tcpdump-missing"), {}},
                 {QStringLiteral("vxlan-healthy"), {Stage::Logs, Stage::UnderlayPing, Stage::TunnelPing, Stage::Burst}}})
            if (auto r = replay(session, stages))
                out.push_back(report::toJson(r->diagnosis));
        out.push_back(report::toJson(diagnose::connectionFailure(
            diagnose::NodeRole::Server, "root@node2", "root@node1", "root@node2",
            Error("Permission denied for root@node2", {}, {}, 0, remote::kSshAuthFailed))));
        return out;
    }();
    return docs;
}

// The objects at `path` under `o`: "" o itself, "client" an object, "hops[]" the
// objects of an array, "hops[].streams[]" the objects of the arrays in those.
QList<QJsonObject> objectsAt(const QJsonObject &o, const QString &path)
{
    if (path.isEmpty())
        return {o};
    const qsizetype dot = path.indexOf(QLatin1String("[]."));
    const QString head = dot < 0 ? path : path.left(dot + 2);
    const QString rest = dot < 0 ? QString() : path.mid(dot + 3);
    QList<QJsonObject> here;
    if (head.endsWith(QLatin1String("[]")))
        for (const auto &v : o[head.chopped(2)].toArray())
            here << v.toObject();
    else
        here << o[head].toObject();
    QList<QJsonObject> out;
    for (const QJsonObject &h : here)
        out << objectsAt(h, rest);
    return out;
}

// Every key the documents write at `path` (see objectsAt).
QStringList jsonKeys(const QString &path)
{
    QStringList keys;
    for (const QJsonObject &doc : jsonDocuments())
        for (const QJsonObject &o : objectsAt(doc, path))
            for (const QString &k : o.keys())
                if (!keys.contains(k))
                    keys << k;
    return keys;
}

// The matrix JSON of a recorded six-node matrix where one pair fails (so patterns hold one),
// and the keys of its objects at `path` ("" the top, "nodes", "summary", "pairs",
// "patterns").
QStringList matrixJsonKeys(const QString &path)
{
    static const QJsonObject doc = [] {
        const auto r = testing::replayedMatrix(QStringLiteral("vxlan-iptables-drop-server-request"));
        return r ? report::toJson(r->matrix) : QJsonObject();
    }();
    QJsonObject o = doc;
    if (!path.isEmpty()) {
        const QJsonValue v = doc[path];
        o = v.isArray() ? v.toArray().first().toObject() : v.toObject();
    }
    return o.keys();
}

// Code-looking literals that are not codes: environment variables.
const QStringList kNotCodes = {QStringLiteral("SSH_CONNECTION"), QStringLiteral("SSH_AUTH_SOCK")};

} // namespace

class TestDocs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(jsonDocuments().size() == 5, "a recorded session under tests/fixtures/sessions could not be replayed");
    }

    // A table of the docs against the code: the same ids both ways, and where the code
    // spells the whole row, the same row.
    void table_data()
    {
        QTest::addColumn<QString>("doc");
        QTest::addColumn<QString>("heading");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("rows");  // empty: only the ids are checked
        const QString hopsDoc = QStringLiteral("docs/hops-and-checks.md");
        {
            QStringList ids, rows;
            for (const auto &h : diagnose::kHops) {
                ids << qs(h.key);
                rows << row(qs(h.key), {QString::fromLatin1(diagnose::roleName(h.node)), qs(h.title), qs(h.expected)});
            }
            QTest::newRow("hops") << hopsDoc << "Hops" << ids << rows;
        }
        {
            QStringList ids, rows;
            for (const auto &h : diagnose::kPodHops) {
                ids << qs(h.key);
                rows << row(qs(h.key), {QString::fromLatin1(diagnose::roleName(h.node)), qs(h.title), qs(h.expected)});
            }
            QTest::newRow("pod hops") << hopsDoc << "Pod hops" << ids << rows;
        }
        {
            QStringList ids;
            using diagnose::Status;
            for (Status s : {Status::Pass, Status::Fail, Status::Unknown, Status::Skipped})
                ids << qs(diagnose::toString(s));
            QTest::newRow("statuses") << hopsDoc << "Statuses" << ids << QStringList();
        }
        {
            QStringList ids;
            for (auto c : diagnose::kCheckIds)
                ids << qs(c);
            QTest::newRow("checks") << hopsDoc << "Checks" << ids << QStringList();
        }
        {
            QStringList ids, rows;
            for (const auto &f : diagnose::kFindingCodes) {
                ids << qs(f.code);
                rows << row(qs(f.code), {qs(diagnose::toString(f.severity)), qs(f.blames), qs(f.meaning)});
            }
            QTest::newRow("finding codes") << hopsDoc << "Finding codes" << ids << rows;
        }
        {
            QStringList ids, rows;
            for (const auto &e : remote::kErrorCodes) {
                ids << qs(e.code);
                rows << row(qs(e.code), {qs(e.meaning)});
            }
            QTest::newRow("remote error codes") << hopsDoc << "Error codes of the remote layer" << ids << rows;
        }
        {
            QStringList ids, rows;
            for (const auto &p : diagnose::kProbeCodes) {
                ids << qs(p.code);
                rows << row(qs(p.code), {qs(p.meaning)});
            }
            QTest::newRow("probe codes") << hopsDoc << "Test connection" << ids << rows;
        }
        {
            QStringList ids;
            for (const auto &s : diagnose::guideSteps())
                ids << qs(s.id);
            QTest::newRow("guided pages") << QStringLiteral("docs/procedure.md") << "Where each step lives" << ids
                                          << QStringList();
        }
        {
            QStringList ids, rows;
            for (const auto &v : labCatalogue()[QLatin1String("faults")].toArray()) {
                const QJsonObject f = v.toObject();
                QStringList modes;
                for (const auto &m : f[QLatin1String("modes")].toArray())
                    modes << m.toString();
                const QJsonObject e = f[QLatin1String("expected")].toObject();
                const QString name = f[QLatin1String("name")].toString();
                ids << name;
                rows << row(name, {modes.join(QLatin1String(", ")), f[QLatin1String("node")].toString(),
                                   f[QLatin1String("summary")].toString(),
                                   perMode(e, modes, QStringLiteral("firstFailingHop")),
                                   perMode(e, modes, QStringLiteral("check")), perMode(e, modes, QStringLiteral("code")),
                                   perMode(e, modes, QStringLiteral("exitStatus"))});
            }
            QTest::newRow("lab faults") << QStringLiteral("docs/lab.md") << "Fault catalogue" << ids << rows;
        }
        {
            QStringList ids, rows;
            for (const auto &v : labCatalogue()[QLatin1String("podFaults")].toArray()) {
                const QJsonObject f = v.toObject();
                QStringList modes;
                for (const auto &m : f[QLatin1String("modes")].toArray())
                    modes << m.toString();
                const QJsonObject e = f[QLatin1String("expected")].toObject();
                const QJsonObject probe = f[QLatin1String("probe")].toObject();
                const QString name = f[QLatin1String("name")].toString();
                ids << name;
                rows << row(name, {f[QLatin1String("node")].toString(), f[QLatin1String("summary")].toString(),
                                   probe[QLatin1String("protocol")].toString().toUpper() +
                                       (probe.contains(QLatin1String("port"))
                                            ? QLatin1Char(' ') + QString::number(probe[QLatin1String("port")].toInt())
                                            : QString()),
                                   perMode(e, modes, QStringLiteral("firstFailingHop")),
                                   perMode(e, modes, QStringLiteral("check")), perMode(e, modes, QStringLiteral("code"))});
            }
            QTest::newRow("lab pod faults") << QStringLiteral("docs/lab.md") << "Pod faults" << ids << rows;
        }
        const QString schema = QStringLiteral("docs/json-schema.md");
        QTest::newRow("matrix top level") << schema << "Matrix top level" << matrixJsonKeys({}) << QStringList();
        for (const char *part : {"nodes", "pairs", "patterns"})
            QTest::newRow(qPrintable(QStringLiteral("matrix ") + QLatin1String(part)))
                << schema << QStringLiteral("Matrix %1[]").arg(QLatin1String(part)) << matrixJsonKeys(QLatin1String(part))
                << QStringList();
        QTest::newRow("matrix summary") << schema << "Matrix summary" << matrixJsonKeys(QStringLiteral("summary"))
                                        << QStringList();
        {
            QStringList ids, rows;
            for (const auto &c : diagnose::kMatrixPatternCodes) {
                ids << qs(c.code);
                rows << row(qs(c.code), {qs(c.meaning)});
            }
            QTest::newRow("matrix pattern codes") << schema << "Matrix pattern codes" << ids << rows;
        }
        QTest::newRow("json top level") << schema << "Top level" << jsonKeys({}) << QStringList();
        QTest::newRow("json client") << schema << "client and server" << jsonKeys(QStringLiteral("client"))
                                     << QStringList();
        QTest::newRow("json server") << schema << "client and server" << jsonKeys(QStringLiteral("server"))
                                     << QStringList();
        QTest::newRow("json timings") << schema << "timings" << jsonKeys(QStringLiteral("timings")) << QStringList();
        for (const char *array : {"hops[]", "hops[].streams[]", "checks[]", "findings[]", "commands[]", "echoes[]",
                                  "sightings[]", "counterChanges[]", "logs[]"})
            QTest::newRow(qPrintable(QStringLiteral("json ") + QLatin1String(array)))
                << schema << QString::fromLatin1(array) << jsonKeys(QString::fromLatin1(array)) << QStringList();
    }
    void table()
    {
        QFETCH(QString, doc);
        QFETCH(QString, heading);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, rows);
        QVERIFY2(!ids.isEmpty(), "the code gave nothing to compare");
        const QStringList lines = section(readSource(doc), heading);
        QVERIFY2(!lines.isEmpty(), qPrintable(doc + " has no heading \"" + heading + "\""));
        const QMap<QString, QString> documented = rowsById(lines);
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QVERIFY2(documented.contains(ids[i]),
                     qPrintable(doc + " (" + heading + ") lacks a row for `" + ids[i] + "`" +
                                (rows.isEmpty() ? QString() : ":\n" + rows[i])));
            if (!rows.isEmpty())
                QVERIFY2(documented[ids[i]] == rows[i],
                         qPrintable(doc + " (" + heading + "): the row of `" + ids[i] + "` should read\n" + rows[i] +
                                    "\nnot\n" + documented[ids[i]]));
        }
        for (const QString &id : documented.keys())
            QVERIFY2(ids.contains(id), qPrintable(doc + " (" + heading + ") lists `" + id + "`, which the code does not have"));
    }

    // Values the JSON schema must name for a field: every word the code can write there.
    void values_data()
    {
        QTest::addColumn<QString>("heading");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("words");
        using namespace diagnose;
        QStringList modes, verdicts, statuses, severities;
        for (auto m : {Encapsulation::Unknown, Encapsulation::IpIp, Encapsulation::Vxlan,
                       Encapsulation::VxlanCrossSubnetDirect, Encapsulation::IpipCrossSubnetDirect, Encapsulation::None})
            modes << qs(toString(m));
        for (auto v : {Verdict::Pass, Verdict::Fail, Verdict::Error, Verdict::Incomplete})
            verdicts << qs(toString(v));
        for (auto s : {Status::Pass, Status::Fail, Status::Unknown, Status::Skipped})
            statuses << qs(toString(s));
        for (auto s : {Severity::Info, Severity::Warning, Severity::Error, Severity::Critical})
            severities << qs(toString(s));
        QTest::newRow("mode") << "Top level" << "mode" << modes;
        QTest::newRow("verdict") << "Top level" << "verdict" << verdicts;
        QTest::newRow("hop status") << "hops[]" << "status" << statuses;
        QTest::newRow("check status") << "checks[]" << "status" << statuses;
        QTest::newRow("severity") << "findings[]" << "severity" << severities;
    }
    void values()
    {
        QFETCH(QString, heading);
        QFETCH(QString, key);
        QFETCH(QStringList, words);
        const QString line = rowsById(section(readSource(QStringLiteral("docs/json-schema.md")), heading)).value(key);
        QVERIFY2(!line.isEmpty(), qPrintable("docs/json-schema.md (" + heading + ") has no row for `" + key + "`"));
        for (const QString &w : words)
            QVERIFY2(line.contains(QLatin1Char('`') + w + QLatin1Char('`')),
                     qPrintable("docs/json-schema.md (" + heading + "): `" + key + "` does not name `" + w + "`"));
    }

    // docs/architecture.md draws the one-click recipe as an indented outline (a name,
    // then two spaces and a comment): the same steps the engine reports, no more.
    void recipeOutline()
    {
        auto run = replay(QStringLiteral("ipip-healthy"));
        QVERIFY(run);
        const QStringList outline =
            firstFence(section(readSource(QStringLiteral("docs/architecture.md")), QStringLiteral("The recipe")));
        QVERIFY2(!outline.isEmpty(), "docs/architecture.md has no outline under \"The recipe\"");
        QStringList documented, stack;
        for (const QString &line : outline) {
            if (line.trimmed().isEmpty())
                continue;
            qsizetype spaces = 0;
            while (line[spaces] == QLatin1Char(' '))
                ++spaces;
            stack.resize(std::min(spaces / 2, stack.size()));
            stack << line.trimmed().section(QLatin1String("  "), 0, 0);
            documented << stack.join(QLatin1Char('/'));
        }
        for (const QString &path : run->stepPaths)
            QVERIFY2(documented.contains(path), qPrintable("the outline lacks the step " + path));
        for (const QString &path : documented)
            QVERIFY2(run->stepPaths.contains(path), qPrintable("the outline shows " + path + ", which the recipe does not run"));
    }

    // README's least-privilege sudoers line is the one the lab's ppsudo has (the e2e rows
    // diagnose through it), and it names every program a recorded diagnosis ran as root.
    void leastPrivilegeSudoLine()
    {
        const QStringList block =
            firstFence(section(readSource(QStringLiteral("README.md")), QStringLiteral("Least-privilege sudo")));
        QCOMPARE(block.size(), 1);
        QVERIFY(block.front().startsWith(QLatin1String("USER ")));
        const QString line = block.front().mid(5);
        static const QRegularExpression labLine(QStringLiteral("\nRESTRICTED_SUDO='([^']*)'"));
        const auto m = labLine.match(readSource(QStringLiteral("tests/lab/lab")));
        QVERIFY2(m.hasMatch(), "tests/lab/lab has no RESTRICTED_SUDO line");
        QCOMPARE(line, m.captured(1));
        QSet<QString> programs;
        QDirIterator it(QStringLiteral(PODPATH_FIXTURES "/sessions"), {QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            for (const auto &c : QJsonDocument::fromJson(f.readAll()).object()["commands"].toArray())
                if (c.toObject()["asRoot"].toBool())
                    programs << c.toObject()["command"].toString().section(QLatin1Char(' '), 0, 0);
        }
        QVERIFY(programs.size() >= 5);
        for (const QString &program : std::as_const(programs)) {
            static const QRegularExpression named(QStringLiteral("/([\\w.-]+)(,|$)"));
            QStringList listed;
            for (auto n = named.globalMatch(line); n.hasNext();)
                listed << n.next().captured(1);
            QVERIFY2(listed.contains(program), qPrintable("the sudoers line lacks " + program));
        }
    }

    // README's "Layout" names every folder at the top and in backend/, and no other.
    void readmeLayout()
    {
        const QStringList block = firstFence(section(readSource(QStringLiteral("README.md")), QStringLiteral("Layout")));
        QVERIFY2(!block.isEmpty(), "README.md has no layout block under \"Layout\"");
        static const QRegularExpression top(QStringLiteral("^([A-Za-z][\\w.-]*)/"));
        static const QRegularExpression nested(QStringLiteral("^  ([A-Za-z][\\w.-]*)/"));
        QStringList named, namedInBackend;
        QString parent;
        for (const QString &line : block) {
            if (const auto m = top.match(line); m.hasMatch()) {
                parent = m.captured(1);
                named << parent;
            } else if (const auto n = nested.match(line); n.hasMatch() && parent == QLatin1String("backend")) {
                namedInBackend << n.captured(1);
            }
        }
        // Hidden folders (.git, .ci) and the build trees (.gitignore: /build*/) are not the layout.
        auto folders = [](const QString &relative) {
            QStringList out;
            for (const QString &d : QDir(QStringLiteral(PODPATH_SOURCE_DIR "/") + relative)
                                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot))
                if (!d.startsWith(QLatin1Char('.')) && !(relative.isEmpty() && d.startsWith(QLatin1String("build"))))
                    out << d;
            return out;
        };
        for (const auto &[where, onDisk, inReadme] : {std::tuple{QString(), folders({}), named},
                                                      std::tuple{QStringLiteral("backend/"),
                                                                 folders(QStringLiteral("backend")), namedInBackend}}) {
            for (const QString &d : onDisk)
                QVERIFY2(inReadme.contains(d), qPrintable("README.md's Layout does not name " + where + d + "/"));
            for (const QString &d : inReadme)
                QVERIFY2(onDisk.contains(d), qPrintable("README.md's Layout names " + where + d + "/, which does not exist"));
        }
    }

    // A code is spelt only in its table (finding_codes.h, error_codes.h, matrix_patterns.h): a literal
    // elsewhere in diagnose/ or remote/ would be a code the docs cannot know.
    void codesOnlyInTheirTables_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *layer : {"backend/diagnose", "backend/remote"})
            for (const QString &f : QDir(QStringLiteral(PODPATH_SOURCE_DIR "/") + QLatin1String(layer))
                                        .entryList({QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files))
                if (f != QLatin1String("finding_codes.h") && f != QLatin1String("error_codes.h") &&
                    f != QLatin1String("matrix_patterns.h"))
                    QTest::newRow(qPrintable(f)) << QLatin1String(layer) + QLatin1Char('/') + f;
    }
    void codesOnlyInTheirTables()
    {
        QFETCH(QString, file);
        static const QRegularExpression literal(QStringLiteral("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\""));
        const QStringList lines = readSource(file).split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < lines.size(); ++i)
            for (auto it = literal.globalMatch(lines[i]); it.hasNext();) {
                const QString code = it.next().captured(1);
                QVERIFY2(kNotCodes.contains(code),
                         qPrintable(QStringLiteral("%1:%2 spells \"%3\": take the code from finding_codes.h or "
                                                   "error_codes.h (and add it there)")
                                        .arg(file)
                                        .arg(i + 1)
                                        .arg(code)));
            }
    }
};

QTEST_GUILESS_MAIN(TestDocs)
#include "tst_docs.moc"
