// PodPath's known_hosts reader over OpenSSH's decision table: known, unknown, changed,
// revoked, other key type, @cert-authority, hashed names, negated and wildcard patterns,
// [host]:port and the bare-name fallback, comma lists, comments, lines that cannot be read
// (reported, never deciding) and several files. The expectations are what OpenSSH 9's
// `ssh` decides for the same files (tst_ssh_loopback runs the real `ssh` on the main rows).

#include "remote/known_hosts.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {

// Public keys made for this test with ssh-keygen (no private part is kept).
const QString kA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHGaOe2AqdL5xfuWEvKVVnVLwxnjgoKbtwX5b1oVhccA";
const QString kB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMxcWfT0nBo1MMeRhHheremH6wmfl6OtPsajtGrkgZ1v";
const QString kRsaBlob =
    "AAAAB3NzaC1yc2EAAAADAQABAAAAgQCtyAAh8uzEzFzf8hYkPgL+g7v2ZbVBh5trJIvVxSGdtj4Ps5/UJRvNxzOfveSCn9g2ChCK7+68nawh"
    "aCpq4ALePLd3Bszrr7JBn2tptlEf+QMZD17SOw5zKLoCsgaFdBIwUt7VXDqmyVUNzET9ibCHRyALWa21gQ/QEK7jY1z48Q==";
const QString kRsa = "ssh-rsa " + kRsaBlob;
const QString kEcdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFlBT8sHwzM/t7Fu+DNXef"
                       "H9Wq1Jch3QQsUyPTbFpZBkCvaWizucSCtq4ivUt3PPaFZiEWQQr+Yz87kga4HRtjQ=";
// `ssh-keygen -H` of "node1 A" and "[node1]:2222 A": OpenSSH's own hashes.
const QString kHashedNode1 = "|1|DEqM5YjTUW8A9VZjpoJ8Gx2yOVc=|7aI7QnHvZbIPgQFSbrTSQfMiVY0=";
const QString kHashedNode1Port = "|1|S1gOicntIFiNONtw6PDuB4UUzJ4=|/s41ISLd7ojuamX08iqKGZL0ZwA=";

QString blobOf(const QString &key) { return key.section(' ', 1, 1); }

// {A} {B} {RSA} {ECDSA} in a row's text stand for the keys above; "----" starts the next
// file (files are named f1, f2, ...).
QString expand(QString text)
{
    return text.replace("{A}", kA).replace("{B}", kB).replace("{RSA}", kRsa).replace("{ECDSA}", kEcdsa);
}

QStringList refs(const std::vector<KnownHostsLine> &lines)
{
    QStringList out;
    for (const auto &l : lines)
        out << QString::fromStdString(l.path) + ":" + QString::number(l.line);
    return out;
}

} // namespace

