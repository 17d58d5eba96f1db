#include "run.h"

#include "core/printable.h"

#include "app_logging.h"
#include "diagnose_command.h"
#include "main_window.h"
#include "matrix_command.h"
#include "render_command.h"

#include <QApplication>
#include <QCommandLineParser>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>

namespace podpath::app {

int run(int argc, char *argv[], const WindowHook &onWindow)
{
    // Parse before QApplication exists so --help and --version work without a display.
    QCoreApplication::setApplicationName(QStringLiteral("podpath"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PODPATH_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("PodPath"));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Subcommands run headless: no window, no display needed. They draw the diagram
    // (--png, --report), and fonts need a QGuiApplication: the offscreen platform gives one.
    if (arguments.size() > 1 && (arguments[1] == QLatin1String("diagnose") || arguments[1] == QLatin1String("render") ||
                                 arguments[1] == QLatin1String("matrix"))) {
        const bool verboseSub = arguments.contains(QStringLiteral("--verbose"));
        QStringList sub = arguments.mid(1);
        sub.removeAll(QStringLiteral("--verbose"));
        prepareHeadlessGui();
        QGuiApplication gui(argc, argv);
        setupLogging(verboseSub);
        if (arguments[1] == QLatin1String("matrix"))
            return runMatrix(sub);
        return arguments[1] == QLatin1String("render") ? runRender(sub) : runDiagnose(sub);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Finds where packets between two Kubernetes nodes running Calico get lost.\n"
        "Without a command, opens the desktop application.\n\n"
        "Commands:\n  diagnose   run the diagnosis on two nodes from the terminal (podpath diagnose --help)\n"
        "  matrix     every pair of N nodes in one burst, as a matrix (podpath matrix --help)\n"
        "  render     draw a saved diagnosis as the path diagram PNG (podpath render --help)"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption verbose(QStringLiteral("verbose"),
                               QStringLiteral("Log at debug level (to stderr and the log file)."));
    parser.addOption(verbose);
    QCommandLineOption replay(QStringLiteral("replay"),
                              QStringLiteral("Diagnose from recorded sessions DIR/client.json and DIR/server.json "
                                             "(podpath diagnose --record) instead of SSH."),
                              QStringLiteral("dir"));
    QCommandLineOption diagnoseNow(QStringLiteral("diagnose"), QStringLiteral("Start the diagnosis at once (with --replay)."));
    parser.addOption(replay);
    parser.addOption(diagnoseNow);
    parser.addPositionalArgument(QStringLiteral("file.json"), QStringLiteral("A saved diagnosis to show (podpath diagnose --json)."), QStringLiteral("[file.json]"));
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "podpath: %s (try podpath --help)\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // No QCoreApplication exists yet, so Qt cannot know the program name.
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("podpath"))), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("podpath %s\n", PODPATH_VERSION);
        return 0;
    }

    const std::string logPath = setupLogging(parser.isSet(verbose));
    spdlog::info("podpath {} starting, log {}", PODPATH_VERSION, logPath);

    QApplication app(argc, argv);
    widgets::MainWindow window;
    if (onWindow)
        onWindow(window);
    QString error;
    if (parser.isSet(replay) && !window.useReplay(parser.value(replay), &error)) {
        std::fprintf(stderr, "podpath: --replay: %s\n", printable(error.toStdString()).c_str());
        return 2;
    }
    if (!parser.positionalArguments().isEmpty() && !window.openDiagnosis(parser.positionalArguments().front(), &error)) {
        std::fprintf(stderr, "podpath: %s\n", printable(error.toStdString()).c_str());
        return 2;
    }
    window.show();
    if (parser.isSet(diagnoseNow))
        QMetaObject::invokeMethod(&window, &widgets::MainWindow::diagnose, Qt::QueuedConnection);
    return app.exec();
}

} // namespace podpath::app
