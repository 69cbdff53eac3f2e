"""The report's charts: the same bytes on every machine, whatever its matplotlib font cache or settings, and
readable at the size the report shows them.

matplotlib looks a font up by name in a per-user cache (``MPLCONFIGDIR/fontlist-v*.json``). A cache is
*stale* when it no longer says what is on the disk: built before fonts were installed (it lacks them),
naming files that are gone, or naming under a family name a file that is now another font. The chart
draws every text with the font file of matplotlib-fontja, by path, so none of these may change a byte of
the chart or of the report that embeds it. The runs are separate processes (the cache is read once per
process), each with its own MPLCONFIGDIR.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from test_diff import ACSA, AUS, GBR, IND, make_output

from pipeline import schema
from pipeline.diff import charts, diff_editions, timeline
from pipeline.errors import HakushoError

RAA = {"agreement": "円滑化協定", "abbr": "RAA", "party_type": "state"}
EQUIPMENT = {"agreement": "防衛装備品・技術移転協定", "abbr": "", "party_type": "state"}
EDITIONS = {
    "2024": {"agreements": [ACSA | GBR | {"status": "signed"}, RAA | AUS | {"status": "concluded"}]},
    "2025": {
        "agreements": [
            ACSA | GBR | {"status": "concluded"},
            ACSA | IND | {"status": "signed"},
            RAA | AUS | {"status": "in_force"},
            EQUIPMENT | IND | {"status": "concluded"},
        ]
    },
}
# What the chart and the report are made of, compared byte for byte between the runs.
DRAWN = ("diff/partners_by_edition.png", "diff/partners_by_edition.svg", "diff/2024-2025/report.html")
MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# A matplotlibrc left on the machine: none of it may reach the chart.
FOREIGN_RC = "font.family: serif\nfont.size: 20\naxes.facecolor: yellow\nsvg.hashsalt: other\n"


def _diff(output: Path, config: Path) -> dict[str, bytes]:
    """`hakusho diff` on a copy of ``output``, in a process whose matplotlib config and cache folder is ``config``."""
    copy = config.parent / f"{config.name}-output"
    shutil.copytree(output, copy)
    env = {name: value for name, value in os.environ.items() if name not in ("MATPLOTLIBRC", "MPLBACKEND")}
    env["MPLCONFIGDIR"] = str(config)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", "--output", str(copy), "--quiet"],
        cwd=config, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return {name: (copy / name).read_bytes() for name in DRAWN}


def _entries(cache: dict) -> list[dict]:
    return cache["ttflist"]


def _stale_caches(fresh: dict, root: Path) -> dict[str, dict]:
    """Font caches that no longer say what is on the disk, made from ``fresh`` (one built on this machine)."""
    ours = [e for e in _entries(fresh) if not Path(e["fname"]).is_absolute()]  # matplotlib's own: relative paths
    assert ours
    before = dict(fresh, ttflist=ours)
    gone = root / "uninstalled"
    missing = dict(fresh, ttflist=[dict(e, fname=str(gone / Path(e["fname"]).name)) for e in _entries(fresh)])
    for family in ("IPAexGothic", "Noto Sans CJK JP"):  # Japanese fonts it believes in, no longer there
        missing["ttflist"].append(dict(_entries(fresh)[0], name=family, fname=str(gone / f"{family}.ttf")))
    serif = str(MPL_FONTS / "DejaVuSerif.ttf")
    moved = dict(fresh, ttflist=[dict(e, fname=serif) for e in _entries(fresh)])
    moved["ttflist"].append(dict(_entries(fresh)[0], name="IPAexGothic", fname=serif))  # another font by its name
    return {"built before the fonts": before, "naming files that are gone": missing, "naming other files": moved}


@pytest.mark.slow
def test_the_chart_and_report_are_the_same_bytes_with_any_font_cache(tmp_path):
    output = make_output(tmp_path, EDITIONS)
    empty = tmp_path / "empty"
    empty.mkdir()
    reference = _diff(output, empty)  # matplotlib builds its cache from this machine's fonts
    (built,) = empty.glob("fontlist-v*.json")
    fresh = json.loads(built.read_text(encoding="utf-8"))
    configs = []
    for number, (_, cache) in enumerate(_stale_caches(fresh, tmp_path).items()):
        config = tmp_path / f"stale{number}"
        config.mkdir()
        (config / built.name).write_text(json.dumps(cache), encoding="utf-8")
        configs.append(config)
    configs.append(tmp_path / "rc")
    configs[-1].mkdir()
    (configs[-1] / "matplotlibrc").write_text(FOREIGN_RC, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        others = list(pool.map(lambda config: _diff(output, config), configs))
    names = [*_stale_caches(fresh, tmp_path), "a matplotlibrc in the config folder"]
    for name, drawn in zip(names, others, strict=True):
        assert drawn == reference, f"different bytes with a cache {name}"


def _agreements() -> pd.DataFrame:
    """The agreements table of EDITIONS, as the diff reads it."""
    columns = schema.table("agreements").columns
    rows = [dict.fromkeys(columns, "") | {"edition": y} | row for y, t in EDITIONS.items() for row in t["agreements"]]
    return pd.DataFrame(rows, columns=columns, dtype=str)


def test_no_text_of_the_chart_is_looked_up_by_name(monkeypatch):
    """Every font matplotlib resolves while drawing is the chart font's file: the cache is never asked."""
    from matplotlib import font_manager

    asked = []
    original = font_manager.FontManager.findfont

    def findfont(self, prop, *args, **kwargs):
        asked.append(font_manager.FontProperties._from_any(prop).get_file())
        return original(self, prop, *args, **kwargs)

    monkeypatch.setattr(font_manager.FontManager, "findfont", findfont)
    chart = timeline.draw_chart(_agreements(), list(EDITIONS))
    assert chart.png.startswith(b"\x89PNG") and asked
    assert set(asked) == {str(charts.font_file())}


