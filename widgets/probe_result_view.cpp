#include "probe_result_view.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

// Mid tones that read on light and dark backgrounds; the mark's shape says the same.
const QColor kGood(0x2e, 0x9e, 0x44);
const QColor kWarn(0xd0, 0x8a, 0x00);
const QColor kBad(0xd6, 0x3a, 0x3a);

QString q(const std::string &s) { return QString::fromStdString(s); }

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

QString ProbeResultView::modeText(diagnose::Encapsulation e)
{
    switch (e) {
    case diagnose::Encapsulation::IpIp: return tr("IPIP");
    case diagnose::Encapsulation::Vxlan: return tr("VXLAN");
    case diagnose::Encapsulation::VxlanCrossSubnetDirect: return tr("VXLAN (CrossSubnet, direct)");
    case diagnose::Encapsulation::IpipCrossSubnetDirect: return tr("IPIP (CrossSubnet, direct)");
    case diagnose::Encapsulation::None: return tr("none: no tunnel device");
    case diagnose::Encapsulation::Unknown: break;
    }
    return tr("unknown");
}

QString ProbeResultView::rootText(const std::string &privilege)
{
    if (privilege == "root")
        return tr("yes, logged in as root");
    if (privilege == "sudo")
        return tr("yes, via sudo");
    if (privilege == "sudo-password")
        return tr("yes, via sudo with a password");
    if (privilege == "none")
        return tr("no: not root and no sudo");
    return tr("unknown");
}

ProbeResultView::ProbeResultView(QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Connection test result"));
    m_mark = new QLabel(this);
    QFont big = m_mark->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_mark->setFont(big);
    m_mark->setAlignment(Qt::AlignTop);
    m_status = wrapped(QString(), this);
    auto *head = new QHBoxLayout;
    head->addWidget(m_mark);
    head->addWidget(m_status, 1);
    m_facts = new QWidget(this);
    m_factsForm = new QFormLayout(m_facts);
    m_factsForm->setContentsMargins(0, 0, 0, 0);
    m_factsForm->setLabelAlignment(Qt::AlignLeft);
    m_problems = new QVBoxLayout;
    auto *root = new QVBoxLayout(this);
    root->addLayout(head);
    root->addWidget(m_facts);
    root->addLayout(m_problems);
    showIdle();
}

void ProbeResultView::setStatus(const QString &mark, const QColor &markColour, const QString &text)
{
    QFont f = font();
    f.setBold(!mark.isEmpty());
    m_status->setFont(f);
    m_mark->setText(mark);
    QPalette p = m_mark->palette();
    p.setColor(QPalette::WindowText, markColour.isValid() ? markColour : palette().color(QPalette::WindowText));
    m_mark->setPalette(p);
    m_mark->setVisible(!mark.isEmpty());
    m_status->setText(text);
}

