"""Lines are cut sideways only at the gutter or at a frame, never at a wide gap inside a column.

justified-mixed-script.pdf (tests/fixtures/book2025.py): two columns one em apart; the slack of lines
holding Latin words goes to their word spaces (up to 37 pt inside 「SLBM: Submarine-Launched」), and
。、 hang into the gutter. Page 1 is written column by column, page 2 band by band with no space glyphs.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURE_PDFS, blocks_of

from pipeline.lines import read_page_lines
from pipeline.normalize import normalize_text
from pipeline.pdfsource import Frame, Glyph, RawPage

PDF = FIXTURE_PDFS / "justified-mixed-script.pdf"
EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))["justified-mixed-script.pdf"]
CASES = [(page, i, p) for page, info in enumerate(EXPECTED["pages"], start=1) for i, p in enumerate(info["paragraphs"])]


def test_the_fixture_has_wide_gaps_and_hanging_punctuation():
    """What the cases below exercise is in the PDF: a line justified with gaps over 4 ems, lines hanging 。、."""
    paragraphs = EXPECTED["pages"][0]["paragraphs"]
    assert max(p["widest_word_gap"] for p in paragraphs) > 4 * 9
    assert sum(len(p["hanging_lines"]) for p in paragraphs) >= 3


@pytest.mark.parametrize(("page", "index", "paragraph"), CASES, ids=[f"p{p}-{i}" for p, i, _ in CASES])
def test_every_paragraph_reads_whole_in_its_column(page, index, paragraph):
    text = normalize_text(paragraph["text"])
    (block,) = [b for b in blocks_of(PDF) if b["page"] == page and b["kind"] == "body" and b["text"] == text]
    left = EXPECTED["columns"][0][1]
    assert block["column"] == (1 if block["bbox"][0] < left else 2)
    assert len(block["parts"]) == 1


def test_no_block_starts_with_closing_punctuation():
    assert not any(b["text"][:1] in "。、)」" for b in blocks_of(PDF))


def _line(text: str, x: float, top: float = 100.0, size: float = 9.0, step: float | None = None) -> list[Glyph]:
    step = step or size
    return [Glyph(c, x + i * step, top, x + i * step + size, top + size, size, "F") for i, c in enumerate(text)]


def _texts(glyphs: list[Glyph], frames: list[Frame] = ()) -> list[str]:
    page = read_page_lines(RawPage(1, 595.0, 842.0, glyphs, list(frames), 0))
    return [line.text for line in page.lines] + [line.text for box in page.boxes for line in box.lines]


LEFT = "安全保障協力の推進を図る同盟国と同志国との連携の強化"  # 26 characters: x 42–276
RIGHT = "防衛装備品の移転協定を締結した国々との協力を推進していく"


def _column_page(extra: list[Glyph]) -> list[Glyph]:
    """Eight lines in each of two columns, x 42–276 and 294–546."""
    glyphs = []
    for row in range(8):
        glyphs += _line(LEFT, 42, 200 + 15 * row)
        glyphs += _line(RIGHT[:28], 294, 200 + 15 * row)
    return glyphs + extra


# (glyphs of a line, frames, the lines a reader must get)
CUTS = (
    # a justified line: a 30 pt gap between two Latin words inside one column is not a cut
    (_line("Acquisition", 42, 100, 5, 5) + _line("and", 130, 100, 5, 5), (), ["Acquisition and"]),
    # the same gap between Japanese characters: no space either
    (_line("協定の", 42, 100) + _line("署名", 110, 100), (), ["協定の署名"]),
    # a sentence-closing 。」） set apart at the end of a justified line stays with the line it ends
    (_line("協定を締結した", 42, 100) + _line("。", 200, 100), (), ["協定を締結した。"]),
    (_line("「武力攻撃事態等", 42, 100) + _line("」", 200, 100), (), ["「武力攻撃事態等」"]),
    (_line("(呼称", 42, 100) + _line(")。", 200, 100), (), ["(呼称)。"]),
    # a frame's side in the gap: two lines
    (
        _line("協定の", 42, 100) + _line("署名", 110, 100),
        [Frame(100.0, 90.0, 300.0, 130.0, False, True, "rect")],
        ["協定の", "署名"],
    ),
)


@pytest.mark.parametrize(("glyphs", "frames", "expected"), CUTS)
def test_wide_gaps_cut_only_at_a_frame(glyphs, frames, expected):
    assert _texts(glyphs, frames) == expected


def test_two_columns_written_band_by_band_are_cut_at_the_gutter():
    glyphs = []
    for row in range(8):  # the left line (its 。 hanging into the gutter), then the right line beside it
        glyphs += _line(LEFT + "。", 42, 200 + 15 * row) + _line(RIGHT[:28], 294, 200 + 15 * row)
    texts = _texts(glyphs)
    assert texts == [LEFT + "。", RIGHT[:28]] * 8


def test_a_hanging_full_stop_stays_with_its_line_and_column():
    from pipeline.layout import blocks_for_file, doc_stats

    glyphs = _column_page(_line(LEFT[:-1] + "る。", 42, 320) + _line(RIGHT[:28], 294, 320))
    page = read_page_lines(RawPage(1, 595.0, 842.0, glyphs, [], 0))
    hanging = next(line for line in page.lines if line.text.endswith("る。"))
    assert hanging.x1 > 276 and hanging.hang == 9.0  # past its column edge (x 276), into the gutter
    blocks = blocks_for_file([page], "", "x.pdf", doc_stats([page]))
    assert [(b["column"], b["text"][-2:]) for b in blocks if b["kind"] == "body"] == [(1, "る。"), (2, RIGHT[:28][-2:])]
