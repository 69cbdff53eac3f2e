"""Characters that are not text (pipeline/data/nontext.tsv): dropped or mapped, and garbled lines left out.

nontext-characters.pdf (tests/fixtures/book2025.py) holds what the 2025 book's text layer holds on its
cover, contents and digest pages: display type whose font maps glyphs to U+0018, U+0007 and Tibetan,
Kannada, Malayalam code points, U+0008 and U+FFFD leaders, U+2FDF paragraph marks, U+F0D8 bullets.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from conftest import FIXTURE_PDFS, blocks_of
from corpus_passages import real_2025_passages

from pipeline.extract import extract_blocks
from pipeline.layout import blocks_for_file, doc_stats, read_file
from pipeline.normalize import foreign_count, normalize_text

PDF = FIXTURE_PDFS / "nontext-characters.pdf"
EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))["nontext-characters.pdf"]

RULES = (
    # (as the text layer gives it, as the tables must spell it)
    ("令和 \x18 年\u0d5b\x07 防衛白書", "令和  年\u0d5b 防衛白書"),  # controls out; Malayalam left for the line test
    ("第4節朝鮮半島\x08\ufffd\ufffd\ufffd99", "第4節朝鮮半島99"),  # contents leaders
    ("\u2fdf日米同盟は、", "•日米同盟は、"),  # the digest's paragraph mark
    ("\uf0d8 ２０１８年１２月", "• 2018年12月"),  # Wingdings arrowhead bullet
    ("\ue000\U000f0000x", "x"),  # other private use
    ("\u0378\u0ce5", ""),  # unassigned
    ("153ha＋α", "153ha+α"),  # Greek is text
    ("a\u00adb\u200bc", "abc"),  # soft hyphen, zero-width space
)


@pytest.mark.parametrize(("raw", "expected"), RULES)
def test_nontext_rules(raw, expected):
    assert normalize_text(raw) == expected


def _not_text(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs") or char == "\ufffd"


def test_every_real_2025_passage_normalises_to_text_only():
    """The third of the 2025 book's text layer we have: no control, private-use or unassigned character left."""
    passages = real_2025_passages()
    assert any(_not_text(c) for p in passages for c in p["text"])  # they were there
    left = {c for p in passages for c in normalize_text(p["text"]) if _not_text(c)}
    assert left == set()


def test_a_line_mostly_of_code_points_foreign_to_a_japanese_book_is_garbled():
    assert foreign_count("\u0fa9\u0d5b") == 2 and foreign_count("令和7年版防衛白書 α ① ㎞ 한국") == 0


def test_fixture_page_reads_without_its_nontext_characters():
    blocks = blocks_of(PDF)
    text = "".join(b["text"] for b in blocks)
    assert not any(_not_text(c) or foreign_count(c) for c in text)
    headings = [b["text"] for b in blocks if b["kind"] == "heading"]
    assert headings == [EXPECTED["display"]]
    body = [b["text"] for b in blocks if b["kind"] == "body"]
    for line in EXPECTED["contents"]:
        assert any(line in b for b in body)
    for paragraph in EXPECTED["digest"] + EXPECTED["bullets"] + [EXPECTED["greek"]]:
        assert normalize_text(paragraph) in body


def test_garbled_lines_are_counted_on_the_page_and_listed_in_review():
    pages = read_file(PDF, jobs=1, progress=False, page_timeout=0)
    assert [(p.status, p.garbled) for p in pages] == [("garbled", EXPECTED["garbled"])]
    blocks = blocks_for_file(pages, "2025", PDF.name, doc_stats(pages))
    assert not any(g in b["text"] for b in blocks for g in EXPECTED["garbled"])
    page_rows = [{"file": PDF.name, "page": 1, "status": pages[0].status, "reason": pages[0].reason}]
    review = extract_blocks("2025", blocks, page_rows).rows["review"]
    (row,) = [r for r in review if r["table"] == "pages"]
    assert row["reason"] == "garbled" and all(g in row["text"] for g in EXPECTED["garbled"])
    assert not any(g in r[c] for r in review if r["table"] != "pages" for c in r for g in EXPECTED["garbled"])


def test_pages_jsonl_counts_garbled_lines(tmp_path):
    from pipeline.blocks import read_pages
    from pipeline.editions import edition_from_folder
    from pipeline.layout import layout_edition

    folder = tmp_path / "sources" / "2025"
    folder.mkdir(parents=True)
    (folder / PDF.name).write_bytes(PDF.read_bytes())
    layout_edition(edition_from_folder(folder), tmp_path / "build")
    (row,) = read_pages(tmp_path / "build" / "2025" / "pages.jsonl")
    assert (row["status"], row["garbled"]) == ("garbled", 2)
