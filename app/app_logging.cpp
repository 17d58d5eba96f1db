#include "app_logging.h"

#include "core/printable.h"

#include <QDir>
#include <QStandardPaths>
#include <QString>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace podpath::app {

namespace {

// Log messages quote nodes (errors with what a command printed): escaped before they
// reach the terminal or the file, like everything else PodPath prints from a node.
class PrintableSink final : public spdlog::sinks::sink {
public:
    explicit PrintableSink(spdlog::sink_ptr inner) : m_inner(std::move(inner)) { set_level(m_inner->level()); }

    void log(const spdlog::details::log_msg &msg) override
    {
        const std::string_view payload(msg.payload.data(), msg.payload.size());
        if (isPrintable(payload)) {
            m_inner->log(msg);
            return;
        }
        const std::string safe = printable(payload);
        spdlog::details::log_msg copy = msg;
        copy.payload = spdlog::string_view_t(safe.data(), safe.size());
        m_inner->log(copy);
    }
    void flush() override { m_inner->flush(); }
    void set_pattern(const std::string &pattern) override { m_inner->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> f) override { m_inner->set_formatter(std::move(f)); }

private:
    spdlog::sink_ptr m_inner;
};

} // namespace

static QString stateDirectory()
{
    // Qt 6.4 has no StateLocation; follow the XDG base directory spec by hand.
    const QByteArray xdg = qgetenv("XDG_STATE_HOME");
    QString base = !xdg.isEmpty() && QDir::isAbsolutePath(QString::fromLocal8Bit(xdg))
                       ? QString::fromLocal8Bit(xdg)
                       : QDir::homePath() + QStringLiteral("/.local/state");
    return base + QStringLiteral("/podpath");
}

std::string setupLogging(bool verbose)
{
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
    sinks.push_back(std::make_shared<PrintableSink>(console));

    std::string path;
    const QString dir = stateDirectory();
    if (QDir().mkpath(dir)) {
        path = (dir + QStringLiteral("/podpath.log")).toStdString();
        try {
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, 5 * 1024 * 1024, 3);
            file->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
            sinks.push_back(std::make_shared<PrintableSink>(file));
        } catch (const spdlog::spdlog_ex &) {
            path.clear();  // unwritable: keep the console sink, never fail the program for a log
        }
    }
    auto logger = std::make_shared<spdlog::logger>("podpath", sinks.begin(), sinks.end());
    logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");
    spdlog::set_default_logger(logger);
    spdlog::flush_on(spdlog::level::warn);
    return path;
}

} // namespace podpath::app
