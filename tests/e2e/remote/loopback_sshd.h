#pragma once
// A private, real OpenSSH sshd on 127.0.0.1 for the remote layer's tests and the
// benchmark: its own host key, client key, authorized_keys and config in a temporary
// folder, started in the foreground (-D -e) and stopped with the object. Logins are
// for the user running the test (root in CI), keys only, no PAM.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

class LoopbackSshd {
public:
    LoopbackSshd() = default;
    ~LoopbackSshd() { stop(); }

    // Returns an empty string on success, else why it could not start.
    QString start(const QString &extraConfig = {})
    {
        if (!QFile::exists("/usr/sbin/sshd"))
            return "no /usr/sbin/sshd (apt-get install openssh-server)";
        if (!m_dir.isValid())
            return "no temporary folder";
        if (!keygen(path("host_ed25519")) || !keygen(path("id_ed25519")) || !keygen(path("other_host_ed25519")))
            return "ssh-keygen failed";
        QFile::copy(path("id_ed25519.pub"), path("authorized_keys"));
        m_port = freePort();
        QFile cfg(path("sshd_config"));
        if (!cfg.open(QIODevice::WriteOnly))
            return "cannot write sshd_config";
        // sshd takes the first value of a keyword: extraConfig comes first to override.
        cfg.write(QString("%5\nPort %1\nListenAddress 127.0.0.1\nListenAddress [::1]\nHostKey %2\nPidFile %3\nAuthorizedKeysFile %4\n"
                          "UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                          "PermitRootLogin prohibit-password\nStrictModes no\nLogLevel ERROR\nMaxSessions 32\n"
                          "MaxStartups 100\n")
                      .arg(m_port)
                      .arg(path("host_ed25519"), path("sshd.pid"), path("authorized_keys"), extraConfig)
                      .toUtf8());
        cfg.close();
        m_sshd.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const QStringList sshd{"/usr/sbin/sshd", "-D", "-e", "-f", path("sshd_config")};
        if (geteuid() == 0 && !QFileInfo::exists("/run/sshd")) {
            // sshd as root needs its privilege separation folder /run/sshd. Where the
            // machine has none (sshd never ran), the test's sshd gets a /run of its own
            // in a private mount namespace instead: creating /run/sshd would change the
            // machine under the lab test, which holds that nothing outside the lab's
            // folder changes. unshare execs in place: the process is still sshd's.
            m_sshd.start("unshare", QStringList{"--mount", "--propagation", "private", "--", "sh", "-c",
                                                "mount -t tmpfs -o mode=0755,size=1m pp-loopback /run && "
                                                "mkdir -m 0755 /run/sshd && exec \"$0\" \"$@\""} +
                                        sshd);
        } else {
            m_sshd.start(sshd.front(), sshd.mid(1));
        }
        if (!m_sshd.waitForStarted(5000))
            return "sshd did not start";
        for (int i = 0; i < 100; ++i) {
            if (portOpen(m_port))
                break;
            QThread::msleep(50);
        }
        if (!portOpen(m_port))
            return "sshd is not listening on 127.0.0.1:" + QString::number(m_port);
        writeKnownHosts(path("known_hosts"), path("host_ed25519.pub"));
        return {};
    }

    void stop()
    {
        if (m_sshd.state() == QProcess::NotRunning)
            return;
        killConnections();
        m_sshd.terminate();
        if (!m_sshd.waitForFinished(3000))
            m_sshd.kill();
        m_sshd.waitForFinished(3000);
    }

    // SIGKILLs the per-connection sshd processes (children of this sshd): the node
    // goes away under every open session; the listener stays for reconnects.
    void killConnections()
    {
        QProcess::execute("pkill", {"-KILL", "-P", QString::number(m_sshd.processId())});
    }

    // SIGSTOPs (or SIGCONTs) every process under the listener: each connection's sshd
    // and what it runs. A stopped sshd neither answers nor closes: a hung node, or a
    // path that drops SSH. The listener itself is left alone.
    void freezeConnections(bool frozen)
    {
        QStringList pids{QString::number(m_sshd.processId())}, all;
        while (!pids.isEmpty()) {
            QProcess p;
            p.start("pgrep", {"-P", pids.join(',')});
            p.waitForFinished(3000);
            pids = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
            all += pids;
        }
        if (!all.isEmpty())
            QProcess::execute("kill", QStringList{frozen ? "-STOP" : "-CONT"} + all);
    }

    // A known_hosts file holding `hostKeyPub` for [127.0.0.1]:port and [::1]:port.
    void writeKnownHosts(const QString &file, const QString &hostKeyPub) const
    {
        QFile pub(hostKeyPub);
        pub.open(QIODevice::ReadOnly);
        const QList<QByteArray> parts = pub.readAll().trimmed().split(' ');
        QFile out(file);
        out.open(QIODevice::WriteOnly | QIODevice::Truncate);
        out.write(QString("[127.0.0.1]:%1 ").arg(m_port).toUtf8() + parts.value(0) + ' ' + parts.value(1) + '\n');
        // The same sshd over IPv6 loopback, as OpenSSH writes such a host.
        out.write(QString("[::1]:%1 ").arg(m_port).toUtf8() + parts.value(0) + ' ' + parts.value(1) + '\n');
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }
    int port() const { return m_port; }
    QString clientKey() const { return path("id_ed25519"); }
    QString knownHosts() const { return path("known_hosts"); }
    static QString user()
    {
        const passwd *pw = getpwuid(geteuid());
        return pw ? QString::fromLocal8Bit(pw->pw_name) : QString("root");
    }

private:
    static bool keygen(const QString &file)
    {
        return QProcess::execute("ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-C", "pp-rm-test", "-f", file}) == 0;
    }
    static int freePort()
    {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        socklen_t len = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
        close(fd);
        return ntohs(a.sin_port);
    }
    static bool portOpen(int port)
    {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(quint16(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
        close(fd);
        return ok;
    }

    QTemporaryDir m_dir{QDir::tempPath() + "/pp-rm-sshd-XXXXXX"};
    QProcess m_sshd;
    int m_port = 0;
};
