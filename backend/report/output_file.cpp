#include "output_file.h"

#include <QDir>
#include <QFileInfo>

namespace podpath::report {

namespace {

std::optional<std::string> folderProblem(const QFileInfo &dir)
{
    const std::string path = QDir::toNativeSeparators(dir.absoluteFilePath()).toStdString();
    if (!dir.exists())
        return "the folder " + path + " does not exist";
    if (!dir.isDir())
        return path + " is not a folder";
    if (!dir.isWritable())
        return "the folder " + path + " is not writable";
    return std::nullopt;
}

} // namespace

std::optional<std::string> whyNotWritable(const QString &file)
{
    const QFileInfo info(file);
    if (info.isDir())
        return QDir::toNativeSeparators(info.absoluteFilePath()).toStdString() + " is a folder, not a file";
    if (info.exists() && !info.isWritable())
        return QDir::toNativeSeparators(info.absoluteFilePath()).toStdString() + " is not writable";
    return folderProblem(QFileInfo(info.absolutePath()));
}

std::optional<std::string> whyNotWritableFolder(const QString &dir)
{
    const QFileInfo info(dir);
    if (!info.exists() && !QDir().mkpath(dir)) {
        // The nearest folder that exists says why it could not be made.
        QFileInfo parent(info.absolutePath());
        while (!parent.exists() && parent.absoluteFilePath() != parent.absolutePath())
            parent = QFileInfo(parent.absolutePath());
        if (auto why = folderProblem(parent))
            return "cannot create " + QDir::toNativeSeparators(info.absoluteFilePath()).toStdString() + ": " + *why;
        return "cannot create the folder " + QDir::toNativeSeparators(info.absoluteFilePath()).toStdString();
    }
    return folderProblem(QFileInfo(info.absoluteFilePath()));
}

} // namespace podpath::report
