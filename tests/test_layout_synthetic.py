"""The layout stage on PDFs we render ourselves (tests/fixtures/make_pdfs.py, reportlab + IPAex).

They exercise what the Chromium samples do not: a box drawn as curves, a box spanning both columns,
letter-spaced text, superscript footnote markers with footnotes, a paragraph cut by a page break, a
vector figure, printed page numbers that differ from physical ones. Expectations come from
tests/fixtures/pdf/expected.json, written by the generator from the text it typeset.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import FIXTURE_PDFS, GOLDEN, blocks_of

from pipeline.files import write_jsonl
from pipeline.lines import read_page_lines
from pipeline.pdfsource import read_pages

SYNTHETIC = FIXTURE_PDFS / "layout-synthetic-2025.pdf"
EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))
PAGES = EXPECTED["layout-synthetic-2025.pdf"]["pages"]


def test_blocks_match_golden(tmp_path):
    produced = tmp_path / "blocks.jsonl"
    write_jsonl(produced, blocks_of(SYNTHETIC))
    golden = GOLDEN / "synthetic-2025.blocks.jsonl"
    if os.environ.get("HAKUSHO_UPDATE_GOLDEN"):
        golden.write_bytes(produced.read_bytes())
    assert produced.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def _boxes():
    return {b["title"]: b for b in blocks_of(SYNTHETIC) if b["kind"] == "box" and b["label"]}


@pytest.mark.parametrize(("page", "region", "column"), [(1, "raa-box", 1), (2, "acsa-box", 0), (3, "dett-box", 1)])
def test_boxes_rect_curve_and_spanning(page, region, column):
    expected = PAGES[page - 1]["regions"][region]
    box = _boxes()[expected["title"]]
    assert box["page"] == page
    assert box["label"] == "KEY WORD"
    assert box["column"] == column  # 0: spans both columns
    assert box["text"].replace("\n", "") == expected["text"]


def test_curve_box_is_drawn_with_curves():
    (page,) = read_pages(SYNTHETIC, [1])
    assert any(f.shape == "curve" for f in page.frames)
    assert not any(f.shape == "rect" and f.top > 270 and f.bottom < 400 and f.x1 < 300 for f in page.frames)


def test_box_text_never_in_body():
    body = "".join(b["text"] for b in blocks_of(SYNTHETIC) if b["kind"] == "body")
    assert "KEY WORD" not in body
    for box in _boxes().values():
        assert box["text"].split("\n")[-1] not in body


def _paragraphs_without_markers(page: dict, regions: tuple[str, ...]) -> list[str]:
    """The typeset paragraphs of some regions, with superscript markers taken out as a reader must."""
    out = []
    for region in regions:
        for item in page["regions"][region]["items"]:
            text = item["text"]
            for sup in page.get("superscripts", []):
                text = text.replace(sup["after"] + sup["marker"] + sup["before"], sup["after"] + sup["before"])
            out.append(text)
    return out


@pytest.mark.parametrize("paragraph", _paragraphs_without_markers(PAGES[0], ("left-above-box", "right")))
def test_paragraphs_read_whole(paragraph):
    texts = [b["text"] for b in blocks_of(SYNTHETIC) if b["kind"] in ("body", "heading")]
    assert paragraph in texts


def test_superscript_markers_are_recorded_not_read():
    blocks = blocks_of(SYNTHETIC)
    for sup in PAGES[0]["superscripts"]:
        block = next(b for b in blocks if sup["after"] + sup["before"] in b["text"])
        offset = block["text"].index(sup["after"] + sup["before"]) + len(sup["after"])
        assert {"offset": offset, "mark": sup["marker"]} in block["footnote_marks"]


def test_footnotes_are_their_own_blocks():
    notes = [b["text"] for b in blocks_of(SYNTHETIC) if b["kind"] == "footnote" and b["page"] == 1]
    assert notes == PAGES[0]["footnotes"]["lines"]


def test_page_break_continuation_is_joined():
    continuation = PAGES[2]["regions"]["left-continuation"]["text"]
    (block,) = [b for b in blocks_of(SYNTHETIC) if continuation in b["text"]]
    assert "などの制度的枠組みの整備をさらに推進していくとしている。" in block["text"]
    assert [p["page"] for p in block["parts"]] == [2, 3]
    assert not any(b["text"] == continuation for b in blocks_of(SYNTHETIC))


def test_printed_pages_differ_from_physical():
    printed = {b["page"]: b["printed_page"] for b in blocks_of(SYNTHETIC)}
    assert printed == {p["physical_page"]: str(p["printed_page"]) for p in PAGES}


def test_running_headers_and_footers_kept_out_of_body():
    blocks = blocks_of(SYNTHETIC)
    headers = [b for b in blocks if b["kind"] == "header"]
    assert [h["page"] for h in headers] == [2, 3]
    body = "".join(b["text"] for b in blocks if b["kind"] == "body")
    assert "防衛白書" not in body and "第III部防衛目標" not in body


def test_tracked_title_has_no_spaces():
    headings = [b["text"] for b in blocks_of(SYNTHETIC) if b["kind"] == "heading"]
    assert PAGES[0]["tracked_title"]["text"] in headings


@pytest.mark.parametrize("expected", EXPECTED["letterspaced-latin.pdf"]["lines"], ids=lambda e: f"cs{e['char_space']}")
def test_letter_spacing_gives_no_spurious_spaces(expected):
    (page,) = read_pages(FIXTURE_PDFS / "letterspaced-latin.pdf")
    lines = read_page_lines(page).lines
    line = min(lines, key=lambda candidate: abs((page.height - expected["baseline_y"]) - candidate.bottom))
    assert line.text == expected["text"]


def test_page_with_only_boxes_uses_the_books_gutter():
    """Page 2 of the 2024 diff edition holds two boxes and no body text: columns come from the book."""
    blocks = blocks_of(FIXTURE_PDFS / "diff-editions" / "2024" / "diff-2024.pdf")
    boxes = {b["title"]: b["column"] for b in blocks if b["kind"] == "box" and b["page"] == 2}
    assert boxes == {"防衛装備品・技術移転協定": 1, "情報保護協定": 2}


@pytest.mark.parametrize(("sideways", "status"), [(0, "ok"), (39, "ok"), (40, "partly_rotated")])
def test_a_page_with_much_rotated_text_besides_upright_text_is_flagged(sideways, status):
    """An axis label or two set sideways is normal; a sideways table is text we do not read: say so."""
    from pipeline.lines import read_page_lines
    from pipeline.pdfsource import Glyph, RawPage

    glyphs = [Glyph(c, 42.0 + 9 * i, 100.0, 51.0 + 9 * i, 109.0, 9.0, "F") for i, c in enumerate("同志国との連携")]
    page = read_page_lines(RawPage(1, 595.0, 842.0, glyphs, [], 0, sideways))
    assert page.status == status
    assert [line.text for line in page.lines] == ["同志国との連携"]
    assert (f"{sideways} characters of rotated text" in page.reason) == (status != "ok")
