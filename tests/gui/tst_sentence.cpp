// Messages from the engine and SSH are shown as sentences: a plain lower-case first word
// gets its capital; a command, id, hostname, address or path at the start stays as written.
#include "sentence.h"

#include <QTest>

class TestSentence : public QObject {
    Q_OBJECT
private slots:
    void asSentence_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("underAField");
        QTest::newRow("plain word") << "connection refused" << "Connection refused" << "Connection refused.";
        QTest::newRow("one word") << "cancelled" << "Cancelled" << "Cancelled.";
        QTest::newRow("clause and colon") << "cannot read x.json: not found" << "Cannot read x.json: not found"
                                          << "Cannot read x.json: not found.";
        QTest::newRow("word and colon") << "timed out: no answer" << "Timed out: no answer" << "Timed out: no answer.";
        QTest::newRow("already a sentence") << "Cannot read the file." << "Cannot read the file." << "Cannot read the file.";
        QTest::newRow("command") << "tcpdump not found" << "tcpdump not found" << "tcpdump not found.";
        QTest::newRow("command with colon") << "timeout: failed to run command" << "timeout: failed to run command"
                                            << "timeout: failed to run command.";
        QTest::newRow("ssh prefix") << "ssh: connect to host" << "ssh: connect to host" << "ssh: connect to host.";
        QTest::newRow("hop id") << "request.server.ingress lost" << "request.server.ingress lost" << "request.server.ingress lost.";
        QTest::newRow("hostname") << "node-1 did not answer" << "node-1 did not answer" << "node-1 did not answer.";
        QTest::newRow("interface") << "eth0 has no address" << "eth0 has no address" << "eth0 has no address.";
        QTest::newRow("user at host") << "root@node1 refused" << "root@node1 refused" << "root@node1 refused.";
        QTest::newRow("path") << "/etc/ssh/ssh_config: no such file" << "/etc/ssh/ssh_config: no such file"
                              << "/etc/ssh/ssh_config: no such file.";
        QTest::newRow("address") << "10.0.0.1 unreachable" << "10.0.0.1 unreachable" << "10.0.0.1 unreachable.";
        QTest::newRow("empty") << "" << "" << "";
    }
    void asSentence()
    {
        QFETCH(QString, message);
        QFETCH(QString, shown);
        QFETCH(QString, underAField);
        QCOMPARE(podpath::widgets::asSentence(message), shown);
        QCOMPARE(podpath::widgets::asFullSentence(message), underAField);
    }
};

QTEST_MAIN(TestSentence)
#include "tst_sentence.moc"