void ProbeResultView::clearDetails()
{
    while (m_factsForm->rowCount() > 0)
        m_factsForm->removeRow(0);
    m_values.clear();
    while (QLayoutItem *item = m_problems->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_problemTexts.clear();
    m_facts->setVisible(false);
}

void ProbeResultView::showIdle()
{
    m_state = State::Idle;
    clearDetails();
    setStatus(QString(), QColor(),
              tr("Test connection logs in and reads this node (hostname, addresses, tunnel, root, tcpdump) "
                 "without changing anything."));
}

void ProbeResultView::showRunning(const QString &label)
{
    m_state = State::Running;
    clearDetails();
    setStatus(QStringLiteral("…"), QColor(), tr("Connecting to %1 and reading the node…").arg(label));
}

QLabel *ProbeResultView::addFact(const QString &key, const QString &label, const QString &value, bool bad)
{
    auto *v = wrapped(value, m_facts);
    v->setAccessibleName(label);
    if (bad) {
        QFont f = v->font();
        f.setBold(true);
        v->setFont(f);
        QPalette p = v->palette();
        p.setColor(QPalette::WindowText, kBad);
        v->setPalette(p);
    }
    m_factsForm->addRow(label + QLatin1Char(':'), v);
    m_values.insert(key, v);
    return v;
}

void ProbeResultView::addProblem(const Error &e, bool fatal)
{
    QString text = q(e.message);
    if (fatal && !e.context.empty() && text.indexOf(q(e.context)) < 0)
        text += QStringLiteral(" (") + q(e.context) + QLatin1Char(')');
    auto *row = new QWidget(this);
    auto *lay = new QVBoxLayout(row);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    auto *message = wrapped((fatal ? QString() : QStringLiteral("⚠ ")) + text, row);
    lay->addWidget(message);
    QString full = text;
    if (!e.nextStep.empty()) {
        auto *next = wrapped(tr("What to do: %1").arg(q(e.nextStep)), row);
        QFont f = next->font();
        f.setItalic(true);
        next->setFont(f);
        lay->addWidget(next);
        full += QStringLiteral(" - ") + q(e.nextStep);
    }
    row->setAccessibleName(full);
    m_problems->addWidget(row);
    m_problemTexts << full;
}

void ProbeResultView::showOutcome(const ConnectionTestOutcome &o)
{
    clearDetails();
    const QString seconds = QString::number(double(o.elapsedMs) / 1000.0, 'f', 1);
    if (!o.probe) {
        m_state = State::Failed;
        const bool cancelled = o.error && o.error->code == "CANCELLED";
        setStatus(QStringLiteral("✖"), kBad,
                  cancelled ? tr("Test cancelled.") : tr("Could not connect to %1 or read it.").arg(o.label));
        if (o.error && !cancelled)
            addProblem(*o.error, true);
        return;
    }
    const diagnose::NodeProbe &p = *o.probe;
    const diagnose::NodeFacts &f = p.facts;
    m_state = p.ready() ? State::Ready : State::Problems;
    if (p.ready())
        setStatus(QStringLiteral("✔"), kGood, tr("Connected to %1 in %2 s: ready to diagnose.").arg(o.label, seconds));
    else
        setStatus(QStringLiteral("⚠"), kWarn,
                  p.problems.size() == 1
                      ? tr("Connected to %1 in %2 s, but one thing would stop or limit a diagnosis:").arg(o.label, seconds)
                      : tr("Connected to %1 in %2 s, but %3 things would stop or limit a diagnosis:")
                            .arg(o.label, seconds)
                            .arg(p.problems.size()));

    m_facts->setVisible(true);
    addFact(QStringLiteral("hostname"), tr("Hostname"), f.hostname.empty() ? tr("unknown") : q(f.hostname));
    QString nodeIp = q(diagnose::ipText(f.nodeIp));
    if (!f.underlayDevice.empty())
        nodeIp += tr(" on %1").arg(q(f.underlayDevice));
    addFact(QStringLiteral("nodeIp"), tr("Node IP"), nodeIp, !f.nodeIp);
    addFact(QStringLiteral("mode"), tr("Overlay"), modeText(p.encapsulation),
            p.encapsulation == diagnose::Encapsulation::None);
    QString tunnel = tr("none");
    if (!f.tunnelDevice.empty()) {
        tunnel = q(f.tunnelDevice) + QStringLiteral(", ") + (f.tunnelIp ? q(f.tunnelIp->toString()) : tr("no address"));
        QStringList notes;
        notes << (f.tunnelUp ? tr("up") : tr("DOWN"));
        if (f.tunnelMtu > 0)
            notes << tr("MTU %1").arg(f.tunnelMtu);
        tunnel += QStringLiteral(" (") + notes.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    addFact(QStringLiteral("tunnel"), tr("Tunnel"), tunnel, f.tunnelDevice.empty() || !f.tunnelUp || !f.tunnelIp);
    addFact(QStringLiteral("root"), tr("Root"), rootText(f.privilege), f.privilege == "none");
    addFact(QStringLiteral("tcpdump"), tr("tcpdump"),
            f.hasTcpdump ? tr("yes (%1)").arg(q(p.tcpdumpVersion)) : tr("no, not installed"), !f.hasTcpdump);
    if (!f.firewallBackend.empty()) {
        QString fw = q(f.firewallBackend);
        if (!f.hostsIpset.empty())
            fw += tr(", hosts set %1").arg(q(f.hostsIpset));
        addFact(QStringLiteral("firewall"), tr("Firewall"), fw);
    }
    for (const auto &e : p.problems)
        addProblem(e, false);
}

QString ProbeResultView::fact(const QString &key) const
{
    const QLabel *l = m_values.value(key);
    return l ? l->text() : QString();
}

QString ProbeResultView::statusText() const { return m_status->text(); }

QStringList ProbeResultView::problemTexts() const { return m_problemTexts; }

} // namespace podpath::widgets
