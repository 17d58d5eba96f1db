#pragma once
// The node pairs the user diagnosed lately, kept in QSettings (group "profiles") so the
// NODES screen can offer them again. Only what was typed into the forms: host, user,
// port, key file path, jump host, the shared files and the pods asked about. Never a password, passphrase or
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

// The pods asked about with that pair (all empty: the nodes alone). Engineers come back to
// the same two pods while they change a policy, so the pods are part of the pair.
struct PodFields {
    QString clientPod;
    QString serverPod;
    QString port;
    QString protocol;  // "tcp" or "udp"; meaningful only with a port
    bool operator==(const PodFields &) const = default;
};

struct PairProfile {
    NodeFields client;
    NodeFields server;
    QString knownHostsFile;
    QString sshConfigFile;
    PodFields pods;
    bool operator==(const PairProfile &) const = default;
    // "root@node1 → node2", with "· pods 10.0.1.7 → 10.0.2.9 TCP 8080" when pods were given,
    // as the Recent list shows it.
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
