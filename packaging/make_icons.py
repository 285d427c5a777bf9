"""Renders the application icon (resources/icons/vsm-desktop.svg) for every system, at build time.

    python packaging/make_icons.py OUT_DIR

writes OUT_DIR/hicolor/<n>x<n>/apps/vsm-desktop.png for n in SIZES (the freedesktop layout),
OUT_DIR/vsm-desktop.ico (Windows: 16 to 256) and OUT_DIR/vsm-desktop.icns (macOS: 16 to 512@2x).
Qt draws the SVG; Pillow (already there for reportlab) writes the .ico and .icns containers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "vsm-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
RETINA = 1024   # the 512x512@2x of an .icns, drawn from the SVG rather than scaled up
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter needs one
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    written = []
    for n in SIZES + (RETINA,):
        image = QImage(n, n, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{n}x{n}" / "apps" / "vsm-desktop.png" if n != RETINA else out / f"vsm-desktop-{n}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    return written


def containers(out: Path) -> None:
    from PIL import Image

    def png(n: int) -> Image.Image:
        return Image.open(out / "hicolor" / f"{n}x{n}" / "apps" / "vsm-desktop.png").convert("RGBA")

    largest = png(256)
    largest.save(out / "vsm-desktop.ico", sizes=[(n, n) for n in ICO_SIZES],
                 append_images=[png(n) for n in ICO_SIZES if n != 256])
    retina = Image.open(out / f"vsm-desktop-{RETINA}.png").convert("RGBA")
    retina.save(out / "vsm-desktop.icns", append_images=[png(n) for n in (16, 32, 64, 128, 256, 512)])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    render(out)
    containers(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
