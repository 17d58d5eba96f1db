// The podpath executable: the desktop application, and the same engine headless.

#include "app_logging.h"
#include "diagnose_command.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    // Parse before QApplication exists so --help and --version work without a display.
    QCoreApplication::setApplicationName(QStringLiteral("podpath"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PODPATH_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("PodPath"));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Subcommands run headless: no display, no QApplication.
    if (arguments.size() > 1 && arguments[1] == QLatin1String("diagnose")) {
        const bool verboseSub = arguments.contains(QStringLiteral("--verbose"));
        QStringList sub = arguments.mid(1);
        sub.removeAll(QStringLiteral("--verbose"));
        QCoreApplication core(argc, argv);
        podpath::app::setupLogging(verboseSub);
        return podpath::app::runDiagnose(sub);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Finds where packets between two Kubernetes nodes running Calico get lost.\n"
        "Without a command, opens the desktop application.\n\n"
        "Commands:\n  diagnose   run the diagnosis on two nodes from the terminal (podpath diagnose --help)"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption verbose(QStringLiteral("verbose"),
                               QStringLiteral("Log at debug level (to stderr and the log file)."));
    parser.addOption(verbose);
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

    const std::string logPath = podpath::app::setupLogging(parser.isSet(verbose));
    spdlog::info("podpath {} starting, log {}", PODPATH_VERSION, logPath);

    QApplication app(argc, argv);
    podpath::widgets::MainWindow window;
    window.show();
    return app.exec();
}