def _figure():
    paint, width, height = timeline.partners_chart(_agreements(), list(EDITIONS))
    with charts.style():
        return charts.figure(paint, width, height)


def test_the_chart_has_axis_labels_titles_and_a_legend_in_the_readers_words():
    from matplotlib.text import Text

    figure = _figure()
    axes = [ax for ax in figure.axes if ax.axison]
    titles = ["円滑化協定 (RAA)", "物品役務相互提供協定 (ACSA)", "防衛装備品・技術移転協定"]
    assert [ax.get_title() for ax in axes] == titles
    assert axes[0].get_ylabel() == "Partners" and all(ax.get_xlabel() == "Edition" for ax in axes)
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["署名 signed", "締結 concluded", "発効 in_force"]
    assert {t.get_fontproperties().get_file() for t in figure.findobj(Text)} == {str(charts.font_file())}


def test_every_text_is_readable_at_the_size_the_report_shows_the_chart(tmp_path):
    """12 CSS pixels or more: the report shows the chart at its drawn size (≤ the text column), not scaled down."""
    from matplotlib.text import Text

    output = make_output(tmp_path, EDITIONS)
    diff_editions(output)
    html = (output / "diff" / "2024-2025" / "report.html").read_text(encoding="utf-8")
    column = float(re.search(r"max-width: ([\d.]+)em", html).group(1)) * 16  # CSS px at the default 16 px font
    width = int(re.search(r'<img [^>]*width="(\d+)"', html).group(1))
    figure = _figure()
    assert width == round(figure.get_figwidth() * charts.DISPLAY_DPI) <= column
    sizes = {t.get_fontsize() * charts.DISPLAY_DPI / 72 for t in figure.findobj(Text) if t.get_text()}
    assert min(sizes) >= 12


def test_a_missing_font_package_is_a_clear_error(monkeypatch):
    import importlib.util

    charts.font_file.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        with pytest.raises(HakushoError, match=r"matplotlib_fontja/fonts/ipaexg.ttf: .*not installed.*constraints.txt"):
            charts.font_file()
    finally:
        monkeypatch.undo()
        charts.font_file.cache_clear()


def test_the_font_is_an_input_of_the_diff_stage(tmp_path):
    """Another version of the font redraws the chart: its file is in the stage's key, like a table."""
    from pipeline.cache import OUTPUT_STAMP
    from pipeline.files import sha256_file

    output = make_output(tmp_path, EDITIONS)
    diff_editions(output)
    inputs = json.loads((output / OUTPUT_STAMP).read_text(encoding="utf-8"))["diff"]["inputs"]
    assert inputs[charts.FONT_LABEL] == sha256_file(charts.font_file())


def test_every_word_the_chart_may_show_has_a_glyph_in_the_font():
    """Agreement names of the vocabulary and the status words: no box drawn for a missing glyph."""
    from matplotlib.ft2font import FT2Font

    from pipeline.vocabulary import table

    glyphs = FT2Font(str(charts.font_file())).get_charmap()
    words = [row["canonical"] for row in table("agreements.csv")] + [row["label"] for row in table("labels.csv")]
    words += ["Partners per agreement, by edition and status", "Edition", "Partners", "0123456789()"]
    assert [w for w in words if any(ord(ch) not in glyphs for ch in w if not ch.isspace())] == []