class TestKnownHosts : public QObject {
    Q_OBJECT
private slots:
    void decision_data()
    {
        QTest::addColumn<QString>("files");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("presented");
        QTest::addColumn<int>("status");
        QTest::addColumn<QStringList>("deciding");
        QTest::addColumn<QStringList>("unread");

        const auto known = int(HostKeyStatus::Known);
        const auto unknown = int(HostKeyStatus::Unknown);
        const auto changed = int(HostKeyStatus::Changed);
        const auto otherType = int(HostKeyStatus::OtherType);
        const auto revoked = int(HostKeyStatus::Revoked);
        const QString A = kA;
        using L = QStringList;

        QTest::newRow("known") << "node1 {A}\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("empty file") << "" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("another host") << "node2 {A}\n" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("changed") << "node1 {B}\n" << "node1" << 22 << A << changed << L{"f1:1"} << L{};
        QTest::newRow("changed, then known") << "node1 {B}\nnode1 {A}\n" << "node1" << 22 << A << known
                                             << L{"f1:2"} << L{};
        // The defect of issue #13: one unreadable line made libssh answer "unknown".
        QTest::newRow("changed + malformed line") << "node1 ssh-ed25519 AAAAbroken\nnode1 {B}\n" << "node1" << 22 << A
                                                  << changed << L{"f1:2"} << L{"f1:1"};
        QTest::newRow("malformed after changed") << "node1 {B}\nnode1 ssh-ed25519\n" << "node1" << 22 << A << changed
                                                 << L{"f1:1"} << L{"f1:2"};
        QTest::newRow("malformed only") << "node1 ssh-ed25519 AAAAbroken\n" << "node1" << 22 << A << unknown << L{}
                                        << L{"f1:1"};
        QTest::newRow("malformed other host: not reported") << "node2 ssh-ed25519 AAAAbroken\nnode1 {A}\n" << "node1"
                                                            << 22 << A << known << L{"f1:2"} << L{};
        QTest::newRow("revoked") << "node1 {A}\n@revoked * {A}\n" << "node1" << 22 << A << revoked << L{"f1:2"} << L{};
        QTest::newRow("revoked, no plain line") << "@revoked node1 {A}\n" << "node1" << 22 << A << revoked
                                                << L{"f1:1"} << L{};
        QTest::newRow("revoked another key") << "node1 {A}\n@revoked * {B}\n" << "node1" << 22 << A << known
                                             << L{"f1:1"} << L{};
        QTest::newRow("revoked for another host") << "node1 {A}\n@revoked node2 {A}\n" << "node1" << 22 << A << known
                                                  << L{"f1:1"} << L{};
        QTest::newRow("other type") << "node1 {RSA}\n" << "node1" << 22 << A << otherType << L{"f1:1"} << L{};
        QTest::newRow("other types") << "node1 {RSA}\nnode1 {ECDSA}\n" << "node1" << 22 << A << otherType
                                     << L{"f1:1", "f1:2"} << L{};
        QTest::newRow("other type and changed") << "node1 {RSA}\nnode1 {B}\n" << "node1" << 22 << A << changed
                                                << L{"f1:1", "f1:2"} << L{};
        QTest::newRow("other type and known") << "node1 {RSA}\nnode1 {A}\n" << "node1" << 22 << A << known
                                              << L{"f1:2"} << L{};
        QTest::newRow("@cert-authority only") << "@cert-authority node1 {A}\n" << "node1" << 22 << A << unknown << L{}
                                              << L{};
        QTest::newRow("@cert-authority and known") << "@cert-authority * {B}\nnode1 {A}\n" << "node1" << 22 << A
                                                   << known << L{"f1:2"} << L{};
        QTest::newRow("hashed known") << kHashedNode1 + " {A}\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("hashed changed") << kHashedNode1 + " {B}\n" << "node1" << 22 << A << changed << L{"f1:1"}
                                        << L{};
        QTest::newRow("hashed another host") << kHashedNode1 + " {B}\n" << "node2" << 22 << A << unknown << L{}
                                             << L{};
        QTest::newRow("hashed with port") << kHashedNode1Port + " {A}\n" << "node1" << 2222 << A << known
                                          << L{"f1:1"} << L{};
        QTest::newRow("hashed, salt unreadable") << "|1|not*base64|7aI7QnHvZbIPgQFSbrTSQfMiVY0= {B}\nnode1 {A}\n"
                                                 << "node1" << 22 << A << known << L{"f1:2"} << L{"f1:1"};
        QTest::newRow("hashed, other version") << "|2|DEqM5YjTUW8A9VZjpoJ8Gx2yOVc=|x {B}\n" << "node1" << 22 << A
                                               << unknown << L{} << L{"f1:1"};
        QTest::newRow("negated") << "!node1,node* {B}\n" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("negated after match") << "node*,!node1 {B}\n" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("negated other") << "!node2,node* {B}\n" << "node1" << 22 << A << changed << L{"f1:1"} << L{};
        QTest::newRow("negated alone") << "!node2 {B}\n" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("wildcard *") << "*.example,node* {A}\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("wildcard ?") << "nod?? {A}\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("wildcard too short") << "nod? {B}\n" << "node1" << 22 << A << unknown << L{} << L{};
        QTest::newRow("comma list") << "node0,node1,198.51.100.2 {A}\n" << "node1" << 22 << A << known << L{"f1:1"}
                                    << L{};
        QTest::newRow("[host]:port") << "[node1]:2222 {A}\n" << "node1" << 2222 << A << known << L{"f1:1"} << L{};
        QTest::newRow("[host]:port, wildcard port") << "[node1]:* {A}\n" << "node1" << 2222 << A << known
                                                    << L{"f1:1"} << L{};
        QTest::newRow("[host]:port of another port") << "[node1]:2223 {B}\n" << "node1" << 2222 << A << unknown
                                                     << L{} << L{};
        QTest::newRow("[host]:22 is not the bare name") << "[node1]:22 {A}\n" << "node1" << 22 << A << unknown << L{}
                                                        << L{};
        // ssh: nothing names [node1]:2222, so the bare name is tried; only a match counts.
        QTest::newRow("port, known without it") << "node1 {A}\n" << "node1" << 2222 << A << known << L{"f1:1"} << L{};
        QTest::newRow("port, changed without it") << "node1 {B}\n" << "node1" << 2222 << A << unknown << L{} << L{};
        QTest::newRow("port entry decides") << "node1 {A}\n[node1]:2222 {B}\n" << "node1" << 2222 << A << changed
                                            << L{"f1:2"} << L{};
        // Stricter than ssh (which would ask): a key revoked under the bare name is refused.
        QTest::newRow("port, revoked without it") << "@revoked node1 {A}\n" << "node1" << 2222 << A << revoked
                                                  << L{"f1:1"} << L{};
        QTest::newRow("comments and blanks") << "# node1 {B}\n\n \t\n   node1 {A} # the node's key\n" << "node1" << 22
                                             << A << known << L{"f1:4"} << L{};
        QTest::newRow("CRLF") << "node1 {A}\r\nnode2 {B}\r\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("no newline at the end") << "node2 {B}\nnode1 {A}" << "node1" << 22 << A << known << L{"f1:2"}
                                               << L{};
        QTest::newRow("upper case pattern") << "NODE1 {A}\n" << "node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("upper case host") << "node1 {A}\n" << "Node1" << 22 << A << known << L{"f1:1"} << L{};
        QTest::newRow("unknown marker") << "@trusted node1 {B}\n" << "node1" << 22 << A << unknown << L{} << L{"f1:1"};
        QTest::newRow("two markers") << "@revoked @revoked node1 {A}\n" << "node1" << 22 << A << unknown << L{}
                                     << L{"f1:1"};
        QTest::newRow("no key") << "node1\nnode1 # comment\n" << "node1" << 22 << A << unknown << L{}
                                << L{"f1:1", "f1:2"};
        QTest::newRow("unknown key type") << "node1 ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIHGaOe2AqdL5xfuWEvKVVnVLwxnjg\n"
                                          << "node1" << 22 << A << unknown << L{} << L{"f1:1"};
        QTest::newRow("type and key disagree") << "node1 ssh-rsa " + blobOf(kB) + "\n" << "node1" << 22 << A
                                               << unknown << L{} << L{"f1:1"};
        QTest::newRow("junk after the key") << "node1 " + kB + "xyz\n" << "node1" << 22 << A << unknown << L{}
                                            << L{"f1:1"};
        QTest::newRow("host certificate line") << "node1 ssh-ed25519-cert-v01@openssh.com AAAA\n" << "node1" << 22 << A
                                               << unknown << L{} << L{"f1:1"};
        QTest::newRow("RSA under a signature name") << "node1 rsa-sha2-512 " + kRsaBlob + "\n" << "node1" << 22 << kRsa
                                                    << known << L{"f1:1"} << L{};
        QTest::newRow("RSA presented, ed25519 known") << "node1 {A}\n" << "node1" << 22 << kRsa << otherType
                                                      << L{"f1:1"} << L{};
        QTest::newRow("ECDSA known") << "node1 {ECDSA}\n" << "node1" << 22 << kEcdsa << known << L{"f1:1"} << L{};
        QTest::newRow("several files, changed in the second") << "node2 {A}\n----\nnode1 {B}\n" << "node1" << 22 << A
                                                              << changed << L{"f2:1"} << L{};
        QTest::newRow("several files, known in the second") << "node1 {B}\n----\nnode1 {A}\n" << "node1" << 22 << A
                                                            << known << L{"f2:1"} << L{};
        QTest::newRow("several files, revoked in the second") << "node1 {A}\n----\n@revoked * {A}\n" << "node1" << 22
                                                              << A << revoked << L{"f2:1"} << L{};
        QTest::newRow("NUL ends the line") << QString("node1 {A}") + QChar(0) + "junk\n" << "node1" << 22 << A << known
                                           << L{"f1:1"} << L{};
    }
    void decision()
    {
        QFETCH(QString, files);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, presented);
        QFETCH(QStringList, deciding);
        QFETCH(QStringList, unread);

