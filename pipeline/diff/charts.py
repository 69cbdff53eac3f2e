"""How every chart of the report looks, and how it comes out as the same bytes on every machine.

Why: matplotlib finds a font by its name in a per-user cache (``MPLCONFIGDIR/fontlist-*.json``) built
from the fonts installed when the cache was made. A chart drawn that way differs from machine to machine,
and goes stale when fonts are installed after the cache was built (Japanese titles fell back to
"agreement 3" on a machine that had the fonts). So every text of a chart is drawn with one font file,
shipped as a Python dependency (IPAexGothic, from the ``matplotlib-fontja`` package) and given to
matplotlib by its path: the cache is never asked. The rest of the look starts from matplotlib's built-in
defaults plus ``RC`` below, so a ``matplotlibrc`` on the machine changes nothing either.

A chart of the report is one call: ``draw(paint, width, height)``, where ``paint(figure)`` draws on a
new figure (``Figure.subplots``, ``bar``, ``legend``…) without caring about fonts; the texts get the
font and the sizes of ``RC`` here. It returns the PNG and SVG bytes and the size the report shows it at
(``report.embedded`` puts it in the report; ``m.img`` shows it).
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import HakushoError

# The font: IPAexGothic (IPA Font License), as the matplotlib-fontja package ships it. The package is
# located, not imported: importing it would change matplotlib's settings for the whole process.
FONT_PACKAGE = "matplotlib_fontja"
FONT_FILE = "fonts/ipaexg.ttf"
FONT_LABEL = f"{FONT_PACKAGE}/{FONT_FILE}"  # the font as the diff stage's key names it
# The report shows a chart at DISPLAY_DPI CSS pixels per inch of figure (1:1 in a 60em column of 16 px:
# 9.6 inches); its PNG has PNG_SCALE pixels per CSS pixel, so that it stays sharp on high-density screens.
DISPLAY_DPI = 100
PNG_SCALE = 2
COLUMN_WIDTH = 9.6  # inches: the width of the report's text column
# Text sizes in points (1 pt = DISPLAY_DPI / 72 CSS pixels: 10 pt is 14 px on screen).
TEXT_PT = 10
TITLE_PT = 11
HEADING_PT = 12
RC = {
    "font.size": TEXT_PT,
    "axes.titlesize": TITLE_PT,
    "axes.labelsize": TEXT_PT,
    "xtick.labelsize": TEXT_PT,
    "ytick.labelsize": TEXT_PT,
    "legend.fontsize": TEXT_PT,
    "figure.titlesize": HEADING_PT,
    "figure.labelsize": TEXT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.autolimit_mode": "round_numbers",  # the value axis ends on a labelled tick…
    "axes.ymargin": 0,  # …the first one at or above the largest value
    "text.parse_math": False,  # "$" in a name is a dollar sign (mathtext would look its own fonts up by name)
    "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no font on the reader's machine
    "svg.hashsalt": "hakusho",  # fixed ids in the SVG
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its PNG and SVG bytes, and its size in the report (CSS pixels)."""

    png: bytes
    svg: bytes
    width: int
    height: int


@cache
def font_file() -> Path:
    """The chart font's file (found without importing its package); a clear error when it is not installed."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    folders = (spec.submodule_search_locations or []) if spec else []
    found = [Path(folder) / FONT_FILE for folder in folders if (Path(folder) / FONT_FILE).is_file()]
    if not found:
        raise HakushoError(
            f"{FONT_LABEL}: the charts' font is not installed (package matplotlib-fontja); "
            "install the pinned dependencies: pip install -c constraints.txt -e . (make extract does it)"
        )
    return found[0]


def font(size: float):
    """The chart font at ``size`` points, by file path (never looked up by name)."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(font_file()), size=size)


@contextmanager
def style() -> Iterator[None]:
    """matplotlib's built-in defaults plus ``RC``, whatever the machine's matplotlibrc says; restored after."""
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(RC)
        yield


def draw(paint: Callable, width: float, height: float) -> Chart:
    """A chart of ``width`` × ``height`` inches that ``paint(figure)`` draws, as PNG and SVG bytes."""
    with style():
        drawn = figure(paint, width, height)
        png, svg = io.BytesIO(), io.BytesIO()
        drawn.savefig(png, format="png", dpi=DISPLAY_DPI * PNG_SCALE, metadata={"Software": None})
        drawn.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Chart(png.getvalue(), svg.getvalue(), round(width * DISPLAY_DPI), round(height * DISPLAY_DPI))


def figure(paint: Callable, width: float, height: float):
    """The figure ``paint`` draws, laid out, every text in the chart font (call it inside ``style()``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = Figure(figsize=(width, height), dpi=DISPLAY_DPI, layout="constrained")
    FigureCanvasAgg(drawn)
    paint(drawn)
    use_chart_font(drawn)
    drawn.draw_without_rendering()  # lays the figure out: tick labels it adds copy the first one's font
    use_chart_font(drawn)
    return drawn


def use_chart_font(figure) -> None:
    """Give every text of ``figure`` the chart font at the size it has (tick labels added later copy it)."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        text.set_fontproperties(font(text.get_fontproperties().get_size_in_points()))
