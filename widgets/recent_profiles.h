#pragma once
// The node pairs the user diagnosed lately, kept in QSettings (group "profiles") so the
// NODES screen can offer them again. Only what was typed into the forms: host, user,
// port, key file path, jump host and the shared files. Never a password, passphrase or
// anything a prompt returned.

#include <QList>
#include <QString>

class QSettings;

namespace podpath::widgets {

// One node form's fields as typed (strings: an empty one means "from ssh config").
struct NodeFields {
    QString host;
    QString user;
    QString port;
    QString identityFile;
    QString jumpHost;
    bool operator==(const NodeFields &) const = default;
};

struct PairProfile {
    NodeFields client;
    NodeFields server;
    QString knownHostsFile;
    QString sshConfigFile;
    bool operator==(const PairProfile &) const = default;
    // "root@node1 → node2", as the Recent list shows it.
    QString label() const;
};

class RecentProfiles {
public:
    static constexpr int kMaxPairs = 8;

    // Reads and writes `settings` (the application's QSettings when null).
    explicit RecentProfiles(QSettings *settings = nullptr);
    ~RecentProfiles();

    QList<PairProfile> pairs() const;  // newest first
    // Puts `pair` first; an equal pair moves up instead of repeating; the oldest beyond
    // kMaxPairs are dropped.
    void remember(const PairProfile &pair);
    // Host names of every remembered node, newest first, each once.
    QStringList hosts() const;

private:
    QSettings *m_settings;
    bool m_own;
};

} // namespace podpath::widgets