        std::vector<std::string> texts;
        for (const QString &f : expand(files).split("----\n"))
            texts.push_back(f.toStdString());
        std::vector<KnownHostsText> in;
        for (std::size_t i = 0; i < texts.size(); ++i)
            in.push_back({"f" + std::to_string(i + 1), texts[i]});
        auto j = judgeHostKey(in, host.toStdString(), port, blobOf(presented).toStdString());
        QVERIFY2(j.ok(), j.ok() ? "" : j.error().oneLine().c_str());
        QTEST(int(j->status), "status");
        QCOMPARE(refs(j->deciding), deciding);
        QStringList unreadRefs;
        for (const auto &u : j->unread) {
            unreadRefs << QString::fromStdString(u.path) + ":" + QString::number(u.line);
            QVERIFY(!u.why.empty());
        }
        QCOMPARE(unreadRefs, unread);
    }

    void certificateAuthorityIsNamed()
    {
        const std::string text = expand("@cert-authority *.example,node1 {B}\n").toStdString();
        auto j = judgeHostKey({{"f1", text}}, "node1", 22, blobOf(kA).toStdString());
        QVERIFY(j.ok());
        QCOMPARE(int(j->status), int(HostKeyStatus::Unknown));
        QCOMPARE(refs(j->certAuthorities), QStringList{"f1:1"});
    }

    void withoutPortIsSaid()
    {
        const std::string text = expand("node1 {A}\n").toStdString();
        auto j = judgeHostKey({{"f1", text}}, "node1", 2222, blobOf(kA).toStdString());
        QVERIFY(j.ok() && j->withoutPort);
        auto direct = judgeHostKey({{"f1", text}}, "node1", 22, blobOf(kA).toStdString());
        QVERIFY(direct.ok() && !direct->withoutPort);
    }

    // Our hash is OpenSSH's: ssh-keygen -H gave the constants above.
    void hashIsOpenSshs()
    {
        const QByteArray salt = QByteArray::fromBase64("DEqM5YjTUW8A9VZjpoJ8Gx2yOVc=");
        QCOMPARE(QString::fromStdString(hashedKnownHostsName("node1", salt.toStdString())), kHashedNode1);
    }

    void presentedKeyMustBeAKey()
    {
        auto j = judgeHostKey({}, "node1", 22, "AAAAbroken");
        QVERIFY(!j.ok());
        QVERIFY(!j.error().message.empty());
    }

    void unreadLinesSayWhy_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("why");
        QTest::newRow("bad base64") << "node1 ssh-ed25519 AAAA*" << "not valid base64";
        QTest::newRow("wrong key") << "node1 ssh-ed25519 " + blobOf(kRsa) << "not a valid ssh-ed25519 key";
        QTest::newRow("certificate") << "node1 ssh-rsa-cert-v01@openssh.com AAAA" << "host certificate";
        QTest::newRow("unknown type") << "node1 ssh-foo AAAA" << "\"ssh-foo\" is not a key type";
        QTest::newRow("marker") << "@revoke node1 " + kA << "neither @cert-authority nor @revoked";
        QTest::newRow("truncated") << "node1 " << "ends before the key type";
    }
    void unreadLinesSayWhy()
    {
        QFETCH(QString, line);
        QFETCH(QString, why);
        const std::string text = line.toStdString();
        auto j = judgeHostKey({{"f1", text}}, "node1", 22, blobOf(kA).toStdString());
        QVERIFY(j.ok());
        QCOMPARE(j->unread.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(j->unread[0].why).contains(why), j->unread[0].why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKnownHosts)
#include "tst_known_hosts.moc"
