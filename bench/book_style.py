"""The bench's second edition: 550 pages typeset like the real 2025 book, from the real 2025 text layer.

Why: the synthetic edition of ``run.py`` uses a non-embedded CID font, cheaper to parse than any real
book (no embedded font programs, no ToUnicode maps, one font object). Real books are set by a DTP tool
in embedded subset TrueType fonts, with ruby, rounded boxes and figures; on such pages the layout
stage's share of the work is different. This edition is typeset with ``tests/fixtures/book2025.py`` (the
typesetter of the fixtures): IPAex Mincho and Gothic embedded as 256-glyph subsets, as reportlab writes
them; the abbreviations the text layer prints with ruby (「（G General Security … SOMIA）」) set with their
ruby over them, written inside the base run; a KEY WORD box with a rounded frame and the label on a tab
drawn after the text every other page (the whole boxes of the text layer, in turn); a vector bar chart on
every page; running heads and feet.

Text: the passages of ``tests/fixtures/corpus/real-2025-textlayer.jsonl.gz`` (a third of the 2025 book),
pdf.js's line-end spaces removed, characters that are not text left out, one paragraph a passage.

Font: Debian's fonts-ipaexfont when installed, else the charts' IPAexGothic (``pipeline.diff.charts.font_file``,
from matplotlib-fontja, a pinned dependency) for both faces.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import book2025 as book  # noqa: E402

DEBIAN_FONTS = {
    book.MINCHO: "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    book.GOTHIC: "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
}
# The text layer's ruby: 「（G General Security … SOMIA）」 = （GSOMIA） with the expansion over it.
RUBY_IN_LAYER = re.compile(r"\(([A-Z]) ([A-Z][A-Za-z.,'’&\- ]+?[a-z]) ([A-Z][A-Z0-9\-]*)\)")
FIGURE_H = 84.0
BOX_EVERY = 2


def font_files() -> dict[str, str]:
    """The IPAex font files: Debian's, or the charts' Gothic for both faces."""
    if all(Path(path).exists() for path in DEBIAN_FONTS.values()):
        return dict(DEBIAN_FONTS)
    from pipeline.diff.charts import font_file

    gothic = str(font_file())
    return {book.MINCHO: gothic, book.GOTHIC: gothic}


def _clean(text: str) -> str:
    """A passage as running text: line-end spaces out, ruby marked up, characters that are not text out."""
    from pipeline.normalize import drop_foreign, normalize_text

    text = drop_foreign(normalize_text(text)).replace("^", "").replace("*", "")
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    return RUBY_IN_LAYER.sub(lambda m: f"({{{m[1]}{m[3]}|{m[2]}}})", text)


def paragraphs(passages: list[dict]) -> list[str]:
    return [text for p in passages if len(text := _clean(p["text"])) > 40]


def _figure(c, x0: float, x1: float, y: float, n: int) -> None:
    c.setLineWidth(0.5)
    c.setStrokeColor(book.INK)
    c.rect(x0, y, x1 - x0, FIGURE_H - 14)
    c.line(x0 + 12, y + 8, x1 - 8, y + 8)
    c.line(x0 + 12, y + 8, x0 + 12, y + FIGURE_H - 22)
    c.setFillColor(book.FRAME_INK)
    for i in range(6):
        c.rect(x0 + 22 + i * 34, y + 8, 18, 8 + (n * 7 + i * 11) % 40, fill=1, stroke=0)
    c.setFillColor(book.INK)
    c.setFont(book.GOTHIC, 6.5)
    c.drawString(x0, y + FIGURE_H - 10, f"図表Ⅲ-3-{n} 防衛協力・交流の推移（合成）")


def build(path: Path, pages: int) -> None:
    """Typeset ``pages`` pages into ``path`` (written to a .part file, then renamed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in font_files().items():
        pdfmetrics.registerFont(TTFont(name, file))
    passages = book.text_layer_passages()
    boxes = itertools.cycle([box for box, _ in book.real_boxes(passages)])
    texts = itertools.cycle(paragraphs(passages))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    c = book.new_canvas(tmp, "book-style bench edition (hakusho)")
    scratch = book.new_canvas(io.BytesIO(), "scratch")
    pending: tuple | None = None  # a paragraph's lines that did not fit, carried to the next column
    for n in range(1, pages + 1):
        book.page_furniture(c, "第Ⅲ部 防衛目標を実現するための三つのアプローチ", n)
        for col, (x0, x1) in enumerate((book.COL_L, book.COL_R)):
            floor = 60.0
            if col == 0:
                _figure(c, x0, x1, floor, n)
                floor += FIGURE_H + 8
            elif n % BOX_EVERY == 0:  # at the foot of the right column: measured first, then drawn
                box = next(boxes)
                height = book.keyword_box(scratch, box, x0, x1, 700)["height"]
                book.keyword_box(c, box, x0, x1, floor + height)
                floor += height + 14
            y = book.TOP
            while y >= floor:
                if pending is None:
                    para = book.parse(next(texts))
                    pending = (para, book.set_paragraph(para, x1 - x0, indent=book.BODY))
                para, lines = pending
                room = int((y - floor) // book.BODY_LEADING) + 1
                y = book.draw_lines(c, para, lines[:room], x0, y, book.BODY_LEADING) - 2
                pending = (para, lines[room:]) if lines[room:] else None
        c.showPage()
    c.save()
    tmp.replace(path)
