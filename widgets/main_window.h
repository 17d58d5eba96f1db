#pragma once
// PodPath's window: the Nodes page (where to connect), the Guided mode (the guide step
// by step) and the Diagnosis (one click, the whole path). One DiagnosisSession serves
// both modes; the window only wires pages to it and exports what it produced.

#include "diagnose/diagnosis.h"

#include <QMainWindow>
#include <QMap>
#include <QStringList>

#include <memory>

class QAction;
class QLabel;
class QSettings;
class QTabWidget;

namespace podpath::widgets {

class DiagnosisSession;
class GuidedPage;
class MatrixPage;
class NodesPage;
class ResultsView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Diagnose from recorded sessions (DIR/client.json, DIR/server.json) instead of SSH.
    bool useReplay(const QString &dir, QString *error = nullptr);
    // Show a saved diagnosis (podpath diagnose --json).
    bool openDiagnosis(const QString &file, QString *error = nullptr);
    // File > Open recording: replay DIR (podpath diagnose --record DIR) through the
    // engine at once, as `podpath --replay DIR --diagnose` does.
    bool openRecording(const QString &dir, QString *error = nullptr);
    // Help > Open demo diagnosis: the recording shipped inside PodPath (a lab fault).
    bool openDemo(QString *error = nullptr);
    // Where the shipped demo recording is (a Qt resource folder).
    static QString demoRecording();
    // File > Close recording: the next diagnosis connects to the Nodes page's nodes.
    void closeRecording();
    bool isReplaying() const { return m_replay; }

    DiagnosisSession *session() const { return m_session.get(); }
    NodesPage *nodesPage() const { return m_nodes; }
    GuidedPage *guidedPage() const { return m_guided; }
    ResultsView *results() const { return m_results; }
    QTabWidget *tabs() const { return m_tabs; }
    MatrixPage *matrixPage() const { return m_matrix; }

    enum class Export { Png, Html, Markdown, Pdf, Json };
    // Writes the shown diagnosis; the same bytes the CLI writes (PDF: the report laid out
    // on A4 by PdfReport). `error`: one sentence with the next step.
    bool exportTo(Export kind, const QString &file, QString *error = nullptr) const;
    // What File > Save … does once a file is chosen: asks before replacing an existing
    // file (No is the default), writes, and says where in the status bar, or why not in
    // a message box. False when nothing was written.
    bool saveExport(Export kind, const QString &file);
    // The status bar's message.
    QString statusText() const;
    // The File menu's export actions (diagram copy included), by what they write.
    QAction *exportAction(Export kind) const { return m_exportActions.value(int(kind)); }
    // `notes`: one line per file that holds only the start of its capture.
    bool saveCaptures(const QString &dir, QString *error = nullptr, QStringList *notes = nullptr) const;
    // Enabled only when this session's last run holds captures and is the one shown.
    QAction *savePcapAction() const { return m_savePcap; }
    // Help > About: version, what PodPath does, its licence and what it is built on.
    static QString aboutText();

public slots:
    void diagnose();
    void cancel();

signals:
    void diagnosisFinished();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    // No larger than the screen's free area, and on it.
    void fitToScreen();
    void onProgress(const QString &path, const QString &state, const QString &error);
    void onFinished();
    void exportWithDialog(Export kind);
    void updateActions();

    QSettings *m_settings;
    std::unique_ptr<QSettings> m_ownSettings;
    std::unique_ptr<DiagnosisSession> m_session;
    NodesPage *m_nodes;
    GuidedPage *m_guided;
    ResultsView *m_results;
    MatrixPage *m_matrix;
    QTabWidget *m_tabs;
    QLabel *m_phase;
    QAction *m_diagnose = nullptr, *m_cancel = nullptr, *m_savePcap = nullptr, *m_closeRecording = nullptr;
    QList<QAction *> m_exports;
    QMap<int, QAction *> m_exportActions;
    bool m_replay = false;
    QString m_replayName;  // the recording's folder, for the title
    bool m_oneClickRunning = false;
    diagnose::Diagnosis m_live;
    QString m_livePhase;
};

} // namespace podpath::widgets
