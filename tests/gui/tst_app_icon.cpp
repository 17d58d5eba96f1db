// The application icon (packaging/*.svg) renders at every size a desktop asks for, and
// at each size both nodes, the path and the green verdict are still there. Renders go to
// PODPATH_SCREENSHOTS (app-icon-N.png, and app-icon-sheet.png on light and dark panels).

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTest>

namespace {

const QString kIcon = QStringLiteral(PODPATH_SOURCE_DIR "/packaging/podpath.svg");

QImage render(int px)
{
    QSvgRenderer svg(kIcon);
    QImage image(px, px, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    svg.render(&p);
    return image;
}

// Colour at a point given in icon units (0..64), so the checks hold at every size.
QColor at(const QImage &image, double x, double y)
{
    const double scale = image.width() / 64.0;
    return image.pixelColor(int(x * scale), int(y * scale));
}

bool blueish(const QColor &c) { return c.alpha() > 200 && c.blue() > c.red() + 40 && c.blue() > c.green(); }
bool greenish(const QColor &c) { return c.alpha() > 200 && c.green() > c.red() + 40 && c.green() > c.blue() + 20; }

} // namespace

class TestAppIcon : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QSvgRenderer svg(kIcon);
        QVERIFY2(svg.isValid(), qPrintable(kIcon));
        QCOMPARE(svg.viewBoxF(), QRectF(0, 0, 64, 64));
        QVERIFY(QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS)));
    }

    void rendersAtSize_data()
    {
        QTest::addColumn<int>("px");
        for (int px : {16, 22, 24, 32, 48, 64, 128, 256})
            QTest::addRow("%d px", px) << px;
    }
    void rendersAtSize()
    {
        QFETCH(int, px);
        const QImage image = render(px);
        QVERIFY(image.save(QStringLiteral(PODPATH_SCREENSHOTS "/app-icon-%1.png").arg(px)));

        // The verdict marker sits in the middle, the nodes at both sides.
        QVERIFY2(greenish(at(image, 29, 29)), qPrintable(at(image, 29, 29).name()));
        QVERIFY2(blueish(at(image, 8, 32)), qPrintable(at(image, 8, 32).name()));
        QVERIFY2(blueish(at(image, 56, 32)), qPrintable(at(image, 56, 32).name()));
        // The path between a node and the marker: orange core (not at 16 px, where it is one blended pixel).
        const QColor path = at(image, 19, 32);
        QVERIFY2(path.alpha() > 200, qPrintable(path.name(QColor::HexArgb)));
        if (px >= 32)
            QVERIFY2(path.red() > 200 && path.blue() < 100, qPrintable(path.name()));
        // Transparent around the shapes, so the desktop's panel shows through.
        QCOMPARE(at(image, 32, 4).alpha(), 0);
        QCOMPARE(at(image, 32, 60).alpha(), 0);
    }

    // One picture to look at: every size on a light and a dark panel.
    void contactSheet()
    {
        const QList<int> sizes{16, 22, 24, 32, 48, 64, 128, 256};
        int width = 8;
        for (int px : sizes)
            width += px + 8;
        QImage sheet(width, 2 * (256 + 16), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&sheet);
        p.fillRect(0, 0, width, 272, QColor("#f5f5f5"));
        p.fillRect(0, 272, width, 272, QColor("#2b2b2b"));
        int x = 8;
        for (int px : sizes) {
            const QImage icon = render(px);
            p.drawImage(x, 8 + 256 - px, icon);
            p.drawImage(x, 272 + 8 + 256 - px, icon);
            x += px + 8;
        }
        p.end();
        QVERIFY(sheet.save(QStringLiteral(PODPATH_SCREENSHOTS "/app-icon-sheet.png")));
    }
};

QTEST_MAIN(TestAppIcon)
#include "tst_app_icon.moc"
