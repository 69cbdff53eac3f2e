"""Layout invariance: the same real passages typeset in several layouts must give the same tables.

``tests/fixtures/make_layouts.py`` prints the passages behind ``sources/sample``, the sentences and boxes of
``real-style-2025.txt`` and a few dozen real paragraphs and KEY WORD boxes of the 2025 book's text layer in
layouts an edition of 1996–2025 plausibly used (one, two or three columns, or a narrow sidebar; A4 and B5;
Mincho and Gothic; headings numbered, on badges, on shaded bars or unnumbered; KEY WORD / キーワード / 用語解説 /
KeyWord boxes framed, rounded or shaded, the label on a line above or below the text, on a heading bar, on a
tab on the frame or in front of the title; running heads and feet; footnote markers; expansions inline or as
ruby). ``fixtures/layouts/expected.json`` says what each prints. The text is the same whatever the layout, so:

- **body text** (absolute, every layout): each paragraph of the passages is exactly one body block, whose
  text is the paragraph as printed (footnote markers out, an expansion printed as ruby kept in ``ruby`` over
  its abbreviation), and there is no other body block: no paragraph cut mid-sentence or run into the next, no
  running head or page number inside one, no box text leaking into the body;
- **headings, boxes, pages** (absolute): the headings in order, every KEY WORD box with its label, title and
  paragraphs, every block's ``printed_page`` the number printed in its page's running head or foot;
- **tables** (against the reference layout): keywords, agreements, agreement_events, acronyms, country_lists,
  country_mentions and review hold the same rows as the reference layout's.

Differences that are right, and compared modulo them:

- the provenance columns ``edition``, ``file``, ``page``, ``printed_page`` (each layout is its own edition with
  its own page numbers);
- a space next to a Japanese character (a gap that a layout may print between a number or a Latin word and
  Japanese text: the normaliser drops such spaces only between two Japanese characters);
- an English expansion printed inline: ``evidence`` and review ``text`` quote the sentence as printed, so
  「(NRC:NATO-Russia Council)」 is compared as 「(NRC)」;
- ``section`` and ``chapter`` without heading numbers (a layout that prints none, 「防衛目標を実現するための…」 for
  「第III部 防衛目標を実現するための…」);
- ``country_mentions.chars``: a chapter's size counts the numbers and expansions a layout prints; and
  ``mentions`` only between layouts that print expansions alike (an inline 「NATO-Russia Council」 names NATO).

The PDFs are laid out and extracted once per session (about five seconds for the six on this machine).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

import pytest
from conftest import FIXTURE_PDFS, SEED_AGREEMENTS

from pipeline.box_labels import defines_terms
from pipeline.extract import extract_blocks
from pipeline.layout import blocks_for_file, doc_stats, read_file
from pipeline.normalize import normalize_text

LAYOUTS_DIR = FIXTURE_PDFS.parent / "layouts"
EXPECTED = json.loads((LAYOUTS_DIR / "expected.json").read_text(encoding="utf-8"))
REFERENCE = EXPECTED["reference"]
LAYOUTS = tuple(EXPECTED["layouts"])
OTHERS = tuple(name for name in LAYOUTS if name != REFERENCE)
TABLES = ("keywords", "agreements", "agreement_events", "acronyms", "country_lists", "country_mentions", "review")

PROVENANCE = frozenset(("edition", "file", "page", "printed_page"))
QUOTING = frozenset(("evidence", "text"))  # columns that quote a sentence as printed
HEADING_PATHS = frozenset(("section", "chapter"))
TYPOGRAPHIC_SPACE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
INLINE_EXPANSION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z]*):[^()]*\)")
HEADING_NUMBER = re.compile(r"(?:^|(?<=>))\s*(?:第[0-9IVX]+[部章節]|[(（][0-9]+[)）]|[0-9]+)\s*")


@cache
def extracted(name: str) -> tuple[list[dict], dict[str, list[dict]]]:
    """The blocks and tables of one layout, as the layout and extract stages make them (once per session)."""
    layout = EXPECTED["layouts"][name]
    pdf = LAYOUTS_DIR / layout["file"]
    pages = read_file(pdf, jobs=1, progress=False, page_timeout=0)
    blocks = blocks_for_file(pages, str(layout["year"]), pdf.name, doc_stats(pages))
    return blocks, extract_blocks(str(layout["year"]), blocks, []).rows


def _text(text: str) -> str:
    return TYPOGRAPHIC_SPACE.sub("", normalize_text(text))


def _paragraph(text: str, ruby: list[dict]) -> tuple[str, tuple]:
    """A paragraph as compared: its text, and each ruby as (the base under it, the ruby)."""
    return _text(text), tuple((_text(text[r["offset"] : r["offset"] + r["length"]]), r["text"]) for r in ruby)


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_paragraph_is_one_body_block_read_whole(name):
    blocks, _ = extracted(name)
    want = Counter(_paragraph(p["text"], p["ruby"]) for p in EXPECTED["layouts"][name]["paragraphs"])
    got = Counter(_paragraph(b["text"], b["ruby"]) for b in blocks if b["kind"] == "body")
    assert not want - got, f"paragraphs not read whole: {[t for t, _ in want - got]}"
    assert not got - want, f"body blocks that are no paragraph of the passages: {[t for t, _ in got - want]}"


@pytest.mark.parametrize("name", LAYOUTS)
def test_headings_in_reading_order(name):
    blocks, _ = extracted(name)
    got = [_text(b["text"]) for b in blocks if b["kind"] == "heading"]
    assert got == [_text(h) for h in EXPECTED["layouts"][name]["headings"]]


@pytest.mark.parametrize("name", LAYOUTS)
def test_keyword_boxes_with_label_title_and_paragraphs(name):
    blocks, _ = extracted(name)
    layout = EXPECTED["layouts"][name]
    got = [
        (b["label"], _text(b["title"]), _text(b["text"]))
        for b in blocks
        if b["kind"] == "box" and defines_terms(b["label"])
    ]
    want = [(layout["label"], _text(box["title"]), _text("\n".join(box["paragraphs"]))) for box in layout["boxes"]]
    assert sorted(got) == sorted(want)


@pytest.mark.parametrize("name", LAYOUTS)
def test_printed_page_is_the_number_in_the_running_head_or_foot(name):
    blocks, _ = extracted(name)
    first = EXPECTED["layouts"][name]["first_page"]
    wrong = {(b["page"], b["printed_page"]) for b in blocks if b["printed_page"] != str(first + b["page"] - 1)}
    assert not wrong


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_term_of_the_boxes_is_a_keyword(name):
    _, tables = extracted(name)
    terms = sorted(term for box in EXPECTED["layouts"][name]["boxes"] for term in box["terms"])
    assert sorted(row["term"] for row in tables["keywords"]) == terms
    assert all(row["definition"] for row in tables["keywords"])


def test_the_reference_gives_the_seed_chapters_partner_lists():
    _, tables = extracted(REFERENCE)
    got: dict = {}
    for row in tables["agreements"]:
        got.setdefault((row["agreement"], row["abbr"]), []).append((row["iso3"], row["status"]))
    assert got == SEED_AGREEMENTS


def _compared(row: dict, table: str, same_expansions: bool) -> tuple:
    """A row without what may rightly differ between layouts (the module docstring)."""
    out = []
    for column, value in sorted(row.items()):
        if column in PROVENANCE or (table == "country_mentions" and column == "chars"):
            continue
        if table == "country_mentions" and column == "mentions" and not same_expansions:
            continue
        value = _text(value)
        if column in QUOTING:
            value = INLINE_EXPANSION.sub(r"(\g<abbr>)", value)
        if column in HEADING_PATHS:
            value = re.sub(r"\s", "", HEADING_NUMBER.sub("", value))
        out.append((column, value))
    return tuple(out)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("name", OTHERS)
def test_tables_are_the_references(name, table):
    same = EXPECTED["layouts"][name]["expansions"] == EXPECTED["layouts"][REFERENCE]["expansions"]
    reference = Counter(_compared(row, table, same) for row in extracted(REFERENCE)[1][table])
    got = Counter(_compared(row, table, same) for row in extracted(name)[1][table])
    assert reference, f"the reference layout gives no {table} rows: nothing is compared"
    missing, extra = reference - got, got - reference
    assert not missing and not extra, f"missing {[dict(r) for r in missing]}, extra {[dict(r) for r in extra]}"
