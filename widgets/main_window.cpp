#include "main_window.h"

#include <QLabel>

namespace podpath::widgets {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("PodPath"));
    auto *label = new QLabel(tr("<h2>PodPath</h2>"
                                "<p>Pick a client node and a server node to trace the Calico "
                                "overlay path between them.</p>"),
                             this);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(24);
    setCentralWidget(label);
    resize(900, 600);
}

} // namespace podpath::widgets
