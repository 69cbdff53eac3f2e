"""Ruby: small text set over base glyphs, found by geometry whatever its place in the content stream.

ruby-in-base-run.pdf (tests/fixtures/book2025.py) writes English ruby inside the base run, as the 2025
book's text layer reads (「（G General Security … SOMIA）」), and after the line, as Chromium does;
real-style-2025.pdf is Chromium's own rendering of HTML <ruby>.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURE_PDFS, blocks_of

from pipeline.extract import extract_blocks
from pipeline.lines import read_page_lines
from pipeline.normalize import normalize_text
from pipeline.pdfsource import Glyph, RawPage

RUBY_PDF = FIXTURE_PDFS / "ruby-in-base-run.pdf"
EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))["ruby-in-base-run.pdf"]
PARAGRAPHS = [p for p in EXPECTED["paragraphs"] if p["kind"] == "body"]


def _block_with(text: str) -> dict:
    (block,) = [b for b in blocks_of(RUBY_PDF) if b["text"] == text]
    return block


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=lambda p: p["text"][:12])
def test_paragraph_reads_whole_with_its_ruby_apart(paragraph):
    block = _block_with(normalize_text(paragraph["text"]))  # ruby never in the text, the base never cut out
    assert block["kind"] == "body"
    assert block["ruby"] == paragraph["ruby"]
    assert block["footnote_marks"] == paragraph["footnote_marks"]


def test_ruby_offsets_point_at_the_base():
    bases = {
        b["text"][r["offset"] : r["offset"] + r["length"]]: r["text"] for b in blocks_of(RUBY_PDF) for r in b["ruby"]
    }
    assert bases == {
        "GSOMIA": "General Security of Military Information Agreement",  # inside the run
        "NPT": "Treaty on the Non-Proliferation of Nuclear Weapons",  # after the line
        "CCW": "Convention on Certain Conventional Weapons",
        "DIU": "Defense Innovation Unit",
        "習": "しゅう",
        "近": "きん",
        "平": "ぺい",
        "嶼": "しょ",
    }


def test_no_ruby_and_no_base_becomes_a_block_of_its_own():
    texts = [b["text"] for b in blocks_of(RUBY_PDF)]
    assert not any("General Security" in t or t in ("しゅう", "GSOMIA", "SOMIA)を締結した。") for t in texts)


def test_a_raised_footnote_figure_is_not_ruby_and_a_small_caption_is_not_ruby():
    ccw = _block_with(normalize_text(next(p["text"] for p in PARAGRAPHS if "オスロ条約" in p["text"])))
    assert ccw["footnote_marks"] == [{"offset": ccw["text"].index(")も締結"), "mark": "7"}]
    captions = [b for b in blocks_of(RUBY_PDF) if b["kind"] == "caption"]
    assert [c["text"] for c in captions] == [EXPECTED["caption"]]


def test_chromium_ruby_after_the_line_in_real_style_2025():
    blocks = blocks_of(FIXTURE_PDFS / "real-style-2025.pdf")
    ruby = {b["text"][r["offset"] : r["offset"] + r["length"]]: r["text"] for b in blocks for r in b["ruby"]}
    assert ruby == {
        "GSOMIA": "General Security of Military Information Agreement",
        "NPT": "Treaty on the Non-Proliferation of Nuclear Weapons",
        "CCW": "Convention on Certain Conventional Weapons",
    }
    gsomia = next(b for b in blocks if "GSOMIA)を締結" in b["text"])
    assert gsomia["text"].endswith("2016年11月、日韓秘密軍事情報保護協定(GSOMIA)を締結した。")
    assert not any(b["kind"] == "caption" for b in blocks)


def test_acronyms_take_their_expansion_from_the_ruby():
    rows = extract_blocks("2025", blocks_of(RUBY_PDF), []).rows["acronyms"]
    assert {(r["abbr"], r["term"], r["expansion"]) for r in rows} == {
        ("GSOMIA", "日韓秘密軍事情報保護協定", "General Security of Military Information Agreement"),
        ("NPT", "核兵器不拡散条約", "Treaty on the Non-Proliferation of Nuclear Weapons"),
        ("CCW", "特定通常兵器使用禁止・制限条約", "Convention on Certain Conventional Weapons"),
        ("DIU", "国防イノベーションユニット", "Defense Innovation Unit"),
    }


def _glyphs(text: str, x: float, top: float, size: float) -> list[Glyph]:
    return [Glyph(c, x + i * size, top, x + (i + 1) * size, top + size, size, "F") for i, c in enumerate(text)]


# (ruby glyphs' top relative to the base line's top, in points; ruby size; drawn inside the base run or
# after it; is it ruby?)
GEOMETRY = (
    (-4.5, 4.5, "inside", True),  # sitting on the base glyphs, written after the first of them
    (-4.5, 4.5, "after", True),  # the same, written after the line
    (-4.0, 4.5, "inside", True),  # its box overlapping the base's a little (font descent)
    (-20.0, 4.5, "after", False),  # far above: a small line of its own
    (-4.5, 7.0, "after", False),  # not clearly smaller than the base: a line of small text
)


@pytest.mark.parametrize(("offset", "size", "order", "is_ruby"), GEOMETRY)
def test_ruby_is_told_by_size_and_position(offset, size, order, is_ruby):
    base = _glyphs("核兵器不拡散条約の", 100.0, 200.0, 9.0)
    ruby = _glyphs("かくへいき", 100.0, 200.0 + offset, size)
    glyphs = base[:1] + ruby + base[1:] if order == "inside" else base + ruby
    lines = read_page_lines(RawPage(1, 595.0, 842.0, glyphs, [], 0)).lines
    texts = [line.text for line in lines]
    assert texts == (["核兵器不拡散条約の"] if is_ruby else ["核兵器不拡散条約の", "かくへいき"])
    assert lines[0].ruby == ([(0, 3, "かくへいき")] if is_ruby else [])  # over 核兵器, whose reading it is
