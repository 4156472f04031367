"""A page's chart as a file: a standalone SVG (the drill-down links taken out, a white background)
or a PNG drawn from that same SVG by resvg with the bundled Vazirmatn font only, so Persian is
shaped and joined the same on every machine, with no system fonts and no network."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

FONT_FILE = Path(__file__).resolve().parent / "static" / "fonts" / "Vazirmatn-Regular.ttf"
#: the charts' links: labels and counts are escaped text, so a literal ``<a`` is always a tag
_LINK_TAG = re.compile(r"</?a\b[^>]*>")
_ROOT = re.compile(r"(<svg\b[^>]*>)")
#: a PNG is drawn at twice the SVG's size (sharp on high-density screens and in slides)
PNG_ZOOM = 2.0


def standalone_svg(chart: Markup | str) -> str:
    """The chart as an SVG document: no links (they point into the app), a white background."""
    body = _LINK_TAG.sub("", str(chart))
    body = _ROOT.sub(r'\1<rect width="100%" height="100%" fill="#fff"/>', body, count=1)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def png(svg: str) -> bytes:
    """The SVG drawn to PNG with the bundled font (system fonts are not consulted)."""
    import resvg_py

    data = resvg_py.svg_to_bytes(
        svg_string=svg.split("?>", 1)[-1] if svg.startswith("<?xml") else svg,
        skip_system_fonts=True,
        font_files=[str(FONT_FILE)],
        font_family="Vazirmatn",
        sans_serif_family="Vazirmatn",
        background="#ffffff",
        zoom=PNG_ZOOM,
    )
    return bytes(data)
