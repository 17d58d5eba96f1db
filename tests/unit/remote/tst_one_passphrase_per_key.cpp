// A key's passphrase is asked once per diagnosis, although both nodes connect at once
// with the same key (issue #13: it was asked once per node).

#include "remote/one_passphrase_per_key.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace podpath::remote;

namespace {

// Answers after a pause, as a person would, counting the questions per key.
class SlowPerson final : public SshPrompter {
public:
    std::optional<std::string> answer;
    std::atomic<int> asked{0};
    HostKeyDecision unknownHostKey(const HostKeyQuestion &) override { return HostKeyDecision::Refuse; }
    std::optional<Secret> keyPassphrase(const std::string &) override
    {
        ++asked;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return answer ? std::optional<Secret>(Secret(*answer)) : std::nullopt;
    }
    std::optional<Secret> password(const std::string &, int) override { return std::nullopt; }
    std::optional<std::vector<Secret>> keyboardInteractive(const std::string &, const std::string &, const std::string &,
                                                           const std::vector<KeyboardPrompt> &) override
    {
        return std::nullopt;
    }
    std::optional<Secret> sudoPassword(const std::string &) override { return std::nullopt; }
};

} // namespace

class TestOnePassphrasePerKey : public QObject {
    Q_OBJECT
private slots:
    void askedOnceForBothNodes_data()
    {
        QTest::addColumn<bool>("answered");
        QTest::addColumn<QStringList>("keys");  // what each of the connections asks for
        QTest::addColumn<int>("questions");
        QTest::newRow("one key, two nodes") << true << QStringList{"/home/ops/.ssh/id_ed25519", "/home/ops/.ssh/id_ed25519"} << 1;
        QTest::newRow("declined stays declined") << false << QStringList{"/k", "/k"} << 1;
        QTest::newRow("two keys") << true << QStringList{"/k1", "/k2", "/k1", "/k2"} << 2;
    }
    void askedOnceForBothNodes()
    {
        QFETCH(bool, answered);
        QFETCH(QStringList, keys);
        QFETCH(int, questions);
        SlowPerson person;
        if (answered)
            person.answer = "correct horse";
        OnePassphrasePerKey memo(&person);
        // The key names are made std::strings before any thread starts: QStringList's
        // non-const operator[] detaches, and two threads detaching one list at once
        // corrupted a name now and then (CI saw a second question for "the same" key).
        std::vector<std::string> keyFiles;
        for (const QString &k : std::as_const(keys))
            keyFiles.push_back(k.toStdString());
        std::vector<std::optional<Secret>> got(keyFiles.size());
        std::vector<std::thread> nodes;
        for (std::size_t i = 0; i < keyFiles.size(); ++i)
            nodes.emplace_back([&, i] { got[i] = memo.keyPassphrase(keyFiles[i]); });
        for (auto &t : nodes)
            t.join();
        QCOMPARE(person.asked.load(), questions);
        for (const auto &g : got) {
            QCOMPARE(g.has_value(), answered);
            if (g)
                QCOMPARE(std::string(g->reveal()), std::string("correct horse"));
        }
    }
};

QTEST_GUILESS_MAIN(TestOnePassphrasePerKey)
#include "tst_one_passphrase_per_key.moc"
