#include "render_command.h"

#include "core/printable.h"

#include "diagram_image.h"
#include "report/json_report.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace podpath::app {

namespace {

int fail(const std::string &message)
{
    // The message may quote the saved file, which a node's words filled: escaped.
    std::fprintf(stderr, "podpath render: %s\n", printable(message).c_str());
    return 2;
}

} // namespace

void prepareHeadlessGui()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt warns that XDG_RUNTIME_DIR is unset (root over SSH, CI runners): harmless for a
    // command that opens no window, and it would break "one line on stderr".
    static QtMessageHandler previous = nullptr;
    previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
            return;
        previous(type, context, message);
    });
}

int runRender(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Draws a saved diagnosis (podpath diagnose --json FILE) as the packet path diagram, a PNG for tickets.\n"
        "Needs no display. Exit status: 0 written, 2 could not."));
    p.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("The diagnosis to draw (JSON from podpath diagnose --json)."), QStringLiteral("file"));
    const QCommandLineOption png(QStringLiteral("png"), QStringLiteral("Where to write the picture (PNG)."), QStringLiteral("file"));
    const QCommandLineOption scale(QStringLiteral("scale"), QStringLiteral("Pixels per point, 1-4 (default 2: sharp on high-DPI screens and in tickets)."), QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Dark background."));
    for (const auto &o : {json, png, scale, dark})
        p.addOption(o);
    if (!p.parse(arguments))
        return fail(p.errorText().toStdString() + " (try podpath render --help)");
    if (p.isSet(QStringLiteral("help"))) {
        // Qt names the program by its path; the usage line names the command.
        const QString help = p.helpText();
        std::fputs(qPrintable(QStringLiteral("Usage: podpath render [options]") + help.mid(help.indexOf(QLatin1Char('\n')))), stdout);
        return 0;
    }
    if (!p.positionalArguments().isEmpty())
        return fail("unexpected argument '" + p.positionalArguments().front().toStdString() +
                    "' (usage: podpath render --json FILE --png OUT)");
    if (!p.isSet(json) || !p.isSet(png))
        return fail("--json and --png are required (e.g. podpath render --json result.json --png result.png)");
    bool scaleOk = false;
    const double s = p.value(scale).toDouble(&scaleOk);
    if (!scaleOk || s < 1 || s > 4)
        return fail("--scale must be a number from 1 to 4, not '" + p.value(scale).toStdString() + "'");

    const QString in = p.value(json);
    auto d = report::loadDiagnosis(in.toStdString());
    if (!d.ok())
        return fail("cannot draw " + in.toStdString() + ": " + d.error().message +
                    (d.error().nextStep.empty() ? "" : " (" + d.error().nextStep + ")"));

    const QByteArray bytes = widgets::renderDiagramPng(*d, s, p.isSet(dark));
    if (bytes.isEmpty())
        return fail("could not encode the picture as PNG (is the Qt PNG plugin installed?)");
    const QString out = p.value(png);
    QFile o(out);
    if (!o.open(QIODevice::WriteOnly | QIODevice::Truncate) || o.write(bytes) != bytes.size())
        return fail("cannot write " + out.toStdString() + ": " + o.errorString().toStdString() +
                    " (does its folder exist and is it writable?)");
    return 0;
}

} // namespace podpath::app
