#pragma once
#include <QMainWindow>

namespace podpath::widgets {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace podpath::widgets
