#pragma once
// The packet path as a picture: both nodes, the network between them, the request and
// reply lanes with the eight hops, the verdict and why. Plain QPainter on any paint
// device, so the window, the PNG attached to a ticket and `podpath render` without a
// display all draw the same picture from the same geometry.
//
// Status is told by shape first (filled circle with a check, cross in a diamond,
// question mark in a dashed circle, dash) and colour second (a blue/orange palette that
// colour-blind readers and greyscale printers tell apart).

#include "diagnose/diagnosis.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QTransform>

#include <array>
#include <optional>
#include <string>
#include <vector>

class QPainter;
class QPalette;

namespace podpath::report {
struct StatusPalette;
}

namespace podpath::widgets {

struct DiagramStyle {
    QColor background;
    QColor text;
    QColor mutedText;
    QColor nodeFill, nodeBorder;
    QColor columnFill;               // the device columns (tunnel, underlay) inside a node
    QColor networkFill, networkBorder;
    QColor lane;                     // where the echoes flowed
    QColor laneBroken;               // after the first failure, or where nothing is known
    QColor pass, fail, unknown, skipped;  // status colours: a hop marker's centre pixel is one of them
    QColor failTint, unknownTint;    // marker interiors
    QColor glyph;                    // check mark drawn on the pass colour
    QColor emphasis;                 // ring around the first failing hop
    QColor selection;                // ring around the hop the user selected (a finding, a click)
    QColor focus;                    // keyboard focus ring
    QColor calloutFill;
    QFont font;                      // everything is sized from this font's metrics

    static DiagramStyle light();
    static DiagramStyle dark();
    // The preset whose background is nearest the palette's window colour, with its font.
    static DiagramStyle forPalette(const QPalette &palette, const QFont &font);
    QColor statusColor(diagnose::Status s) const;
    // pass, fail, unknown, skipped and the tints from PodPath's one palette (report/status_palette.h).
    void setStatusColors(const report::StatusPalette &palette);
};

// What the diagnosis alone does not say: whether it is still running, and the view's
// selection. The GUI redraws with partial diagnoses (facts first, hops unknown) while
// `running` is set.
struct DiagramState {
    bool running = false;
    std::string phase;                           // "capturing: ping burst running"
    std::optional<diagnose::HopId> highlighted;  // selection ring (a finding is selected)
    std::optional<diagnose::HopId> focused;      // keyboard focus ring
    // Where the picture is seen decides where its reader finds the findings the callout
    // leaves out: a picture alone (PNG, clipboard) says only that there are more.
    enum class Shown { Alone, InReport, InWindow };
    Shown shown = Shown::Alone;
};

// The header's words, so a screenshot stands alone in a ticket.
struct DiagramHeader {
    QString verdict;  // "HEALTHY", "FAILS at server tunnel in", "COULD NOT DIAGNOSE: ...", "DIAGNOSING: <phase>"
    QString nodes;    // "client pplab-node1 (198.51.100.11)  →  server pplab-node2 (198.51.100.12)"
    QString details;  // "IPIP · started 2026-11-25 13:14:42 UTC"
};
DiagramHeader diagramHeader(const diagnose::Diagnosis &d, const DiagramState &state = {});
// The window's title for a diagnosis: a replayed recording says so, with the time it was
// recorded ("PodPath — recorded 2026-11-25 17:10:55 UTC (replay of vxlan-healthy)").
// `replayName` names the recording's folder when known.
QString titleFor(const diagnose::Diagnosis &d, const QString &replayName = {});

// The word for a node fact that is empty: "not read yet" before PodPath has read the
// node (an empty window, or a run still connecting), "not known" once it has and the fact
// is still missing. A blank diagram must not state as fact what nobody looked at.
QString notKnownText(const diagnose::Diagnosis &d, const diagnose::NodeFacts &f, const DiagramState &state);
bool notReadYet(const diagnose::Diagnosis &d, const diagnose::NodeFacts &f, const DiagramState &state);

// What crosses the underlay, under "underlay network": "IPIP (IP protocol 4)", "VXLAN (UDP
// 8472)" with the port the nodes' VXLAN devices reported.
QString encapsulationText(const diagnose::Diagnosis &d, const DiagramState &state = {});
// The routers between the nodes' subnets, as each node routes to the other ("routed via
// GW", then "back via GW" when the server's differs); empty on one subnet.
QStringList routerLines(const diagnose::Diagnosis &d);

// "10/10 seen", "no evidence", "waiting", "skipped": the count under a hop's title. With
// several streams, per stream: "84 B: 5/5 seen, 1450 B DF: did not reach".
QString hopCountText(const diagnose::HopVerdict &h, bool running = false);

// One line per stream under a hop's title when the echoes went in several streams (the
// small burst and the full-size DF probe): "84 B 5/5", "1450 B DF 0/5", "1450 B DF not
// reached". Empty for a hop judged on one stream or none, and while running.
struct StreamLine {
    diagnose::StreamFate fate = diagnose::StreamFate::NoEvidence;
    QString text;
};
std::vector<StreamLine> hopStreamLines(const diagnose::HopVerdict &h, bool running = false);

// The callout under the picture: where the echoes were lost, why, and what to do next
// (or that the path is healthy, why the diagnosis could not run, or that it is running).
struct DiagramCallout {
    QString title;
    QString why;
    QString next;
    diagnose::Status tone = diagnose::Status::Unknown;
};
DiagramCallout diagramCallout(const diagnose::Diagnosis &d, const DiagramState &state = {});
// The node the leading finding blames ("capture.server", "route.client", "server"), if any:
// the callout of a diagnosis that could not run points at it.
std::optional<diagnose::NodeRole> blamedNode(const diagnose::Diagnosis &d);

// Where everything goes. Layout coordinates are those of an area at least the minimum
// size; `toArea` maps them onto the requested area (scaled down when it is smaller).
struct DiagramGeometry {
    QTransform toArea;
    double scale = 1.0;
    QRectF bounds;  // layout coordinates of the whole area
    QRectF header, client, server, network, callout, legend;
    // [0] tunnel device, [1] underlay device, [2] the pod's interface (with pods; else empty)
    std::array<QRectF, 3> clientColumns, serverColumns;
    std::array<QRectF, diagnose::kAllHopCount> markers;  // by HopId; a hop's hit area (empty: not drawn)
    std::array<QRectF, diagnose::kAllHopCount> labels;   // title and count of each hop
    bool pods = false;                                   // drawn with the pods' ends
    QRectF clientChecks, serverChecks, networkChecks;
    QRectF clientPodChecks, serverPodChecks;             // with pods: the pod's checks, a row below the node's
    int chipLines = 2;                                   // small lines atop a device's column
    double radius = 10;                                  // of a hop marker
    double requestY = 0, replyY = 0;
    QFont base, small, bold, big;
};
// `calloutLines`: lines the callout's text needs (calloutLineCount); the picture is
// scaled down rather than the text cut.
// `streamLines`: the most streams a hop lists (diagramStreamLines), a line each under its title.
// `pods`: a column more per node, the pod's interface, with the pods' hops on it.
DiagramGeometry diagramGeometry(const QRectF &area, const DiagramStyle &style, int calloutLines = 3, int streamLines = 2,
                                bool pods = false);
// Streams a hop's label lists: two (the burst and the full-size probe), three with pods.
int diagramStreamLines(const diagnose::Diagnosis &d);

// The smallest area whose picture keeps its smallest text at `smallestTextPx` pixels or
// more: below it the picture would only shrink into unreadable text, so the window
// scrolls instead (the PNG export draws at its own, larger size).
QSizeF readableDiagramSize(const DiagramStyle &style, int calloutLines = 3, double smallestTextPx = 9.0, int streamLines = 2,
                           bool pods = false);

// Hop marker rectangles in the area's coordinates, indexed by HopId: the view's hit test
// and the tests' pixel probes use exactly the rectangles the painter draws into.
std::array<QRectF, diagnose::kAllHopCount> hopMarkerRects(const QRectF &area, const DiagramStyle &style,
                                                          int calloutLines = 3, int streamLines = 2, bool pods = false);

// The callout's text as drawn into `area`: title, why and next step word-wrapped to
// the callout's width, never cut. calloutLineCount is their number, for the geometry.
QStringList calloutLines(const QRectF &area, const diagnose::Diagnosis &d, const DiagramStyle &style,
                         const DiagramState &state = {});
int calloutLineCount(const QRectF &area, const diagnose::Diagnosis &d, const DiagramStyle &style,
                     const DiagramState &state = {});
// The emphasis ring of the first failing hop is drawn on this rectangle's outline.
QRectF emphasisRingRect(const QRectF &hopMarker);

void paintPathDiagram(QPainter &painter, const QRectF &area, const diagnose::Diagnosis &d,
                      const DiagramStyle &style, const DiagramState &state = {});

// One line of text as paintPathDiagram draws it into an area: what it says, whether it
// had to be cut ("…") to fit, and where its box lands in the area's coordinates. Tests
// read a picture's words, and find the cut or overlapping ones, from these.
struct DrawnText {
    QString part;     // "header", "node", "device", "hop label", "checks", "network", "ping", "callout", "legend"
    QString text;     // the whole text
    QString shown;    // as drawn: text, or its elided start
    QRectF rect;      // the line's box (advance x line height)
    double pixelSize = 0;  // the font's pixel size as drawn
    bool cut() const { return shown != text; }
};
std::vector<DrawnText> drawnTexts(const QRectF &area, const diagnose::Diagnosis &d, const DiagramStyle &style,
                                  const DiagramState &state = {});

} // namespace podpath::widgets
